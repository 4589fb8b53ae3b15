import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { FailedDelivery } from '../../domain/integration.ts';
import type { FailedDeliveryStore } from '../../domain/ports.ts';
import { deleteKeys, queryKeys } from './partition.ts';

const pkOf = (integrationId: string) => `FAILED#${integrationId}`;
const DAY_S = 86_400;

/**
 * Events given up on after the retry budget, keyed by event id and kept as long as the event log keeps
 * the event itself (30 days), so they can be found and sent again.
 */
export class DynamoFailedDeliveryStore implements FailedDeliveryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
  ) {}

  async put(integrationId: string, failed: FailedDelivery): Promise<void> {
    const expiresAt = Math.floor(Date.parse(failed.received_at) / 1000) + this.retentionDays * DAY_S;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: pkOf(integrationId), sk: failed.id, ...failed, expires_at: expiresAt },
      }),
    );
  }

  async list(integrationId: string): Promise<FailedDelivery[]> {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pkOf(integrationId) },
      }),
    );
    return Items.filter(
      (item) => !(typeof item.expires_at === 'number' && item.expires_at <= nowSeconds),
    ).map(
      ({ id, failed_at, received_at, attempts, last_error }) =>
        ({ id, failed_at, received_at, attempts, last_error }) as FailedDelivery,
    );
  }

  async deleteAll(integrationId: string): Promise<void> {
    await deleteKeys(
      this.client,
      this.tableName,
      await queryKeys(this.client, this.tableName, pkOf(integrationId)),
    );
  }
}
