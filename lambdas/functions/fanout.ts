import type { ConfigOf } from '../shared/config.ts';
import { logger, metricsPort, operationLog } from '../shared/powertools.ts';
import { sentAt, sqsBatchHandler } from '../shared/sqs-handler.ts';
import { EventTypeNotes } from '../use-cases/event-type-notes.ts';
import { FanOut, InvalidIngestMessage } from '../use-cases/fan-out.ts';
import type { Platform } from './parts/platform.ts';
import { deliveryRouter, queue } from './parts/queues.ts';
import {
  deliveryStateStore,
  eventCatalogStore,
  eventIdClaims,
  eventLogWriter,
  integrationStore,
} from './parts/stores.ts';

export const FANOUT_ENTRY = 'lambdas/handlers/sqs/fanout.ts';

/** When an event that failed comes back. */
const RETRY_SECONDS = 5;

/** Ingest queue consumer: logs every event and queues its deliveries. */
export const createFanoutHandler = (config: ConfigOf<typeof FANOUT_ENTRY>, platform: Platform) => {
  const fanOut = new FanOut({
    integrations: integrationStore(config, platform),
    eventLog: eventLogWriter(config, platform),
    idClaims: eventIdClaims(config, platform),
    router: deliveryRouter(config, platform),
    deliveryState: deliveryStateStore(config, platform),
    // Built once per instance: its memory of what it noted is what keeps the catalog to a write a minute.
    eventTypes: new EventTypeNotes({
      sightings: eventCatalogStore(config, platform),
      clock: platform.clock,
      log: operationLog,
    }),
    tenant: config.TENANT,
  });
  const ingestQueue = queue(config.INGEST_QUEUE_URL, platform);
  // An event that could not be logged or routed comes back in seconds, not at the queue's visibility
  // timeout (190 s): a temporary integration's end waits only TEMPORARY_END_GRACE_SECONDS for late events.
  const retrySoon = (receiptHandles: readonly string[]) =>
    Promise.allSettled(receiptHandles.map((handle) => ingestQueue.retryIn(handle, RETRY_SECONDS)));
  return sqsBatchHandler(
    async (records) => {
      try {
        return await fanOut.batch(
          records.map((record) => ({
            messageId: record.messageId,
            body: record.body,
            sentAt: sentAt(record),
          })),
        );
      } catch (error) {
        await retrySoon(records.map((record) => record.receiptHandle));
        throw error;
      }
    },
    async (record, batch) => {
      try {
        const event = await fanOut.process(record.messageId, batch);
        if (!event) {
          metricsPort.count('EventIdRepeated');
          return;
        }
        metricsPort.count('EventsIngested');
        logger.debug('Fanned out', { event_id: event.id, event_name: event.name });
      } catch (error) {
        if (error instanceof InvalidIngestMessage) {
          // It can never become a valid event: reported failed, it reaches the DLQ for an operator to see.
          metricsPort.count('EventsInvalid');
          logger.error('Invalid ingest message; it goes to the DLQ after its retries', {
            message_id: record.messageId,
            reason: error.message,
          });
        } else {
          await retrySoon([record.receiptHandle]);
        }
        throw error;
      }
    },
  );
};
