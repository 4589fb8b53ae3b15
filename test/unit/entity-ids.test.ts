import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { exportLine } from '../../lambdas/domain/export-file.ts';
import type { IngestMessage } from '../../lambdas/domain/messages.ts';
import { WebhookDispatcher } from '../../lambdas/use-cases/webhook-dispatcher.ts';
import { ApiKeyAuthorizer, FakeHttpSender } from '../support/memory/deliveries.ts';
import { isoPlus, loggedEvent, MINUTE_MS, webhookIntegration } from '../support/memory/fixtures.ts';
import { memoryWorld } from '../support/memory/world.ts';

const publishOne = async (event: Record<string, unknown>) => {
  const world = memoryWorld();
  await world.publisher.publish({ events: [event] });
  return world.queues.ingest.bodies<IngestMessage>()[0]?.event;
};

describe('entity ids at publish', () => {
  it('keeps the entity id a producer gives, whatever payload.id says', async () => {
    const event = await publishOne({ name: 'order.created', entity_id: 'ORD-1', payload: { id: 'x' } });
    expect(event?.entity_id).toBe('ORD-1');
  });

  it('takes payload.id when none is given and it is a string', async () => {
    expect((await publishOne({ name: 'order.created', payload: { id: 'o-1' } }))?.entity_id).toBe('o-1');
  });

  it.each([
    ['a number', 42],
    ['an empty string', ''],
    ['a string over 256 characters', 'x'.repeat(257)],
    ['absent', undefined],
  ])('leaves it out when payload.id is %s', async (_, id) => {
    const event = await publishOne({ name: 'order.created', payload: id === undefined ? {} : { id } });
    expect(event).toBeDefined();
    expect(event && 'entity_id' in event).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['over 256 characters', 'x'.repeat(257)],
    ['not a string', 7],
  ])('refuses an entity_id that is %s, naming it', async (_, entityId) => {
    await expect(
      publishOne({ name: 'order.created', entity_id: entityId, payload: {} }),
    ).rejects.toMatchObject({ field: 'events[0].entity_id' });
  });
});

describe('entity ids in the pipeline', () => {
  it('gives an event that came without one (EventBridge) the entity id of its payload', async () => {
    const world = memoryWorld();
    const { fanOut } = world;
    const record = (event: Record<string, unknown>) => ({
      messageId: randomUUID(),
      body: JSON.stringify({ event: { id: randomUUID(), name: 'order.created', ...event } }),
      sentAt: new Date('2026-11-30T11:59:00.000Z'),
    });
    const records = [
      record({ payload: { id: 'o-7' } }),
      record({ entity_id: 'E-1', payload: { id: 'o-8' } }),
    ];
    const batch = await fanOut.batch(records);
    for (const { messageId } of records) await fanOut.process(messageId, batch);
    expect(world.eventLog.all().map((event) => event.entity_id)).toEqual(['o-7', 'E-1']);
  });

  it('sends it in the event-entity-id header, not in the signed body; encoded when not plain ASCII', async () => {
    const world = memoryWorld(new Date());
    const sender = new FakeHttpSender();
    const dispatcher = new WebhookDispatcher({
      secrets: world.secrets,
      sender,
      authorizer: new ApiKeyAuthorizer(),
      clock: world.clock,
      userAgent: 'ua',
    });
    const now = world.clock.now().toISOString();
    await dispatcher.dispatch(webhookIntegration(), loggedEvent(now, { entity_id: 'ORD-1' }));
    await dispatcher.dispatch(webhookIntegration(), loggedEvent(now, { entity_id: 'Bestellung-ü 1' }));
    await dispatcher.dispatch(webhookIntegration(), loggedEvent(now));
    const [plain, encoded, none] = sender.requests;
    expect(plain?.headers['event-entity-id']).toBe('ORD-1');
    expect(JSON.parse(plain?.body ?? '{}')).not.toHaveProperty('entity_id');
    expect(decodeURIComponent(encoded?.headers['event-entity-id'] ?? '')).toBe('Bestellung-ü 1');
    expect(encoded?.headers['event-entity-id']).toMatch(/^[\x21-\x7e]+$/);
    expect(none?.headers).not.toHaveProperty('event-entity-id');
  });

  it('writes it into an S3 line as entity_id, the id still first', () => {
    const event = loggedEvent('2026-11-30T11:00:00.000Z', { entity_id: 'ORD-1' });
    const line = exportLine(event);
    expect(line.startsWith(`{"id":"${event.id}"`)).toBe(true);
    expect(JSON.parse(line)).toMatchObject({ id: event.id, entity_id: 'ORD-1' });
  });
});

describe('entity ids in queries', () => {
  const setUp = async () => {
    const world = memoryWorld();
    const { queries } = world;
    const integration = world.integrations.seed(webhookIntegration());
    const events = ['ORD-1', 'ORD-2', 'ORD-1'].map((entityId, i) =>
      loggedEvent(isoPlus(world.clock.now(), -(3 - i) * MINUTE_MS), { entity_id: entityId }),
    );
    for (const event of events) {
      await world.eventLog.put(event);
      await world.history.recordAttempt(integration, event, 'delivered', {
        at: event.received_at,
        duration_ms: 3,
        status_code: 200,
      });
    }
    return { queries, integration, events };
  };

  it('lists only the events about one entity, with their entity ids', async () => {
    const { queries, events } = await setUp();
    const page = await queries.events({ entity_id: 'ORD-1' });
    expect(page.events.map((event) => event.id)).toEqual([events[0]?.id, events[2]?.id]);
    expect(page.events.every((event) => event.entity_id === 'ORD-1')).toBe(true);
  });

  it("lists only an integration's deliveries about one entity, newest first, with their entity ids", async () => {
    const { queries, integration, events } = await setUp();
    const page = await queries.deliveries(integration.id, { entity_id: 'ORD-1' });
    expect(page.deliveries.map((delivery) => [delivery.event_id, delivery.entity_id])).toEqual([
      [events[2]?.id, 'ORD-1'],
      [events[0]?.id, 'ORD-1'],
    ]);
  });

  it('refuses an empty entity_id filter, naming it', async () => {
    const { queries } = await setUp();
    await expect(queries.events({ entity_id: '' })).rejects.toMatchObject({ field: 'entity_id' });
  });
});
