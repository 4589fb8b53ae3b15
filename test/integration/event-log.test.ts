import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoEntityIndex } from '../../lambdas/adapters/dynamodb/entity-index.ts';
import { DynamoEventIdClaims } from '../../lambdas/adapters/dynamodb/event-id-claims.ts';
import { putAll, queryAll } from '../../lambdas/adapters/dynamodb/partition.ts';
import { EVENT_LOG_SHARDS, type LoggedEvent } from '../../lambdas/domain/event.ts';
import type { EventRangeQuery } from '../../lambdas/domain/ports/events.ts';
import { readMerged, type ShardCursor } from '../../lambdas/domain/sharded-merge.ts';
import { ScannedEntityEvents } from '../../lambdas/use-cases/scanned-entity-events.ts';
import { dynamoEventLog } from '../support/dynamo-event-log.ts';
import { useEmulators } from '../support/local-runtime.ts';

const emulators = useEmulators({ applyEnv: false });

const documents = () =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: emulators.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );

const event = (id: string, receivedAt: string): LoggedEvent => ({
  id,
  tenant: 'acme',
  name: 'order.created',
  published_at: receivedAt,
  payload: { id },
  received_at: receivedAt,
});

describe('event log', () => {
  it('writes events in batches and reads them back with their positions, the same write twice being one item', async () => {
    const clock = { now: () => new Date() };
    const log = dynamoEventLog(documents(), emulators.env.EVENT_LOG_TABLE_NAME as string, 'acme', clock);
    const receivedAt = new Date().toISOString();
    // Positions in the publish come back too: publish order within the instant.
    const events = Array.from({ length: 60 }, (_, i) => ({
      ...event(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, receivedAt),
      position: 59 - i,
    }));
    await Promise.all([...events, events[0] as LoggedEvent].map((e) => log.put(e)));
    const read = await Promise.all(events.map((e) => log.get(e.received_at, e.id)));
    expect(read).toEqual(events);
    expect(await log.get(receivedAt, 'missing')).toBeUndefined();
  });

  it('never returns an event past its retention, though TTL has not deleted it yet', async () => {
    const tableName = emulators.env.EVENT_LOG_TABLE_NAME as string;
    const client = documents();
    const DAY_MS = 86_400_000;
    // Received tomorrow by the machine's clock, so DynamoDB Local's own TTL (it does apply it) leaves the item
    // alone throughout; the log's clock is what moves past the retention.
    const receivedAt = new Date(Date.now() + DAY_MS).toISOString();
    const old = event(randomUUID(), receivedAt);
    const at = (ms: number) =>
      dynamoEventLog(client, tableName, 'acme', { now: () => new Date(Date.parse(receivedAt) + ms) });
    const chunk = await at(1000).put(old);
    expect(await at(19 * DAY_MS).get(old.received_at, old.id, chunk)).toEqual(old);
    expect(await at(19 * DAY_MS).get(old.received_at, old.id)).toEqual(old);
    expect(await at(31 * DAY_MS).get(old.received_at, old.id, chunk)).toBeUndefined();
  });

  it('keeps a publish of 100 events in a few items, and reads ranges in order page after page', async () => {
    const tableName = emulators.env.EVENT_LOG_TABLE_NAME as string;
    const client = documents();
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    const log = dynamoEventLog(client, tableName, tenant, { now: () => new Date() });
    const base = Date.parse('2026-11-30T10:00:00.000Z');
    // Twelve publishes (instants), each of ten events written by two fan-out batches of five; one batch
    // runs twice with another composition (a redelivery), so some events sit in two chunks.
    const published: LoggedEvent[] = [];
    for (let p = 0; p < 12; p++) {
      const receivedAt = new Date(base + p * 1000).toISOString();
      const events = Array.from({ length: 10 }, () => event(randomUUID(), receivedAt)).map((e, i) => ({
        ...e,
        name: i % 2 === 0 ? 'order.created' : 'return.created',
      }));
      published.push(...events);
      await Promise.all(events.slice(0, 5).map((e) => log.put(e)));
      await Promise.all(events.slice(5).map((e) => log.put(e)));
      if (p === 3) await Promise.all(events.slice(3, 8).map((e) => log.put(e)));
    }
    const items = await Promise.all(
      Array.from({ length: 8 }, (_, shard) =>
        queryAll(client, {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `${tenant}#${shard}` },
        }),
      ),
    );
    expect(items.flat()).toHaveLength(25);

    const sk = (e: LoggedEvent) => `${e.received_at}#${e.id}`;
    const expected = [...published].sort((a, b) => (sk(a) < sk(b) ? -1 : 1));
    const range = { from: new Date(base).toISOString(), to: new Date(base + 60_000).toISOString() };
    const readAll = async (query: EventRangeQuery, limit: number) => {
      const read: LoggedEvent[] = [];
      let cursor: ShardCursor | undefined;
      do {
        const page = await readMerged(
          EVENT_LOG_SHARDS,
          (shard, after, max) => log.readShard(shard, query, after, max),
          cursor,
          limit,
          query.descending,
        );
        read.push(...page.items);
        cursor = page.cursor;
      } while (cursor);
      return read;
    };
    // Query pages of one chunk: every instant spans several pages.
    expect(await readAll({ ...range }, 1)).toEqual(expected);
    expect(await readAll({ ...range, descending: true }, 3)).toEqual([...expected].reverse());
    expect(await readAll({ ...range, entity: 'return' }, 2)).toEqual(
      expected.filter((e) => e.name === 'return.created'),
    );
    // A range that starts and ends inside the publishes.
    const inner = { from: new Date(base + 2000).toISOString(), to: new Date(base + 4000).toISOString() };
    expect(await readAll(inner, 4)).toEqual(
      expected.filter((e) => e.received_at >= inner.from && e.received_at <= inner.to),
    );
    expect(await log.hasEventsReceivedBetween(inner.from, inner.to)).toBe(true);
    expect(
      await log.hasEventsReceivedBetween(new Date(base - 5000).toISOString(), new Date(base).toISOString()),
    ).toBe(false);
  });
});

describe('partition reads', () => {
  it('queryAll returns every item of a query, page after page', async () => {
    const client = documents();
    const table = emulators.env.STATE_TABLE_NAME as string;
    const pk = `PAGING#${randomUUID()}`;
    await putAll(
      client,
      table,
      Array.from({ length: 5 }, (_, i) => ({ pk, sk: `ITEM#${i}`, n: i })),
    );
    // Two items a page: three pages.
    const items = await queryAll(client, {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      Limit: 2,
    });
    expect(items.map((item) => item.n)).toEqual([0, 1, 2, 3, 4]);
  });

  it('reads the events about one entity from its index page by page, as a scan of the log finds them', async () => {
    const tableName = emulators.env.EVENT_LOG_TABLE_NAME as string;
    const client = documents();
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    const clock = { now: () => new Date() };
    const indexed = dynamoEventLog(client, tableName, tenant, clock, true);
    const plain = dynamoEventLog(client, tableName, `${tenant}-plain`, clock);
    const base = Date.parse('2026-11-30T10:00:00.000Z');
    // Five publishes of four events; order o-1 has an event in each, o-2 in every other.
    const written: LoggedEvent[] = [];
    for (let p = 0; p < 5; p++) {
      const receivedAt = new Date(base + p * 1000).toISOString();
      const events = ['o-1', 'o-2', 'o-3', 'o-4'].map((entityId, i) => ({
        ...event(randomUUID(), receivedAt),
        name: i === 0 && p % 2 ? 'order.updated' : 'order.created',
        entity_id: p % 2 && entityId === 'o-2' ? 'o-9' : entityId,
      }));
      await Promise.all(events.map((e) => Promise.all([indexed.put(e), plain.put(e)])));
      written.push(...events);
    }
    const index = new DynamoEntityIndex(client, tableName, tenant, indexed, clock);
    const scan = new ScannedEntityEvents(dynamoEventLog(client, tableName, tenant, clock));
    const range = { from: '2026-11-30T00:00:00.000Z', to: '2026-11-30T23:00:00.000Z', descending: true };
    const all = async (reader: typeof index | typeof scan, entityId: string, query = range) => {
      const ids: string[] = [];
      let cursor: ShardCursor | undefined;
      do {
        const page = await reader.page(entityId, query, cursor, 2);
        expect(page.items.length).toBeLessThanOrEqual(2);
        ids.push(...page.items.map((e) => e.id));
        cursor = page.cursor;
      } while (cursor);
      return ids;
    };
    const newestFirst = (entityId: string, name?: string) =>
      written
        .filter((e) => e.entity_id === entityId && (!name || e.name === name))
        .reverse()
        .map((e) => e.id);
    expect(await all(index, 'o-1')).toEqual(newestFirst('o-1'));
    expect(await all(index, 'o-2')).toEqual(newestFirst('o-2'));
    expect(await all(index, 'o-1', { ...range, name: 'order.updated' } as typeof range)).toEqual(
      newestFirst('o-1', 'order.updated'),
    );
    expect(await all(scan, 'o-1')).toEqual(newestFirst('o-1'));
    expect((await index.page('o-1', range, undefined, 10)).items[0]).toEqual(
      written.filter((e) => e.entity_id === 'o-1').at(-1),
    );
    // A log without the index writes none: its partition is empty.
    const plainIndex = await queryAll(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `${tenant}-plain#E#o-1` },
    });
    expect(plainIndex).toEqual([]);
  });

  it('claims an event id for its first publish only, until the claim leaves the window', async () => {
    const tableName = emulators.env.EVENT_LOG_TABLE_NAME as string;
    let now = new Date('2026-11-30T12:00:00.000Z');
    const claims = new DynamoEventIdClaims(documents(), tableName, `t-${randomUUID().slice(0, 8)}`, 30, {
      now: () => now,
    });
    const id = randomUUID();
    const first = '2026-11-30T12:00:00.000Z';
    const [a, b] = await Promise.all([claims.claim(id, first), claims.claim(id, '2026-11-30T12:00:01.000Z')]);
    // Two publishes at once: exactly one wins (here the one that wrote first).
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const winner = a ? first : '2026-11-30T12:00:01.000Z';
    expect(await claims.claim(id, winner)).toBe(true);
    expect(await claims.claim(id, '2026-12-01T00:00:00.000Z')).toBe(false);
    expect(await claims.claim(randomUUID(), first)).toBe(true);
    // 30 days on the claim has expired (whether or not TTL deleted it): the id may be published anew.
    now = new Date('2027-01-15T00:00:00.000Z');
    expect(await claims.claim(id, '2027-01-15T00:00:00.000Z')).toBe(true);
  });
});
