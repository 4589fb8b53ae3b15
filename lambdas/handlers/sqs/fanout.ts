import { config, deliveryRouter, deliveryState, eventLog, integrations } from '../../shared/composition.ts';
import { logger, metricsPort } from '../../shared/powertools.ts';
import { sentAt, sqsBatchHandler } from '../../shared/sqs-handler.ts';
import { FanOut, InvalidIngestMessage } from '../../use-cases/fan-out.ts';

const fanOut = new FanOut({
  integrations,
  eventLog,
  router: deliveryRouter,
  deliveryState,
  tenant: config.TENANT,
});

/** Ingest queue consumer: logs every event and queues its deliveries. */
export const handler = sqsBatchHandler(
  (records) =>
    fanOut.batch(
      records.map((record) => ({ messageId: record.messageId, body: record.body, sentAt: sentAt(record) })),
    ),
  async (record, batch) => {
    try {
      const event = await fanOut.process(record.messageId, batch);
      metricsPort.count('EventsIngested');
      logger.debug('Fanned out', { event_id: event.id, event_name: event.name });
    } catch (error) {
      if (!(error instanceof InvalidIngestMessage)) throw error;
      // It can never become a valid event: retrying would only delay the DLQ. Logged for the operator.
      metricsPort.count('EventsInvalid');
      logger.error('Dropped an invalid ingest message', {
        message_id: record.messageId,
        reason: error.message,
      });
    }
  },
);
