import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { LoggedEvent } from '../../../lambdas/domain/event.ts';
import type { Integration } from '../../../lambdas/domain/integration.ts';
import type { DeliveryMessage } from '../../../lambdas/domain/messages.ts';
import { isoPlus, webhookIntegration } from '../../support/memory/fixtures.ts';
import { TimedReceiver, timedProcess, VirtualTime } from '../../support/memory/virtual-delivery.ts';
import { replaysOf } from '../../support/memory/webhook-delivery.ts';
import { type MemoryWorld, memoryWorld, TENANT } from '../../support/memory/world.ts';

const POSITION = 'event-entity-position';

const setUp = (
  overrides: Partial<Integration> = {},
  latencyMs = 30,
  params: Record<string, unknown> = {},
) => {
  const world = memoryWorld();
  const time = new VirtualTime(world.clock);
  const receiver = new TimedReceiver(time, world.clock, latencyMs);
  const integration = world.integrations.seed(
    webhookIntegration({
      callback_parameters: { callback_url: 'https://erp.example.com/events', ordering: 'entity', ...params },
      ...overrides,
    }),
  );
  const delivery = timedProcess(world, time, receiver);
  const deliver = (message: DeliveryMessage, attempt = 1) =>
    time.run(delivery.deliver(message, { attempt, firstSentAt: world.clock.now() }));
  const bodies = () => world.queues.webhook.bodies<DeliveryMessage>();
  return { world, time, receiver, integration, delivery, deliver, bodies };
};

const ingestRecords = (world: MemoryWorld) =>
  world.queues.ingest.sent.map((message, i) => ({
    messageId: `m${i}`,
    body: message.body,
    sentAt: world.clock.now(),
  }));

const orderEvent = (world: MemoryWorld, entity: string, name: string, offsetMs: number): LoggedEvent => {
  const receivedAt = isoPlus(world.clock.now(), offsetMs);
  return {
    id: randomUUID(),
    tenant: TENANT,
    name,
    published_at: receivedAt,
    payload: { id: entity },
    entity_id: entity,
    received_at: receivedAt,
    position: 0,
  };
};

/** Events of one entity, a second apart and just received, logged and routed to `integration` in order. */
const routedEvents = async (
  world: MemoryWorld,
  integration: Integration,
  entity: string,
  names: readonly string[],
): Promise<LoggedEvent[]> => {
  const events = names.map((name, i) => orderEvent(world, entity, name, (i - names.length) * 1000));
  for (const event of events) {
    await world.eventLog.put(event);
    await world.router.route(integration, event);
  }
  return events;
};

/**
 * Edges of ordered delivery found in review: late fan-outs, re-registration, catch-ups over finished
 * events, copies of one message, temporary integrations. Each failed before its fix.
 */
describe('ordered delivery at its edges', () => {
  it('sends an event whose fan-out ran more than 15 minutes late, after its key was dropped: out of order, not lost', async () => {
    const { world, receiver, deliver, bodies } = setUp();
    const [first] = await world.publisher.publish({ name: 'order.created', payload: { id: 'ORD-1' } });
    world.clock.advance(5);
    const [second] = await world.publisher.publish({ name: 'order.updated', payload: { id: 'ORD-1' } });
    const [m0, m1] = ingestRecords(world);
    // Only the second publish's fan-out runs; the first's ingest message is stuck (backlog, DLQ).
    await world.fanOut.process('m1', await world.fanOut.batch([m1 as never]));
    world.clock.advance(16 * 60_000);
    await deliver(bodies()[0] as DeliveryMessage); // held; the first key is dropped as "never logged"
    expect(world.metrics.counts.get('OrderKeyDropped')).toBe(1);
    await deliver(bodies().at(-1) as DeliveryMessage); // the held copy goes
    // The first publish's ingest message is finally fanned out (redrive after the outage).
    await world.fanOut.process('m0', await world.fanOut.batch([m0 as never]));
    const late = bodies().find((body) => body.event_id === first) as DeliveryMessage;
    expect(late.order).toBeDefined();
    expect(await deliver(late)).toEqual({ done: true });
    // Its key was dropped, not finished: it is sent when it comes, after the later one, numbered after it.
    expect(receiver.arrivals.map((a) => [a.eventId, a.headers[POSITION]])).toEqual([
      [second, '1'],
      [first, '2'],
    ]);
    expect(world.metrics.counts.get('WebhookAlreadyDelivered')).toBeUndefined();
  });

  it('delivers after a delete and re-registration of the id within the API’s cached list: the fan-out places the new generation itself', async () => {
    const { world, receiver, integration, deliver, bodies } = setUp();
    await world.publisher.publish({ name: 'order.created', payload: { id: 'ORD-0' } }); // API caches the list
    // Deleted and registered anew (same id, new created_at) a second later.
    await world.integrations.delete(integration.id);
    world.clock.advance(1000);
    world.integrations.seed({ ...integration, created_at: world.clock.now().toISOString() });
    world.clock.advance(1000);
    const [id] = await world.publisher.publish({ name: 'order.created', payload: { id: 'ORD-2' } });
    const record = ingestRecords(world)[1];
    await world.fanOut.process('m1', await world.fanOut.batch([record as never]));
    const message = bodies().find((body) => body.event_id === id) as DeliveryMessage;
    expect(await deliver(message)).toEqual({ done: true });
    expect(receiver.arrivals.map((a) => a.eventId)).toEqual([id]);
    expect(world.metrics.counts.get('WebhookAlreadyDelivered')).toBeUndefined();
  });

  it('a catch-up does not send a rejected event again after its entity’s newer ones', async () => {
    const { world, receiver, integration, deliver, bodies } = setUp();
    const e1 = orderEvent(world, 'ORD-5', 'order.created', -10_000);
    const e2 = orderEvent(world, 'ORD-5', 'order.updated', -9_000);
    for (const event of [e1, e2]) {
      await world.eventLog.put(event);
      await world.router.route(integration, event);
    }
    receiver.answer = (eventId) => (eventId === e1.id ? 400 : 200);
    const [m1, m2] = bodies();
    await deliver(m1 as DeliveryMessage);
    await deliver(m2 as DeliveryMessage);
    receiver.answer = () => 200;
    // A catch-up (e.g. a stop/start whose catch-up point is an older event of another entity that was
    // retrying at the stop, or a breaker-resume replay from failing_since - 60 s) covers e1.
    const replays = replaysOf(world, { pageSize: 500, pauseSeconds: 1 });
    const job = await world.replayJobs.begin(
      integration,
      isoPlus(world.clock.now(), -60_000),
      world.clock.now().toISOString(),
      'catch-up',
      { settle: false },
    );
    for (let i = 0; i < 200 && !(await world.replayStore.get(integration.id))?.completed_at; i++)
      await replays.step({ integration_id: integration.id, job_id: job.job_id });
    expect(
      bodies()
        .slice(2)
        .find((body) => body.event_id === e1.id),
    ).toBeUndefined();
    expect(receiver.arrivals.map((a) => [a.eventId === e1.id ? 'e1' : 'e2', a.headers[POSITION]])).toEqual([
      ['e1', '1'],
      ['e2', '2'],
    ]);
  });

  it('sends one of two copies of a message handed out in one batch, once', async () => {
    const { world, receiver, integration, delivery, time, bodies } = setUp();
    const e1 = orderEvent(world, 'ORD-6', 'order.created', -1000);
    await world.eventLog.put(e1);
    await world.router.route(integration, e1);
    const message = bodies()[0] as DeliveryMessage;
    const batch = delivery.newBatch([message, message]);
    await time.run(
      Promise.all([
        delivery.deliver(message, { attempt: 2, firstSentAt: world.clock.now() }, batch),
        delivery.deliver({ ...message }, { attempt: 1, firstSentAt: world.clock.now() }, batch),
      ]),
    );
    await delivery.finishBatch(batch);
    expect(receiver.arrivals.map((a) => a.headers[POSITION])).toEqual(['1']);
  });

  it('a temporary integration: an event routed again after its delivery (a fan-out run twice) does not hold its entity', async () => {
    const now = '2026-11-30T12:00:00.000Z';
    const { world, receiver, integration, deliver } = setUp({
      integration_type: 'temporary',
      starts_at: isoPlus(now, -3_600_000),
      ends_at: isoPlus(now, 3_600_000),
    });
    expect(world.clock.now().toISOString()).toBe(now);
    const e1 = orderEvent(world, 'ORD-T', 'order.created', -2000);
    const e2 = orderEvent(world, 'ORD-T', 'order.updated', -1000);
    await world.eventLog.put(e1);
    await world.router.route(integration, e1);
    await deliver(world.queues.webhook.bodies<DeliveryMessage>()[0] as DeliveryMessage);
    // The fan-out's ingest message comes back (another integration's routing failed) and routes e1 again.
    await world.router.route(integration, e1);
    expect(world.queues.webhook.sent).toHaveLength(1); // no new message: e1 was delivered
    await world.eventLog.put(e2);
    await world.router.route(integration, e2);
    const message = world.queues.webhook.bodies<DeliveryMessage>().at(-1) as DeliveryMessage;
    expect(await deliver(message)).toEqual({ done: true });
    expect(receiver.arrivals.map((a) => a.eventId)).toEqual([e1.id, e2.id]);
  });

  it('takes back the key the API placed for an id published again, on a deployment that deduplicates ids', async () => {
    const { world, receiver, deliver, bodies } = setUp();
    let done = 0;
    const fanOutAll = async () => {
      const fresh = ingestRecords(world).slice(done);
      done += fresh.length;
      const batch = await world.fanOut.batch(fresh);
      for (const record of fresh) await world.fanOut.process(record.messageId, batch);
    };
    const e = randomUUID();
    await world.publisher.publish({ id: e, name: 'order.created', payload: { id: 'ORD-3' } });
    await fanOutAll();
    await deliver(bodies()[0] as DeliveryMessage);
    world.clock.advance(1000);
    // The producer sends e again together with a new event f (another request key): e is a repeat.
    const f = randomUUID();
    await world.publisher.publish({
      events: [
        { id: e, name: 'order.created', payload: { id: 'ORD-3' } },
        { id: f, name: 'order.updated', payload: { id: 'ORD-3' } },
      ],
    });
    await fanOutAll();
    expect(bodies().filter((body) => body.event_id === e)).toHaveLength(1);
    // f is not held behind the repeat's key, which no message would ever finish.
    expect(await deliver(bodies().find((body) => body.event_id === f) as DeliveryMessage)).toEqual({
      done: true,
    });
    expect(receiver.arrivals.map((a) => a.eventId)).toEqual([e, f]);
  });
  it('does not skip a position for an event whose key came back after its delivery', async () => {
    const { world, receiver, integration, deliver, bodies } = setUp();
    const e1 = orderEvent(world, 'ORD-8', 'order.created', -5000);
    const e2 = orderEvent(world, 'ORD-8', 'order.updated', -4000);
    await world.eventLog.put(e1);
    await world.router.route(integration, e1);
    await deliver(bodies()[0] as DeliveryMessage);
    // A replay page read the history before e1's record was flushed (or an idempotent repeat read the log
    // before e1 was logged) and placed e1 again, with a new message.
    await world.router.route(integration, e1);
    await deliver(bodies()[1] as DeliveryMessage, 1);
    await world.eventLog.put(e2);
    await world.router.route(integration, e2);
    await deliver(bodies()[2] as DeliveryMessage);
    expect(receiver.arrivals.map((a) => a.headers[POSITION])).toEqual(['1', '2']);
  });

  it('sends back a message that waited over 15 s behind its entity in the same batch, not past the invocation', async () => {
    const { world, receiver, integration, delivery, time, bodies } = setUp({}, 8000);
    for (const [name, offset] of [
      ['order.created', -3000],
      ['order.updated', -2000],
      ['order.cancelled', -1000],
    ] as const) {
      const event = orderEvent(world, 'ORD-9', name, offset);
      await world.eventLog.put(event);
      await world.router.route(integration, event);
    }
    const messages = bodies();
    const batch = delivery.newBatch(messages);
    const decisions = await time.run(
      Promise.all(
        messages.map((m) => delivery.deliver(m, { attempt: 1, firstSentAt: world.clock.now() }, batch)),
      ),
    );
    await delivery.finishBatch(batch);
    expect(receiver.arrivals).toHaveLength(2);
    expect(decisions).toEqual([{ done: true }, { done: true }, { done: true }]);
    expect(world.metrics.counts.get('WebhookHeldForOrder')).toBe(1);
    expect(bodies().at(-1)?.event_id).toBe(messages[2]?.event_id);
  });

  it('keeps a copy of a message away from the receiver while another process sends it, so it cannot come late', async () => {
    const { world, receiver, integration, time, bodies } = setUp({}, 5000);
    const [e1, e2] = (await routedEvents(world, integration, 'ORD-10', [
      'order.created',
      'order.updated',
    ])) as [LoggedEvent, LoggedEvent];
    const [m1, m2] = bodies() as [DeliveryMessage, DeliveryMessage];
    const [a, b] = [timedProcess(world, time, receiver), timedProcess(world, time, receiver)];
    // Two copies of e1's message (a replay's and the original), sent at different times, in two processes.
    const sent = world.clock.now();
    const first = a.deliver(m1, { attempt: 1, firstSentAt: sent });
    const copy = (async () => {
      await time.wait(1000);
      return b.deliver({ ...m1 }, { attempt: 1, firstSentAt: new Date(sent.getTime() - 30_000) });
    })();
    await time.run(Promise.all([first, copy]));
    expect(receiver.arrivals.map((arrival) => arrival.eventId)).toEqual([e1.id]);
    await time.run(a.deliver(m2, { attempt: 1, firstSentAt: world.clock.now() }));
    // The copy, put back, finds e1 finished when it comes again: nothing reaches the receiver after e2.
    const again = bodies().at(-1) as DeliveryMessage;
    expect(again.event_id).toBe(e1.id);
    await time.run(b.deliver(again, { attempt: 1, firstSentAt: world.clock.now() }));
    expect(receiver.arrivals.map((arrival) => arrival.eventId)).toEqual([e1.id, e2.id]);
  });

  it('looks an old head up in the log once per process, however often the messages behind it come back', async () => {
    const { world, integration, deliver, bodies } = setUp();
    const [e1] = (await routedEvents(world, integration, 'ORD-12', ['order.created', 'order.updated'])) as [
      LoggedEvent,
      LoggedEvent,
    ];
    const reads = vi.spyOn(world.eventLog, 'get');
    world.clock.advance(16 * 60_000); // e1's message is being retried for long
    await deliver(bodies()[1] as DeliveryMessage);
    await deliver(bodies().at(-1) as DeliveryMessage);
    await deliver(bodies().at(-1) as DeliveryMessage);
    expect(world.metrics.counts.get('WebhookHeldForOrder')).toBe(3);
    expect(reads.mock.calls.filter(([, eventId]) => eventId === e1.id)).toHaveLength(1);
    expect(world.metrics.counts.get('OrderKeyDropped')).toBeUndefined();
  });

  it('keeps the claim on the entity head while another key of the entity is finished unsent', async () => {
    const { world, receiver, integration, time, bodies } = setUp({}, 5000);
    const [e1] = (await routedEvents(world, integration, 'ORD-11', ['order.created', 'order.cancelled'])) as [
      LoggedEvent,
      LoggedEvent,
    ];
    const [m1, m2] = bodies() as [DeliveryMessage, DeliveryMessage];
    const [a, b] = [timedProcess(world, time, receiver), timedProcess(world, time, receiver)];
    const sent = world.clock.now();
    const first = a.deliver(m1, { attempt: 1, firstSentAt: sent });
    const others = (async () => {
      await time.wait(1000);
      // While e1 is at the receiver, a PATCH leaves order.cancelled out: e2's message ends without a request
      // and takes e2's key out of the entity's queue.
      await world.integrations.update({
        ...integration,
        filter_conditions: { event_filter: ['order.created'] },
        version: integration.version + 1,
      });
      expect(await b.deliver(m2, { attempt: 1, firstSentAt: sent })).toEqual({ done: true });
      // Then a copy of e1's message (a replay's) comes: e1 is still claimed, so it waits.
      await time.wait(1000);
      return b.deliver({ ...m1 }, { attempt: 1, firstSentAt: new Date(sent.getTime() - 30_000) });
    })();
    await time.run(Promise.all([first, others]));
    expect(receiver.arrivals.map((arrival) => arrival.eventId)).toEqual([e1.id]);
    expect(world.metrics.counts.get('WebhookHeldForOrder')).toBe(1);
  });
});
