import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoRejectedEventStore } from '../../lambdas/adapters/dynamodb/rejected-event-store.ts';
import type { LocalRuntime } from '../../local/runtime.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A document client aimed at DynamoDB Local, for adapter tests. */
export const localDocumentClient = (endpoint: string): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'us-east-1', credentials }));

/** SDK clients aimed at a runtime's emulators, for tests that look behind the API. */
export const awsClients = (runtime: LocalRuntime) => {
  const dynamodb = new DynamoDBClient({
    endpoint: runtime.endpoints.dynamodb,
    region: 'us-east-1',
    credentials,
  });
  const documents = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    dynamodb,
    documents,
    secrets: new SecretsManagerClient({
      endpoint: runtime.endpoints.secretsmanager,
      region: 'us-east-1',
      credentials,
    }),
    /** The store the delivery pipeline writes rejections to; tests seed it directly. */
    rejectedStore: new DynamoRejectedEventStore(documents, runtime.env.STATE_TABLE_NAME as string),
  };
};
