import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import DataLoader from 'dataloader';
import { EVENT_LOG_SHARDS, eventLogPartition, type LoggedEvent, logShardOf } from '../../domain/event.ts';
import { entityOf } from '../../domain/event-names.ts';
import type { EventLogStore, EventRangeQuery } from '../../domain/ports/events.ts';
import type { Clock } from '../../domain/ports/platform.ts';
import { type ShardItem, type ShardPage, shardReadStart } from '../../domain/sharded-merge.ts';
import {
  eventLogChunkKey,
  frontierOf,
  getAll,
  instantOf,
  isExpired,
  queryAll,
  readWholeInstants,
} from './partition.ts';
import { loggedEventsFromChunk } from './stored-items.ts';

type Key = { pk: string; sk: string };
type Read = { receivedAt: string; eventId: string; chunk?: string };

/**
 * The event log table, compact: the events received at one instant (one publish request) and written
 * together are one gzipped item, `pk = {tenant}#{shard of the instant}`, `sk = {received_at}#{chunk id}`.
 * A publish of 100 events of about 1 KiB costs a few write units instead of 100, and a range read costs
 * what the compressed bytes do. Events are read back through the instant they were received at: with the
 * chunk id (which DynamoEventLogWriter's `put` hands out and delivery messages carry) one item, without it every chunk of that
 * instant (one publish request at most).
 *
 * Reads made in the same tick (a batch of SQS records processed in parallel) are grouped: a delivery batch
 * is one BatchGetItem (writes are grouped likewise by the writer).
 */
export class DynamoEventLog implements EventLogStore {
  private readonly reader: DataLoader<Read, LoggedEvent | undefined, string>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** One tenant per deployment; part of every key. */
    private readonly tenant: string,
    private readonly clock: Clock,
  ) {
    this.reader = new DataLoader((reads) => this.readBatch(reads), {
      cache: false,
      maxBatchSize: 100,
      cacheKeyFn: (read) => `${read.receivedAt}#${read.eventId}#${read.chunk ?? ''}`,
    });
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
      const key = eventLogChunkKey(this.tenant, read.receivedAt, read.chunk);
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
