import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdempotencyKeyReusedError } from '../../../lambdas/domain/idempotency.ts';
import type { IngestMessage } from '../../../lambdas/domain/messages.ts';
import { PublishEvents } from '../../../lambdas/use-cases/publish-events.ts';
import { MemoryQueue } from '../../support/memory/platform.ts';
import { type MemoryWorld, memoryWorld, TENANT } from '../../support/memory/world.ts';

/** An ingest queue whose first `sendAll` fails: the API crashing after storing a key, before queueing. */
class FailingOnceQueue extends MemoryQueue {
  private failed = false;

  override async sendAll(bodies: string[]): Promise<void> {
    if (!this.failed) {
      this.failed = true;
      throw new Error('connection reset');
    }
    await super.sendAll(bodies);
  }
}

const setUp = (ingestQueue: MemoryQueue = new MemoryQueue()) => {
  const world = memoryWorld();
  const publisher = new PublishEvents({
    ingestQueue,
    requests: world.publishRequests,
    eventLog: world.eventLog,
    clock: world.clock,
    tenant: TENANT,
    payloadSchemas: world.payloadSchemas,
    places: world.places,
    log: world.operationLog,
  });
  const publish = (body: unknown, idempotencyKey?: string) => publisher.publish(body, { idempotencyKey });
  return { world, queue: ingestQueue, publish };
};

/** What the fan-out does first with every queued event: logs it under its `received_at`. */
const logQueued = async (world: MemoryWorld, queue: MemoryQueue) => {
  for (const { event, received_at } of queue.bodies<IngestMessage>()) {
    await world.eventLog.put({ ...event, tenant: TENANT, received_at: received_at ?? '' });
  }
};

const batch = {
  events: [
    { name: 'order.created', payload: { n: 1 } },
    { name: 'order.updated', payload: {} },
  ],
};

describe('Idempotency-Key', () => {
  it('answers a repeat with the first ids and queues nothing again once the events are logged', async () => {
    const { world, queue, publish } = setUp();
    const first = await publish(batch, 'order-A-1001');
    await logQueued(world, queue);
    world.clock.advance(60_000);
    // Fields in another order, one event as a batch of one or not: the same body.
    const again = await publish(
      {
        events: [
          { payload: { n: 1 }, name: 'order.created' },
          { name: 'order.updated', payload: {} },
        ],
      },
      'order-A-1001',
    );
    expect(again).toEqual(first);
    expect(queue.bodies<IngestMessage>().map((message) => message.event.id)).toEqual(first);
  });

  it('queues a repeat’s events that are not logged yet again with the same ids, instant and published_at', async () => {
    const { world, queue, publish } = setUp();
    const ids = await publish(batch, 'order-A-1002');
    const original = queue.bodies<IngestMessage>();
    world.clock.advance(1_000);
    expect(await publish(batch, 'order-A-1002')).toEqual(ids);
    const copies = queue.sent.slice(original.length);
    expect(copies.map((message) => JSON.parse(message.body))).toEqual(original);
    // Late enough that the delivery path reads each copy's record before sending it.
    expect(copies.map((message) => message.delaySeconds)).toEqual([29, 29]);
  });

  it('gives two requests with one key at once the same ids, and queues no event under another id', async () => {
    const { queue, publish } = setUp();
    const [one, two] = await Promise.all([publish(batch, 'order-A-1006'), publish(batch, 'order-A-1006')]);
    expect(two).toEqual(one);
    expect(new Set(queue.bodies<IngestMessage>().map((message) => message.event.id))).toEqual(new Set(one));
  });

  it('refuses the same key with another body (422 naming the header) and queues nothing for it', async () => {
    const { queue, publish } = setUp();
    await publish(batch, 'order-A-1003');
    const sent = queue.sent.length;
    const other = { events: [{ name: 'order.created', payload: { n: 2 } }] };
    const refused = publish(other, 'order-A-1003');
    await expect(refused).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(refused).rejects.toMatchObject({
      statusCode: 422,
      errorCode: 'idempotency_key_reused',
      field: 'Idempotency-Key',
    });
    expect(queue.sent).toHaveLength(sent);
  });

  it('loses nothing to a crash between storing the key and queueing: the repeat queues the original events', async () => {
    const { world, queue, publish } = setUp(new FailingOnceQueue());
    const receivedAt = world.clock.now().toISOString();
    await expect(publish(batch, 'order-A-1004')).rejects.toThrow('connection reset');
    expect(queue.sent).toEqual([]);
    const [stored] = [...world.publishRequests.records.values()];
    world.clock.advance(45_000);
    const ids = await publish(batch, 'order-A-1004');
    expect(ids).toEqual(stored?.record.ids);
    expect(queue.bodies<IngestMessage>()).toEqual([
      {
        event: {
          id: ids[0],
          tenant: TENANT,
          name: 'order.created',
          published_at: receivedAt,
          payload: { n: 1 },
        },
        received_at: receivedAt,
        position: 0,
      },
      {
        event: { id: ids[1], tenant: TENANT, name: 'order.updated', published_at: receivedAt, payload: {} },
        received_at: receivedAt,
        position: 1,
      },
    ]);
    expect(queue.sent.map((message) => message.delaySeconds)).toEqual([0, 0]);
  });

  it('forgets a key after 24 hours: the same request is then a new publish', async () => {
    const { world, queue, publish } = setUp();
    const first = await publish(batch, 'order-A-1005');
    await logQueued(world, queue);
    world.clock.advance(24 * 3600 * 1000);
    const second = await publish(batch, 'order-A-1005');
    expect(second).not.toEqual(first);
    expect(queue.sent).toHaveLength(4);
  });

  it.each([
    ['empty', ''],
    ['longer than 255 characters', 'k'.repeat(256)],
    ['not ASCII', 'schlüssel'],
    ['a control character', 'key\tone'],
  ])('refuses a key that is %s with 400 naming the header', async (_, key) => {
    const { queue, publish } = setUp();
    await expect(publish(batch, key)).rejects.toMatchObject({ statusCode: 400, field: 'Idempotency-Key' });
    expect(queue.sent).toEqual([]);
  });
});

describe('producer ids without a key', () => {
  const withIds = () => ({
    events: [
      { id: randomUUID(), name: 'order.created', payload: { n: 1 } },
      { id: randomUUID(), name: 'order.updated', payload: {} },
    ],
  });

  it('treats the same events sent again as a repeat, in any order', async () => {
    const { world, queue, publish } = setUp();
    const body = withIds();
    const ids = await publish(body);
    await logQueued(world, queue);
    world.clock.advance(10_000);
    expect(await publish(body)).toEqual(ids);
    expect(queue.sent).toHaveLength(2);
  });

  it('answers 202 for the same ids with another body, but does not deliver them again', async () => {
    const { world, queue, publish } = setUp();
    const body = withIds();
    const ids = await publish(body);
    await logQueued(world, queue);
    const changed = { events: body.events.map((event) => ({ ...event, payload: { changed: true } })) };
    expect(await publish(changed)).toEqual(ids);
    const reversed = { events: [...body.events].reverse() };
    expect(await publish(reversed)).toEqual([...ids].reverse());
    expect(queue.sent).toHaveLength(2);
  });

  it('does not key a request in which some id is ours to fill', async () => {
    const { world, publish } = setUp();
    const body = { events: [withIds().events[0], { name: 'order.updated', payload: {} }] };
    await publish(body);
    expect(world.publishRequests.records.size).toBe(0);
  });
});

describe('ids within one request', () => {
  it('refuses two events with one id, naming the later one', async () => {
    const { queue, publish } = setUp();
    const id = randomUUID();
    const body = {
      events: [
        { id, name: 'order.created', payload: {} },
        { name: 'order.updated', payload: {} },
        { id, name: 'order.cancelled', payload: {} },
      ],
    };
    await expect(publish(body)).rejects.toMatchObject({
      statusCode: 400,
      field: 'events[2].id',
      message: 'events[2].id: duplicates events[0].id',
    });
    expect(queue.sent).toEqual([]);
  });
});
