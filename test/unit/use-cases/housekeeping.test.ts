import { describe, expect, it } from 'vitest';
import { Housekeeping } from '../../../lambdas/use-cases/housekeeping.ts';
import { TemporaryEnd } from '../../../lambdas/use-cases/temporary-end.ts';
import { HOUR_MS, isoPlus, MINUTE_MS, webhookIntegration } from '../../support/memory/fixtures.ts';
import { memoryWorld } from '../../support/memory/world.ts';

const QUIET_MS = 10 * MINUTE_MS;

const setUp = () => {
  const world = memoryWorld();
  const temporaryEnd = new TemporaryEnd({
    replayJobs: world.replayStore,
    pending: (integration) => world.history.hasPending(integration),
    finish: (integration) => world.remover.remove(integration),
    clock: world.clock,
    settings: { endGraceMs: MINUTE_MS, exportGraceMs: 20 * MINUTE_MS },
  });
  const housekeeping = new Housekeeping({
    integrations: world.integrations,
    replayJobs: world.replayStore,
    replays: world.replayJobs,
    deliveryState: world.deliveryState,
    temporaryEnd,
    clock: world.clock,
    replayQuietMs: QUIET_MS,
  });
  return { world, housekeeping };
};

describe('Housekeeping', () => {
  it('gives a replay that lost its message a new one', async () => {
    const { world, housekeeping } = setUp();
    const integration = world.integrations.seed(webhookIntegration());
    const now = world.clock.now().toISOString();
    await world.replayJobs.begin(integration, isoPlus(now, -HOUR_MS), now, 't', { settle: false });
    world.queues.replay.sent.length = 0;
    world.clock.advance(QUIET_MS);
    await housekeeping.run();
    expect(world.queues.replay.sent).toHaveLength(1);
  });

  it('replays a catch-up point left on an integration running for more than 5 minutes, and clears it', async () => {
    const { world, housekeeping } = setUp();
    const integration = world.integrations.seed(
      webhookIntegration({ updated_at: isoPlus(world.clock.now(), -6 * MINUTE_MS) }),
    );
    const missed = isoPlus(world.clock.now(), -8 * MINUTE_MS);
    await world.deliveryState.recordMissed(integration.id, missed);
    await housekeeping.run();
    expect(await world.replayStore.get(integration.id)).toMatchObject({
      from: missed,
      to: world.clock.now().toISOString(),
    });
    expect((await world.deliveryState.get(integration.id)).catch_up_from).toBeUndefined();
  });

  it('leaves a catch-up point to a start still at work, to a replay under way, and to stopped integrations', async () => {
    const { world, housekeeping } = setUp();
    const now = world.clock.now();
    const justStarted = world.integrations.seed(webhookIntegration({ updated_at: isoPlus(now, -MINUTE_MS) }));
    const replaying = world.integrations.seed(webhookIntegration({ updated_at: isoPlus(now, -HOUR_MS) }));
    const stopped = world.integrations.seed(
      webhookIntegration({ status: 'stopped', updated_at: isoPlus(now, -HOUR_MS) }),
    );
    const job = await world.replayJobs.begin(replaying, isoPlus(now, -HOUR_MS), now.toISOString(), 't', {
      settle: false,
    });
    for (const { id } of [justStarted, replaying, stopped])
      await world.deliveryState.recordMissed(id, isoPlus(now, -2 * HOUR_MS));
    await housekeeping.run();
    expect(await world.replayStore.get(justStarted.id)).toBeUndefined();
    expect((await world.replayStore.get(replaying.id))?.job_id).toBe(job.job_id);
    expect(await world.replayStore.get(stopped.id)).toBeUndefined();
    for (const { id } of [justStarted, replaying, stopped])
      expect((await world.deliveryState.get(id)).catch_up_from).toBeDefined();
  });

  it('deletes a temporary integration whose range is delivered, and reports it', async () => {
    const { world, housekeeping } = setUp();
    const integration = world.integrations.seed(
      webhookIntegration({
        integration_type: 'temporary',
        starts_at: isoPlus(world.clock.now(), -3 * HOUR_MS),
        ends_at: isoPlus(world.clock.now(), -2 * HOUR_MS),
      }),
    );
    expect(await housekeeping.run()).toEqual([integration.id]);
    expect(await world.integrations.get(integration.id)).toBeUndefined();
  });
});
