import type { IntegrationLog, IntegrationRepository, SecretStore } from '../domain/ports/integrations.ts';
import type { Clock } from '../domain/ports/platform.ts';
import type { SecretValues } from '../domain/secrets.ts';
import { newSigningSecret } from '../domain/webhook-signature.ts';
import { appendLog, loadIntegration } from './integration-lookup.ts';
import { requireWebhook } from './webhook-only.ts';

export interface SigningSecretsDeps {
  integrations: Pick<IntegrationRepository, 'get' | 'update'>;
  secrets: Pick<SecretStore, 'get' | 'put'>;
  logs: Pick<IntegrationLog, 'append'>;
  clock: Clock;
}

/** How long the previous signing secret keeps signing after a rotation. */
const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/** The Standard Webhooks secret of a webhook integration: read and rotate. */
export class SigningSecrets {
  constructor(private readonly deps: SigningSecretsDeps) {}

  /** The secret receivers verify signatures with (and the previous one while rotating). */
  async get(id: string): Promise<Record<string, string>> {
    const integration = await loadIntegration(this.deps.integrations, id);
    requireWebhook(integration);
    const secrets = await this.deps.secrets.get(id);
    return signingView(secrets, this.deps.clock.now());
  }

  /** Makes a new signing secret; the old one keeps signing beside it for 24 hours. */
  async rotate(id: string): Promise<Record<string, string>> {
    const { deps } = this;
    const integration = await loadIntegration(deps.integrations, id);
    requireWebhook(integration);
    const secrets = await deps.secrets.get(id);
    const now = deps.clock.now();
    const rotated: SecretValues = { ...secrets, signing_secret: newSigningSecret() };
    if (secrets.signing_secret) {
      rotated.previous_signing_secret = secrets.signing_secret;
      rotated.previous_signing_secret_expires_at = new Date(
        now.getTime() + ROTATION_OVERLAP_MS,
      ).toISOString();
    }
    await deps.secrets.put(id, rotated);
    // A new revision tells every cached copy of the old secret to read again.
    await deps.integrations.update({
      ...integration,
      updated_at: now.toISOString(),
      version: integration.version + 1,
    });
    await appendLog(deps.logs, id, now, [
      ['signing_secret_rotated', 'Signing secret rotated via API; the previous one also signs for 24 hours.'],
    ]);
    return signingView(rotated, now);
  }
}

const signingView = (secrets: SecretValues, now: Date): Record<string, string> => {
  const view: Record<string, string> = {};
  if (secrets.signing_secret) view.signing_secret = secrets.signing_secret;
  const expiresAt = secrets.previous_signing_secret_expires_at;
  if (secrets.previous_signing_secret && expiresAt && Date.parse(expiresAt) > now.getTime()) {
    view.previous_signing_secret = secrets.previous_signing_secret;
    view.previous_signing_secret_expires_at = expiresAt;
  }
  return view;
};
