import { ValidationError } from '../domain/errors.ts';
import type { Integration } from '../domain/integration.ts';

/** Refuses S3 integrations where only webhooks apply (signing, retries on request). */
export const requireWebhook = (integration: Integration): void => {
  if (!integration.callback_parameters) {
    throw new ValidationError(
      `Integration ${integration.id} delivers to S3; only webhook integrations are signed and retried.`,
    );
  }
};
