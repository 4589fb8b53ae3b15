import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryState, DeliveryStateStore } from '../../domain/ports/deliveries.ts';

const MINUTE_MS = 60_000;
const keyOf = (integrationId: string) => ({ pk: `DELIVERY#${integrationId}`, sk: 'STATE' });

/**
 * Delivery health and catch-up point in their own item of the state table, so the delivery Lambda
 * never races the API's versioned writes of the integration itself. Writes are conditional, so the
 * busy path (successes) costs at most one write a minute per integration.
 */
export class DynamoDeliveryStateStore implements DeliveryStateStore {
  /**
   * When this container last wrote a success per integration. A conditional write is billed even when its
   * condition fails, so repeated successes within a minute are not sent at all, unless this container
   * saw a failure since.
   */
  private readonly successWrittenAt = new Map<string, number>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(integrationId: string): Promise<DeliveryState> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(integrationId), ConsistentRead: true }),
    );
    return toState(Item);
  }

  async recordSuccess(integrationId: string, at: Date): Promise<void> {
    const last = this.successWrittenAt.get(integrationId);
    if (last !== undefined && at.getTime() - last < MINUTE_MS) return;
    this.successWrittenAt.set(integrationId, at.getTime());
    await this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(integrationId),
        UpdateExpression: 'SET last_success_at = :now REMOVE failing_since',
        ConditionExpression:
          'attribute_exists(failing_since) OR attribute_not_exists(last_success_at) OR last_success_at < :stale',
        ExpressionAttributeValues: {
          ':now': at.toISOString(),
          ':stale': new Date(at.getTime() - MINUTE_MS).toISOString(),
        },
      }),
    );
  }

  async recordFailure(integrationId: string, at: Date): Promise<DeliveryState> {
    this.successWrittenAt.delete(integrationId);
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(integrationId),
        UpdateExpression: 'SET failing_since = if_not_exists(failing_since, :now)',
        ExpressionAttributeValues: { ':now': at.toISOString() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toState(Attributes);
  }

  async recordMissed(integrationId: string, receivedAt: string): Promise<void> {
    await this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(integrationId),
        UpdateExpression: 'SET catch_up_from = :at',
        ConditionExpression: 'attribute_not_exists(catch_up_from) OR catch_up_from > :at',
        ExpressionAttributeValues: { ':at': receivedAt },
      }),
    );
  }

  async clearCatchUp(integrationId: string, seen: string): Promise<void> {
    await this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(integrationId),
        UpdateExpression: 'REMOVE catch_up_from',
        ConditionExpression: 'catch_up_from = :seen',
        ExpressionAttributeValues: { ':seen': seen },
      }),
    );
  }

  async resetHealth(integrationId: string): Promise<void> {
    this.successWrittenAt.delete(integrationId);
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(integrationId),
        UpdateExpression: 'REMOVE failing_since',
      }),
    );
  }

  async notePaused(integrationId: string, at: Date): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(integrationId),
        UpdateExpression: 'SET paused_since = :now',
        ConditionExpression: 'attribute_not_exists(paused_since)',
        ExpressionAttributeValues: { ':now': at.toISOString() },
      }),
    );
  }

  async noteResumed(integrationId: string): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(integrationId),
        UpdateExpression: 'REMOVE paused_since',
        ConditionExpression: 'attribute_exists(paused_since)',
      }),
    );
  }

  async claimRetryLogSlot(integrationId: string, at: Date): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(integrationId),
        UpdateExpression: 'SET last_retry_log_at = :now',
        ConditionExpression: 'attribute_not_exists(last_retry_log_at) OR last_retry_log_at < :stale',
        ExpressionAttributeValues: {
          ':now': at.toISOString(),
          ':stale': new Date(at.getTime() - MINUTE_MS).toISOString(),
        },
      }),
    );
  }

  async delete(integrationId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keyOf(integrationId) }));
  }

  /** Runs a conditional write; false when the condition said no (nothing to do). */
  private async conditional(command: UpdateCommand): Promise<boolean> {
    try {
      await this.client.send(command);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

const toState = (item: Record<string, unknown> | undefined): DeliveryState => {
  const state: DeliveryState = {};
  if (typeof item?.last_success_at === 'string') state.last_success_at = item.last_success_at;
  if (typeof item?.failing_since === 'string') state.failing_since = item.failing_since;
  if (typeof item?.catch_up_from === 'string') state.catch_up_from = item.catch_up_from;
  if (typeof item?.paused_since === 'string') state.paused_since = item.paused_since;
  return state;
};
