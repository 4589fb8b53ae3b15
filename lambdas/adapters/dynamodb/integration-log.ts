import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LOG_ENTRY_LIMIT, type LogEntry } from '../../domain/integration.ts';
import type { IntegrationLog } from '../../domain/ports/integrations.ts';
import { deleteKeys, putAll, queryKeys } from './partition.ts';

const pkOf = (integrationId: string) => `LOG#${integrationId}`;

/**
 * An integration's log in the state table. Sort keys are `{created_at}#{sequence}#{random}`, so entries
 * written in one call keep their order and the newest come first in a descending query.
 */
export class DynamoIntegrationLog implements IntegrationLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(integrationId: string, entries: LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const pk = pkOf(integrationId);
    const nonce = randomBytes(4).toString('hex');
    await putAll(
      this.client,
      this.tableName,
      entries.map((entry, index) => ({
        pk,
        sk: `${entry.created_at}#${String(index).padStart(2, '0')}#${nonce}`,
        ...entry,
      })),
    );
    await deleteKeys(
      this.client,
      this.tableName,
      await queryKeys(this.client, this.tableName, pk, { skip: LOG_ENTRY_LIMIT }),
    );
  }

  async list(integrationId: string): Promise<LogEntry[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pkOf(integrationId) },
        ScanIndexForward: false,
        Limit: LOG_ENTRY_LIMIT,
        ConsistentRead: true,
      }),
    );
    return Items.map(({ action, reason, created_at }) => ({ action, reason, created_at }) as LogEntry);
  }

  async deleteAll(integrationId: string): Promise<void> {
    await deleteKeys(
      this.client,
      this.tableName,
      await queryKeys(this.client, this.tableName, pkOf(integrationId)),
    );
  }
}
