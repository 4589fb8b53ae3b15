import { describe, expect, it } from 'vitest';
import { HOUR_MS, isoPlus, MINUTE_MS, webhookIntegration } from '../../support/memory/fixtures.ts';
import { memoryWorld, SETTLE_MS } from '../../support/memory/world.ts';

const QUIET_MS = 10 * MINUTE_MS;

describe('ReplayJobs.begin', () => {
  it('starts a job, logs replay_started and sends its message at once', async () => {
    const world = memoryWorld();
    const integration = webhookIntegration();
    const from = isoPlus(world.clock.now(), -HOUR_MS);
    const job = await world.replayJobs.begin(integration, from, world.clock.now().toISOString(), 'test', {
      settle: false,
    });
    expect(await world.replayStore.get(integration.id)).toEqual(job);
    expect(world.queues.replay.sent).toEqual([
      { body: JSON.stringify({ integration_id: integration.id, job_id: job.job_id }), delaySeconds: 0 },
    ]);
    expect(await world.logs.actions(integration.id)).toEqual(['replay_started']);
  });

  it('takes over an unfinished job’s earlier range, so nothing of it is dropped', async () => {
    const world = memoryWorld();
    const integration = webhookIntegration();
    const now = world.clock.now().toISOString();
    const earlier = isoPlus(now, -5 * HOUR_MS);
    await world.replayJobs.begin(integration, earlier, now, 'first', { settle: false });
    const job = await world.replayJobs.begin(integration, isoPlus(now, -HOUR_MS), now, 'second', {
      settle: true,
    });
    expect(job).toMatchObject({ range_from: earlier, from: earlier, settle_until: isoPlus(now, SETTLE_MS) });
  });

  it('takes over where an unfinished job’s current pass began when that is earlier than its range', async () => {
    const world = memoryWorld();
    const integration = webhookIntegration();
    const now = world.clock.now().toISOString();
    const first = await world.replayJobs.begin(integration, isoPlus(now, -HOUR_MS), now, 'first', {
      settle: true,
    });
    // A late catch-up point made the job start a pass over from before its range (and the point was cleared).
    const passFrom = isoPlus(now, -3 * HOUR_MS);
    await world.replayStore.put({ ...first, from: passFrom, shard: 0, step: 9 });
    const job = await world.replayJobs.begin(integration, isoPlus(now, -HOUR_MS), now, 'second', {
      settle: true,
    });
    expect(job.from).toBe(passFrom);
  });

  it('starts where asked when the earlier job had completed', async () => {
    const world = memoryWorld();
    const integration = webhookIntegration();
    const now = world.clock.now().toISOString();
    const first = await world.replayJobs.begin(integration, isoPlus(now, -5 * HOUR_MS), now, 'first', {
      settle: false,
    });
    await world.replayStore.put({ ...first, completed_at: now });
    const later = isoPlus(now, -HOUR_MS);
    expect((await world.replayJobs.begin(integration, later, now, 'second', { settle: false })).from).toBe(
      later,
    );
  });
});

describe('ReplayJobs.rearmIfStalled', () => {
  it('gives a job that has not moved for the quiet time a new message, and only then', async () => {
    const world = memoryWorld();
    const integration = webhookIntegration();
    await world.replayJobs.begin(
      integration,
      isoPlus(world.clock.now(), -HOUR_MS),
      world.clock.now().toISOString(),
      't',
      {
        settle: false,
      },
    );
    world.queues.replay.sent.length = 0;
    world.clock.advance(QUIET_MS - 1);
    expect(await world.replayJobs.rearmIfStalled(integration.id, QUIET_MS)).toBe(false);
    world.clock.advance(1);
    expect(await world.replayJobs.rearmIfStalled(integration.id, QUIET_MS)).toBe(true);
    expect(world.queues.replay.sent).toHaveLength(1);
  });

  it('counts a catch-up’s remaining settle time as not stalled, and leaves completed jobs and no job alone', async () => {
    const world = memoryWorld();
    const integration = webhookIntegration();
    const now = world.clock.now().toISOString();
    const quietMs = SETTLE_MS / 2;
    const job = await world.replayJobs.begin(integration, isoPlus(now, -HOUR_MS), now, 't', { settle: true });
    world.clock.advance(quietMs);
    expect(await world.replayJobs.rearmIfStalled(integration.id, quietMs)).toBe(false);
    world.clock.advance(quietMs);
    expect(await world.replayJobs.rearmIfStalled(integration.id, quietMs)).toBe(true);
    await world.replayStore.put({ ...job, completed_at: now });
    world.clock.advance(HOUR_MS);
    expect(await world.replayJobs.rearmIfStalled(integration.id, quietMs)).toBe(false);
    expect(await world.replayJobs.rearmIfStalled('other', quietMs)).toBe(false);
  });
});
