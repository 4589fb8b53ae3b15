import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../lambdas/domain/errors.ts';
import type { Integration } from '../../../lambdas/domain/integration.ts';
import { IntegrationLifecycle } from '../../../lambdas/use-cases/integration-lifecycle.ts';
import {
  DAY_MS,
  HOUR_MS,
  isoPlus,
  loggedEvent,
  newId,
  s3Integration,
  webhookIntegration,
} from '../../support/memory/fixtures.ts';
import { memoryWorld, RETENTION_DAYS, SETTLE_MS } from '../../support/memory/world.ts';

const setUp = () => {
  const world = memoryWorld();
  const lifecycle = new IntegrationLifecycle({
    integrations: world.integrations,
    logs: world.logs,
    stopper: world.stopper,
    deliveryState: world.deliveryState,
    eventLog: world.eventLog,
    replays: world.replayJobs,
    exportFiles: world.exportFlusher,
    clock: world.clock,
    retentionDays: RETENTION_DAYS,
  });
  return { world, lifecycle };
};

/** An integration stopped `stoppedFor` ms before the world's now. */
const stoppedFor = (
  world: ReturnType<typeof memoryWorld>,
  ms: number,
  overrides: Partial<Integration> = {},
) =>
  world.integrations.seed(
    webhookIntegration({ status: 'stopped', stopped_at: isoPlus(world.clock.now(), -ms), ...overrides }),
  );

describe('IntegrationLifecycle start and stop', () => {
  it('starts and stops idempotently: a repeat changes nothing and logs nothing', async () => {
    const { world, lifecycle } = setUp();
    const { id } = world.integrations.seed(webhookIntegration());
    expect((await lifecycle.start(id)).status).toBe('running');
    expect(await world.logs.list(id)).toEqual([]);
    expect((await lifecycle.stop(id)).status).toBe('stopped');
    world.clock.advance(1000);
    expect((await lifecycle.stop(id)).status).toBe('stopped');
    expect(await world.logs.actions(id)).toEqual(['integration_stopped']);
    expect((await world.integrations.get(id))?.version).toBe(2);
  });

  it('flushes an S3 integration’s open file on a stop that changed it, and never a webhook one', async () => {
    const { world, lifecycle } = setUp();
    const s3 = world.integrations.seed(s3Integration());
    const webhook = world.integrations.seed(webhookIntegration());
    await lifecycle.stop(s3.id);
    await lifecycle.stop(s3.id);
    await lifecycle.stop(webhook.id);
    expect(world.exportFlusher.calls).toEqual([{ kind: 'flush', integrationId: s3.id }]);
  });

  it('answers 404 for an unknown integration', async () => {
    const { lifecycle } = setUp();
    await expect(lifecycle.start(newId())).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('IntegrationLifecycle catch-up on start', () => {
  it('replays from the stop, with a settle time, and forgets failures of before', async () => {
    const { world, lifecycle } = setUp();
    const { id } = stoppedFor(world, 2 * HOUR_MS);
    await world.deliveryState.recordFailure(id, world.clock.now());
    await lifecycle.start(id);
    const now = world.clock.now();
    expect(await world.replayStore.get(id)).toMatchObject({
      from: isoPlus(now, -2 * HOUR_MS),
      to: now.toISOString(),
      settle_until: isoPlus(now, SETTLE_MS),
    });
    expect((await world.deliveryState.get(id)).failing_since).toBeUndefined();
    expect(await world.logs.actions(id)).toContain('integration_started');
  });

  it('replays from the earliest missed event when one was noted before the stop, and clears that point', async () => {
    const { world, lifecycle } = setUp();
    const { id } = stoppedFor(world, HOUR_MS);
    const missed = isoPlus(world.clock.now(), -3 * HOUR_MS);
    await world.deliveryState.recordMissed(id, missed);
    await lifecycle.start(id);
    expect((await world.replayStore.get(id))?.from).toBe(missed);
    expect((await world.deliveryState.get(id)).catch_up_from).toBeUndefined();
  });

  it('replays nothing after a stop of more than 30 days, and logs catch_up_skipped', async () => {
    const { world, lifecycle } = setUp();
    const { id } = stoppedFor(world, 31 * DAY_MS);
    await world.deliveryState.recordMissed(id, isoPlus(world.clock.now(), -31 * DAY_MS));
    await lifecycle.start(id);
    expect(await world.replayStore.get(id)).toBeUndefined();
    expect(world.queues.replay.sent).toEqual([]);
    expect(await world.logs.actions(id)).toContain('catch_up_skipped');
    expect((await world.deliveryState.get(id)).catch_up_from).toBeUndefined();
  });

  it('replays from the window start when the missed point left the window, and says what was lost', async () => {
    const { world, lifecycle } = setUp();
    const now = world.clock.now();
    const { id } = stoppedFor(world, 10 * DAY_MS);
    const missed = isoPlus(now, -35 * DAY_MS);
    await world.deliveryState.recordMissed(id, missed);
    await world.eventLog.put(loggedEvent(isoPlus(now, -33 * DAY_MS)));
    await lifecycle.start(id);
    const windowStart = isoPlus(now, -RETENTION_DAYS * DAY_MS);
    expect((await world.replayStore.get(id))?.from).toBe(windowStart);
    const trimmed = (await world.logs.list(id)).find((entry) => entry.action === 'catch_up_trimmed');
    expect(trimmed?.reason).toContain(`from ${missed} to ${windowStart}`);
  });

  it('does not log catch_up_trimmed when no event was received in the part that left the window', async () => {
    const { world, lifecycle } = setUp();
    const now = world.clock.now();
    const { id } = stoppedFor(world, 10 * DAY_MS);
    await world.deliveryState.recordMissed(id, isoPlus(now, -35 * DAY_MS));
    await world.eventLog.put(loggedEvent(isoPlus(now, -20 * DAY_MS)));
    await lifecycle.start(id);
    expect((await world.replayStore.get(id))?.from).toBe(isoPlus(now, -RETENTION_DAYS * DAY_MS));
    expect(await world.logs.actions(id)).not.toContain('catch_up_trimmed');
  });
});

describe('IntegrationLifecycle start that fails midway', () => {
  it('leaves the stop as a catch-up point, so the events are replayed although a retried start does nothing', async () => {
    const world = memoryWorld();
    const lifecycle = new IntegrationLifecycle({
      integrations: world.integrations,
      logs: world.logs,
      stopper: world.stopper,
      deliveryState: world.deliveryState,
      eventLog: world.eventLog,
      replays: {
        begin: async () => {
          throw new Error('SQS unavailable');
        },
      },
      exportFiles: world.exportFlusher,
      clock: world.clock,
      retentionDays: RETENTION_DAYS,
    });
    const integration = stoppedFor(world, HOUR_MS);
    await expect(lifecycle.start(integration.id)).rejects.toThrow('SQS unavailable');
    expect((await world.deliveryState.get(integration.id)).catch_up_from).toBe(integration.stopped_at);
    expect((await lifecycle.start(integration.id)).status).toBe('running');
  });
});
