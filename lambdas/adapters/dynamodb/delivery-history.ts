import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import DataLoader from 'dataloader';
import { shardOf } from '../../domain/event.ts';
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
} from '../../domain/ports/deliveries.ts';
import type { Clock } from '../../domain/ports/platform.ts';
import type { ShardPage } from '../../domain/sharded-merge.ts';
import { getAll } from './partition.ts';

const DAY_S = 86_400;

type Key = { pk: string; sk: string };

/**
 * The delivery history table. The partition key carries the integration's creation time, so an id
 * registered again starts with an empty history while the old one simply expires (TTL) instead of
 * being deleted item by item. Pending records are conditional writes (never over a delivered record); they
 * are written for temporary integrations only (whose completion depends on them): a permanent integration's
 * record starts with its first attempt, which halves the history's writes.
 */
export class DynamoDeliveryHistory implements DeliveryHistory {
  /**
   * Record reads made in the same tick (the messages of one delivery batch, each checking its record
   * before sending) go out as one consistent BatchGetItem instead of one GetItem each.
   */
  private readonly reader: DataLoader<Key, DeliveryRecord | undefined, string>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
    private readonly clock: Clock,
  ) {
    this.reader = new DataLoader((keys) => this.readBatch(keys), {
      cache: false,
      maxBatchSize: 100,
      cacheKeyFn: (key) => `${key.pk}|${key.sk}`,
    });
  }

  async recordPending(integration: Integration, event: DeliveryEventRef): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(integration, event.received_at, event.id),
          // Never over a delivered record: a redelivered ingest message or a replay routing the event again
          // would otherwise reset it to pending and have it sent twice. Earlier attempts are kept.
          ConditionExpression: 'attribute_not_exists(#status) OR #status <> :delivered',
          UpdateExpression:
            'SET #status = :pending, updated_at = :now, event_id = :id, #name = :name, received_at = :received, ' +
            'expires_at = :expires, attempts = if_not_exists(attempts, :none)' +
            // Only temporary integrations ask "anything left?", so only theirs go into the sparse index.
            (integration.integration_type === 'temporary' ? ', pending_for = :generation' : ''),
          ExpressionAttributeNames: { '#status': 'status', '#name': 'name' },
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':delivered': 'delivered',
            ':now': this.clock.now().toISOString(),
            ':id': event.id,
            ':name': event.name,
            ':received': event.received_at,
            ':expires': this.expiresAt(event.received_at),
            ':none': [],
            ...(integration.integration_type === 'temporary' && {
              ':generation': this.generation(integration),
            }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async deliveredAmong(integration: Integration, events: readonly DeliveryEventRef[]): Promise<Set<string>> {
    const delivered = new Set<string>();
    const keys = [
      ...new Map(
        events.map((event) => [event.id, this.key(integration, event.received_at, event.id)]),
      ).values(),
    ];
    const items = await getAll(this.client, this.tableName, keys, {
      consistent: true,
      projection: 'event_id, #status, expires_at',
      names: { '#status': 'status' },
    });
    for (const item of items) {
      if (item.status === 'delivered' && !this.expired(item)) delivered.add(item.event_id as string);
    }
    return delivered;
  }

  async recordAttempt(
    integration: Integration,
    event: DeliveryEventRef,
    status: DeliveryStatus,
    attempt: DeliveryAttempt,
  ): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(integration, event.received_at, event.id),
        UpdateExpression: `SET #status = :status, updated_at = :at, event_id = :id, #name = :name, received_at = :received, expires_at = :expires, attempts = list_append(if_not_exists(attempts, :none), :attempt)${status === 'pending' ? '' : ' REMOVE pending_for'}`,
        ExpressionAttributeNames: { '#status': 'status', '#name': 'name' },
        ExpressionAttributeValues: {
          ':status': status,
          ':at': attempt.at,
          ':id': event.id,
          ':name': event.name,
          ':received': event.received_at,
          ':expires': this.expiresAt(event.received_at),
          ':none': [],
          ':attempt': [attempt],
        },
      }),
    );
  }

  async get(
    integration: Integration,
    receivedAt: string,
    eventId: string,
  ): Promise<DeliveryRecord | undefined> {
    return this.reader.load(this.key(integration, receivedAt, eventId));
  }

  private async readBatch(keys: readonly Key[]): Promise<(DeliveryRecord | undefined | Error)[]> {
    const unique = [...new Map(keys.map((key) => [`${key.pk}|${key.sk}`, key])).values()];
    const found = new Map<string, DeliveryRecord | Error>();
    for (const item of await getAll(this.client, this.tableName, unique, { consistent: true })) {
      if (this.expired(item)) continue;
      try {
        found.set(`${item.pk}|${item.sk}`, toRecord(item));
      } catch (error) {
        // A stored item of another shape fails its own read only, not every read batched with it.
        found.set(`${item.pk}|${item.sk}`, error as Error);
      }
    }
    return keys.map((key) => found.get(`${key.pk}|${key.sk}`));
  }

  async readShard(
    integration: Integration,
    shard: number,
    query: { from: string; to: string; status?: DeliveryStatus; name?: string },
    afterSk: string | undefined,
    limit: number,
  ): Promise<ShardPage<DeliveryRecord>> {
    const pk = this.partition(integration, shard);
    // A cursor from an earlier page of a range that has moved since (an open `from` follows the window) may
    // lie outside it, which DynamoDB refuses as a start key: clamp it. Pages go newest first.
    const upper = `${query.to}\uffff`;
    if (afterSk !== undefined && afterSk > upper) afterSk = undefined;
    if (afterSk !== undefined && afterSk <= query.from) return { items: [] };
    const filters: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': pk, ':from': query.from, ':to': `${query.to}\uffff` };
    if (query.status) {
      filters.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = query.status;
    }
    if (query.name) {
      filters.push('#name = :name');
      names['#name'] = 'name';
      values[':name'] = query.name;
    }
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ...(filters.length > 0 && {
          FilterExpression: filters.join(' AND '),
          ExpressionAttributeNames: names,
        }),
        ExpressionAttributeValues: values,
        ...(afterSk !== undefined && { ExclusiveStartKey: { pk, sk: afterSk } }),
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return {
      items: (page.Items ?? [])
        .filter((item) => !this.expired(item))
        .map((item) => ({ sk: item.sk as string, item: toRecord(item) })),
      ...(page.LastEvaluatedKey && { lastEvaluatedSk: page.LastEvaluatedKey.sk as string }),
    };
  }

  async hasPending(integration: Integration): Promise<boolean> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'PendingIndex',
        KeyConditionExpression: 'pending_for = :generation',
        ExpressionAttributeValues: { ':generation': this.generation(integration) },
        Limit: 1,
      }),
    );
    return Items.length > 0;
  }

  /** One registration of an integration id: its history starts empty even if the id was used before. */
  private generation(integration: Integration): string {
    return `${integration.id}@${integration.created_at}`;
  }

  private partition(integration: Integration, shard: number): string {
    return `${this.generation(integration)}#${shard}`;
  }

  private key(integration: Integration, receivedAt: string, eventId: string) {
    return {
      pk: this.partition(integration, shardOf(eventId, DELIVERY_HISTORY_SHARDS)),
      sk: `${receivedAt}#${eventId}`,
    };
  }

  private expiresAt(receivedAt: string): number {
    return Math.floor(Date.parse(receivedAt) / 1000) + this.retentionDays * DAY_S;
  }

  private expired(item: Record<string, unknown>): boolean {
    return (
      typeof item.expires_at === 'number' && item.expires_at <= Math.floor(this.clock.now().getTime() / 1000)
    );
  }
}

const toRecord = (item: Record<string, unknown>): DeliveryRecord => ({
  event_id: item.event_id as string,
  name: item.name as string,
  received_at: item.received_at as string,
  status: item.status as DeliveryStatus,
  updated_at: item.updated_at as string,
  attempts: (item.attempts ?? []) as DeliveryAttempt[],
});
