import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDeliveryHistory } from '../../lambdas/adapters/dynamodb/delivery-history.ts';
import { DynamoDeliveryStateStore } from '../../lambdas/adapters/dynamodb/delivery-state-store.ts';
import { DynamoIntegrationLog } from '../../lambdas/adapters/dynamodb/integration-log.ts';
import { DynamoIntegrationRepository } from '../../lambdas/adapters/dynamodb/integration-repository.ts';
import { DynamoReplayStore } from '../../lambdas/adapters/dynamodb/replay-store.ts';
import type { LoggedEvent } from '../../lambdas/domain/event.ts';
import type { Integration } from '../../lambdas/domain/integration.ts';
import type { ReplayMessage } from '../../lambdas/domain/messages.ts';
import type { DeliveryRouter } from '../../lambdas/use-cases/delivery-router.ts';
import { ReplayJobs } from '../../lambdas/use-cases/replay-jobs.ts';
import { Replays } from '../../lambdas/use-cases/replays.ts';
import { dynamoEventLog } from '../support/dynamo-event-log.ts';
import { ListQueue } from '../support/list-queue.ts';
import { useEmulators } from '../support/local-runtime.ts';

const emulators = useEmulators({ applyEnv: false });

const setUp = async (events: number, crashOnRoute: Set<number>) => {
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: emulators.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const clock = { now: () => new Date() };
  const stateTable = emulators.env.STATE_TABLE_NAME as string;
  // A tenant per test: the event log is shared by the whole file.
  const tenant = `replay-${Math.random().toString(36).slice(2, 8)}`;
  const table = emulators.env.EVENT_LOG_TABLE_NAME as string;
  const eventLog = dynamoEventLog(documents, table, tenant, clock);
  const integrations = new DynamoIntegrationRepository(documents, stateTable);
  const now = new Date();
  const integration: Integration = {
    id: `replay-${Date.now().toString(36)}`,
    status: 'running',
    integration_type: 'permanent',
    callback_parameters: { callback_url: 'http://127.0.0.1:9/' },
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    has_secrets: false,
    version: 1,
  };
  await integrations.create(integration, 1000);
  const base = now.getTime() - 3_600_000;
  const ids: string[] = [];
  for (let i = 0; i < events; i++) {
    const event: LoggedEvent = {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      tenant,
      name: 'order.created',
      published_at: new Date(base + i * 1000).toISOString(),
      payload: { i },
      received_at: new Date(base + i * 1000).toISOString(),
    };
    ids.push(event.id);
    await eventLog.put(event);
  }
  let routeCalls = 0;
  const routed: string[] = [];
  const router = {
    route: async (_: Integration, event: LoggedEvent) => {
      routeCalls++;
      if (crashOnRoute.has(routeCalls)) throw new Error(`crash at route call ${routeCalls}`);
      routed.push(event.id);
    },
  } as unknown as DeliveryRouter;
  const queue = new ListQueue();
  const logs = new DynamoIntegrationLog(documents, stateTable);
  const jobs = new ReplayJobs({
    replays: new DynamoReplayStore(documents, stateTable),
    replayQueue: queue,
    logs,
    clock,
    settleMs: 0,
  });
  const history = new DynamoDeliveryHistory(
    documents,
    emulators.env.DELIVERIES_TABLE_NAME as string,
    30,
    clock,
  );
  const replays = new Replays({
    integrations,
    history,
    replays: new DynamoReplayStore(documents, stateTable),
    jobs,
    eventLog,
    router,
    logs,
    deliveryState: new DynamoDeliveryStateStore(documents, stateTable),
    metrics: { count: () => {}, duration: () => {} },
    clock,
    settings: { pageSize: 6, pauseSeconds: 0 },
  });
  return {
    replays,
    jobs,
    history,
    queue,
    routed,
    ids,
    integration,
    eventLog,
    tenant,
    replayStore: new DynamoReplayStore(documents, stateTable),
    deliveryState: new DynamoDeliveryStateStore(documents, stateTable),
    from: new Date(base - 1000).toISOString(),
    to: now.toISOString(),
  };
};

/**
 * Drives the replay queue like SQS with a Lambda consumer: a message comes back while its step asks to
 * go again or throws (a crash), and is deleted once a step says it is done.
 */
const drain = async (replays: Replays, queue: ListQueue) => {
  let crashes = 0;
  for (let steps = 0; queue.messages.length > 0 && steps < 500; steps++) {
    const body = queue.messages.shift() as string;
    try {
      const { againInSeconds } = await replays.step(JSON.parse(body) as ReplayMessage);
      if (againInSeconds !== undefined) queue.messages.push(body);
    } catch {
      crashes++;
      queue.messages.push(body);
    }
  }
  return crashes;
};

describe('replay', () => {
  it('queues every event of the range once when nothing fails, a page at a time', async () => {
    const { replays, jobs, queue, routed, ids, integration, from, to } = await setUp(40, new Set());
    await jobs.begin(integration, from, to, 'test', { settle: false });
    expect(await drain(replays, queue)).toBe(0);
    expect([...routed].sort()).toEqual([...ids].sort());
  });

  it('resumes after crashes mid-page without losing an event (duplicates allowed)', async () => {
    const { replays, jobs, queue, routed, ids, integration, from, to } = await setUp(
      40,
      new Set([3, 17, 18, 30]),
    );
    await jobs.begin(integration, from, to, 'test', { settle: false });
    // Four crashes; 17 and 18 may fall in one page (a page holds whole publishes, so at most 6 events).
    expect(await drain(replays, queue)).toBeGreaterThanOrEqual(3);
    expect(new Set(routed)).toEqual(new Set(ids));
  });

  it('lets a duplicated job message race without forking the replay', async () => {
    const { replays, jobs, queue, routed, ids, integration, from, to } = await setUp(20, new Set());
    await jobs.begin(integration, from, to, 'test', { settle: false });
    queue.messages.push(queue.messages[0] as string);
    await drain(replays, queue);
    expect(new Set(routed)).toEqual(new Set(ids));
    expect(routed.length).toBeLessThanOrEqual(ids.length + 6);
  });

  it('covers a catch-up point noted while it ran, with the events logged since', async () => {
    const {
      replays,
      queue,
      routed,
      ids,
      integration,
      eventLog,
      tenant,
      jobs,
      replayStore,
      deliveryState,
      from,
      to,
    } = await setUp(12, new Set());
    await jobs.begin(integration, from, to, 'test', { settle: false });
    // The first pass over every shard, and nothing more.
    for (let steps = 0; steps < 100; steps++) {
      const job = await replayStore.get(integration.id);
      if (!job || job.shard >= 8) break;
      const body = queue.messages.shift() as string;
      const { againInSeconds } = await replays.step(JSON.parse(body) as ReplayMessage);
      if (againInSeconds !== undefined) queue.messages.push(body);
    }
    // A fan-out that read the integration as stopped just before the start logs two events only now, and
    // notes the earliest as missed.
    const late = ['00000000-0000-4000-8000-0000000000aa', '00000000-0000-4000-8000-0000000000bb'];
    const receivedAt = new Date(Date.parse(to) - 30_000).toISOString();
    for (const id of late) {
      await eventLog.put({
        id,
        tenant,
        name: 'order.created',
        published_at: receivedAt,
        payload: {},
        received_at: receivedAt,
      });
    }
    await deliveryState.recordMissed(integration.id, receivedAt);
    await drain(replays, queue);
    expect(new Set(routed)).toEqual(new Set([...ids, ...late]));
    expect((await deliveryState.get(integration.id)).catch_up_from).toBeUndefined();
  });

  it('gets a new message when it lost its own, and only then', async () => {
    const { replays, jobs, queue, routed, ids, integration, from, to } = await setUp(15, new Set());
    await jobs.begin(integration, from, to, 'test', { settle: false });
    // Lost: a crash right after the job was written, before (or instead of) its message.
    queue.messages.length = 0;
    expect(await jobs.rearmIfStalled(integration.id, 60_000)).toBe(false);
    expect(queue.messages).toHaveLength(0);
    expect(await jobs.rearmIfStalled(integration.id, 0)).toBe(true);
    await drain(replays, queue);
    expect(new Set(routed)).toEqual(new Set(ids));
    expect(await jobs.rearmIfStalled(integration.id, 0)).toBe(false);
  });

  it('does not send a webhook again what its delivery record says it got', async () => {
    const { replays, jobs, history, queue, routed, ids, integration, from, to } = await setUp(30, new Set());
    const received = (i: number) => new Date(Date.parse(from) + 1000 + i * 1000).toISOString();
    // Ten were delivered before the stop (the record says so); one was only attempted and failed.
    for (const [i, id] of ids.slice(0, 10).entries()) {
      await history.recordAttempt(
        integration,
        { id, name: 'order.created', received_at: received(i) },
        'delivered',
        {
          at: to,
          duration_ms: 3,
          status_code: 200,
        },
      );
    }
    await history.recordAttempt(
      integration,
      { id: ids[10] as string, name: 'order.created', received_at: received(10) },
      'failed',
      {
        at: to,
        duration_ms: 3,
        status_code: 500,
      },
    );
    await jobs.begin(integration, from, to, 'test', { settle: false });
    expect(await drain(replays, queue)).toBe(0);
    expect([...routed].sort()).toEqual(ids.slice(10).sort());
  });
});
