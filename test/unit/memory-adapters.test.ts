import { describe, expect, it } from 'vitest';
import { ConflictError, LimitExceededError } from '../../lambdas/domain/errors.ts';
import { EVENT_LOG_SHARDS, logShardOf } from '../../lambdas/domain/event.ts';
import { LOG_ENTRY_LIMIT, REJECTED_EVENT_LIMIT } from '../../lambdas/domain/integration.ts';
import type { ReplayJob } from '../../lambdas/domain/ports/replays.ts';
import { MemoryDeliveryStateStore } from '../support/memory/deliveries.ts';
import { MemoryEventLog } from '../support/memory/events.ts';
import { DAY_MS, isoPlus, loggedEvent, MINUTE_MS, webhookIntegration } from '../support/memory/fixtures.ts';
import {
  MemoryIntegrationLog,
  MemoryIntegrationRepository,
  MemoryRejectedEventStore,
} from '../support/memory/integrations.ts';
import { MemoryClock } from '../support/memory/platform.ts';
import { MemoryReplayStore } from '../support/memory/replays.ts';

/**
 * The contracts of the ports where the DynamoDB adapters are subtle, pinned on the in-memory adapters the
 * use-case tests rely on. The real adapters' side of the same rules: test/integration/api-limit.test.ts
 * (count limit), event-log.test.ts (TTL filter), replay-resume.test.ts (conditional advance, catch-up point).
 */
describe('in-memory integration repository', () => {
  it('refuses a stale version with concurrent_modification', async () => {
    const repository = new MemoryIntegrationRepository();
    const integration = webhookIntegration();
    await repository.create(integration, 10);
    await repository.update({ ...integration, version: 2 });
    const stale = repository.update({ ...integration, version: 2 });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(stale).rejects.toMatchObject({ errorCode: 'concurrent_modification' });
  });

  it('refuses a duplicate id as integration_exists, even at the limit, and a new one past the limit', async () => {
    const repository = new MemoryIntegrationRepository();
    const first = webhookIntegration();
    await repository.create(first, 1);
    await expect(repository.create(first, 1)).rejects.toMatchObject({ errorCode: 'integration_exists' });
    await expect(repository.create(webhookIntegration(), 1)).rejects.toBeInstanceOf(LimitExceededError);
    expect(await repository.delete(first.id)).toBe(true);
    expect(await repository.delete(first.id)).toBe(false);
  });
});

describe('in-memory logs and rejected events', () => {
  it('keeps the newest 50 log entries, newest first', async () => {
    const log = new MemoryIntegrationLog();
    const clock = new MemoryClock();
    for (let i = 0; i < LOG_ENTRY_LIMIT + 5; i++) {
      clock.advance(1000);
      await log.append('a', [
        { action: 'retry_triggered', reason: `${i}`, created_at: clock.now().toISOString() },
      ]);
    }
    const entries = await log.list('a');
    expect(entries).toHaveLength(LOG_ENTRY_LIMIT);
    expect(entries[0]?.reason).toBe(`${LOG_ENTRY_LIMIT + 4}`);
    expect(entries.at(-1)?.reason).toBe('5');
  });

  it('keeps the newest 30 rejected events', async () => {
    const store = new MemoryRejectedEventStore();
    const clock = new MemoryClock();
    for (let i = 0; i < REJECTED_EVENT_LIMIT + 2; i++) {
      clock.advance(1000);
      const event = loggedEvent(clock.now().toISOString());
      await store.put('a', { id: event.id, created_at: event.received_at, event });
    }
    expect(await store.list('a')).toHaveLength(REJECTED_EVENT_LIMIT);
  });
});

describe('in-memory delivery state', () => {
  it('keeps the earliest catch-up point and clears only the point it was given', async () => {
    const state = new MemoryDeliveryStateStore();
    await state.recordMissed('a', '2026-11-30T10:00:00.000Z');
    await state.recordMissed('a', '2026-11-30T11:00:00.000Z');
    await state.recordMissed('a', '2026-11-30T09:00:00.000Z');
    await state.clearCatchUp('a', '2026-11-30T10:00:00.000Z');
    expect((await state.get('a')).catch_up_from).toBe('2026-11-30T09:00:00.000Z');
    await state.clearCatchUp('a', '2026-11-30T09:00:00.000Z');
    expect((await state.get('a')).catch_up_from).toBeUndefined();
  });

  it('keeps the first failure until a success, and hands out one retry-log slot a minute', async () => {
    const state = new MemoryDeliveryStateStore();
    const clock = new MemoryClock();
    const first = clock.now();
    await state.recordFailure('a', first);
    clock.advance(MINUTE_MS / 2);
    expect((await state.recordFailure('a', clock.now())).failing_since).toBe(first.toISOString());
    expect(await state.claimRetryLogSlot('a', clock.now())).toBe(true);
    expect(await state.claimRetryLogSlot('a', clock.now())).toBe(false);
    await state.recordSuccess('a', clock.now());
    expect((await state.get('a')).failing_since).toBeUndefined();
    clock.advance(MINUTE_MS + 1);
    expect(await state.claimRetryLogSlot('a', clock.now())).toBe(true);
  });
});

describe('in-memory replay store', () => {
  const job = (jobId: string): ReplayJob => ({
    integration_id: 'a',
    job_id: jobId,
    step: 0,
    range_from: '2026-11-30T00:00:00.000Z',
    from: '2026-11-30T00:00:00.000Z',
    to: '2026-11-30T12:00:00.000Z',
    shard: 0,
    settle_until: '2026-11-30T12:00:00.000Z',
    queued: 0,
    started_at: '2026-11-30T12:00:00.000Z',
    reason: 'test',
  });

  it('advances only from the expected step, and deletes only the same job', async () => {
    const store = new MemoryReplayStore();
    await store.put(job('j1'));
    expect(await store.advance({ ...job('j1'), step: 1 }, 0)).toBe(true);
    expect(await store.advance({ ...job('j1'), step: 1 }, 0)).toBe(false);
    expect(await store.advance({ ...job('j2'), step: 2 }, 1)).toBe(false);
    await store.deleteIf('a', 'j2');
    expect((await store.get('a'))?.step).toBe(1);
    await store.deleteIf('a', 'j1');
    expect(await store.get('a')).toBeUndefined();
  });
});

describe('in-memory event log', () => {
  it('pages a shard by sort key, the limit counting items before the name filter', async () => {
    const clock = new MemoryClock('2026-11-30T12:00:00.000Z');
    const log = new MemoryEventLog(clock);
    const events = Array.from({ length: 40 }, (_, i) =>
      loggedEvent(isoPlus('2026-11-30T10:00:00.000Z', i * 1000), {
        name: i % 2 ? 'order.created' : 'item.moved',
      }),
    );
    for (const event of events) await log.put(event);
    const shard = logShardOf(events[0]?.received_at ?? '');
    const inShard = events.filter((event) => logShardOf(event.received_at) === shard);
    const query = { from: '2026-11-30T00:00:00.000Z', to: '2026-11-30T12:00:00.000Z', name: 'order.created' };
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await log.readShard(shard, query, after, 2);
      seen.push(...page.items.map(({ item }) => item.id));
      after = page.lastEvaluatedSk;
    } while (after);
    expect(seen).toEqual(inShard.filter((event) => event.name === 'order.created').map((event) => event.id));
    expect(EVENT_LOG_SHARDS).toBe(8);
  });

  it('hides expired events from reads but still reports them to hasEventsReceivedBetween', async () => {
    const clock = new MemoryClock('2026-11-30T12:00:00.000Z');
    const log = new MemoryEventLog(clock, 30);
    const event = loggedEvent('2026-11-30T11:00:00.000Z');
    await log.put(event);
    clock.advance(31 * DAY_MS);
    expect(await log.get(event.received_at, event.id)).toBeUndefined();
    const page = await log.readShard(
      logShardOf(event.received_at),
      { from: '2026-11-01', to: '2027-01-31' },
      undefined,
      10,
    );
    expect(page.items).toEqual([]);
    expect(await log.hasEventsReceivedBetween('2026-11-30T10:00:00.000Z', '2026-11-30T12:00:00.000Z')).toBe(
      true,
    );
    expect(await log.hasEventsReceivedBetween('2026-11-30T10:00:00.000Z', event.received_at)).toBe(false);
  });
});
