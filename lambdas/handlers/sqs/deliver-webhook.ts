import { lambdaPlatform } from '../../functions/parts/platform.ts';
import { createWebhookDeliveryHandler, WEBHOOK_DELIVERY_ENTRY } from '../../functions/webhook-delivery.ts';
import { parseConfig } from '../../shared/config.ts';

/** Lambda entry of the webhook queue consumer. */
export const handler = createWebhookDeliveryHandler(
  parseConfig(WEBHOOK_DELIVERY_ENTRY, process.env),
  lambdaPlatform(),
);
