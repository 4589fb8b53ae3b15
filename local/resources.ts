import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { secretNamePrefix, TABLES, type TableDefinition } from '../lib/resource-definitions.ts';
import { type EmulatorEndpoints, emulatorEnv, LOCAL_REGION } from './emulators/index.ts';

/** The deployment name the local runtime uses where the stack would use its own (secret prefix, resource names). */
export const LOCAL_DEPLOYMENT_NAME = 'event-stream-local';

export interface LocalResource<Definition> {
  definition: Definition;
  /** The resource's name in the emulator, given to the Lambdas through the definition's env var. */
  name: string;
}

/**
 * Every resource of the stack, named for the emulators. Queues and buckets join as one more property each
 * (`queues: QUEUES.map(named)`), with a creator in `createResources` and their env vars in `lambdaEnv`.
 */
export interface LocalResourceNames {
  tables: LocalResource<TableDefinition>[];
}

/** `StateTable` → `event-stream-state-table`. */
const localName = (id: string): string =>
  `event-stream-${id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;

const named = <Definition extends { id: string }>(definition: Definition): LocalResource<Definition> => ({
  definition,
  name: localName(definition.id),
});

/** Local names of every resource defined in `lib/resource-definitions.ts`. */
export const localResourceNames = (): LocalResourceNames => ({
  tables: TABLES.map(named),
});

/** Creates every resource the definitions name, skipping those that already exist (a persistent `.local/`). */
export const createResources = async (
  endpoints: EmulatorEndpoints,
  names: LocalResourceNames = localResourceNames(),
): Promise<void> => {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamodb = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: LOCAL_REGION, credentials });
  try {
    await Promise.all(names.tables.map((table) => createTable(dynamodb, table)));
  } finally {
    dynamodb.destroy();
  }
};

const createTable = async (client: DynamoDBClient, { definition, name }: LocalResource<TableDefinition>) => {
  const keys = [definition.partitionKey, ...(definition.sortKey ? [definition.sortKey] : [])];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
        KeySchema: keys.map((key, index) => ({
          AttributeName: key.name,
          KeyType: index === 0 ? 'HASH' : 'RANGE',
        })),
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return;
    throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: name });
  if (definition.timeToLiveAttribute) {
    // DynamoDB Local records the setting but never deletes expired items; reads filter them anyway.
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
};

/** The environment the handlers get locally: what the stack would set, pointed at the emulators. */
export const lambdaEnv = (
  endpoints: EmulatorEndpoints,
  names: LocalResourceNames = localResourceNames(),
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> => ({
  ...emulatorEnv(endpoints),
  ...Object.fromEntries(names.tables.map((table) => [table.definition.envVar, table.name])),
  SECRET_NAME_PREFIX: secretNamePrefix(LOCAL_DEPLOYMENT_NAME),
  TENANT: 'local',
  ALLOW_INSECURE_CALLBACKS: 'true',
  MAX_INTEGRATIONS: env.MAX_INTEGRATIONS ?? '10',
  EVENT_RETENTION_DAYS: env.EVENT_RETENTION_DAYS ?? '30',
  // Powertools: no X-Ray daemon locally, and metrics would print an EMF blob per request to the console.
  POWERTOOLS_SERVICE_NAME: 'event-stream',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: env.POWERTOOLS_METRICS_DISABLED ?? 'true',
  POWERTOOLS_LOG_LEVEL: env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
});
