import { GuardedHttpSender } from '../../adapters/http/guarded-http-sender.ts';
import { HttpReceiverAuthorizer } from '../../adapters/http/receiver-authorizer.ts';
import type { Settings } from '../../shared/config.ts';
import { logger } from '../../shared/powertools.ts';
import { USER_AGENT } from '../../shared/version.ts';
import { WebhookDispatcher } from '../../use-cases/webhook-dispatcher.ts';
import type { Platform } from './platform.ts';
import { secretStore } from './secrets.ts';

/** Sends one signed event to a webhook, through the SSRF guard. */
export const webhookDispatcher = (
  config: Pick<Settings, 'SECRET_NAME_PREFIX' | 'ALLOW_INSECURE_CALLBACKS' | 'DELIVERY_TIMEOUT_MS'>,
  platform: Platform,
) => {
  const sender = new GuardedHttpSender({
    timeoutMs: config.DELIVERY_TIMEOUT_MS,
    allowPrivateNetworks: config.ALLOW_INSECURE_CALLBACKS,
    onRefused: (url, reason) => logger.warn('Refused a receiver address', { url, reason }),
  });
  return new WebhookDispatcher({
    secrets: secretStore(config, platform),
    sender,
    authorizer: new HttpReceiverAuthorizer(sender, platform.clock),
    clock: platform.clock,
    userAgent: USER_AGENT,
  });
};
