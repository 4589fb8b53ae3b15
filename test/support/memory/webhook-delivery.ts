import { breakerSettingsFor, CircuitBreakers } from '../../../lambdas/domain/circuit-breaker.ts';
import { INTEGRATION_MAX_AGE_MS, IntegrationCache } from '../../../lambdas/use-cases/integration-cache.ts';
import { RateGate } from '../../../lambdas/use-cases/rate-gate.ts';
import { Replays } from '../../../lambdas/use-cases/replays.ts';
import { WebhookDelivery } from '../../../lambdas/use-cases/webhook-delivery.ts';
import type { WebhookDispatcher } from '../../../lambdas/use-cases/webhook-dispatcher.ts';
import { type MemoryWorld, RETENTION_DAYS } from './world.ts';

export interface DeliveryProcessOptions {
  retryBudgetMs: number;
  stopWindowMs: number;
  retryScheduleSeconds: readonly number[];
  /** Default the world's, on its fake sender. */
  dispatcher?: WebhookDispatcher;
  /** How the rate gate waits for a slot; default not at all. */
  wait?: (ms: number) => Promise<void>;
}

/** A delivery process (a Lambda instance) of the world: its own breakers, the world's shared stores. */
export const deliveryProcess = (world: MemoryWorld, options: DeliveryProcessOptions): WebhookDelivery =>
  new WebhookDelivery({
    integrations: new IntegrationCache({
      integrations: world.integrations,
      clock: world.clock,
      maxAgeMs: INTEGRATION_MAX_AGE_MS,
    }),
    stopper: world.stopper,
    eventLog: world.eventLog,
    dispatcher: options.dispatcher ?? world.dispatcher,
    breakers: new CircuitBreakers(breakerSettingsFor(options.retryScheduleSeconds)),
    rateGate: new RateGate({
      store: world.rateLimits,
      logs: world.logs,
      clock: world.clock,
      wait: options.wait ?? (async () => {}),
      newLeaseId: () => crypto.randomUUID(),
    }),
    rejected: world.rejected,
    history: world.history,
    logs: world.logs,
    deliveryState: world.deliveryState,
    entityQueues: world.entityQueues,
    replays: world.replayStore,
    webhookQueue: world.queues.webhook,
    metrics: world.metrics,
    log: world.operationLog,
    clock: world.clock,
    settings: {
      retryBudgetMs: options.retryBudgetMs,
      stopWindowMs: options.stopWindowMs,
      retryScheduleSeconds: options.retryScheduleSeconds,
      retentionDays: RETENTION_DAYS,
    },
  });

/** The replay consumer of the world, reading `pageSize` events a page. */
export const replaysOf = (
  world: MemoryWorld,
  settings: { pageSize: number; pauseSeconds: number },
): Replays =>
  new Replays({
    integrations: world.integrations,
    replays: world.replayStore,
    history: world.history,
    jobs: world.replayJobs,
    eventLog: world.eventLog,
    router: world.router,
    logs: world.logs,
    deliveryState: world.deliveryState,
    metrics: world.metrics,
    clock: world.clock,
    settings,
  });
