import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../../lambdas/domain/event.ts';
import type { Integration } from '../../../lambdas/domain/integration.ts';
import type { DeliveryMessage } from '../../../lambdas/domain/messages.ts';
import type { ReplayJob } from '../../../lambdas/domain/ports/replays.ts';
import { byPublishOrder, isoPlus, webhookIntegration } from '../../support/memory/fixtures.ts';
import { drain, TimedReceiver, timedProcess, VirtualTime } from '../../support/memory/virtual-delivery.ts';
import { type MemoryWorld, memoryWorld, TENANT } from '../../support/memory/world.ts';

const POSITION = 'event-entity-position';

/** A stable pseudo-random number in [0, 1) per text: the same shuffle and failures on every run. */
const chance = (text: string): number =>
  (createHash('sha1').update(text).digest().readUInt32BE(0) % 10_000) / 10_000;

const setUp = (ordering: 'entity' | 'none' = 'entity', overrides: Partial<Integration> = {}) => {
  const world = memoryWorld();
  const time = new VirtualTime(world.clock);
  const receiver = new TimedReceiver(time, world.clock, 30);
  const integration = world.integrations.seed(
    webhookIntegration({
      callback_parameters: { callback_url: 'https://erp.example.com/events', ordering },
      ...overrides,
    }),
  );
  const process = (retryBudgetMs?: number) => timedProcess(world, time, receiver, retryBudgetMs);
  return { world, time, receiver, integration, process };
};

/**
 * `requests` publish requests of `perRequest` events each, over `entities` entities, 10 ms apart, each
 * event logged and routed as the fan-out does; returns them in publish order.
 */
const publish = async (
  world: MemoryWorld,
  integration: Integration,
  requests: number,
  perRequest: number,
  entities: number,
): Promise<LoggedEvent[]> => {
  const events: LoggedEvent[] = [];
  for (let request = 0; request < requests; request++) {
    const receivedAt = isoPlus(world.clock.now(), -60_000 + request * 10);
    for (let position = 0; position < perRequest; position++) {
      const entityId = `ORD-${(request * perRequest + position * 7) % entities}`;
      const event: LoggedEvent = {
        id: randomUUID(),
        tenant: TENANT,
        name: position % 2 ? 'order.updated' : 'order.created',
        published_at: receivedAt,
        payload: { id: entityId, step: events.length },
        entity_id: entityId,
        received_at: receivedAt,
        position,
      };
      await world.eventLog.put(event);
      await world.router.route(integration, event);
      events.push(event);
    }
  }
  return events;
};

/** The webhook queue's messages in an order SQS might hand them out in. */
const shuffled = (world: MemoryWorld): DeliveryMessage[] =>
  world.queues.webhook.bodies<DeliveryMessage>().sort((a, b) => chance(a.event_id) - chance(b.event_id));

/** Per entity, the receiver's arrivals in the order they came: event ids and position headers. */
const arrivalsByEntity = (receiver: TimedReceiver, events: readonly LoggedEvent[]) => {
  const entityOf = new Map(events.map((event) => [event.id, event.entity_id ?? '']));
  const byEntity = new Map<string, { eventId: string; position: string | undefined }[]>();
  for (const arrival of receiver.arrivals) {
    const entity = entityOf.get(arrival.eventId) ?? '';
    byEntity.set(entity, [
      ...(byEntity.get(entity) ?? []),
      { eventId: arrival.eventId, position: arrival.headers[POSITION] },
    ]);
  }
  return byEntity;
};

/** Per entity, its events' ids in publish order. */
const publishOrderByEntity = (events: readonly LoggedEvent[]) => {
  const byEntity = new Map<string, string[]>();
  for (const event of [...events].sort(byPublishOrder))
    byEntity.set(event.entity_id ?? '', [...(byEntity.get(event.entity_id ?? '') ?? []), event.id]);
  return byEntity;
};

/** Whether each entity's arrivals (retries included) never go back to an earlier event of it. */
const inPublishOrder = (receiver: TimedReceiver, events: readonly LoggedEvent[]): boolean => {
  const expected = publishOrderByEntity(events);
  return [...arrivalsByEntity(receiver, events)].every(([entity, arrivals]) => {
    const order = expected.get(entity) ?? [];
    const indexes = arrivals.map((arrival) => order.indexOf(arrival.eventId));
    return indexes.every((index, i) => i === 0 || index >= (indexes[i - 1] ?? 0));
  });
};

/** A receiver that fails 30 % of first attempts (500) and takes every retry. */
const failingThirtyPercentOfFirstAttempts = (receiver: TimedReceiver) => {
  const tried = new Set<string>();
  receiver.answer = (eventId) => {
    const first = !tried.has(eventId);
    tried.add(eventId);
    return first && chance(`fail ${eventId}`) < 0.3 ? 500 : 200;
  };
};

const deliveredCount = async (
  world: MemoryWorld,
  integration: Integration,
  events: readonly LoggedEvent[],
) => {
  const records = await Promise.all(
    events.map((event) => world.history.get(integration, event.received_at, event.id)),
  );
  return records.filter((record) => record?.status === 'delivered').length;
};

describe('ordered delivery per entity', () => {
  it('sends each entity’s events one at a time in publish order, with a receiver failing 30 % of first attempts', async () => {
    const { world, time, receiver, integration, process } = setUp('entity');
    failingThirtyPercentOfFirstAttempts(receiver);
    const events = await publish(world, integration, 12, 10, 15);
    const left = await drain(world, time, shuffled(world), [process(), process(), process()]);
    expect(left).toEqual([]);
    expect(await deliveredCount(world, integration, events)).toBe(events.length);
    expect(inPublishOrder(receiver, events)).toBe(true);
    // Receivers see each entity's stream numbered 1, 2, 3…; a retry repeats its event's number.
    const expected = publishOrderByEntity(events);
    for (const [entity, arrivals] of arrivalsByEntity(receiver, events)) {
      const order = expected.get(entity) ?? [];
      for (const arrival of arrivals)
        expect(arrival.position).toBe(String(order.indexOf(arrival.eventId) + 1));
    }
    expect(world.metrics.counts.get('WebhookHeldForOrder')).toBeGreaterThan(0);
  });

  it('without ordering, the same run delivers entities out of order (what the test above would catch)', async () => {
    const { world, time, receiver, integration, process } = setUp('none');
    failingThirtyPercentOfFirstAttempts(receiver);
    const events = await publish(world, integration, 12, 10, 15);
    await drain(world, time, shuffled(world), [process(), process(), process()]);
    expect(await deliveredCount(world, integration, events)).toBe(events.length);
    expect(inPublishOrder(receiver, events)).toBe(false);
    expect(receiver.arrivals.some((arrival) => arrival.headers[POSITION] !== undefined)).toBe(false);
  });

  it('a blocked entity holds back only itself: the others flow while its first event retries', async () => {
    const { world, time, receiver, integration, process } = setUp('entity');
    const events = await publish(world, integration, 6, 5, 5);
    const blocked = events.find((event) => event.entity_id === 'ORD-0');
    receiver.answer = (eventId) => (eventId === blocked?.id ? 500 : 200);
    await drain(world, time, shuffled(world), [process(), process()]);
    const byEntity = arrivalsByEntity(receiver, events);
    // No later event of ORD-0 reached the receiver while its first one was retried.
    const ord0 = byEntity.get('ORD-0')?.map((arrival) => arrival.eventId) ?? [];
    const lastTry = ord0.lastIndexOf(blocked?.id ?? '');
    expect(lastTry).toBeGreaterThan(2);
    expect(ord0.slice(0, lastTry + 1).every((id) => id === blocked?.id)).toBe(true);
    const others = events.filter((event) => event.entity_id !== 'ORD-0');
    expect(await deliveredCount(world, integration, others)).toBe(others.length);
    expect(inPublishOrder(receiver, events)).toBe(true);
    // Every other entity was done within seconds, long before the blocked event's budget ran out.
    const lastOther = Math.max(
      ...receiver.arrivals.filter((a) => others.some((e) => e.id === a.eventId)).map((a) => a.at),
    );
    const firstArrival = receiver.arrivals[0]?.at ?? 0;
    expect(lastOther - firstArrival).toBeLessThan(10_000);
    // Once the blocked event failed for good (its budget spent), the rest of its entity went on, in order.
    const rest = events.filter((event) => event.entity_id === 'ORD-0' && event.id !== blocked?.id);
    expect(
      (await world.history.get(integration, blocked?.received_at ?? '', blocked?.id ?? ''))?.status,
    ).toBe('failed');
    expect(await deliveredCount(world, integration, rest)).toBe(rest.length);
    expect(ord0.slice(lastTry + 1)).toEqual(rest.map((event) => event.id));
    // Held past what would have been their own budget, they went on (as fresh copies) instead of failing.
    expect(world.metrics.counts.get('WebhookHeldForOrder')).toBeGreaterThan(0);
  });

  it('delivers two events of one entity from one batch in order, without holding either back', async () => {
    const { world, time, receiver, integration, process } = setUp('entity');
    const events = await publish(world, integration, 1, 2, 1);
    const messages = shuffled(world).reverse();
    await drain(world, time, messages, [process()]);
    expect(receiver.arrivals.map((arrival) => arrival.eventId)).toEqual(events.map((event) => event.id));
    expect(receiver.arrivals.map((arrival) => arrival.headers[POSITION])).toEqual(['1', '2']);
    expect(world.metrics.counts.get('WebhookHeldForOrder')).toBeUndefined();
  });

  it('sends a message handed out twice once: the second finds its key finished', async () => {
    const { world, time, receiver, integration, process } = setUp('entity');
    await publish(world, integration, 1, 1, 1);
    const message = world.queues.webhook.bodies<DeliveryMessage>()[0] as DeliveryMessage;
    const delivery = process();
    const attempt = { attempt: 1, firstSentAt: world.clock.now() };
    expect(await time.run(delivery.deliver(message, attempt))).toEqual({ done: true });
    expect(await time.run(delivery.deliver(message, { ...attempt, attempt: 2 }))).toEqual({ done: true });
    expect(receiver.arrivals).toHaveLength(1);
  });

  it('after a stop and start, a live event waits for the older event of its entity that the catch-up brings', async () => {
    const { world, time, receiver, integration, process } = setUp('entity', { status: 'stopped' });
    const receivedAt = (ms: number) => isoPlus(world.clock.now(), ms);
    const ingest = (id: string, at: string) => ({
      messageId: id,
      body: JSON.stringify({
        event: { id, name: 'order.updated', payload: { id: 'ORD-7' } },
        received_at: at,
        position: 0,
      }),
      sentAt: new Date(at),
    });
    // Received while stopped: the fan-out notes a catch-up point and keeps the event's place.
    const missed = ingest(randomUUID(), receivedAt(-5000));
    await world.fanOut.process(missed.messageId, await world.fanOut.batch([missed]));
    expect(world.queues.webhook.sent).toEqual([]);
    // Started: a catch-up job covers the stopped time; a live event of the same entity arrives at once.
    const started = await world.integrations.get(integration.id);
    world.integrations.seed({ ...(started as Integration), status: 'running' });
    const job: ReplayJob = {
      integration_id: integration.id,
      job_id: 'catch-up-1',
      step: 0,
      range_from: receivedAt(-5000),
      from: receivedAt(-5000),
      to: receivedAt(-1000),
      shard: 0,
      settle_until: receivedAt(60_000),
      queued: 0,
      started_at: receivedAt(-1000),
      reason: 'catch-up',
    };
    await world.replayStore.put(job);
    const live = ingest(randomUUID(), receivedAt(0));
    await world.fanOut.process(live.messageId, await world.fanOut.batch([live]));
    const liveMessage = world.queues.webhook.bodies<DeliveryMessage>()[0] as DeliveryMessage;
    const delivery = process();
    const attempt = { attempt: 1, firstSentAt: world.clock.now() };
    const deliver = (message: DeliveryMessage) => time.run(delivery.deliver(message, attempt));
    const held = () => world.metrics.counts.get('WebhookHeldForOrder') ?? 0;
    // The catch-up is still reading its range: the live event waits (put back as a fresh copy).
    expect(await deliver(liveMessage)).toEqual({ done: true });
    expect(held()).toBe(1);
    // The catch-up queued the missed event and completed; the live event still waits for it.
    const missedEvent = await world.eventLog.get(receivedAt(-5000), missed.messageId);
    const running = (await world.integrations.get(integration.id)) as Integration;
    await world.router.route(running, missedEvent as LoggedEvent);
    await world.replayStore.put({ ...job, completed_at: receivedAt(0) });
    expect(await deliver(liveMessage)).toEqual({ done: true });
    expect(held()).toBe(2);
    expect(receiver.arrivals).toEqual([]);
    const caughtUp = world.queues.webhook
      .bodies<DeliveryMessage>()
      .find((message) => message.event_id === missed.messageId) as DeliveryMessage;
    expect(await deliver(caughtUp)).toEqual({ done: true });
    expect(await deliver(liveMessage)).toEqual({ done: true });
    expect(receiver.arrivals.map((arrival) => [arrival.eventId, arrival.headers[POSITION]])).toEqual([
      [missed.messageId, '1'],
      [live.messageId, '2'],
    ]);
  });

  it('holds a later publish back behind an earlier one whose fan-out has not run yet: the API placed it', async () => {
    const { world, time, receiver, integration, process } = setUp('entity');
    const created = await world.publisher.publish({ name: 'order.created', payload: { id: 'ORD-9' } });
    world.clock.advance(5);
    const updated = await world.publisher.publish({ name: 'order.updated', payload: { id: 'ORD-9' } });
    const [first, second] = world.queues.ingest.sent.map((message, i) => ({
      messageId: `m${i}`,
      body: message.body,
      sentAt: world.clock.now(),
    }));
    // The later publish's fan-out runs first and its delivery comes before the earlier one is even logged.
    await world.fanOut.process('m1', await world.fanOut.batch([second as never]));
    const writesBefore = world.entityQueues.writes;
    const delivery = process();
    const attempt = { attempt: 1, firstSentAt: world.clock.now() };
    const deliver = (message: DeliveryMessage) => time.run(delivery.deliver(message, attempt));
    const early = world.queues.webhook.bodies<DeliveryMessage>()[0] as DeliveryMessage;
    expect(early.event_id).toBe(updated[0]);
    expect(await deliver(early)).toEqual({ done: true });
    // Put back as a fresh copy, which names when it was first held.
    const copy = world.queues.webhook.bodies<DeliveryMessage>()[1] as DeliveryMessage;
    expect(copy).toEqual({ ...early, held_since: world.clock.now().toISOString() });
    await world.fanOut.process('m0', await world.fanOut.batch([first as never]));
    // The fan-out found both events placed by the API and wrote no key itself.
    expect(world.entityQueues.writes).toBe(writesBefore);
    const late = world.queues.webhook.bodies<DeliveryMessage>()[2] as DeliveryMessage;
    expect(late.event_id).toBe(created[0]);
    expect(await deliver(late)).toEqual({ done: true });
    expect(await deliver(copy)).toEqual({ done: true });
    expect(receiver.arrivals.map((arrival) => arrival.eventId)).toEqual([created[0], updated[0]]);
    expect(integration.callback_parameters?.ordering).toBe('entity');
  });

  it('drops a key whose publish failed after placing it, once it has held its entity for 15 minutes', async () => {
    const { world, time, receiver, integration, process } = setUp('entity');
    const orderEvent = (name: string, offsetMs: number): LoggedEvent => ({
      id: randomUUID(),
      tenant: TENANT,
      name,
      published_at: world.clock.now().toISOString(),
      payload: { id: 'ORD-5' },
      entity_id: 'ORD-5',
      received_at: isoPlus(world.clock.now(), offsetMs),
      position: 0,
    });
    const lost = orderEvent('order.created', 0);
    const later = orderEvent('order.updated', 1);
    // The first publish placed its key, then failed to queue its event: it never reaches the log.
    await world.places.placeAtPublish([lost]);
    await world.eventLog.put(later);
    await world.router.route(integration, later);
    const message = world.queues.webhook.bodies<DeliveryMessage>()[0] as DeliveryMessage;
    const delivery = process();
    const deliver = (body: DeliveryMessage) =>
      time.run(delivery.deliver(body, { attempt: 1, firstSentAt: world.clock.now() }));
    // Within the 15 minutes it may still be on its way (logging is late, not lost): the later event waits.
    world.clock.advance(14 * 60_000);
    await deliver(message);
    expect(world.metrics.counts.get('OrderKeyDropped')).toBeUndefined();
    world.clock.advance(2 * 60_000);
    await deliver(message);
    expect(world.metrics.counts.get('OrderKeyDropped')).toBe(1);
    const copy = world.queues.webhook.bodies<DeliveryMessage>().at(-1) as DeliveryMessage;
    expect(await deliver(copy)).toEqual({ done: true });
    expect(receiver.arrivals.map((arrival) => [arrival.eventId, arrival.headers[POSITION]])).toEqual([
      [later.id, '1'],
    ]);
  });
});
