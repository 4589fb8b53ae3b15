import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoEventLog } from '../../lambdas/adapters/dynamodb/event-log.ts';
import { DynamoEventLogWriter } from '../../lambdas/adapters/dynamodb/event-log-writer.ts';
import type { LoggedEvent } from '../../lambdas/domain/event.ts';
import type { Clock } from '../../lambdas/domain/ports/platform.ts';

/**
 * The event log on DynamoDB as tests use it: the readers' class, with `put` from the fan-out's writer on the
 * same table (30-day retention; `indexEntities` also writes the entity index).
 */
export const dynamoEventLog = (
  client: DynamoDBDocumentClient,
  tableName: string,
  tenant: string,
  clock: Clock,
  indexEntities = false,
): DynamoEventLog & { put(event: LoggedEvent): Promise<string> } => {
  const writer = new DynamoEventLogWriter(client, tableName, tenant, 30, indexEntities);
  return Object.assign(new DynamoEventLog(client, tableName, tenant, clock), {
    put: (event: LoggedEvent) => writer.put(event),
  });
};
