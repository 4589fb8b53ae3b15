import { describe, expect, it } from 'vitest';
import type { Integration } from '../../../lambdas/domain/integration.ts';
import type { DeliveryMessage, ReplayMessage } from '../../../lambdas/domain/messages.ts';
import { HANDOFF_RECEIVES, type ReplayStepResult, type Replays } from '../../../lambdas/use-cases/replays.ts';
import {
  HOUR_MS,
  isoPlus,
  loggedEvent,
  MINUTE_MS,
  s3Integration,
  webhookIntegration,
} from '../../support/memory/fixtures.ts';
import { replaysOf } from '../../support/memory/webhook-delivery.ts';
import { type MemoryWorld, memoryWorld, SETTLE_MS } from '../../support/memory/world.ts';

const PAGE_SIZE = 2;
const PAUSE_SECONDS = 1;

const setUp = (integration: Integration = webhookIntegration()) => {
  const world = memoryWorld();
  const replays = replaysOf(world, { pageSize: PAGE_SIZE, pauseSeconds: PAUSE_SECONDS });
  world.integrations.seed(integration);
  return { world, replays, integration };
};

/** Logs `count` events received in the hour before now. */
const logEvents = async (world: MemoryWorld, count: number, fromMsAgo = HOUR_MS) => {
  const events = Array.from({ length: count }, (_, i) =>
    loggedEvent(isoPlus(world.clock.now(), -fromMsAgo + (i + 1) * 1000)),
  );
  for (const event of events) await world.eventLog.put(event);
  return events;
};

/** Receives the job's message as the queue would, page after page, moving the clock by each delay. */
const drive = async (world: MemoryWorld, replays: Replays, message: ReplayMessage, maxReceives = 200) => {
  let last: ReplayStepResult = {};
  for (let receive = 1; receive <= maxReceives; receive++) {
    last = await replays.step(message, receive);
    if (last.againInSeconds === undefined) return { last, receives: receive };
    world.clock.advance(last.againInSeconds * 1000);
  }
  throw new Error('the replay did not end');
};

const queuedIds = (world: MemoryWorld) =>
  world.queues.webhook.bodies<DeliveryMessage>().map((message) => message.event_id);

const begin = async (world: MemoryWorld, integration: Integration, from: string, settle = false) => {
  const job = await world.replayJobs.begin(integration, from, world.clock.now().toISOString(), 'test', {
    settle,
  });
  return { integration_id: integration.id, job_id: job.job_id };
};

describe('Replays', () => {
  it('queues every event of the range once, a page at a time, and logs the completion', async () => {
    const { world, replays, integration } = setUp();
    const events = await logEvents(world, 7);
    await world.eventLog.put(loggedEvent(isoPlus(world.clock.now(), -2 * HOUR_MS)));
    const message = await begin(world, integration, isoPlus(world.clock.now(), -HOUR_MS));
    world.clock.advance(1000);
    const { receives } = await drive(world, replays, message);
    expect(queuedIds(world).sort()).toEqual(events.map((event) => event.id).sort());
    expect(receives).toBeGreaterThan(7 / PAGE_SIZE);
    expect((await world.replayStore.get(integration.id))?.completed_at).toBeDefined();
    expect((await world.logs.list(integration.id))[0]?.reason).toContain('7 events queued');
  });

  it('stopped mid-replay: notes the range’s start as missed and drops the job', async () => {
    const { world, replays, integration } = setUp();
    await logEvents(world, 6);
    const from = isoPlus(world.clock.now(), -HOUR_MS);
    const message = await begin(world, integration, from);
    await replays.step(message, 1);
    await world.stopper.stop(integration.id, 'Stopped via API.');
    expect(await replays.step(message, 2)).toEqual({});
    expect((await world.deliveryState.get(integration.id)).catch_up_from).toBe(from);
    expect(await world.replayStore.get(integration.id)).toBeUndefined();
  });

  it('waits for the settle time before completing a catch-up', async () => {
    const { world, replays, integration } = setUp();
    const message = await begin(world, integration, isoPlus(world.clock.now(), -HOUR_MS), true);
    let result: ReplayStepResult = {};
    // One receive per shard, then the look for late catch-up points.
    for (let receive = 1; receive <= 9; receive++) result = await replays.step(message, receive);
    expect(result.againInSeconds).toBe(SETTLE_MS / 1000);
    expect((await world.replayStore.get(integration.id))?.completed_at).toBeUndefined();
    world.clock.advance(SETTLE_MS);
    await drive(world, replays, message);
    expect((await world.replayStore.get(integration.id))?.completed_at).toBe(world.clock.now().toISOString());
  });

  it('covers a catch-up point noted while it ran, with the events received since, and then clears it', async () => {
    const { world, replays, integration } = setUp();
    const now = world.clock.now();
    const message = await begin(world, integration, isoPlus(now, -HOUR_MS), true);
    const early = loggedEvent(isoPlus(now, -90 * MINUTE_MS));
    await world.eventLog.put(early);
    // A delivery that read the integration as stopped just before the start notes its event late.
    await world.deliveryState.recordMissed(integration.id, early.received_at);
    world.clock.advance(SETTLE_MS);
    await drive(world, replays, message);
    expect(queuedIds(world)).toEqual([early.id]);
    expect((await world.deliveryState.get(integration.id)).catch_up_from).toBeUndefined();
  });

  it('stopped while covering a catch-up point earlier than its range: the next start still replays that point', async () => {
    const { world, replays, integration } = setUp();
    const now = world.clock.now();
    const message = await begin(world, integration, isoPlus(now, -HOUR_MS), true);
    const early = loggedEvent(isoPlus(now, -90 * MINUTE_MS));
    await world.eventLog.put(early);
    await world.deliveryState.recordMissed(integration.id, early.received_at);
    world.clock.advance(SETTLE_MS);
    // One receive per shard, then the look that takes the point over (and clears it).
    for (let receive = 1; receive <= 9; receive++) await replays.step(message, receive);
    expect((await world.replayStore.get(integration.id))?.from).toBe(early.received_at);
    await world.stopper.stop(integration.id, 'Stopped via API.');
    await replays.step(message, 10);
    const point = (await world.deliveryState.get(integration.id)).catch_up_from;
    expect(point !== undefined && point <= early.received_at).toBe(true);
  });

  it(`hands the job to a fresh message after ${HANDOFF_RECEIVES} receives`, async () => {
    const { world, replays, integration } = setUp();
    await logEvents(world, 3);
    const message = await begin(world, integration, isoPlus(world.clock.now(), -HOUR_MS));
    world.queues.replay.sent.length = 0;
    expect(await replays.step(message, HANDOFF_RECEIVES)).toEqual({});
    expect(world.queues.replay.sent).toEqual([
      { body: JSON.stringify(message), delaySeconds: PAUSE_SECONDS },
    ]);
    expect(await replays.step(message, 1)).toEqual({ againInSeconds: PAUSE_SECONDS });
  });

  it('ignores the message of a job that was replaced', async () => {
    const { world, replays, integration } = setUp();
    await logEvents(world, 3);
    const first = await begin(world, integration, isoPlus(world.clock.now(), -HOUR_MS));
    await begin(world, integration, isoPlus(world.clock.now(), -HOUR_MS));
    expect(await replays.step(first, 1)).toEqual({});
    expect(world.queues.webhook.sent).toEqual([]);
  });

  it('ends a temporary webhook integration once its replay completes, for 10 minutes of looks', async () => {
    const now = '2026-11-30T12:00:00.000Z';
    const temporary = webhookIntegration({
      integration_type: 'temporary',
      starts_at: isoPlus(now, -2 * HOUR_MS),
      ends_at: isoPlus(now, -HOUR_MS),
    });
    const { world, replays, integration } = setUp(temporary);
    const message = await begin(world, integration, temporary.starts_at ?? now);
    const { last } = await drive(world, replays, message);
    expect(last.ending?.id).toBe(integration.id);
    world.clock.advance(9 * MINUTE_MS);
    expect((await replays.step(message, 50)).ending?.id).toBe(integration.id);
    world.clock.advance(2 * MINUTE_MS);
    expect(await replays.step(message, 51)).toEqual({});
  });

  it('leaves ending a temporary S3 integration to housekeeping (its last file)', async () => {
    const temporary = s3Integration({
      integration_type: 'temporary',
      starts_at: '2026-11-30T10:00:00.000Z',
      ends_at: '2026-11-30T11:00:00.000Z',
    });
    const { world, replays, integration } = setUp(temporary);
    const message = await begin(world, integration, '2026-11-30T10:00:00.000Z');
    expect((await drive(world, replays, message)).last).toEqual({});
  });
});

describe('Replays and delivered events', () => {
  it('does not send a webhook again what it already got, and says so when it completes', async () => {
    const { world, replays, integration } = setUp();
    const events = await logEvents(world, 4);
    for (const event of events.slice(0, 2)) {
      await world.history.recordAttempt(integration, event, 'delivered', {
        at: world.clock.now().toISOString(),
        duration_ms: 1,
        status_code: 200,
      });
    }
    const message = await begin(world, integration, isoPlus(world.clock.now(), -2 * HOUR_MS));
    world.clock.advance(1000);
    await drive(world, replays, message);
    expect(queuedIds(world).sort()).toEqual(
      events
        .slice(2)
        .map((event) => event.id)
        .sort(),
    );
    const completed = (await world.logs.list(integration.id)).find(
      (entry) => entry.action === 'replay_completed',
    );
    expect(completed?.reason).toMatch(/2 events queued, 2 already delivered not sent again/);
  });
});
