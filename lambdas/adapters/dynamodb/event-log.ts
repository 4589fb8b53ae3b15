import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import DataLoader from 'dataloader';
import {
  EVENT_LOG_SHARDS,
  entityIndexPartition,
  eventLogPartition,
  type LoggedEvent,
  logShardOf,
} from '../../domain/event.ts';
import { entityOf } from '../../domain/event-names.ts';
import type { EventLogStore, EventRangeQuery } from '../../domain/ports/events.ts';
import type { Clock } from '../../domain/ports/platform.ts';
import { type ShardItem, type ShardPage, shardReadStart } from '../../domain/sharded-merge.ts';
import {
  expiresAtOf,
  frontierOf,
  getAll,
  instantOf,
  isExpired,
  putAll,
  queryAll,
  readWholeInstants,
} from './partition.ts';
import { loggedEventsFromChunk } from './stored-items.ts';

/**
 * Most JSON bytes of one chunk before compression: keeps an item far below DynamoDB's 400 KB whatever the
 * payloads compress to, while a publish of 100 events of a few KiB stays a handful of items.
 */
const MAX_CHUNK_JSON_BYTES = 300_000;

type Key = { pk: string; sk: string };
type Read = { receivedAt: string; eventId: string; chunk?: string };

/** A chunk's id: a digest of its event ids, so writing the same events again overwrites the same item. */
const chunkIdOf = (events: readonly LoggedEvent[]): string =>
  createHash('sha1')
    .update(
      events
        .map((event) => event.id)
        .sort()
        .join('\n'),
    )
    .digest('base64url')
    .slice(0, 16);

/**
 * The event log table, compact: the events received at one instant (one publish request) and written
 * together are one gzipped item, `pk = {tenant}#{shard of the instant}`, `sk = {received_at}#{chunk id}`.
 * A publish of 100 events of about 1 KiB costs a few write units instead of 100, and a range read costs
 * what the compressed bytes do. Events are read back through the instant they were received at: with the
 * chunk id (which `put` hands out and delivery messages carry) one item, without it every chunk of that
 * instant (one publish request at most).
 *
 * Writes and reads made in the same tick (a batch of SQS records processed in parallel) are grouped, so
 * a batch of the fan-out is one chunk per instant, and a delivery batch one BatchGetItem.
 */
export class DynamoEventLog implements EventLogStore {
  private readonly writer: DataLoader<LoggedEvent, string, string>;
  private readonly reader: DataLoader<Read, LoggedEvent | undefined, string>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** One tenant per deployment; part of every key. */
    private readonly tenant: string,
    private readonly retentionDays: number,
    private readonly clock: Clock,
    /**
     * Also writes an entity index item per event that has an entity id (see DynamoEntityIndex): one write
     * unit per event more, which a deployment turns on for cheap "what happened to order X" queries.
     */
    private readonly indexEntities: boolean,
  ) {
    this.writer = new DataLoader((events) => this.writeBatch(events), {
      cache: false,
      maxBatchSize: 100,
      cacheKeyFn: (event) => `${event.received_at}#${event.id}`,
    });
    this.reader = new DataLoader((reads) => this.readBatch(reads), {
      cache: false,
      maxBatchSize: 100,
      cacheKeyFn: (read) => `${read.receivedAt}#${read.eventId}#${read.chunk ?? ''}`,
    });
  }

  async put(event: LoggedEvent): Promise<string> {
    return this.writer.load(event);
  }

  async get(receivedAt: string, eventId: string, chunk?: string): Promise<LoggedEvent | undefined> {
    return this.reader.load({ receivedAt, eventId, ...(chunk !== undefined && { chunk }) });
  }

  async readShard(
    shard: number,
    query: EventRangeQuery,
    cursor: string | undefined,
    limit: number,
  ): Promise<ShardPage<LoggedEvent>> {
    const start = shardReadStart(query, cursor);
    if (start === 'done') return { items: [] };
    const { afterSk } = start;
    // The events of one instant may span several chunks, sorted by chunk id rather than event id.
    const { items: chunks, open } = await readWholeInstants(this.client, {
      tableName: this.tableName,
      pk: eventLogPartition(this.tenant, shard),
      from: query.from,
      to: query.to,
      ...(afterSk !== undefined && { afterSk }),
      ...(query.descending && { descending: true }),
      ...(query.consistent && { consistent: true }),
      limit,
    });

    const entity = query.entity;
    const items: ShardItem<LoggedEvent>[] = [];
    const seen = new Set<string>();
    for (const chunk of chunks) {
      if (isExpired(chunk, this.clock.now())) continue;
      for (const event of loggedEventsFromChunk(chunk)) {
        const sk = `${event.received_at}#${event.id}`;
        // A fan-out batch that ran twice may have written an event into two chunks of its instant.
        if (seen.has(sk)) continue;
        seen.add(sk);
        if (afterSk !== undefined && (query.descending ? sk >= afterSk : sk <= afterSk)) continue;
        if (query.name && event.name !== query.name) continue;
        if (entity && entityOf(event.name) !== entity) continue;
        if (query.entityId && event.entity_id !== query.entityId) continue;
        items.push({
          sk,
          item: query.includePayload === false ? { ...event, payload: {} } : event,
        });
      }
    }
    items.sort((a, b) => (a.sk === b.sk ? 0 : a.sk < b.sk !== Boolean(query.descending) ? -1 : 1));
    return { items, ...(open !== undefined && { lastEvaluatedSk: frontierOf(open, query.descending) }) };
  }

  async hasEventsReceivedBetween(from: string, to: string): Promise<boolean> {
    if (from >= to) return false;
    const found = await Promise.all(
      Array.from({ length: EVENT_LOG_SHARDS }, async (_, shard) => {
        const { Items } = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            // `to` itself is excluded: its sort keys start with `to` and sort after it.
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': eventLogPartition(this.tenant, shard),
              ':from': from,
              ':to': to,
            },
            ProjectionExpression: 'pk',
            Limit: 1,
          }),
        );
        return (Items ?? []).length > 0;
      }),
    );
    return found.some(Boolean);
  }

  private chunkKey(receivedAt: string, chunk: string): Key {
    return { pk: eventLogPartition(this.tenant, logShardOf(receivedAt)), sk: `${receivedAt}#${chunk}` };
  }

  /** One item per instant (split when large), each event resolved with the id of the chunk it went into. */
  private async writeBatch(events: readonly LoggedEvent[]): Promise<(string | Error)[]> {
    const byInstant = new Map<string, Map<string, LoggedEvent>>();
    for (const event of events) {
      const group = byInstant.get(event.received_at) ?? new Map<string, LoggedEvent>();
      // The same event twice in one batch (a redelivered message) is written once.
      group.set(event.id, event);
      byInstant.set(event.received_at, group);
    }
    const chunkOf = new Map<string, string>();
    const items: Record<string, unknown>[] = [];
    for (const [receivedAt, group] of byInstant) {
      const sorted = [...group.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      for (const part of splitBySize(sorted)) {
        const chunk = chunkIdOf(part);
        const json = JSON.stringify(
          part.map(({ id, tenant, name, published_at, payload, entity_id, position }) => ({
            id,
            tenant,
            name,
            published_at,
            payload,
            ...(entity_id !== undefined && { entity_id }),
            ...(position !== undefined && { position }),
          })),
        );
        const expiresAt = expiresAtOf(receivedAt, this.retentionDays);
        items.push({
          ...this.chunkKey(receivedAt, chunk),
          received_at: receivedAt,
          count: part.length,
          events: gzipSync(json),
          expires_at: expiresAt,
        });
        for (const event of part) {
          chunkOf.set(`${receivedAt}#${event.id}`, chunk);
          if (this.indexEntities && event.entity_id !== undefined) {
            items.push({
              pk: entityIndexPartition(this.tenant, event.entity_id),
              sk: `${receivedAt}#${event.id}`,
              received_at: receivedAt,
              event_id: event.id,
              name: event.name,
              chunk,
              expires_at: expiresAt,
            });
          }
        }
      }
    }
    try {
      await putAll(this.client, this.tableName, items);
    } catch (error) {
      return events.map(() => error as Error);
    }
    return events.map((event) => chunkOf.get(`${event.received_at}#${event.id}`) ?? new Error('not written'));
  }

  private async readBatch(reads: readonly Read[]): Promise<(LoggedEvent | undefined | Error)[]> {
    const found = new Map<string, LoggedEvent>();
    // A chunk that does not parse fails the reads of its instant only, not every read batched with it.
    const failed = new Map<string, Error>();
    const collect = (chunks: Record<string, unknown>[]) => {
      for (const chunk of chunks) {
        if (isExpired(chunk, this.clock.now())) continue;
        try {
          for (const event of loggedEventsFromChunk(chunk))
            found.set(`${event.received_at}#${event.id}`, event);
        } catch (error) {
          failed.set(instantOf(chunk.sk as string), error as Error);
        }
      }
    };
    const exact = new Map<string, Key>();
    for (const read of reads) {
      if (read.chunk === undefined) continue;
      const key = this.chunkKey(read.receivedAt, read.chunk);
      exact.set(key.sk, key);
    }
    if (exact.size > 0) collect(await getAll(this.client, this.tableName, [...exact.values()]));
    // Without a chunk id (or with one that no longer holds the event): every chunk of its instant.
    const instants = new Set(
      reads.filter((read) => !found.has(`${read.receivedAt}#${read.eventId}`)).map((read) => read.receivedAt),
    );
    const groups = await Promise.all(
      [...instants].map((receivedAt) =>
        queryAll(this.client, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :instant)',
          ExpressionAttributeValues: {
            ':pk': eventLogPartition(this.tenant, logShardOf(receivedAt)),
            ':instant': `${receivedAt}#`,
          },
        }),
      ),
    );
    collect(groups.flat());
    return reads.map(
      (read) => found.get(`${read.receivedAt}#${read.eventId}`) ?? failed.get(read.receivedAt),
    );
  }
}

/** Consecutive runs of events whose JSON stays within MAX_CHUNK_JSON_BYTES (one event alone always fits). */
const splitBySize = (events: readonly LoggedEvent[]): LoggedEvent[][] => {
  const parts: LoggedEvent[][] = [];
  let current: LoggedEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event.payload)) + 200;
    if (current.length > 0 && bytes + size > MAX_CHUNK_JSON_BYTES) {
      parts.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) parts.push(current);
  return parts;
};
