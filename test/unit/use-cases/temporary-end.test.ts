import { describe, expect, it } from 'vitest';
import type { Integration } from '../../../lambdas/domain/integration.ts';
import { TemporaryEnd } from '../../../lambdas/use-cases/temporary-end.ts';
import {
  HOUR_MS,
  isoPlus,
  loggedEvent,
  MINUTE_MS,
  s3Integration,
  webhookIntegration,
} from '../../support/memory/fixtures.ts';
import { type MemoryWorld, memoryWorld } from '../../support/memory/world.ts';

const END_GRACE_MS = 2 * MINUTE_MS;
const EXPORT_GRACE_MS = 20 * MINUTE_MS;

const setUp = () => {
  const world = memoryWorld();
  const temporaryEnd = new TemporaryEnd({
    replayJobs: world.replayStore,
    pending: (integration) => world.history.hasPending(integration),
    finish: (integration) => world.remover.remove(integration),
    clock: world.clock,
    settings: { endGraceMs: END_GRACE_MS, exportGraceMs: EXPORT_GRACE_MS },
  });
  return { world, temporaryEnd };
};

/** A temporary integration whose range ended `endedMsAgo` before now. */
const temporary = (world: MemoryWorld, endedMsAgo: number, base: Integration = webhookIntegration()) =>
  world.integrations.seed({
    ...base,
    integration_type: 'temporary',
    starts_at: isoPlus(world.clock.now(), -endedMsAgo - HOUR_MS),
    ends_at: isoPlus(world.clock.now(), -endedMsAgo),
  });

describe('TemporaryEnd', () => {
  it('waits for the grace after ends_at, saying when to look again', async () => {
    const { world, temporaryEnd } = setUp();
    const integration = temporary(world, MINUTE_MS);
    expect(await temporaryEnd.finishIfDone(integration)).toEqual({
      finished: false,
      lookAgainInMs: MINUTE_MS,
    });
    const far = temporary(world, -HOUR_MS);
    expect(await temporaryEnd.finishIfDone(far)).toEqual({ finished: false });
  });

  it('gives an S3 integration the longer export grace', async () => {
    const { world, temporaryEnd } = setUp();
    const integration = temporary(world, 5 * MINUTE_MS, s3Integration());
    expect(await temporaryEnd.finishIfDone(integration)).toEqual({ finished: false });
    world.clock.advance(EXPORT_GRACE_MS);
    expect(await temporaryEnd.finishIfDone(integration)).toEqual({ finished: true });
  });

  it('does not finish while its replay runs', async () => {
    const { world, temporaryEnd } = setUp();
    const integration = temporary(world, HOUR_MS);
    await world.replayJobs.begin(integration, integration.starts_at ?? '', integration.ends_at ?? '', 't', {
      settle: false,
    });
    expect(await temporaryEnd.finishIfDone(integration)).toEqual({ finished: false });
    expect(await world.integrations.get(integration.id)).toBeDefined();
  });

  it('looks again in 10 s while a delivery is pending, then deletes it with everything it had', async () => {
    const { world, temporaryEnd } = setUp();
    const integration = temporary(world, HOUR_MS);
    const event = loggedEvent(isoPlus(world.clock.now(), -90 * MINUTE_MS));
    await world.history.recordPending(integration, event);
    await world.logs.append(integration.id, [
      { action: 'replay_completed', reason: 'x', created_at: event.received_at },
    ]);
    expect(await temporaryEnd.finishIfDone(integration)).toEqual({ finished: false, lookAgainInMs: 10_000 });
    await world.history.recordAttempt(integration, event, 'delivered', {
      at: world.clock.now().toISOString(),
      duration_ms: 5,
    });
    expect(await temporaryEnd.finishIfDone(integration)).toEqual({ finished: true });
    expect(await world.integrations.get(integration.id)).toBeUndefined();
    expect(await world.logs.list(integration.id)).toEqual([]);
  });

  it('asks the pending index only once its replay has been complete for a few seconds', async () => {
    // The index is eventually consistent: right after the replay's last page it may not show its records.
    const { world, temporaryEnd } = setUp();
    const integration = temporary(world, HOUR_MS);
    await world.replayJobs.begin(integration, integration.starts_at ?? '', integration.ends_at ?? '', 't', {
      settle: false,
    });
    const job = await world.replayStore.get(integration.id);
    await world.replayStore.put({
      ...(job as NonNullable<typeof job>),
      completed_at: world.clock.now().toISOString(),
    });
    expect(await temporaryEnd.finishIfDone(integration)).toEqual({ finished: false, lookAgainInMs: 5_000 });
    world.clock.advance(5_000);
    expect(await temporaryEnd.finishIfDone(integration)).toEqual({ finished: true });
  });

  it('does not finish one registered a moment ago whose replay job is not written yet', async () => {
    const { world, temporaryEnd } = setUp();
    const integration = world.integrations.seed({
      ...temporary(world, HOUR_MS),
      created_at: world.clock.now().toISOString(),
    });
    expect(await temporaryEnd.finishIfDone(integration)).toEqual({ finished: false, lookAgainInMs: 60_000 });
    expect(await world.integrations.get(integration.id)).toBeDefined();
  });
});
