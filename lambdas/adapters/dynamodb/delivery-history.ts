import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import DataLoader from 'dataloader';
import { shardOf } from '../../domain/event.ts';
import { entityOf } from '../../domain/event-names.ts';
import type {
  DeliveryAttempt,
  DeliveryRecord,
  DeliveryStatus,
  Integration,
} from '../../domain/integration.ts';
import {
  DELIVERY_HISTORY_SHARDS,
  type DeliveryEventRef,
  type DeliveryHistory,
  type DeliveryRangeQuery,
  type HistoryWriter,
} from '../../domain/ports/deliveries.ts';
import type { Clock } from '../../domain/ports/platform.ts';
import { type ShardItem, type ShardPage, shardReadStart } from '../../domain/sharded-merge.ts';
import {
  deleteKeys,
  expiresAtOf,
  frontierOf,
  instantOf,
  isExpired,
  queryAll,
  readWholeInstants,
  writeAll,
} from './partition.ts';
import { type DeliveryEntry, deliveryEntriesFromItem } from './stored-items.ts';

/** Sort-key prefix of a temporary integration's pending markers: after every `{received_at}` key. */
const PENDING = 'P#';

type Key = { pk: string; sk: string };
type Noted = {
  integration: Integration;
  event: DeliveryEventRef;
  status: DeliveryStatus;
  attempt: DeliveryAttempt;
};
/** The records of one instant of one integration, by event id. */
type Instant = Map<string, DeliveryRecord>;

const isFinal = (status: DeliveryStatus) => status !== 'pending';

/**
 * The delivery history table, written per batch: the attempts a delivery batch made for the events of one
 * publish (one `received_at`) are one item, `pk = {integration id}@{created_at}#{shard of the instant}`,
 * `sk = {received_at}#{write id}`, holding an entry per attempt (gzipped JSON). An event's record is the merge of the
 * entries of its instant: its attempts in order, the status of the latest. With publishes of 100 events,
 * a delivery batch of 10 costs one or two writes instead of ten. The partition key carries the
 * integration's creation time, so an id registered again starts with an empty history while the old one
 * expires (TTL).
 *
 * A temporary integration's queued deliveries also get a marker item each (`sk = P#{received_at}#{event id}`,
 * in the sparse `PendingIndex`), removed with the attempt that ends them, so "anything left?" is one small
 * query.
 */
export class DynamoDeliveryHistory implements DeliveryHistory {
  /**
   * Reads of one instant made in the same tick (the messages of a delivery batch, each checking its record
   * before sending) are one consistent query.
   */
  private readonly reader: DataLoader<{ integration: Integration; receivedAt: string }, Instant, string>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
    private readonly clock: Clock,
  ) {
    const keyOf = ({ integration, receivedAt }: { integration: Integration; receivedAt: string }) =>
      `${this.generation(integration)}|${receivedAt}`;
    this.reader = new DataLoader(
      async (keys) => {
        // Without a cache, DataLoader hands over every load: one query per instant, however many asked.
        const reads = new Map<string, Promise<Instant>>();
        for (const key of keys) {
          if (!reads.has(keyOf(key)))
            reads.set(keyOf(key), this.readInstant(key.integration, key.receivedAt));
        }
        return Promise.all(keys.map((key) => reads.get(keyOf(key)) as Promise<Instant>));
      },
      { cache: false, cacheKeyFn: keyOf },
    );
  }

  async recordPending(integration: Integration, event: DeliveryEventRef): Promise<boolean> {
    // Never for a delivered event: a redelivered ingest message or a replay routing it again would otherwise
    // have it sent twice. A marker written just after a delivery ended is stale, and `hasPending` drops it.
    if (integration.integration_type !== 'temporary') return true;
    if ((await this.get(integration, event.received_at, event.id))?.status === 'delivered') return false;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...this.markerKey(integration, event.received_at, event.id),
          pending_for: this.generation(integration),
          expires_at: this.expiresAt(event.received_at),
        },
      }),
    );
    return true;
  }

  batch(): HistoryWriter {
    const noted: Noted[] = [];
    return {
      record: (integration, event, status, attempt) => {
        noted.push({ integration, event, status, attempt });
      },
      flush: async () => {
        const written = noted.splice(0);
        if (written.length > 0) await this.write(written);
      },
    };
  }

  async recordAttempt(
    integration: Integration,
    event: DeliveryEventRef,
    status: DeliveryStatus,
    attempt: DeliveryAttempt,
  ): Promise<void> {
    await this.write([{ integration, event, status, attempt }]);
  }

  async get(
    integration: Integration,
    receivedAt: string,
    eventId: string,
  ): Promise<DeliveryRecord | undefined> {
    return (await this.reader.load({ integration, receivedAt })).get(eventId);
  }

  async deliveredAmong(
    integration: Integration,
    events: readonly DeliveryEventRef[],
    anyFinal = false,
  ): Promise<Set<string>> {
    const finished = anyFinal ? isFinal : (status: DeliveryStatus) => status === 'delivered';
    const instants = await Promise.all(
      [...new Set(events.map((event) => event.received_at))].map((receivedAt) =>
        this.reader.load({ integration, receivedAt }),
      ),
    );
    const delivered = new Set<string>();
    for (const instant of instants) {
      for (const record of instant.values()) if (finished(record.status)) delivered.add(record.event_id);
    }
    return delivered;
  }

  async readShard(
    integration: Integration,
    shard: number,
    query: DeliveryRangeQuery,
    cursor: string | undefined,
    limit: number,
  ): Promise<ShardPage<DeliveryRecord>> {
    // Pages go newest first.
    const start = shardReadStart({ ...query, descending: true }, cursor);
    if (start === 'done') return { items: [] };
    const { afterSk } = start;
    const { items, open } = await readWholeInstants(this.client, {
      tableName: this.tableName,
      pk: this.partition(integration, shard),
      from: query.from,
      to: query.to,
      ...(afterSk !== undefined && { afterSk }),
      descending: true,
      limit,
    });
    const page: ShardItem<DeliveryRecord>[] = [];
    for (const record of mergeEntries(this.entriesOf(items)).values()) {
      const sk = `${record.received_at}#${record.event_id}`;
      if (afterSk !== undefined && sk >= afterSk) continue;
      if (query.status && record.status !== query.status) continue;
      if (query.name && record.name !== query.name) continue;
      if (query.entity && entityOf(record.name) !== query.entity) continue;
      if (query.entityId && record.entity_id !== query.entityId) continue;
      page.push({ sk, item: record });
    }
    page.sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0));
    return { items: page, ...(open !== undefined && { lastEvaluatedSk: frontierOf(open, true) }) };
  }

  async hasPending(integration: Integration): Promise<boolean> {
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'PendingIndex',
        KeyConditionExpression: 'pending_for = :generation',
        ExpressionAttributeValues: { ':generation': this.generation(integration) },
        Limit: 100,
      }),
    );
    const stale: Key[] = [];
    let pending = false;
    await Promise.all(
      Items.map(async (marker) => {
        // The index keeps keys only: the marker's sort key says which delivery it stands for.
        const delivery = (marker.sk as string).slice(PENDING.length);
        const receivedAt = instantOf(delivery);
        const eventId = delivery.slice(receivedAt.length + 1);
        const record = await this.get(integration, receivedAt, eventId);
        if (record && isFinal(record.status))
          stale.push({ pk: marker.pk as string, sk: marker.sk as string });
        else pending = true;
      }),
    );
    // A marker written after its delivery ended (see recordPending) would otherwise wait forever.
    if (stale.length > 0) await deleteKeys(this.client, this.tableName, stale);
    return pending || LastEvaluatedKey !== undefined;
  }

  /**
   * One item per integration and instant, with an entry per attempt; the markers of deliveries that ended
   * go in the same batch writes.
   */
  private async write(noted: readonly Noted[]): Promise<void> {
    const groups = new Map<string, { key: Key; receivedAt: string; entries: DeliveryEntry[] }>();
    // By key: BatchWriteItem refuses a key twice, and one batch may end one delivery twice (a message SQS
    // handed out twice at once).
    const ended = new Map<string, Key>();
    for (const { integration, event, status, attempt } of noted) {
      const pk = this.partition(integration, shardOf(event.received_at, DELIVERY_HISTORY_SHARDS));
      const id = `${pk}|${event.received_at}`;
      let group = groups.get(id);
      if (!group) {
        group = {
          key: { pk, sk: `${event.received_at}#${writeId()}` },
          receivedAt: event.received_at,
          entries: [],
        };
        groups.set(id, group);
      }
      group.entries.push({
        event_id: event.id,
        name: event.name,
        ...(event.entity_id !== undefined && { entity_id: event.entity_id }),
        status,
        attempt,
      });
      if (integration.integration_type === 'temporary' && isFinal(status)) {
        const marker = this.markerKey(integration, event.received_at, event.id);
        ended.set(`${marker.pk}|${marker.sk}`, marker);
      }
    }
    await writeAll(this.client, this.tableName, [
      ...[...groups.values()].map(({ key, receivedAt, entries }) => ({
        PutRequest: {
          // Gzipped: entries repeat their field names, so a batch's item shrinks to a write unit or two.
          Item: {
            ...key,
            received_at: receivedAt,
            expires_at: this.expiresAt(receivedAt),
            entries_gz: gzipSync(JSON.stringify(entries)),
          },
        },
      })),
      ...[...ended.values()].map((key) => ({ DeleteRequest: { Key: key } })),
    ]);
  }

  private async readInstant(integration: Integration, receivedAt: string): Promise<Instant> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :instant)',
      ExpressionAttributeValues: {
        ':pk': this.partition(integration, shardOf(receivedAt, DELIVERY_HISTORY_SHARDS)),
        ':instant': `${receivedAt}#`,
      },
      ConsistentRead: true,
    });
    return mergeEntries(this.entriesOf(items));
  }

  /** The entries of history items, with their instant; expired items left out (TTL deletes late). */
  private entriesOf(
    items: readonly Record<string, unknown>[],
  ): { receivedAt: string; entry: DeliveryEntry }[] {
    const now = this.clock.now();
    return items
      .filter((item) => !isExpired(item, now))
      .flatMap((item) => {
        const { received_at, entries } = deliveryEntriesFromItem(item);
        return entries.map((entry) => ({ receivedAt: received_at, entry }));
      });
  }

  /** One registration of an integration id: its history starts empty even if the id was used before. */
  private generation(integration: Integration): string {
    return `${integration.id}@${integration.created_at}`;
  }

  private partition(integration: Integration, shard: number): string {
    return `${this.generation(integration)}#${shard}`;
  }

  private markerKey(integration: Integration, receivedAt: string, eventId: string): Key {
    return {
      pk: this.partition(integration, shardOf(receivedAt, DELIVERY_HISTORY_SHARDS)),
      sk: `${PENDING}${receivedAt}#${eventId}`,
    };
  }

  private expiresAt(receivedAt: string): number {
    return expiresAtOf(receivedAt, this.retentionDays);
  }
}

/** Unique per item and sorting by write time, so entries of one instant merge in the order they happened. */
const writeId = (): string => `${Date.now().toString(36)}${randomBytes(6).toString('base64url')}`;

/**
 * Records from entries: per event, its attempts in time order and the status of the latest (a final status
 * wins a tie with `pending`, as an attempt that ended a delivery is noted after the one that retried it).
 */
const mergeEntries = (entries: readonly { receivedAt: string; entry: DeliveryEntry }[]): Instant => {
  const records: Instant = new Map();
  const sorted = [...entries].sort(
    (a, b) =>
      a.entry.attempt.at.localeCompare(b.entry.attempt.at) ||
      Number(isFinal(a.entry.status)) - Number(isFinal(b.entry.status)),
  );
  for (const { receivedAt, entry } of sorted) {
    const record = records.get(entry.event_id);
    const entityId = entry.entity_id ?? record?.entity_id;
    records.set(entry.event_id, {
      event_id: entry.event_id,
      name: entry.name,
      ...(entityId !== undefined && { entity_id: entityId }),
      received_at: receivedAt,
      status: entry.status,
      updated_at: entry.attempt.at,
      attempts: [...(record?.attempts ?? []), entry.attempt],
    });
  }
  return records;
};
