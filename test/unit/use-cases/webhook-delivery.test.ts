import { describe, expect, it, vi } from 'vitest';
import { breakerSettingsFor } from '../../../lambdas/domain/circuit-breaker.ts';
import type { LoggedEvent } from '../../../lambdas/domain/event.ts';
import type { Integration } from '../../../lambdas/domain/integration.ts';
import { type DeliveryMessage, inlineEventOf } from '../../../lambdas/domain/messages.ts';
import { INTEGRATION_MAX_AGE_MS } from '../../../lambdas/use-cases/integration-cache.ts';
import { DAY_MS, HOUR_MS, isoPlus, loggedEvent, webhookIntegration } from '../../support/memory/fixtures.ts';
import { deliveryProcess } from '../../support/memory/webhook-delivery.ts';
import { memoryWorld } from '../../support/memory/world.ts';

const RETRY_BUDGET_MS = 12 * HOUR_MS;
const STOP_WINDOW_MS = 24 * HOUR_MS;
const RETRY_SCHEDULE_SECONDS = [10, 60, 300];
/** Consecutive failures that open a breaker. */
const FAILURES = breakerSettingsFor(RETRY_SCHEDULE_SECONDS).failureThreshold;

const setUp = async (overrides: Partial<Integration> = {}) => {
  const world = memoryWorld();
  const delivery = deliveryProcess(world, {
    retryBudgetMs: RETRY_BUDGET_MS,
    stopWindowMs: STOP_WINDOW_MS,
    retryScheduleSeconds: RETRY_SCHEDULE_SECONDS,
  });
  const integration = world.integrations.seed(webhookIntegration(overrides));
  const event = loggedEvent(isoPlus(world.clock.now(), -5000));
  await world.eventLog.put(event);
  const message: DeliveryMessage = {
    integration_id: integration.id,
    generation: integration.created_at,
    event_id: event.id,
    received_at: event.received_at,
  };
  const firstTry = { attempt: 1, firstSentAt: new Date(event.received_at) };
  const record = () => world.history.get(integration, event.received_at, event.id);
  return { world, delivery, integration, event, message, firstTry, record };
};

describe('WebhookDelivery outcomes', () => {
  it('sends the event a message carries without reading the event log', async () => {
    const { world, delivery, message, firstTry, record, event } = await setUp();
    world.eventLog.get = async () => {
      throw new Error('the event log was read');
    };
    const carried = { ...message, event: inlineEventOf(event) };
    expect(await delivery.deliver(carried, firstTry)).toEqual({ done: true });
    expect(JSON.parse(world.sender.requests[0]?.body ?? '{}')).toMatchObject({
      id: event.id,
      payload: event.payload,
    });
    expect(await record()).toMatchObject({ status: 'delivered' });
  });

  it('2xx: delivered, recorded with its attempt, and noted as a success', async () => {
    const { world, delivery, message, firstTry, record, integration } = await setUp();
    world.sender.answer(202);
    expect(await delivery.deliver(message, firstTry)).toEqual({ done: true });
    expect(await record()).toMatchObject({ status: 'delivered', attempts: [{ status_code: 202 }] });
    expect((await world.deliveryState.get(integration.id)).last_success_at).toBe(
      world.clock.now().toISOString(),
    );
    expect(world.metrics.durations).toEqual([{ name: 'DeliveryLatency', milliseconds: 5000 }]);
  });

  it('400: kept among the rejected events with the receiver’s answer, logged, not retried', async () => {
    const { world, delivery, message, firstTry, record, integration, event } = await setUp();
    await world.deliveryState.recordFailure(integration.id, world.clock.now());
    world.sender.answer(400, {}, 'bad sku');
    expect(await delivery.deliver(message, firstTry)).toEqual({ done: true });
    expect(await world.rejected.get(integration.id, event.id)).toMatchObject({
      received_at: event.received_at,
      status_code: 400,
      response_excerpt: 'bad sku',
    });
    expect((await record())?.status).toBe('rejected');
    expect(await world.logs.actions(integration.id)).toEqual(['event_rejected']);
    // The receiver answered: it is up, so the stop window starts over.
    expect((await world.deliveryState.get(integration.id)).failing_since).toBeUndefined();
  });

  it('410: stops the integration with a reason and notes the event for the catch-up', async () => {
    const { world, delivery, message, firstTry, integration, event } = await setUp();
    world.sender.answer(410);
    expect(await delivery.deliver(message, firstTry)).toEqual({ done: true });
    expect((await world.integrations.get(integration.id))?.status).toBe('stopped');
    expect((await world.logs.list(integration.id))[0]?.reason).toContain('410');
    expect((await world.deliveryState.get(integration.id)).catch_up_from).toBe(event.received_at);
  });

  it('5xx: retried after the schedule’s step with jitter, recorded pending, logged once a minute', async () => {
    const { world, delivery, message, firstTry, record, integration } = await setUp();
    world.sender.answer(503).answer(503);
    const decision = await delivery.deliver(message, firstTry);
    expect(decision.done).toBe(false);
    const seconds = decision.done ? 0 : decision.retryInSeconds;
    expect(seconds).toBeGreaterThanOrEqual(8);
    expect(seconds).toBeLessThanOrEqual(12);
    world.clock.advance(10_000);
    await delivery.deliver(message, { ...firstTry, attempt: 2 });
    expect(await record()).toMatchObject({
      status: 'pending',
      attempts: [{ status_code: 503 }, { status_code: 503 }],
    });
    expect(await world.logs.actions(integration.id)).toEqual(['retry_triggered']);
  });

  it.each([
    ['30', 20],
    ['15', 15],
    ['1', 10],
  ])('honours Retry-After %s between the step and twice it (%i s)', async (header, expected) => {
    const { world, delivery, message, firstTry } = await setUp();
    world.sender.answer(429, { 'retry-after': header });
    expect(await delivery.deliver(message, firstTry)).toEqual({ done: false, retryInSeconds: expected });
  });

  it('a timeout or reset is retried like a 5xx', async () => {
    const { world, delivery, message, firstTry, record } = await setUp();
    world.sender.fail('timeout after 10000 ms');
    expect((await delivery.deliver(message, firstTry)).done).toBe(false);
    expect((await record())?.attempts[0]?.error).toBe('timeout after 10000 ms');
  });

  it('gives up after the retry budget: failed, retriable, and logged', async () => {
    const { world, delivery, message, record, integration } = await setUp();
    world.sender.answer(500);
    const late = { attempt: 9, firstSentAt: new Date(world.clock.now().getTime() - RETRY_BUDGET_MS) };
    expect(await delivery.deliver(message, late)).toEqual({ done: true });
    expect((await record())?.status).toBe('failed');
    expect((await world.logs.list(integration.id))[0]).toMatchObject({ action: 'delivery_failed' });
    expect((await world.integrations.get(integration.id))?.status).toBe('running');
  });

  it('stops an integration that had no success for the whole stop window, noting the event for the catch-up', async () => {
    const { world, delivery, message, firstTry, integration, event } = await setUp();
    await world.deliveryState.recordFailure(
      integration.id,
      new Date(world.clock.now().getTime() - STOP_WINDOW_MS),
    );
    world.sender.answer(500);
    expect(await delivery.deliver(message, firstTry)).toEqual({ done: true });
    const stopped = await world.integrations.get(integration.id);
    expect(stopped?.status).toBe('stopped');
    expect((await world.logs.list(integration.id))[0]?.reason).toContain('stop window 24 h');
    expect((await world.deliveryState.get(integration.id)).catch_up_from).toBe(event.received_at);
  });
});

describe('WebhookDelivery of messages that no longer apply', () => {
  it('notes a stopped integration’s event for its catch-up instead of sending it', async () => {
    const { world, delivery, message, firstTry, integration, event } = await setUp({ status: 'stopped' });
    expect(await delivery.deliver(message, firstTry)).toEqual({ done: true });
    expect(world.sender.requests).toEqual([]);
    expect((await world.deliveryState.get(integration.id)).catch_up_from).toBe(event.received_at);
  });

  it('drops a message of an earlier integration with the same id, and of a deleted one', async () => {
    const { world, delivery, message, firstTry, integration } = await setUp();
    await delivery.deliver({ ...message, generation: '2026-10-01T00:00:00.000Z' }, firstTry);
    await world.integrations.delete(integration.id);
    // The process keeps what it read for up to a second (see the next group).
    world.clock.advance(INTEGRATION_MAX_AGE_MS);
    await delivery.deliver(message, firstTry);
    expect(world.sender.requests).toEqual([]);
  });

  it('drops an event its filters no longer want, and one that left the event log', async () => {
    const { world, delivery, message, firstTry } = await setUp({
      filter_conditions: { entity_filter: ['item'] },
    });
    expect(await delivery.deliver(message, firstTry)).toEqual({ done: true });
    const fresh = await setUp();
    fresh.world.clock.advance(31 * DAY_MS);
    expect(await fresh.delivery.deliver(fresh.message, fresh.firstTry)).toEqual({ done: true });
    expect(fresh.world.metrics.counted('WebhookEventExpired')).toBe(1);
    expect([...world.sender.requests, ...fresh.world.sender.requests]).toEqual([]);
  });
});

describe('WebhookDelivery of an integration read a moment ago', () => {
  /** A message of `event` as the router makes it, naming the integration's version then. */
  const routed = (integration: Integration, event: { id: string; received_at: string }): DeliveryMessage => ({
    integration_id: integration.id,
    generation: integration.created_at,
    integration_version: integration.version,
    event_id: event.id,
    received_at: event.received_at,
  });

  const twoEvents = async (world: ReturnType<typeof memoryWorld>) => {
    const events = [
      loggedEvent(isoPlus(world.clock.now(), -2000)),
      loggedEvent(isoPlus(world.clock.now(), -1000)),
    ];
    for (const event of events) await world.eventLog.put(event);
    return events as [LoggedEvent, LoggedEvent];
  };

  it('reads the integration once a second, however many batches come', async () => {
    const { world, delivery, integration, firstTry } = await setUp();
    const reads = vi.spyOn(world.integrations, 'get');
    for (let i = 0; i < 5; i++) {
      const event = loggedEvent(isoPlus(world.clock.now(), -1000));
      await world.eventLog.put(event);
      await delivery.deliver(routed(integration, event), firstTry);
      world.clock.advance(INTEGRATION_MAX_AGE_MS / 4);
    }
    expect(world.sender.requests).toHaveLength(5);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('sees a start at once: a stopped copy is never used', async () => {
    const { world, delivery, integration, firstTry } = await setUp();
    const [whileStopped, retried] = await twoEvents(world);
    const { integration: stopped } = await world.stopper.stop(integration.id, 'Stopped via API.');
    expect(await delivery.deliver(routed(integration, whileStopped), firstTry)).toEqual({ done: true });
    expect(world.sender.requests).toEqual([]);
    await world.integrations.update({ ...stopped, status: 'running', version: stopped.version + 1 });
    // A retry queued before the start names an older version; it is sent, not taken for stopped.
    await delivery.deliver(routed(integration, retried), { ...firstTry, attempt: 2 });
    expect(world.sender.requests).toHaveLength(1);
  });

  it('reads the integration again for a message of its batch routed after a change', async () => {
    const { world, delivery, integration, firstTry } = await setUp({
      filter_conditions: { event_filter: ['order.created'] },
    });
    const [warm, old] = await twoEvents(world);
    await delivery.deliver(routed(integration, warm), firstTry);
    const widened: Integration = {
      ...integration,
      filter_conditions: { event_filter: ['order.created', 'invoice.created'] },
      version: integration.version + 1,
    };
    await world.integrations.update(widened);
    const invoice = { ...loggedEvent(isoPlus(world.clock.now(), -500)), name: 'invoice.created' };
    await world.eventLog.put(invoice);
    // Its first message names the version kept; the second the widened one.
    const messages = [routed(integration, old), routed(widened, invoice)];
    const batch = delivery.newBatch(messages);
    await Promise.all(messages.map((message) => delivery.deliver(message, firstTry, batch)));
    await delivery.finishBatch(batch);
    expect(world.sender.requests.map((request) => JSON.parse(request.body).id)).toContain(invoice.id);
    expect(world.sender.requests).toHaveLength(3);
  });

  it('delivers a message of an id registered anew, behind one of the old registration in its batch', async () => {
    const { world, delivery, integration, firstTry } = await setUp();
    const [first, second] = await twoEvents(world);
    await delivery.deliver(routed(integration, first), firstTry);
    await world.integrations.delete(integration.id);
    const anew = world.integrations.seed(
      webhookIntegration({ id: integration.id, created_at: isoPlus(world.clock.now(), -100) }),
    );
    const messages = [routed(integration, first), routed(anew, second)];
    const batch = delivery.newBatch(messages);
    await Promise.all(
      messages.map((message) => delivery.deliver(message, { ...firstTry, attempt: 2 }, batch)),
    );
    await delivery.finishBatch(batch);
    expect(world.sender.requests.map((request) => JSON.parse(request.body).id)).toEqual([
      first.id,
      second.id,
    ]);
  });

  it('sees a stop a second later in a message queued before it', async () => {
    const { world, delivery, integration, firstTry } = await setUp();
    const [before, queued] = await twoEvents(world);
    await delivery.deliver(routed(integration, before), firstTry);
    await world.stopper.stop(integration.id, 'Stopped via API.');
    world.clock.advance(INTEGRATION_MAX_AGE_MS);
    await delivery.deliver(routed(integration, queued), firstTry);
    expect(world.sender.requests).toHaveLength(1);
    expect((await world.deliveryState.get(integration.id)).catch_up_from).toBe(queued.received_at);
  });

  it('sends a changed URL at once to a message routed after the change', async () => {
    const { world, delivery, integration, firstTry } = await setUp();
    const [before, after] = await twoEvents(world);
    await delivery.deliver(routed(integration, before), firstTry);
    const moved: Integration = {
      ...integration,
      callback_parameters: { callback_url: 'https://erp-new.example.com/events' },
      version: integration.version + 1,
    };
    await world.integrations.update(moved);
    await delivery.deliver(routed(moved, after), firstTry);
    expect(world.sender.requests.map((request) => request.url)).toEqual([
      'https://erp.example.com/events',
      'https://erp-new.example.com/events',
    ]);
  });

  it('sends nothing more at once after it stopped the integration itself (a 410)', async () => {
    const { world, delivery, integration, firstTry } = await setUp();
    const [first, second] = await twoEvents(world);
    world.sender.answer(410);
    await delivery.deliver(routed(integration, first), firstTry);
    expect((await world.integrations.get(integration.id))?.status).toBe('stopped');
    await delivery.deliver(routed(integration, second), firstTry);
    expect(world.sender.requests).toHaveLength(1);
  });
});

describe('WebhookDelivery of a message delivered before', () => {
  it('does not send again what its record says was delivered (a crash after the delivery)', async () => {
    const { world, delivery, message, firstTry, record } = await setUp();
    world.sender.answer(200);
    expect(await delivery.deliver(message, firstTry)).toEqual({ done: true });
    // The same message again: the function died after the receiver's answer, before SQS deleted it.
    expect(await delivery.deliver(message, { ...firstTry, attempt: 2 })).toEqual({ done: true });
    expect(world.sender.requests).toHaveLength(1);
    expect((await record())?.attempts).toHaveLength(1);
    expect(world.metrics.counts.get('WebhookAlreadyDelivered')).toBe(1);
  });

  it('does not send again an event a second fan-out run queued again (a first receive, but not fresh)', async () => {
    const { world, delivery, message, firstTry, event } = await setUp();
    world.sender.answer(200);
    await delivery.deliver(message, firstTry);
    const requeued = { attempt: 1, firstSentAt: new Date(Date.parse(event.received_at) + 190_000) };
    expect(await delivery.deliver(message, requeued)).toEqual({ done: true });
    expect(world.sender.requests).toHaveLength(1);
  });

  it('reads no delivery record for a fresh message received for the first time', async () => {
    const { world, delivery, message, firstTry } = await setUp();
    const reads = vi.spyOn(world.history, 'get');
    world.sender.answer(200);
    expect(await delivery.deliver(message, firstTry)).toEqual({ done: true });
    expect(reads).not.toHaveBeenCalled();
    await delivery.deliver(message, { ...firstTry, attempt: 2 });
    expect(reads).toHaveBeenCalledTimes(1);
  });
});

describe('WebhookDelivery of an integration whose receiver keeps failing', () => {
  const failUntilOpen = async () => {
    const context = await setUp();
    const { world, delivery, message, firstTry } = context;
    for (let i = 0; i < FAILURES; i++) {
      world.sender.fail('timeout after 10000 ms');
      await delivery.deliver(message, firstTry);
    }
    return context;
  };

  it('parks its messages without a request after ten consecutive failures, and logs it once', async () => {
    const { world, delivery, message, firstTry, integration, record } = await failUntilOpen();
    expect(world.sender.requests).toHaveLength(FAILURES);
    const parked = await delivery.deliver(message, firstTry);
    expect(world.sender.requests).toHaveLength(FAILURES);
    // Back after the breaker lets a trial through (30 s), spread over a cooldown by event, not sooner than
    // its retry schedule says.
    expect(parked).toMatchObject({ done: false });
    const back = (parked as { retryInSeconds: number }).retryInSeconds;
    expect(back).toBeGreaterThanOrEqual(30);
    expect(back).toBeLessThan(60);
    expect(await delivery.deliver(message, { ...firstTry, attempt: 3 })).toMatchObject({ done: false });
    const retryIn = (await delivery.deliver(message, { ...firstTry, attempt: 3 })) as {
      retryInSeconds: number;
    };
    expect(retryIn.retryInSeconds).toBeGreaterThanOrEqual(240);
    expect(world.metrics.counts.get('WebhookParked')).toBe(3);
    expect((await world.logs.actions(integration.id)).filter((a) => a === 'deliveries_paused')).toHaveLength(
      1,
    );
    expect((await world.deliveryState.get(integration.id)).paused_since).toBeDefined();
    // Parking is not an attempt: the record holds the three requests only.
    expect((await record())?.attempts).toHaveLength(FAILURES);
  });

  it('spreads the return of parked messages over a cooldown after the trial, so they do not come back at once', async () => {
    const { world, delivery, integration, firstTry } = await failUntilOpen();
    const delays: number[] = [];
    for (let i = 0; i < 40; i++) {
      const event = loggedEvent(isoPlus(world.clock.now(), -1000));
      await world.eventLog.put(event);
      const decision = await delivery.deliver(
        {
          integration_id: integration.id,
          generation: integration.created_at,
          event_id: event.id,
          received_at: event.received_at,
        },
        firstTry,
      );
      delays.push((decision as { retryInSeconds: number }).retryInSeconds);
    }
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...delays)).toBeLessThan(60);
    // Forty messages over thirty seconds: no second takes more than a handful.
    const perSecond = new Map<number, number>();
    for (const delay of delays) perSecond.set(delay, (perSecond.get(delay) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(6);
  });

  it('does not hold back another integration', async () => {
    const { world, delivery, firstTry } = await failUntilOpen();
    const other = world.integrations.seed(webhookIntegration());
    const event = loggedEvent(isoPlus(world.clock.now(), -1000));
    await world.eventLog.put(event);
    const message = {
      integration_id: other.id,
      generation: other.created_at,
      event_id: event.id,
      received_at: event.received_at,
    };
    expect(await delivery.deliver(message, firstTry)).toEqual({ done: true });
    expect(world.sender.requests).toHaveLength(FAILURES + 1);
  });

  it('sends one trial after the cooldown; its answer resumes deliveries and says so in the log', async () => {
    const { world, delivery, message, firstTry, integration, record } = await failUntilOpen();
    world.clock.advance(30_000);
    world.sender.answer(200);
    expect(await delivery.deliver(message, firstTry)).toEqual({ done: true });
    expect((await record())?.status).toBe('delivered');
    const actions = await world.logs.actions(integration.id);
    expect(actions.filter((a) => a === 'deliveries_resumed')).toHaveLength(1);
    const state = await world.deliveryState.get(integration.id);
    expect(state.paused_since).toBeUndefined();
    // What was held back is replayed (housekeeping takes the point): from a minute before the first failure.
    expect(state.catch_up_from).toBe(isoPlus(world.clock.now(), -30_000 - 60_000));
    // Closed again: the next event is sent at once.
    const next = loggedEvent(world.clock.now().toISOString());
    await world.eventLog.put(next);
    const nextMessage = { ...message, event_id: next.id, received_at: next.received_at };
    expect(await delivery.deliver(nextMessage, firstTry)).toEqual({ done: true });
    expect(world.sender.requests).toHaveLength(FAILURES + 2);
  });

  it('lets the next message try at once when a trial failed before the receiver answered', async () => {
    const { world, delivery, message, firstTry } = await failUntilOpen();
    world.clock.advance(30_000);
    vi.spyOn(world.dispatcher, 'dispatch').mockRejectedValueOnce(new Error('secrets unreachable'));
    await expect(delivery.deliver(message, firstTry)).rejects.toThrow('secrets unreachable');
    world.sender.answer(200);
    expect(await delivery.deliver(message, firstTry)).toEqual({ done: true });
    expect(world.sender.requests).toHaveLength(FAILURES + 1);
  });

  it('opens on requests that hang, well before their timeout, calling them off', async () => {
    vi.useFakeTimers();
    try {
      const { world, delivery, integration, message, firstTry } = await setUp();
      // The receiver answered in 12 ms before: a request still running after a second hangs.
      world.sender.answer(200);
      await delivery.deliver(message, firstTry);
      const events = await Promise.all(
        [1, 2, 3].map(async () => {
          const event = loggedEvent(isoPlus(world.clock.now(), -1000));
          await world.eventLog.put(event);
          return event;
        }),
      );
      world.sender.hang().hang().hang();
      const batch = delivery.newBatch();
      const deliveries = events.map((event) =>
        delivery.deliver({ ...message, event_id: event.id, received_at: event.received_at }, firstTry, batch),
      );
      // Let the three requests start, then a second pass (the world's clock is the use case's).
      await vi.advanceTimersByTimeAsync(0);
      world.clock.advance(1100);
      await vi.advanceTimersByTimeAsync(1000);
      const decisions = await Promise.all(deliveries);
      expect(decisions.every((decision) => !decision.done)).toBe(true);
      expect(await world.logs.actions(integration.id)).toContain('deliveries_paused');
      // Paused: the next message is put back without a request.
      expect((await delivery.deliver(message, { ...firstTry, attempt: 2 })).done).toBe(true);
      const next = loggedEvent(isoPlus(world.clock.now(), -500));
      await world.eventLog.put(next);
      const parked = await delivery.deliver(
        { ...message, event_id: next.id, received_at: next.received_at },
        firstTry,
      );
      expect(parked.done).toBe(false);
      expect(world.sender.requests).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives up on a parked message whose retry budget is spent: failed, retriable, logged', async () => {
    const { world, delivery, message, integration, record } = await failUntilOpen();
    const late = { attempt: 9, firstSentAt: new Date(world.clock.now().getTime() - RETRY_BUDGET_MS) };
    expect(await delivery.deliver(message, late)).toEqual({ done: true });
    expect(world.sender.requests).toHaveLength(FAILURES);
    expect((await record())?.status).toBe('failed');
    const reason = (await world.logs.list(integration.id))[0]?.reason;
    expect(reason).toContain('_retry?received_at=');
    expect(reason).toContain('Last failure: timeout after 10000 ms');
  });
});
