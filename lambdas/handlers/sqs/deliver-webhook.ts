import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import type { Integration } from '../../domain/integration.ts';
import type { DeliveryMessage } from '../../domain/ports.ts';
import { sqsClient } from '../../shared/clients.ts';
import {
  clock,
  config,
  deliveryHistory,
  deliveryState,
  dispatcher,
  eventLog,
  integrationLog,
  integrationStopper,
  integrations,
  rejectedEvents,
} from '../../shared/composition.ts';
import { metricsPort, operationLog } from '../../shared/powertools.ts';
import { receiveCount, sentAt, sqsBatchHandler } from '../../shared/sqs-handler.ts';
import { WebhookDelivery } from '../../use-cases/webhook-delivery.ts';

const HOUR_MS = 3_600_000;

const delivery = new WebhookDelivery({
  integrations,
  stopper: integrationStopper,
  eventLog,
  dispatcher,
  rejected: rejectedEvents,
  history: deliveryHistory,
  logs: integrationLog,
  deliveryState,
  metrics: metricsPort,
  log: operationLog,
  clock,
  settings: {
    retryBudgetMs: config.RETRY_BUDGET_HOURS * HOUR_MS,
    stopWindowMs: config.STOP_WINDOW_HOURS * HOUR_MS,
    retryScheduleSeconds: config.RETRY_SCHEDULE_SECONDS,
  },
});

/** Thrown to report a record as failed after its retry has been scheduled through its visibility. */
class RetryScheduled extends Error {}

/** Webhook queue consumer: one delivery attempt per message; retries wait in the queue. */
export const handler = sqsBatchHandler(
  async () => new Map<string, Promise<Integration | undefined>>(),
  async (record, integrationsOfBatch) => {
    const message = JSON.parse(record.body) as DeliveryMessage;
    const decision = await delivery.deliver(
      message,
      { attempt: receiveCount(record), firstSentAt: sentAt(record) },
      integrationsOfBatch,
    );
    if (decision.done) return;
    await sqsClient.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: config.WEBHOOK_QUEUE_URL,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: decision.retryInSeconds,
      }),
    );
    throw new RetryScheduled(`retry in ${decision.retryInSeconds} s`);
  },
);
