import { describe, expect, it } from 'vitest';
import type { Integration } from '../../../lambdas/domain/integration.ts';
import type { DeliveryMessage } from '../../../lambdas/domain/messages.ts';
import type { RateLimit } from '../../../lambdas/domain/rate-limit.ts';
import { RateGate, type RateTicket } from '../../../lambdas/use-cases/rate-gate.ts';
import { isoPlus, loggedEvent, webhookIntegration } from '../../support/memory/fixtures.ts';
import { drain, TimedReceiver, timedProcess, VirtualTime } from '../../support/memory/virtual-delivery.ts';
import { type MemoryWorld, memoryWorld } from '../../support/memory/world.ts';

/** Most arrivals within any one-second window. */
const busiestSecond = (times: number[]): number =>
  Math.max(0, ...times.map((start) => times.filter((at) => at >= start && at < start + 1000).length));

const setUp = async (rateLimit: RateLimit | undefined, events: number, latencyMs = 50) => {
  const world = memoryWorld();
  const time = new VirtualTime(world.clock);
  const receiver = new TimedReceiver(time, world.clock, latencyMs);
  const integration = world.integrations.seed(
    webhookIntegration({
      callback_parameters: {
        callback_url: 'https://erp.example.com/events',
        ...(rateLimit && { rate_limit: rateLimit }),
      },
    }),
  );
  const messages: DeliveryMessage[] = [];
  for (let i = 0; i < events; i++) {
    const event = loggedEvent(isoPlus(world.clock.now(), -1000));
    await world.eventLog.put(event);
    messages.push({
      integration_id: integration.id,
      generation: integration.created_at,
      event_id: event.id,
      received_at: event.received_at,
    });
  }
  /** A delivery process (a Lambda instance): its own breakers, the shared stores. */
  const process = () => timedProcess(world, time, receiver);
  return { world, time, receiver, integration, messages, process };
};

const delivered = async (world: MemoryWorld, integration: Integration, messages: DeliveryMessage[]) => {
  const records = await Promise.all(
    messages.map((m) => world.history.get(integration, m.received_at, m.event_id)),
  );
  return records.filter((record) => record?.status === 'delivered').length;
};

describe('rate-limited webhook delivery across concurrent processes', () => {
  it('never sends more than per_second in any one-second window, nor more than max_in_flight at once', async () => {
    const { world, time, receiver, integration, messages, process } = await setUp(
      { per_second: 10, max_in_flight: 2 },
      60,
    );
    const left = await drain(world, time, messages, [process(), process(), process(), process()]);
    expect(left).toEqual([]);
    expect(await delivered(world, integration, messages)).toBe(60);
    expect(new Set(receiver.arrivals.map((a) => a.eventId)).size).toBe(60);
    expect(receiver.arrivals).toHaveLength(60);
    expect(busiestSecond(receiver.arrivals.map((a) => a.at))).toBeLessThanOrEqual(10);
    expect(receiver.maxOpen).toBeLessThanOrEqual(2);
    expect(world.metrics.counts.get('WebhookRateLimited')).toBeGreaterThan(0);
  });

  it('holds a slow receiver to max_in_flight alone', async () => {
    const { world, time, receiver, messages, process } = await setUp({ max_in_flight: 3 }, 40, 700);
    await drain(world, time, messages, [process(), process(), process(), process()]);
    expect(receiver.arrivals).toHaveLength(40);
    expect(receiver.maxOpen).toBe(3);
  });

  it('a 429 pauses the whole integration for its Retry-After and halves the rate; successes raise it back', async () => {
    const { world, time, receiver, integration, messages, process } = await setUp({ per_second: 8 }, 80);
    receiver.answers.set(5, { status: 429, headers: { 'retry-after': '3' } });
    await drain(world, time, messages, [process(), process(), process(), process()]);
    expect(await delivered(world, integration, messages)).toBe(80);
    const throttledAt = (receiver.arrivals[5]?.at ?? 0) + 50; // its answer came after the latency
    const during = receiver.arrivals.filter((a) => a.at > throttledAt && a.at < throttledAt + 3000);
    expect(during).toEqual([]);
    const entries = await world.logs.list(integration.id);
    const changes = entries.filter((entry) => entry.action === 'rate_changed');
    expect(changes[0]?.reason).toContain('halved to 4/s');
    // Recovery: every rate successes add 1/s, back to the limit.
    expect((await world.rateLimits.get(integration.id))?.rate).toBe(8);
    const after = receiver.arrivals.filter((a) => a.at >= throttledAt + 3000).map((a) => a.at);
    expect(busiestSecond(after.slice(0, 8))).toBeLessThanOrEqual(4);
  });

  it('writes the pause once when several requests in flight of one batch get 429', async () => {
    const writesOfFirstBatch = async (throttledRequests: number) => {
      const { world, time, receiver, messages, process } = await setUp({ max_in_flight: 4 }, 4);
      for (let i = 0; i < throttledRequests; i++)
        receiver.answers.set(i, { status: 429, headers: { 'retry-after': '5' } });
      const delivery = process();
      const batch = delivery.newBatch(messages);
      const attempt = { attempt: 1, firstSentAt: world.clock.now() };
      await time.run(Promise.all(messages.map((m) => delivery.deliver(m, attempt, batch))));
      await delivery.finishBatch(batch);
      expect(receiver.arrivals).toHaveLength(4);
      expect(receiver.maxOpen).toBe(4);
      return world.rateLimits.writes;
    };
    // Admitting the batch, the pause, giving the lanes back: whether one request or all four got the 429.
    expect(await writesOfFirstBatch(4)).toBe(await writesOfFirstBatch(1));
  });

  it('costs integrations without a rate_limit nothing', async () => {
    const { world, time, receiver, messages, process } = await setUp(undefined, 30);
    await drain(world, time, messages, [process(), process()]);
    expect(receiver.arrivals).toHaveLength(30);
    expect(world.rateLimits.writes).toBe(0);
  });
});

describe('a batch’s 429 pauses', () => {
  const setUpBatch = async () => {
    const world = memoryWorld();
    const gate = new RateGate({
      store: world.rateLimits,
      logs: world.logs,
      clock: world.clock,
      wait: async () => {},
      newLeaseId: () => crypto.randomUUID(),
    });
    const limit: RateLimit = { max_in_flight: 4 };
    const integration = world.integrations.seed(
      webhookIntegration({
        callback_parameters: { callback_url: 'https://erp.example.com/events', rate_limit: limit },
      }),
    );
    const batch = gate.batch(new Map([[integration.id, 4]]));
    const tickets: RateTicket[] = [];
    for (let i = 0; i < 4; i++) {
      const ticket = await batch.take(integration, limit);
      if (!('allotment' in ticket)) throw new Error('held');
      tickets.push(ticket);
    }
    const pausedUntil = () => world.rateLimits.states.get(integration.id)?.paused_until;
    return { world, batch, tickets, pausedUntil, now: world.clock.now().getTime() };
  };

  it('writes a later 429’s pause when it is over a second longer than the one written', async () => {
    const { batch, tickets, pausedUntil, now } = await setUpBatch();
    const [a, b, c] = tickets as [RateTicket, RateTicket, RateTicket];
    // Answers 0.9 s apart, each with Retry-After: 5.
    await batch.throttled(a, now + 5000);
    await batch.throttled(b, now + 5900);
    await batch.throttled(c, now + 6800);
    expect(pausedUntil()).toBe(now + 6800);
  });

  it('writes its own pause when the write it counted on failed', async () => {
    const { world, batch, tickets, pausedUntil, now } = await setUpBatch();
    const [a, b] = tickets as [RateTicket, RateTicket];
    const update = world.rateLimits.update.bind(world.rateLimits);
    let failures = 1;
    world.rateLimits.update = async (id, change) => {
      if (failures-- > 0) throw new Error('ThrottlingException');
      return update(id, change);
    };
    const first = batch.throttled(a, now + 5000);
    const second = batch.throttled(b, now + 5000);
    await expect(first).rejects.toThrow('ThrottlingException');
    await second;
    expect(pausedUntil()).toBe(now + 5000);
  });
});
