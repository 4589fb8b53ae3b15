import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PublishRecord, RequestKey } from '../../domain/idempotency.ts';
import type { PublishRequestStore } from '../../domain/ports/publish-requests.ts';
import { publishRecordFromAttributes, publishRecordFromItem } from './stored-items.ts';

/** `PUBLISH#key#{Idempotency-Key}` or `PUBLISH#ids#{digest of the ids}`: the two kinds never meet. */
const keyOf = (key: RequestKey) => ({
  pk: `PUBLISH#${key.kind === 'explicit' ? 'key' : 'ids'}#${key.key}`,
  sk: 'REQUEST',
});

const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/**
 * Publish requests in the state table, one item each with a TTL (`expires_at`) at the end of the window.
 * The claim is one conditional put, so keying a request costs one write however many events it holds;
 * an item TTL has not deleted yet (it deletes late) counts as absent once its window is over.
 */
export class DynamoPublishRequestStore implements PublishRequestStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(key: RequestKey, record: PublishRecord, expiresAt: Date): Promise<PublishRecord | undefined> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf(key), ...record, expires_at: epochSeconds(expiresAt) },
          ConditionExpression: 'attribute_not_exists(pk) OR expires_at <= :now',
          // The request's own receipt is "now": an item whose window ended by then is taken over.
          ExpressionAttributeValues: { ':now': epochSeconds(new Date(record.received_at)) },
          // The item that was there comes back with the refusal: no second request, and no moment between
          // the two in which it could change.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (error.Item) return publishRecordFromAttributes(error.Item);
    }
    // Not handed back (an endpoint without ReturnValuesOnConditionCheckFailure): read it.
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(key), ConsistentRead: true }),
    );
    if (!Item) throw new Error(`The publish request ${keyOf(key).pk} refused the claim but cannot be read`);
    return publishRecordFromItem(Item);
  }
}
