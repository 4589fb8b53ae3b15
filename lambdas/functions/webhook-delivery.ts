import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { breakerSettingsFor, CircuitBreakers } from '../domain/circuit-breaker.ts';
import { type DeliveryMessage, deliveryMessageSchema } from '../domain/messages.ts';
import type { ConfigOf } from '../shared/config.ts';
import { metricsPort, operationLog } from '../shared/powertools.ts';
import { parseRecord, receiveCount, sentAt, sqsBatchHandler } from '../shared/sqs-handler.ts';
import { INTEGRATION_MAX_AGE_MS, IntegrationCache } from '../use-cases/integration-cache.ts';
import { RateGate } from '../use-cases/rate-gate.ts';
import { WebhookDelivery } from '../use-cases/webhook-delivery.ts';
import { integrationStopper } from './parts/integrations.ts';
import type { Platform } from './parts/platform.ts';
import { queue } from './parts/queues.ts';
import {
  deliveryHistoryStore,
  deliveryStateStore,
  entityQueueStore,
  eventLogStore,
  integrationLogStore,
  integrationStore,
  rateLimiterStore,
  rejectedEventStore,
  replayStore,
} from './parts/stores.ts';
import { webhookDispatcher } from './parts/webhooks.ts';

export const WEBHOOK_DELIVERY_ENTRY = 'lambdas/handlers/sqs/deliver-webhook.ts';

const HOUR_MS = 3_600_000;

/** Thrown to report a record as failed after its retry has been scheduled through its visibility. */
class RetryScheduled extends Error {}

/** Webhook queue consumer: one delivery attempt per message; retries wait in the queue. */
export const createWebhookDeliveryHandler = (
  config: ConfigOf<typeof WEBHOOK_DELIVERY_ENTRY>,
  platform: Platform,
) => {
  const logs = integrationLogStore(config, platform);
  const webhookQueue = queue(config.WEBHOOK_QUEUE_URL, platform);
  const delivery = new WebhookDelivery({
    integrations: new IntegrationCache({
      integrations: integrationStore(config, platform),
      clock: platform.clock,
      maxAgeMs: INTEGRATION_MAX_AGE_MS,
    }),
    stopper: integrationStopper(config, platform),
    eventLog: eventLogStore(config, platform),
    dispatcher: webhookDispatcher(config, platform),
    breakers: new CircuitBreakers(breakerSettingsFor(config.RETRY_SCHEDULE_SECONDS)),
    rateGate: new RateGate({
      store: rateLimiterStore(config, platform),
      logs,
      clock: platform.clock,
      wait: (ms) => setTimeout(ms),
      newLeaseId: randomUUID,
    }),
    rejected: rejectedEventStore(config, platform),
    history: deliveryHistoryStore(config, platform),
    logs,
    deliveryState: deliveryStateStore(config, platform),
    entityQueues: entityQueueStore(config, platform),
    replays: replayStore(config, platform),
    webhookQueue,
    metrics: metricsPort,
    log: operationLog,
    clock: platform.clock,
    settings: {
      retryBudgetMs: config.RETRY_BUDGET_HOURS * HOUR_MS,
      stopWindowMs: config.STOP_WINDOW_HOURS * HOUR_MS,
      retryScheduleSeconds: config.RETRY_SCHEDULE_SECONDS,
      retentionDays: config.EVENT_RETENTION_DAYS,
    },
  });
  return sqsBatchHandler(
    async (records) => {
      // Parsed once, here: the batch needs every message's integration and order up front.
      const messages = new Map<string, DeliveryMessage | Error>();
      for (const record of records) {
        try {
          messages.set(record.messageId, parseRecord(deliveryMessageSchema(), record));
        } catch (error) {
          messages.set(record.messageId, error as Error);
        }
      }
      const valid = [...messages.values()].filter((m): m is DeliveryMessage => !(m instanceof Error));
      return { messages, delivery: delivery.newBatch(valid) };
    },
    async (record, { messages, delivery: batch }) => {
      const message = messages.get(record.messageId) ?? parseRecord(deliveryMessageSchema(), record);
      if (message instanceof Error) throw message;
      const decision = await delivery.deliver(
        message,
        { attempt: receiveCount(record), firstSentAt: sentAt(record) },
        batch,
      );
      if (decision.done) return;
      await webhookQueue.retryIn(record.receiptHandle, decision.retryInSeconds);
      throw new RetryScheduled(`retry in ${decision.retryInSeconds} s`);
    },
    // The batch's attempts, one history write per integration and publish, before SQS deletes anything.
    (batch) => delivery.finishBatch(batch.delivery),
  );
};
