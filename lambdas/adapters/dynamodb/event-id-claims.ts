import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EventIdClaims } from '../../domain/ports/events.ts';
import type { Clock } from '../../domain/ports/platform.ts';
import { expiresAtOf } from './partition.ts';

/**
 * Event id claims in the event log table: `pk = {tenant}#ID#{event id}`, `sk = ID`, holding the
 * `received_at` of the publish that claimed it, expiring with the event. One conditional write per
 * claimed event (a write unit each): the price of catching a repeated id in any later request.
 */
export class DynamoEventIdClaims implements EventIdClaims {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly tenant: string,
    private readonly retentionDays: number,
    private readonly clock: Clock,
  ) {}

  async claim(eventId: string, receivedAt: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `${this.tenant}#ID#${eventId}`,
            sk: 'ID',
            received_at: receivedAt,
            expires_at: expiresAtOf(receivedAt, this.retentionDays),
          },
          // The same publish again keeps its claim; any other finds it taken. A claim past its TTL (not yet
          // deleted) is over: its event has left the window, so the id may be published anew.
          ConditionExpression: 'attribute_not_exists(pk) OR received_at = :at OR expires_at <= :now',
          ExpressionAttributeValues: {
            ':at': receivedAt,
            ':now': Math.floor(this.clock.now().getTime() / 1000),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
