import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import DataLoader from 'dataloader';
import { type EntityQueueState, MAX_PENDING_KEYS } from '../../domain/entity-order.ts';
import { EntityQueueFull, type EntityQueueRef, type EntityQueues } from '../../domain/ports/ordering.ts';
import type { Clock } from '../../domain/ports/platform.ts';
import { expiresAtOf } from './partition.ts';
import { entityQueueFromItem } from './stored-items.ts';

/** Kept this long after its last add: past the event window, so a stopped integration's keys outlive it. */
const QUEUE_DAYS = 35;

/** What every entity queue's partition key starts with. */
export const ENTITY_QUEUE_PK_PREFIX = 'ORDER#';

const keyOf = ({ integrationId, generation, entityId }: EntityQueueRef) => ({
  pk: `${ENTITY_QUEUE_PK_PREFIX}${integrationId}#${generation}#${entityId}`,
  sk: 'QUEUE',
});

/** The integration whose entity queue an item's partition key names (integration ids hold no `#`). */
export const integrationOfQueuePk = (pk: string): string =>
  pk.slice(ENTITY_QUEUE_PK_PREFIX.length, pk.indexOf('#', ENTITY_QUEUE_PK_PREFIX.length));
const refKey = (queue: EntityQueueRef): string => keyOf(queue).pk;
/**
 * The attribute holding the claim to send `key` ({holder, until}): one per key, so finishing or claiming one
 * key never touches the claim on another (a dropped key sent out of turn, a filtered-out one finished).
 */
const claimOf = (key: string): string => `claim#${key}`;

/**
 * The entity queues of ordered integrations in the state table, one small item per (integration, entity)
 * with the pending keys as a string set: adding and removing keys are atomic updates that need no read,
 * whatever order concurrent fan-outs and deliveries run in. An item costs write units by its size, so an
 * entity held back behind a failing event pays more per event the longer its queue grows.
 *
 * Keys added in the same tick (one fan-out batch, one replay page) go into one update per entity.
 */
export class DynamoEntityQueues implements EntityQueues {
  private readonly adder: DataLoader<{ queue: EntityQueueRef; key: string }, undefined, string>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {
    this.adder = new DataLoader((adds) => this.addBatch(adds), {
      cache: false,
      maxBatchSize: 100,
      cacheKeyFn: ({ queue, key }) => `${refKey(queue)}\n${key}`,
    });
  }

  async add(queue: EntityQueueRef, key: string): Promise<void> {
    await this.adder.load({ queue, key });
  }

  async get(queue: EntityQueueRef): Promise<EntityQueueState> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(queue), ConsistentRead: true }),
    );
    return entityQueueFromItem(Item);
  }

  async finish(queue: EntityQueueRef, key: string, position?: number): Promise<boolean> {
    return this.conditional(
      queue,
      position === undefined
        ? 'DELETE pending :key, dropped :key REMOVE #claim'
        : 'DELETE pending :key, dropped :key SET last_position = :position REMOVE #claim',
      'contains(pending, :one) OR contains(dropped, :one)',
      { '#claim': claimOf(key) },
      { ':key': new Set([key]), ':one': key, ...(position !== undefined && { ':position': position }) },
    );
  }

  async claim(
    queue: EntityQueueRef,
    key: string,
    holder: string,
    untilMs: number,
    nowMs: number,
  ): Promise<boolean> {
    return this.conditional(
      queue,
      'SET #claim = :claim',
      '(contains(pending, :one) OR contains(dropped, :one)) AND (attribute_not_exists(#claim) OR #claim.#until < :now OR #claim.#holder = :holder)',
      { '#claim': claimOf(key), '#until': 'until', '#holder': 'holder' },
      { ':one': key, ':claim': { holder, until: untilMs }, ':holder': holder, ':now': nowMs },
    );
  }

  async release(queue: EntityQueueRef, key: string, holder: string): Promise<void> {
    await this.conditional(
      queue,
      'REMOVE #claim',
      '#claim.#holder = :holder',
      { '#claim': claimOf(key), '#holder': 'holder' },
      { ':holder': holder },
    );
  }

  async drop(queue: EntityQueueRef, key: string): Promise<boolean> {
    return this.conditional(
      queue,
      'DELETE pending :key ADD dropped :key',
      'contains(pending, :one)',
      undefined,
      { ':key': new Set([key]), ':one': key },
    );
  }

  /** One conditional update of a queue; false when its condition did not hold. */
  private async conditional(
    queue: EntityQueueRef,
    update: string,
    condition: string,
    names: Record<string, string> | undefined,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(queue),
          UpdateExpression: update,
          ConditionExpression: condition,
          ...(names && { ExpressionAttributeNames: names }),
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async addBatch(
    adds: readonly { queue: EntityQueueRef; key: string }[],
  ): Promise<(undefined | Error)[]> {
    const byQueue = new Map<string, { queue: EntityQueueRef; keys: Set<string> }>();
    for (const { queue, key } of adds) {
      const group = byQueue.get(refKey(queue)) ?? { queue, keys: new Set<string>() };
      group.keys.add(key);
      byQueue.set(refKey(queue), group);
    }
    const expiresAt = expiresAtOf(this.clock.now().toISOString(), QUEUE_DAYS);
    const results = new Map<string, Error | undefined>();
    await Promise.all(
      [...byQueue].map(async ([ref, { queue, keys }]) => {
        try {
          await this.client.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: keyOf(queue),
              UpdateExpression: 'ADD pending :keys SET expires_at = :expires',
              // A queue this long is held behind a failing event or a long stop: its events go unordered
              // rather than growing the item towards DynamoDB's 400 KB.
              ConditionExpression: 'attribute_not_exists(pending) OR size(pending) < :max',
              ExpressionAttributeValues: { ':keys': keys, ':expires': expiresAt, ':max': MAX_PENDING_KEYS },
            }),
          );
          results.set(ref, undefined);
        } catch (error) {
          results.set(
            ref,
            error instanceof ConditionalCheckFailedException
              ? new EntityQueueFull(`entity queue ${refKey(queue)} holds ${MAX_PENDING_KEYS} keys`)
              : (error as Error),
          );
        }
      }),
    );
    return adds.map(({ queue }) => results.get(refKey(queue)));
  }
}
