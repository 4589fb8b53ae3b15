import { describe, expect, it } from 'vitest';
import { NotFoundError, ReceiverError, ValidationError } from '../../../lambdas/domain/errors.ts';
import type { LoggedEvent } from '../../../lambdas/domain/event.ts';
import type { DeliveryStatus, Integration } from '../../../lambdas/domain/integration.ts';
import {
  isoPlus,
  loggedEvent,
  MINUTE_MS,
  newId,
  s3Integration,
  webhookIntegration,
} from '../../support/memory/fixtures.ts';
import { type MemoryWorld, memoryWorld } from '../../support/memory/world.ts';

const setUp = () => {
  const world = memoryWorld();
  return { world, queries: world.queries };
};

/** Logs `count` events a minute apart, the last a minute ago; alternately orders and items. */
const logEvents = async (world: MemoryWorld, count: number): Promise<LoggedEvent[]> => {
  const events = Array.from({ length: count }, (_, i) =>
    loggedEvent(isoPlus(world.clock.now(), -(count - i) * MINUTE_MS), {
      name: i % 2 ? 'item.moved' : 'order.created',
    }),
  );
  for (const event of events) await world.eventLog.put(event);
  return events;
};

const record = (world: MemoryWorld, integration: Integration, event: LoggedEvent, status: DeliveryStatus) =>
  world.history.recordAttempt(integration, event, status, {
    at: event.received_at,
    duration_ms: 3,
    status_code: 200,
  });

describe('HistoryQueries.events', () => {
  it('pages through every event of the window in order, each once', async () => {
    const { world, queries } = setUp();
    const events = await logEvents(world, 11);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await queries.events({ limit: '3', ...(token && { next_token: token }) });
      expect(page.events.length).toBeLessThanOrEqual(3);
      seen.push(...page.events.map((event) => event.id));
      token = page.next_token;
    } while (token);
    expect(seen).toEqual(events.map((event) => event.id));
  });

  it('filters by name and by entity, and leaves payloads out unless asked', async () => {
    const { world, queries } = setUp();
    const events = await logEvents(world, 6);
    const byName = await queries.events({ name: 'item.moved' });
    expect(byName.events.map((event) => event.id)).toEqual(
      events.filter((e) => e.name === 'item.moved').map((e) => e.id),
    );
    expect(byName.events[0]).not.toHaveProperty('payload');
    const byEntity = await queries.events({ entity: 'order', include_payload: 'true' });
    expect(byEntity.events).toHaveLength(3);
    expect(byEntity.events[0]).toHaveProperty('payload');
  });

  it('refuses a page token with other parameters than its query’s', async () => {
    const { world, queries } = setUp();
    await logEvents(world, 5);
    const first = await queries.events({ limit: '2', name: 'order.created' });
    expect(first.next_token).toBeDefined();
    await expect(
      queries.events({ limit: '2', name: 'item.moved', next_token: first.next_token }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(queries.events({ next_token: 'forged.token' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('HistoryQueries.deliveries', () => {
  it('lists an integration’s deliveries newest first, by status, with attempts when asked', async () => {
    const { world, queries } = setUp();
    const integration = world.integrations.seed(webhookIntegration());
    const events = await logEvents(world, 4);
    for (const [i, event] of events.entries())
      await record(world, integration, event, i === 1 ? 'failed' : 'delivered');
    const all = await queries.deliveries(integration.id, { include_attempts: 'true' });
    expect(all.deliveries.map((delivery) => delivery.event_id)).toEqual(
      events.map((event) => event.id).reverse(),
    );
    expect(all.deliveries[0]).toMatchObject({ attempt_count: 1, attempts: [{ status_code: 200 }] });
    const failed = await queries.deliveries(integration.id, { status: 'failed' });
    expect(failed.deliveries.map((delivery) => delivery.event_id)).toEqual([events[1]?.id]);
  });

  it('binds a page token to its integration', async () => {
    const { world, queries } = setUp();
    const first = world.integrations.seed(webhookIntegration());
    const second = world.integrations.seed(webhookIntegration());
    for (const event of await logEvents(world, 5)) await record(world, first, event, 'delivered');
    const page = await queries.deliveries(first.id, { limit: '2' });
    expect(page.next_token).toBeDefined();
    await expect(
      queries.deliveries(second.id, { limit: '2', next_token: page.next_token }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('answers 404 for an unknown integration', async () => {
    const { queries } = setUp();
    await expect(queries.deliveries(newId(), {})).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('HistoryQueries.retryDelivery', () => {
  it('sends a delivery again: 200 marks it delivered; another answer is a 502 and keeps its status', async () => {
    const { world, queries } = setUp();
    const integration = world.integrations.seed(webhookIntegration());
    const [event] = await logEvents(world, 1);
    if (!event) throw new Error('no event');
    await record(world, integration, event, 'failed');
    world.sender.answer(500);
    const at = { received_at: event.received_at };
    await expect(queries.retryDelivery(integration.id, event.id, at)).rejects.toBeInstanceOf(ReceiverError);
    expect((await world.history.get(integration, event.received_at, event.id))?.status).toBe('failed');
    world.sender.answer(200);
    expect(await queries.retryDelivery(integration.id, event.id, at)).toEqual({
      id: event.id,
      status: 'delivered',
      status_code: 200,
    });
    const after = await world.history.get(integration, event.received_at, event.id);
    expect(after).toMatchObject({ status: 'delivered' });
    expect(after?.attempts).toHaveLength(3);
  });

  it('answers 404 for an event never delivered to it, and 400 for S3 integrations', async () => {
    const { world, queries } = setUp();
    const integration = world.integrations.seed(webhookIntegration());
    const [event] = await logEvents(world, 1);
    if (!event) throw new Error('no event');
    const at = { received_at: event.received_at };
    await expect(queries.retryDelivery(integration.id, event.id, at)).rejects.toBeInstanceOf(NotFoundError);
    await record(world, integration, event, 'failed');
    // The same event id at another time is another delivery, and there is none.
    const elsewhere = { received_at: isoPlus(new Date(event.received_at), 1) };
    await expect(queries.retryDelivery(integration.id, event.id, elsewhere)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const s3 = world.integrations.seed(s3Integration());
    await expect(queries.retryDelivery(s3.id, event.id, at)).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses a resend without the received time that addresses the delivery, naming the field', async () => {
    const { world, queries } = setUp();
    const integration = world.integrations.seed(webhookIntegration());
    const refusal = await queries.retryDelivery(integration.id, 'e-1', {}).catch((error) => error);
    expect(refusal).toBeInstanceOf(ValidationError);
    expect(refusal.field).toBe('received_at');
    await expect(
      queries.retryDelivery(integration.id, 'e-1', { received_at: 'yesterday' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
