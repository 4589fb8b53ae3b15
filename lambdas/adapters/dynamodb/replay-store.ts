import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ReplayJob, ReplayStore } from '../../domain/ports/replays.ts';
import { replayJobFromItem } from './stored-items.ts';

const keyOf = (integrationId: string) => ({ pk: `REPLAY#${integrationId}`, sk: 'JOB' });

/**
 * One replay job per integration in the state table. Each page advances it with a write conditional on
 * the step it read, so a redelivered or duplicated page message can never fork the replay.
 */
export class DynamoReplayStore implements ReplayStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(integrationId: string): Promise<ReplayJob | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(integrationId), ConsistentRead: true }),
    );
    return Item ? replayJobFromItem(Item) : undefined;
  }

  async put(job: ReplayJob): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keyOf(job.integration_id), ...job } }),
    );
  }

  async advance(job: ReplayJob, expectedStep: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf(job.integration_id), ...job },
          ConditionExpression: 'job_id = :job AND step = :step',
          ExpressionAttributeValues: { ':job': job.job_id, ':step': expectedStep },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async deleteIf(integrationId: string, jobId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keyOf(integrationId),
          ConditionExpression: 'job_id = :job',
          ExpressionAttributeValues: { ':job': jobId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async delete(integrationId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keyOf(integrationId) }));
  }
}
