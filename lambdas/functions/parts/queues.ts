import { SqsMessageQueue } from '../../adapters/sqs/sqs-message-queue.ts';
import { sqsClient } from '../../shared/clients/sqs.ts';
import type { Settings } from '../../shared/config.ts';
import { metricsPort } from '../../shared/powertools.ts';
import { DeliveryRouter } from '../../use-cases/delivery-router.ts';
import { EntityQueuePlaces } from '../../use-cases/entity-queue-places.ts';
import type { Platform } from './platform.ts';
import { deliveryHistoryStore, entityQueueStore, integrationStore } from './stores.ts';

export const queue = (url: string, { aws }: Platform) => new SqsMessageQueue(sqsClient(aws), url);

/** One message per (event, integration) on the webhook or export queue, with its pending delivery record. */
export const deliveryRouter = (
  config: Pick<
    Settings,
    | 'DELIVERIES_TABLE_NAME'
    | 'EVENT_RETENTION_DAYS'
    | 'WEBHOOK_QUEUE_URL'
    | 'EXPORT_QUEUE_URL'
    | 'STATE_TABLE_NAME'
  >,
  platform: Platform,
) =>
  new DeliveryRouter({
    history: deliveryHistoryStore(config, platform),
    places: new EntityQueuePlaces({
      entityQueues: entityQueueStore(config, platform),
      integrations: integrationStore(config, platform),
      clock: platform.clock,
      metrics: metricsPort,
    }),
    webhookQueue: queue(config.WEBHOOK_QUEUE_URL, platform),
    exportQueue: queue(config.EXPORT_QUEUE_URL, platform),
  });
