import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../lambdas/domain/errors.ts';
import type { LoggedEvent } from '../../../lambdas/domain/event.ts';
import type { Integration } from '../../../lambdas/domain/integration.ts';
import type { EntityEvents } from '../../../lambdas/domain/ports/events.ts';
import { OrgDeliveries } from '../../../lambdas/use-cases/org-deliveries.ts';
import { ScannedEntityEvents } from '../../../lambdas/use-cases/scanned-entity-events.ts';
import {
  isoPlus,
  loggedEvent,
  MINUTE_MS,
  s3Integration,
  webhookIntegration,
} from '../../support/memory/fixtures.ts';
import { type MemoryWorld, memoryWorld, RETENTION_DAYS } from '../../support/memory/world.ts';

const deliveriesOf = (world: MemoryWorld, entityEvents: EntityEvents) =>
  new OrgDeliveries({
    integrations: world.integrations,
    history: world.history,
    entityEvents,
    clock: world.clock,
    retentionDays: RETENTION_DAYS,
    tokenKey: 'k',
  });

/**
 * Two webhooks and an S3 export; twelve events a minute apart about four orders, the last a minute ago.
 * Webhook `a` gets every event, `b` only order.cancelled (rejected), the export every event (staged into a
 * file).
 */
const setUp = async () => {
  const world = memoryWorld();
  const a = world.integrations.seed(webhookIntegration({ id: 'a-erp' }));
  const b = world.integrations.seed(webhookIntegration({ id: 'b-crm' }));
  const s3 = world.integrations.seed(s3Integration({ id: 'c-lake' }));
  const events = Array.from({ length: 12 }, (_, i) =>
    loggedEvent(isoPlus(world.clock.now(), -(12 - i) * MINUTE_MS), {
      name: i % 3 === 2 ? 'order.cancelled' : 'order.created',
      entity_id: `o-${i % 4}`,
    }),
  );
  const attempt = (event: LoggedEvent, extra: object) => ({
    at: event.received_at,
    duration_ms: 40,
    ...extra,
  });
  for (const event of events) {
    await world.eventLog.put(event);
    await world.history.recordAttempt(a, event, 'delivered', attempt(event, { status_code: 200 }));
    if (event.name === 'order.cancelled')
      await world.history.recordAttempt(b, event, 'rejected', attempt(event, { status_code: 400 }));
    await world.history.recordAttempt(s3, event, 'delivered', {
      at: event.received_at,
      duration_ms: 0,
      file: 's3://lake/exports/acme/1-data-x.export',
    });
  }
  return { world, events, a, b, s3 };
};

/** Every page, following next_token; checks no page is larger than asked. */
const all = async (deliveries: OrgDeliveries, query: Record<string, string>) => {
  const rows: Awaited<ReturnType<OrgDeliveries['list']>>['deliveries'] = [];
  let token: string | undefined;
  do {
    const page = await deliveries.list({ ...query, ...(token && { next_token: token }) });
    expect(page.deliveries.length).toBeLessThanOrEqual(Number(query.limit ?? 50));
    rows.push(...page.deliveries);
    token = page.next_token;
  } while (token);
  return rows;
};

const key = (row: { integration_id: string; event_id: string }) => `${row.integration_id}/${row.event_id}`;

/** What the list must hold for `events` (newest first) over `integrations`, in no particular tie order. */
const expected = (events: LoggedEvent[], integrations: Integration[]) =>
  [...events]
    .reverse()
    .flatMap((event) =>
      integrations
        .filter((integration) => integration.id !== 'b-crm' || event.name === 'order.cancelled')
        .map((integration) => `${integration.id}/${event.id}`),
    );

describe('OrgDeliveries', () => {
  it('lists every integration’s deliveries newest event first, each once, page after page', async () => {
    const { world, events, a, b, s3 } = await setUp();
    const rows = await all(deliveriesOf(world, world.entityIndex), { limit: '5' });
    expect(rows.map(key).sort()).toEqual(expected(events, [a, b, s3]).sort());
    const times = rows.map((row) => row.received_at);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('describes each delivery with its integration, entity and latest attempt; S3 ones with their file', async () => {
    const { world, events } = await setUp();
    const newest = events.at(-1) as LoggedEvent;
    const { deliveries } = await deliveriesOf(world, world.entityIndex).list({ limit: '3' });
    expect(deliveries).toEqual(
      expect.arrayContaining([
        {
          integration_id: 'a-erp',
          integration_type: 'permanent',
          target: 'webhook',
          status: 'delivered',
          event_id: newest.id,
          event_name: 'order.cancelled',
          entity: 'order',
          entity_id: newest.entity_id,
          received_at: newest.received_at,
          attempted_at: newest.received_at,
          attempts: 1,
          status_code: 200,
          response_time_ms: 40,
        },
        expect.objectContaining({
          integration_id: 'c-lake',
          target: 's3',
          file: 's3://lake/exports/acme/1-data-x.export',
        }),
      ]),
    );
    const lake = deliveries.find((row) => row.integration_id === 'c-lake');
    expect(lake).not.toHaveProperty('response_time_ms');
  });

  it.each([
    ['the entity index', true],
    ['a read of the history', false],
  ])('answers "what happened to order o-1" across integrations from %s', async (_, indexed) => {
    const { world, events, a, b, s3 } = await setUp();
    const entityEvents = indexed ? world.entityIndex : new ScannedEntityEvents(world.eventLog);
    const rows = await all(deliveriesOf(world, entityEvents), { entity_id: 'o-1', limit: '4' });
    const about = events.filter((event) => event.entity_id === 'o-1');
    expect(rows.map(key).sort()).toEqual(expected(about, [a, b, s3]).sort());
    expect(rows.every((row) => row.entity_id === 'o-1')).toBe(true);
    expect(rows.map((row) => row.received_at)).toEqual(
      rows
        .map((row) => row.received_at)
        .sort()
        .reverse(),
    );
  });

  it('reads no history shard for an entity query when the index is kept', async () => {
    const { world } = await setUp();
    let shardReads = 0;
    const readShard = world.history.readShard.bind(world.history);
    world.history.readShard = (...args) => {
      shardReads += 1;
      return readShard(...args);
    };
    const rows = await all(deliveriesOf(world, world.entityIndex), { entity_id: 'o-2' });
    expect(rows.length).toBeGreaterThan(0);
    expect(shardReads).toBe(0);
  });

  it('filters by integration, status, event name and entity type', async () => {
    const { world, events, b } = await setUp();
    const deliveries = deliveriesOf(world, world.entityIndex);
    const cancelled = events.filter((event) => event.name === 'order.cancelled');
    expect((await all(deliveries, { integration_id: 'b-crm' })).map(key).sort()).toEqual(
      expected(cancelled, [b]).sort(),
    );
    expect(
      (await all(deliveries, { status: 'rejected' })).every((row) => row.integration_id === 'b-crm'),
    ).toBe(true);
    const named = await all(deliveries, { event_name: 'order.created', integration_id: 'a-erp' });
    expect(named).toHaveLength(events.length - cancelled.length);
    expect(await all(deliveries, { entity: 'item' })).toEqual([]);
    expect((await all(deliveries, { entity: 'order', entity_id: 'o-3', status: 'rejected' })).length).toBe(
      cancelled.filter((event) => event.entity_id === 'o-3').length,
    );
  });

  it('answers 404 for an unknown integration and 400 naming a bad filter', async () => {
    const { world } = await setUp();
    const deliveries = deliveriesOf(world, world.entityIndex);
    await expect(deliveries.list({ integration_id: 'nope' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(deliveries.list({ status: 'lost' })).rejects.toMatchObject({ field: 'status' });
    await expect(deliveries.list({ limit: '0' })).rejects.toBeInstanceOf(ValidationError);
    await expect(deliveries.list({ next_token: 'forged.token' })).rejects.toBeInstanceOf(ValidationError);
  });
});
