import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NOTE_INTERVAL_MS } from '../../../lambdas/domain/event-types.ts';
import type { IngestMessage } from '../../../lambdas/domain/messages.ts';
import { EventCatalog } from '../../../lambdas/use-cases/event-catalog.ts';
import type { IngestRecord } from '../../../lambdas/use-cases/fan-out.ts';
import { memoryWorld, RETENTION_DAYS } from '../../support/memory/world.ts';

const DAY_MS = 86_400_000;

const setUp = () => {
  const world = memoryWorld();
  const catalog = new EventCatalog({
    store: world.eventCatalog,
    clock: world.clock,
    retentionDays: RETENTION_DAYS,
  });
  const { publisher } = world;
  /** Publishes `body` and fans out what it queued, as the ingest queue would hand it over. */
  const publishAndFanOut = async (body: unknown) => {
    const before = world.queues.ingest.sent.length;
    await publisher.publish(body);
    const records: IngestRecord[] = world.queues.ingest.sent.slice(before).map((message) => ({
      messageId: randomUUID(),
      body: message.body,
      sentAt: world.clock.now(),
    }));
    await world.fanOut.batch(records);
  };
  return { world, catalog, publisher, publishAndFanOut };
};

const orderSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' }, x: { type: 'integer' } },
};

describe('the event catalog', () => {
  it('lists every name the fan-out logged, with its entity and when it was first and last seen', async () => {
    const { world, catalog, publishAndFanOut } = setUp();
    const first = world.clock.now().toISOString();
    await publishAndFanOut({
      events: [
        { name: 'order.created', payload: { id: 'o-1' } },
        { name: 'fulfillment_request.items_completed', payload: {} },
      ],
    });
    world.clock.advance(NOTE_INTERVAL_MS);
    const later = world.clock.now().toISOString();
    await publishAndFanOut({ name: 'order.created', payload: { id: 'o-2' } });

    expect(await catalog.list()).toEqual([
      {
        name: 'fulfillment_request.items_completed',
        entity: 'fulfillment_request',
        first_seen: first,
        last_seen: first,
        has_schema: false,
      },
      { name: 'order.created', entity: 'order', first_seen: first, last_seen: later, has_schema: false },
    ]);
  });

  it('leaves out a name last seen before the window, and starts its first_seen afresh when it comes back', async () => {
    const { world, catalog, publishAndFanOut } = setUp();
    await publishAndFanOut({ name: 'order.created', payload: {} });
    await publishAndFanOut({ name: 'return.completed', payload: {} });
    world.clock.advance(RETENTION_DAYS * DAY_MS + 1);
    await publishAndFanOut({ name: 'return.completed', payload: {} });
    const now = world.clock.now().toISOString();

    expect(await catalog.list()).toEqual([
      { name: 'return.completed', entity: 'return', first_seen: now, last_seen: now, has_schema: false },
    ]);
  });

  it('notes a name with one write per batch, then at most once a minute per instance', async () => {
    const { world, publishAndFanOut } = setUp();
    const batch = {
      events: Array.from({ length: 50 }, (_, n) => ({
        name: n % 2 ? 'order.created' : 'order.updated',
        payload: {},
      })),
    };
    await publishAndFanOut(batch);
    expect(world.eventCatalog.noteWrites).toBe(2);

    world.clock.advance(NOTE_INTERVAL_MS - 1);
    await publishAndFanOut(batch);
    await publishAndFanOut({ name: 'order.cancelled', payload: {} }); // a new name is noted at once
    expect(world.eventCatalog.noteWrites).toBe(3);

    world.clock.advance(1);
    await publishAndFanOut(batch);
    expect(world.eventCatalog.noteWrites).toBe(5);
    expect(world.eventCatalog.seen.get('order.created')?.last_seen).toBe(world.clock.now().toISOString());
  });

  it('does not fail a batch whose names could not be noted, and notes them with the next one', async () => {
    const { world, catalog, publishAndFanOut } = setUp();
    world.eventCatalog.failNextNote = true;
    await publishAndFanOut({ name: 'order.created', payload: {} });
    expect(world.eventLog.all()).toHaveLength(1);
    expect(world.operationLog.lines.map((line) => line.message)).toContain(
      'Event names not noted in the catalog; the next batch tries again',
    );
    expect(await catalog.list()).toEqual([]);

    await publishAndFanOut({ name: 'order.created', payload: {} });
    expect((await catalog.list()).map((type) => type.name)).toEqual(['order.created']);
  });

  it('keeps a schema per name, listed even before the name is seen', async () => {
    const { world, catalog } = setUp();
    const put = await catalog.putSchema('order.created', { schema: orderSchema });
    expect(put).toEqual({
      name: 'order.created',
      schema: orderSchema,
      version: expect.any(String),
      updated_at: world.clock.now().toISOString(),
    });
    expect(await catalog.getSchema('order.created')).toEqual(put);
    expect(await catalog.list()).toEqual([
      { name: 'order.created', entity: 'order', has_schema: true, schema_version: put.version },
    ]);

    await catalog.deleteSchema('order.created');
    await expect(catalog.getSchema('order.created')).rejects.toMatchObject({ statusCode: 404 });
    await expect(catalog.deleteSchema('order.created')).rejects.toMatchObject({ statusCode: 404 });
    expect(await catalog.list()).toEqual([]);
  });

  it.each([
    ['an invalid name', 'Order Created', { schema: orderSchema }, 'name'],
    ['a name without an event', 'order', { schema: orderSchema }, 'name'],
    ['a body without schema', 'order.created', { type: 'object' }, 'schema'],
    [
      'an invalid schema',
      'order.created',
      { schema: { properties: { x: { type: 'int' } } } },
      'schema.properties.x.type',
    ],
  ])('refuses %s with 400 naming the field', async (_, name, body, field) => {
    const { catalog } = setUp();
    await expect(catalog.putSchema(name, body)).rejects.toMatchObject({ statusCode: 400, field });
  });

  it('answers 400 for a schema read or deleted under an invalid name, not 404', async () => {
    const { catalog } = setUp();
    await expect(catalog.getSchema('ORDER')).rejects.toMatchObject({ statusCode: 400, field: 'name' });
    await expect(catalog.deleteSchema('ORDER')).rejects.toMatchObject({ statusCode: 400, field: 'name' });
  });
});

describe('publishing with schemas', () => {
  it('refuses a whole batch when one payload breaks its schema, naming the value and the rule', async () => {
    const { world, catalog, publisher } = setUp();
    await catalog.putSchema('order.created', { schema: orderSchema });
    const batch = {
      events: [
        { name: 'order.created', payload: { id: 'o-1', x: 1 } },
        { name: 'order.created', payload: { id: 'o-2', x: 'one' } },
        { name: 'return.completed', payload: { anything: true } },
      ],
    };
    await expect(publisher.publish(batch)).rejects.toMatchObject({
      statusCode: 400,
      errorCode: 'validation_error',
      field: 'events[1].payload.x',
      message: 'events[1].payload.x: must be an integer (schema of order.created)',
    });
    await expect(
      publisher.publish({ events: [{ name: 'order.created', payload: { x: 1 } }] }),
    ).rejects.toMatchObject({
      field: 'events[0].payload.id',
      message: expect.stringMatching(/: is required/),
    });
    expect(world.queues.ingest.sent).toEqual([]);
  });

  it('names the field of a single event as its other errors do, without a prefix', async () => {
    const { catalog, publisher } = setUp();
    await catalog.putSchema('order.created', { schema: orderSchema });
    await expect(publisher.publish({ name: 'order.created', payload: { id: 5 } })).rejects.toMatchObject({
      field: 'payload.id',
      message: 'payload.id: must be a string (schema of order.created)',
    });
  });

  it('accepts payloads that match, and names without a schema whatever their payload', async () => {
    const { world, catalog, publisher } = setUp();
    await catalog.putSchema('order.created', { schema: orderSchema });
    const ids = await publisher.publish({
      events: [
        { name: 'order.created', payload: { id: 'o-1', x: 2 } },
        { name: 'order.updated', payload: { id: 3 } },
      ],
    });
    expect(ids).toHaveLength(2);
    expect(world.queues.ingest.bodies<IngestMessage>().map((message) => message.event.name)).toEqual([
      'order.created',
      'order.updated',
    ]);
  });

  it('reads the schemas once per request, and applies a changed or deleted schema from the next request', async () => {
    const { world, catalog, publisher } = setUp();
    await catalog.putSchema('order.created', { schema: orderSchema });
    const events = Array.from({ length: 100 }, (_, n) => ({
      name: n % 2 ? 'order.created' : 'order.updated',
      payload: { id: `o-${n}` },
    }));
    await publisher.publish({ events });
    expect(world.eventCatalog.schemaReads).toBe(1);

    await catalog.putSchema('order.created', { schema: { ...orderSchema, required: ['id', 'x'] } });
    await expect(publisher.publish({ events })).rejects.toMatchObject({ field: 'events[1].payload.x' });
    await catalog.deleteSchema('order.created');
    await expect(publisher.publish({ events })).resolves.toHaveLength(100);
    expect(world.eventCatalog.schemaReads).toBe(3);
  });
});
