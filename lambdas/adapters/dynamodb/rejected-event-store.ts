import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { REJECTED_EVENT_LIMIT, type RejectedEvent } from '../../domain/integration.ts';
import type { RejectedEventStore } from '../../domain/ports/integrations.ts';
import { deleteKeys, queryAll, queryKeys } from './partition.ts';
import { rejectedEventFromItem } from './stored-items.ts';

const pkOf = (integrationId: string) => `REJECTED#${integrationId}`;

/**
 * Rejected events in the state table, keyed by event id (a retried rejection replaces its entry rather
 * than adding a second). Kept to the newest 30 by `created_at`, as NewStore does.
 */
export class DynamoRejectedEventStore implements RejectedEventStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(integrationId: string, rejected: RejectedEvent): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: pkOf(integrationId), sk: rejected.id, ...rejected },
      }),
    );
    // Keys and times only: the payloads (up to 256 KiB each) are not needed to find the oldest.
    const all = (await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pkOf(integrationId) },
      ProjectionExpression: 'pk, sk, created_at',
      ConsistentRead: true,
    })) as { pk: string; sk: string; created_at: string }[];
    if (all.length <= REJECTED_EVENT_LIMIT) return;
    all.sort((a, b) => b.created_at.localeCompare(a.created_at) || a.sk.localeCompare(b.sk));
    await deleteKeys(this.client, this.tableName, all.slice(REJECTED_EVENT_LIMIT));
  }

  async list(integrationId: string): Promise<RejectedEvent[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pkOf(integrationId) },
      ConsistentRead: true,
    });
    return items
      .map(rejectedEventFromItem)
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id));
  }

  async get(integrationId: string, eventId: string): Promise<RejectedEvent | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: pkOf(integrationId), sk: eventId },
        ConsistentRead: true,
      }),
    );
    return Item ? rejectedEventFromItem(Item) : undefined;
  }

  async delete(integrationId: string, eventId: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: pkOf(integrationId), sk: eventId },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes !== undefined;
  }

  async deleteAll(integrationId: string): Promise<void> {
    await deleteKeys(
      this.client,
      this.tableName,
      await queryKeys(this.client, this.tableName, pkOf(integrationId)),
    );
  }
}
