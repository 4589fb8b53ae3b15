import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import DataLoader from 'dataloader';
import { EVENT_LOG_SHARDS, eventLogKey, eventLogPartition, type LoggedEvent } from '../../domain/event.ts';
import { entityOf } from '../../domain/event-names.ts';
import type { EventLogStore, EventRangeQuery } from '../../domain/ports/events.ts';
import type { Clock } from '../../domain/ports/platform.ts';
import type { ShardPage } from '../../domain/sharded-merge.ts';
import { getAll, putAll } from './partition.ts';
import { loggedEventFromItem } from './stored-items.ts';

type Key = { pk: string; sk: string };

const DAY_S = 86_400;

/**
 * The event log table. Writes and reads made in the same tick (a batch of SQS records processed in
 * parallel) are grouped into BatchWriteItem (25) and BatchGetItem (100) requests: a fraction of the
 * requests, and of the cost, of one call per event.
 */
export class DynamoEventLog implements EventLogStore {
  private readonly writer: DataLoader<LoggedEvent, true, string>;
  private readonly reader: DataLoader<Key, LoggedEvent | undefined, string>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** One tenant per deployment; part of every key. */
    private readonly tenant: string,
    private readonly retentionDays: number,
    private readonly clock: Clock,
  ) {
    this.writer = new DataLoader((events) => this.writeBatch(events), {
      cache: false,
      maxBatchSize: 25,
      cacheKeyFn: (event) => `${event.received_at}#${event.id}`,
    });
    this.reader = new DataLoader((keys) => this.readBatch(keys), {
      cache: false,
      maxBatchSize: 100,
      cacheKeyFn: (key) => `${key.pk}|${key.sk}`,
    });
  }

  async put(event: LoggedEvent): Promise<void> {
    await this.writer.load(event);
  }

  async get(receivedAt: string, eventId: string): Promise<LoggedEvent | undefined> {
    return this.reader.load(eventLogKey(this.tenant, receivedAt, eventId));
  }

  async readShard(
    shard: number,
    query: EventRangeQuery,
    afterSk: string | undefined,
    limit: number,
  ): Promise<ShardPage<LoggedEvent>> {
    // DynamoDB refuses an inverted BETWEEN; an inverted range simply holds nothing.
    if (query.from > query.to) return { items: [] };
    // A cursor from a page read when the range was different (an open range moves with the window) may lie
    // outside it, which DynamoDB refuses as a start key: clamp it.
    const upper = `${query.to}\uffff`;
    if (afterSk !== undefined && (query.descending ? afterSk > upper : afterSk < query.from))
      afterSk = undefined;
    if (afterSk !== undefined && (query.descending ? afterSk <= query.from : afterSk >= upper))
      return { items: [] };
    const pk = eventLogPartition(this.tenant, shard);
    const filters: string[] = [];
    const values: Record<string, unknown> = { ':pk': pk, ':from': query.from, ':to': `${query.to}\uffff` };
    const names: Record<string, string> = {};
    if (query.name) {
      filters.push('#name = :name');
      names['#name'] = 'name';
      values[':name'] = query.name;
    }
    if (query.entity) {
      filters.push('entity = :entity');
      values[':entity'] = query.entity;
    }
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ...(filters.length > 0 && { FilterExpression: filters.join(' AND ') }),
        ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
        ExpressionAttributeValues: values,
        ...(afterSk !== undefined && { ExclusiveStartKey: { pk, sk: afterSk } }),
        ...(query.consistent && { ConsistentRead: true }),
        ScanIndexForward: !query.descending,
        Limit: limit,
        ...(query.includePayload === false && {
          ProjectionExpression: 'pk, sk, id, tenant, #n2, published_at, received_at, expires_at',
          ExpressionAttributeNames: { ...names, '#n2': 'name' },
        }),
      }),
    );
    return {
      items: (page.Items ?? [])
        .filter((item) => !this.expired(item))
        .map((item) => ({ sk: item.sk as string, item: loggedEventFromItem(item) })),
      ...(page.LastEvaluatedKey && { lastEvaluatedSk: page.LastEvaluatedKey.sk as string }),
    };
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

  /** TTL deletes up to days late: an expired item is treated as gone. */
  private expired(item: Record<string, unknown>): boolean {
    return (
      typeof item.expires_at === 'number' && item.expires_at <= Math.floor(this.clock.now().getTime() / 1000)
    );
  }

  private async writeBatch(events: readonly LoggedEvent[]): Promise<(true | Error)[]> {
    const byKey = new Map<string, Record<string, unknown>>();
    for (const event of events) {
      const key = eventLogKey(this.tenant, event.received_at, event.id);
      const expiresAt = Math.floor(Date.parse(event.received_at) / 1000) + this.retentionDays * DAY_S;
      // The same event twice in one batch (a redelivered message) is one item: BatchWriteItem refuses duplicates.
      byKey.set(`${key.pk}|${key.sk}`, {
        ...key,
        ...event,
        entity: entityOf(event.name),
        expires_at: expiresAt,
      });
    }
    try {
      await putAll(this.client, this.tableName, [...byKey.values()]);
    } catch (error) {
      return events.map(() => error as Error);
    }
    return events.map(() => true);
  }

  private async readBatch(keys: readonly Key[]): Promise<(LoggedEvent | undefined | Error)[]> {
    // A stored item of another shape fails its own read only, not every read batched with it.
    const found = new Map<string, LoggedEvent | Error>();
    const unique = [...new Map(keys.map((key) => [`${key.pk}|${key.sk}`, key])).values()];
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    for (const item of await getAll(this.client, this.tableName, unique)) {
      // TTL deletes up to days late: an expired item is treated as gone.
      if (typeof item.expires_at === 'number' && item.expires_at <= nowSeconds) continue;
      try {
        found.set(`${item.pk}|${item.sk}`, loggedEventFromItem(item));
      } catch (error) {
        found.set(`${item.pk}|${item.sk}`, error as Error);
      }
    }
    return keys.map((key) => found.get(`${key.pk}|${key.sk}`));
  }
}
