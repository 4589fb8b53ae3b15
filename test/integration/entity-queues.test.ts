import { describe, expect, it } from 'vitest';
import { DynamoEntityQueues } from '../../lambdas/adapters/dynamodb/entity-queue-store.ts';
import { MAX_PENDING_KEYS } from '../../lambdas/domain/entity-order.ts';
import { EntityQueueFull } from '../../lambdas/domain/ports/ordering.ts';
import { localDocumentClient } from '../support/aws-clients.ts';
import { useEmulators } from '../support/local-runtime.ts';
import { newId } from '../support/memory/fixtures.ts';

const emulators = useEmulators({ applyEnv: false });

const queues = () =>
  new DynamoEntityQueues(
    localDocumentClient(emulators.endpoints.dynamodb),
    emulators.env.STATE_TABLE_NAME as string,
    { now: () => new Date() },
  );

describe('entity queues on DynamoDB', () => {
  it('adds keys from concurrent writers in any order, reads them sorted, and finishes each once', async () => {
    const store = queues();
    const queue = { integrationId: newId(), generation: '2026-11-01T00:00:00.000Z', entityId: 'ORD-1' };
    const keys = Array.from(
      { length: 12 },
      (_, i) => `2026-11-30T12:00:00.${String(i).padStart(3, '0')}Z#000#e${i}`,
    );
    // Two "fan-outs" adding halves in reverse order, and a key added twice.
    await Promise.all([
      ...keys
        .slice(6)
        .reverse()
        .map((key) => store.add(queue, key)),
      ...keys.slice(0, 6).map((key) => queues().add(queue, key)),
      store.add(queue, keys[0] as string),
    ]);
    expect(await store.get(queue)).toEqual({ pending: keys, lastPosition: 0, dropped: [] });
    // Two copies of one message finishing it: one wins.
    const finished = await Promise.all([
      store.finish(queue, keys[0] as string, 1),
      queues().finish(queue, keys[0] as string, 1),
    ]);
    expect(finished.filter(Boolean)).toHaveLength(1);
    expect(await store.get(queue)).toEqual({ pending: keys.slice(1), lastPosition: 1, dropped: [] });
    // Finishing without a position (never sent) keeps the last one.
    expect(await store.finish(queue, keys[1] as string)).toBe(true);
    expect((await store.get(queue)).lastPosition).toBe(1);
  });

  it('keeps the last position once the queue is empty, and reads a queue never written as empty', async () => {
    const store = queues();
    const queue = { integrationId: newId(), generation: 'g1', entityId: 'Bestellung Nr. 7 / ü' };
    expect(await store.get(queue)).toEqual({ pending: [], lastPosition: 0, dropped: [] });
    await store.add(queue, 'k1');
    expect(await store.finish(queue, 'k1', 1)).toBe(true);
    expect(await store.get(queue)).toEqual({ pending: [], lastPosition: 1, dropped: [] });
    await store.add(queue, 'k2');
    expect(await store.get(queue)).toEqual({ pending: ['k2'], lastPosition: 1, dropped: [] });
    // Another generation of the same id is another queue.
    expect(await store.get({ ...queue, generation: 'g2' })).toEqual({
      pending: [],
      lastPosition: 0,
      dropped: [],
    });
  });

  it('drops a key into the dropped set, whose later finish clears it and moves the position', async () => {
    const store = queues();
    const queue = { integrationId: newId(), generation: 'g1', entityId: 'ORD-7' };
    await store.add(queue, 'k1');
    await store.add(queue, 'k2');
    expect(await store.drop(queue, 'k1')).toBe(true);
    expect(await store.drop(queue, 'k1')).toBe(false);
    expect(await store.get(queue)).toEqual({ pending: ['k2'], lastPosition: 0, dropped: ['k1'] });
    expect(await store.finish(queue, 'k1', 1)).toBe(true);
    expect(await store.get(queue)).toEqual({ pending: ['k2'], lastPosition: 1, dropped: [] });
  });

  it('refuses keys beyond MAX_PENDING_KEYS with EntityQueueFull', async () => {
    const store = queues();
    const queue = { integrationId: newId(), generation: 'g1', entityId: 'ORD-full' };
    const keys = Array.from({ length: MAX_PENDING_KEYS }, (_, i) => `k${String(i).padStart(5, '0')}`);
    // In chunks of 100 a tick, as fan-out batches add them.
    for (let i = 0; i < keys.length; i += 100)
      await Promise.all(keys.slice(i, i + 100).map((key) => store.add(queue, key)));
    await expect(store.add(queue, 'one-more')).rejects.toBeInstanceOf(EntityQueueFull);
    expect((await store.get(queue)).pending).toHaveLength(MAX_PENDING_KEYS);
  });

  it('lets one holder at a time claim a key, until its claim runs out or the key is finished', async () => {
    const store = queues();
    const queue = { integrationId: newId(), generation: 'g1', entityId: 'ORD-claim' };
    await store.add(queue, 'k1');
    expect(await store.claim(queue, 'k1', 'h1', 2000, 1000)).toBe(true);
    expect(await store.claim(queue, 'k1', 'h2', 2500, 1500)).toBe(false);
    expect(await store.claim(queue, 'k1', 'h1', 3000, 1600)).toBe(true);
    expect(await store.claim(queue, 'k1', 'h2', 4000, 3001)).toBe(true);
    // A holder that puts its message back ends its claim; another holder's release changes nothing.
    await store.release(queue, 'k1', 'h1');
    expect(await store.claim(queue, 'k1', 'h1', 4000, 3100)).toBe(false);
    await store.release(queue, 'k1', 'h2');
    expect(await store.claim(queue, 'k1', 'h1', 4000, 3100)).toBe(true);
    await store.release(queue, 'k1', 'h1');
    expect(await store.claim(queue, 'k1', 'h2', 4000, 3001)).toBe(true);
    expect(await store.finish(queue, 'k1', 1)).toBe(true);
    expect(await store.claim(queue, 'k1', 'h3', 5000, 3500)).toBe(false);
    await store.add(queue, 'k2');
    expect(await store.claim(queue, 'k2', 'h3', 5000, 3500)).toBe(true);
  });

  it("keeps each key's claim apart: finishing, dropping or claiming another key leaves it running", async () => {
    const store = queues();
    const queue = { integrationId: newId(), generation: 'g1', entityId: 'ORD-claims' };
    for (const key of ['k1', 'k2', 'k3', 'k4']) await store.add(queue, key);
    expect(await store.claim(queue, 'k1', 'h1', 2000, 1000)).toBe(true);
    expect(await store.finish(queue, 'k2')).toBe(true);
    expect(await store.drop(queue, 'k3')).toBe(true);
    expect(await store.claim(queue, 'k3', 'h3', 2000, 1000)).toBe(true);
    expect(await store.claim(queue, 'k1', 'h2', 2000, 1100)).toBe(false);
    await store.release(queue, 'k3', 'h3');
    expect(await store.claim(queue, 'k1', 'h2', 2000, 1100)).toBe(false);
    expect(await store.finish(queue, 'k3')).toBe(true);
    expect(await store.claim(queue, 'k1', 'h2', 2000, 1100)).toBe(false);
    // Its own finish ends it.
    expect(await store.finish(queue, 'k1', 1)).toBe(true);
    expect(await store.claim(queue, 'k4', 'h4', 3000, 1200)).toBe(true);
    expect(await store.get(queue)).toEqual({ pending: ['k4'], lastPosition: 1, dropped: [] });
  });
});
