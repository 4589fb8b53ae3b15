import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/domain/errors.ts';
import type { IngestMessage } from '../../../lambdas/domain/messages.ts';
import { PublishEvents } from '../../../lambdas/use-cases/publish-events.ts';
import { memoryWorld, TENANT } from '../../support/memory/world.ts';

const setUp = () => {
  const world = memoryWorld();
  return {
    world,
    publish: new PublishEvents({
      ingestQueue: world.queues.ingest,
      requests: world.publishRequests,
      eventLog: world.eventLog,
      clock: world.clock,
      tenant: TENANT,
      payloadSchemas: world.payloadSchemas,
      places: world.places,
      log: world.operationLog,
    }),
  };
};

describe('PublishEvents', () => {
  it('fills id and published_at, and queues the event with when it was received', async () => {
    const { world, publish } = setUp();
    const [id] = await publish.publish({ name: 'order.created', payload: { id: 'o-1' } });
    const now = world.clock.now().toISOString();
    expect(world.queues.ingest.bodies<IngestMessage>()).toEqual([
      {
        event: {
          id,
          tenant: TENANT,
          name: 'order.created',
          published_at: now,
          payload: { id: 'o-1' },
          entity_id: 'o-1',
        },
        received_at: now,
        position: 0,
      },
    ]);
  });

  it('keeps a given id and answers a batch’s ids in request order', async () => {
    const { world, publish } = setUp();
    const given = randomUUID();
    const ids = await publish.publish({
      events: [
        { id: given, name: 'order.created', payload: {} },
        { name: 'order.cancelled', payload: {} },
      ],
    });
    expect(ids[0]).toBe(given);
    expect(world.queues.ingest.bodies<IngestMessage>().map((message) => message.event.id)).toEqual(ids);
    // Publish order within the instant, which ordered delivery and S3 files keep.
    expect(world.queues.ingest.bodies<IngestMessage>().map((message) => message.position)).toEqual([0, 1]);
  });

  it('accepts none of a batch when one event is invalid, naming it', async () => {
    const { world, publish } = setUp();
    const batch = {
      events: [
        { name: 'order.created', payload: {} },
        { name: 'Order Created', payload: {} },
      ],
    };
    await expect(publish.publish(batch)).rejects.toMatchObject({ field: 'events[1].name' });
    expect(world.queues.ingest.sent).toEqual([]);
  });

  it.each([
    ['an empty batch', { events: [] }],
    [
      'more than 100 events',
      { events: Array.from({ length: 101 }, () => ({ name: 'order.created', payload: {} })) },
    ],
    ['a field beside events', { events: [{ name: 'order.created', payload: {} }], tenant: 'other' }],
    ['an event without payload', { name: 'order.created' }],
  ])('refuses %s with 400', async (_, body) => {
    const { world, publish } = setUp();
    await expect(publish.publish(body)).rejects.toBeInstanceOf(ValidationError);
    expect(world.queues.ingest.sent).toEqual([]);
  });
});
