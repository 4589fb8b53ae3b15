import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { breakerSettingsFor, CircuitBreakers } from '../domain/circuit-breaker.ts';
import { deliveryMessageSchema } from '../domain/messages.ts';
import type { ConfigOf } from '../shared/config.ts';
import { metricsPort, operationLog } from '../shared/powertools.ts';
import { parseRecord, receiveCount, sentAt, sqsBatchHandler } from '../shared/sqs-handler.ts';
import { RateGate } from '../use-cases/rate-gate.ts';
import { WebhookDelivery } from '../use-cases/webhook-delivery.ts';
import { integrationStopper } from './parts/integrations.ts';
import type { Platform } from './parts/platform.ts';
import { queue } from './parts/queues.ts';
import {
  deliveryHistoryStore,
  deliveryStateStore,
  eventLogStore,
  integrationLogStore,
  integrationStore,
  rateLimiterStore,
  rejectedEventStore,
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
  const delivery = new WebhookDelivery({
    integrations: integrationStore(config, platform),
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
    metrics: metricsPort,
    log: operationLog,
    clock: platform.clock,
    settings: {
      retryBudgetMs: config.RETRY_BUDGET_HOURS * HOUR_MS,
      stopWindowMs: config.STOP_WINDOW_HOURS * HOUR_MS,
      retryScheduleSeconds: config.RETRY_SCHEDULE_SECONDS,
    },
  });
  const webhookQueue = queue(config.WEBHOOK_QUEUE_URL, platform);
  return sqsBatchHandler(
    async (records) => delivery.newBatch(records.map((record) => integrationIdOf(record.body))),
    async (record, batch) => {
      const message = parseRecord(deliveryMessageSchema, record);
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
    (batch) => delivery.finishBatch(batch),
  );
};

/** The integration a message is for, read without validating it (parseRecord does that, per record). */
const integrationIdOf = (body: string): string | undefined => {
  try {
    const id = (JSON.parse(body) as { integration_id?: unknown }).integration_id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
};
