import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, LimitExceededError } from '../../domain/errors.ts';
import type { Integration } from '../../domain/integration.ts';
import type { IntegrationRepository } from '../../domain/ports/integrations.ts';
import { queryAll } from './partition.ts';
import { integrationFromItem } from './stored-items.ts';

const PK = 'INTEGRATION';
const COUNT_SK = '#COUNT';

/**
 * Integrations in the state table, all under one partition key (there are a few dozen at most). The
 * `#COUNT` item is changed in the same transaction as every create and delete, so the limit holds even
 * when registrations race.
 */
export class DynamoIntegrationRepository implements IntegrationRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(): Promise<Integration[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': PK },
      ConsistentRead: true,
    });
    return items.filter((item) => item.sk !== COUNT_SK).map(integrationFromItem);
  }

  async get(id: string): Promise<Integration | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: PK, sk: id }, ConsistentRead: true }),
    );
    return Item ? integrationFromItem(Item) : undefined;
  }

  async create(integration: Integration, maxCount: number): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: { pk: PK, sk: COUNT_SK },
                UpdateExpression: 'SET #n = if_not_exists(#n, :zero) + :one',
                ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
                ExpressionAttributeNames: { '#n': 'count' },
                ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': maxCount },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: toItem(integration),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const [countCheck, putCheck] = error.CancellationReasons ?? [];
        if (putCheck?.Code === 'ConditionalCheckFailed') {
          throw new ConflictError(
            'integration_exists',
            `An integration with id ${integration.id} already exists.`,
          );
        }
        if (countCheck?.Code === 'ConditionalCheckFailed') {
          throw new LimitExceededError(
            `At most ${maxCount} integrations can be registered; delete one before registering another.`,
          );
        }
      }
      throw error;
    }
  }

  async update(integration: Integration): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(integration),
          ConditionExpression: 'attribute_exists(pk) AND #v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': integration.version - 1 },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(
          'concurrent_modification',
          `Integration ${integration.id} was changed or deleted by another request; read it again and retry.`,
        );
      }
      throw error;
    }
  }

  async delete(id: string): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: { pk: PK, sk: id },
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: { pk: PK, sk: COUNT_SK },
                UpdateExpression: 'SET #n = #n - :one',
                ConditionExpression: '#n > :zero',
                ExpressionAttributeNames: { '#n': 'count' },
                ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        return false;
      }
      throw error;
    }
  }
}

const toItem = (integration: Integration): Record<string, unknown> => ({
  pk: PK,
  sk: integration.id,
  ...integration,
});
