import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDeliveryHistory } from '../../lambdas/adapters/dynamodb/delivery-history.ts';
import { DynamoDeliveryStateStore } from '../../lambdas/adapters/dynamodb/delivery-state-store.ts';
import { DynamoIntegrationLog } from '../../lambdas/adapters/dynamodb/integration-log.ts';
import { DynamoIntegrationRepository } from '../../lambdas/adapters/dynamodb/integration-repository.ts';
import { DynamoRejectedEventStore } from '../../lambdas/adapters/dynamodb/rejected-event-store.ts';
import { DynamoReplayStore } from '../../lambdas/adapters/dynamodb/replay-store.ts';
import type { LoggedEvent } from '../../lambdas/domain/event.ts';
import type { Integration } from '../../lambdas/domain/integration.ts';
import type { ReplayMessage } from '../../lambdas/domain/messages.ts';
import type { DeliveryRouter } from '../../lambdas/use-cases/delivery-router.ts';
import { IntegrationLifecycle } from '../../lambdas/use-cases/integration-lifecycle.ts';
import { IntegrationRegistry } from '../../lambdas/use-cases/integration-registry.ts';
import { IntegrationRemover } from '../../lambdas/use-cases/integration-remover.ts';
import { IntegrationStopper } from '../../lambdas/use-cases/integration-stopper.ts';
import { ReplayJobs } from '../../lambdas/use-cases/replay-jobs.ts';
import { Replays } from '../../lambdas/use-cases/replays.ts';
import { dynamoEventLog } from '../support/dynamo-event-log.ts';
import { ListQueue } from '../support/list-queue.ts';
import { useEmulators } from '../support/local-runtime.ts';
import { MemorySecretStore } from '../support/memory/integrations.ts';
import { MemoryRateLimiterStore } from '../support/memory/rate-limits.ts';

/**
 * Issue 9, finding 2: an integration registered with a `starts_at` older than the window (the seed's own
 * samples use 2019) replays from the window start; stopping and starting it while that first replay runs
 * must still deliver every event of the window. The interleavings are driven step by step: no timing.
 */

const emulators = useEmulators({ applyEnv: false });
const DAY_MS = 86_400_000;

const setUp = async ({ edgeEvent = false } = {}) => {
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: emulators.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  // A clock the test moves: each API call happens a second after the one before, so the window's start
  // moves on between the registration and the start, as it does in real life.
  let now = Date.now();
  const clock = { now: () => new Date(now) };
  const tick = () => {
    now += 1000;
  };
  const stateTable = emulators.env.STATE_TABLE_NAME as string;
  const tenant = `catchup-${Math.random().toString(36).slice(2, 8)}`;
  const eventLog = dynamoEventLog(documents, emulators.env.EVENT_LOG_TABLE_NAME as string, tenant, clock);
  // Events spread over the whole window, the oldest a minute after its start.
  const ids: string[] = [];
  for (let i = 0; i < 24; i++) {
    const receivedAt = new Date(now - 30 * DAY_MS + 60_000 + (i * (29 * DAY_MS)) / 24).toISOString();
    const event: LoggedEvent = {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      tenant,
      name: 'order.created',
      published_at: receivedAt,
      payload: { i },
      received_at: receivedAt,
    };
    ids.push(event.id);
    await eventLog.put(event);
  }
  // Received half a second after the window start at registration: gone from the window by the restart.
  const edge = '00000000-0000-4000-8000-0000000000ed';
  if (edgeEvent) {
    const receivedAt = new Date(now - 30 * DAY_MS + 500).toISOString();
    await eventLog.put({
      id: edge,
      tenant,
      name: 'order.created',
      published_at: receivedAt,
      payload: {},
      received_at: receivedAt,
    });
  }
  const routed: string[] = [];
  const router = {
    route: async (_: Integration, event: LoggedEvent) => {
      routed.push(event.id);
    },
  } as unknown as DeliveryRouter;
  const integrations = new DynamoIntegrationRepository(documents, stateTable);
  const logs = new DynamoIntegrationLog(documents, stateTable);
  const deliveryState = new DynamoDeliveryStateStore(documents, stateTable);
  const replayJobs = new DynamoReplayStore(documents, stateTable);
  const queue = new ListQueue();
  const jobs = new ReplayJobs({ replays: replayJobs, replayQueue: queue, logs, clock, settleMs: 0 });
  const history = new DynamoDeliveryHistory(
    documents,
    emulators.env.DELIVERIES_TABLE_NAME as string,
    30,
    clock,
  );
  const replays = new Replays({
    integrations,
    history,
    replays: replayJobs,
    jobs,
    eventLog,
    router,
    logs,
    deliveryState,
    metrics: { count: () => {}, duration: () => {} },
    clock,
    settings: { pageSize: 5, pauseSeconds: 0 },
  });
  // Webhook integrations only here: nothing is ever flushed.
  const exportFiles = { flush: async () => {}, discard: async () => {} };
  const registry = new IntegrationRegistry({
    integrations,
    logs,
    secrets: new MemorySecretStore(),
    replays: jobs,
    remover: new IntegrationRemover({
      integrations,
      logs,
      rejected: new DynamoRejectedEventStore(documents, stateTable),
      deliveryState,
      replayJobs,
      secrets: new MemorySecretStore(),
    }),
    exportFiles,
    rateLimits: new MemoryRateLimiterStore(),
    clock,
    policy: { retentionDays: 30, allowInsecureCallbacks: true, maxIntegrations: 1000 },
  });
  const lifecycle = new IntegrationLifecycle({
    integrations,
    logs,
    stopper: new IntegrationStopper({ integrations, logs, clock }),
    deliveryState,
    eventLog,
    replays: jobs,
    exportFiles,
    clock,
    retentionDays: 30,
  });
  const service = {
    register: (body: unknown) => registry.register(body),
    update: (id: string, body: unknown) => registry.update(id, body),
    stop: (id: string) => lifecycle.stop(id),
    start: (id: string) => lifecycle.start(id),
  };
  /** One receive of the replay message, as the queue's consumer would make it. */
  const step = async () => {
    const body = queue.messages.shift();
    if (body === undefined) return false;
    const { againInSeconds } = await replays.step(JSON.parse(body) as ReplayMessage);
    if (againInSeconds !== undefined) queue.messages.push(body);
    return true;
  };
  const drain = async () => {
    for (let steps = 0; steps < 500 && (await step()); steps++);
  };
  const id = `seed-${Math.random().toString(36).slice(2, 10)}`;
  // The seed's webhook sample, as printed, with a local receiver.
  await service.register({
    id,
    integration_type: 'permanent',
    starts_at: '2019-01-17T12:00:00.000Z',
    callback_parameters: {
      callback_url: 'http://127.0.0.1:9/two/events',
      api_key: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
    },
  });
  tick();
  return { service, id, ids, routed, step, drain, tick, logs };
};

describe('stop and start during the first replay of a clamped starts_at', () => {
  it.each([
    { patch: false, stepWhileStopped: true },
    { patch: true, stepWhileStopped: true },
    { patch: false, stepWhileStopped: false },
    { patch: true, stepWhileStopped: false },
  ])(
    'delivers every event of the window (PATCH between: $patch, replay saw the stop: $stepWhileStopped)',
    async ({ patch, stepWhileStopped }) => {
      const { service, id, ids, routed, step, drain, tick, logs } = await setUp();
      await step(); // the first page goes out
      await service.stop(id);
      tick();
      // The replay's next receive finds it stopped and hands what is left to the next start's catch-up.
      if (stepWhileStopped) await step();
      if (patch) {
        await service.update(id, { filter_conditions: { entity_filter: ['order'] } });
        tick();
      }
      await service.start(id);
      tick();
      await drain();
      expect(new Set(routed)).toEqual(new Set(ids));
      const actions = (await logs.list(id)).map((entry) => entry.action);
      expect(actions).not.toContain('catch_up_skipped');
      // Nothing had been received in the second that left the window meanwhile: nothing to report.
      expect(actions).not.toContain('catch_up_trimmed');
    },
  );
});

it('says in the log which part left the window when something was received there', async () => {
  const { service, id, ids, routed, step, drain, tick, logs } = await setUp({ edgeEvent: true });
  await service.stop(id);
  tick();
  await step();
  await service.start(id);
  await drain();
  expect(new Set(routed)).toEqual(new Set(ids));
  const trimmed = (await logs.list(id)).filter((entry) => entry.action === 'catch_up_trimmed');
  expect(trimmed).toHaveLength(1);
  expect(trimmed[0]?.reason).toMatch(/left the 30-day event window/);
});
