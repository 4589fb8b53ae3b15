import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  BUCKETS,
  type BucketDefinition,
  deadLetterQueueId,
  type KeyAttribute,
  QUEUES,
  type QueueDefinition,
  secretNamePrefix,
  TABLES,
  type TableDefinition,
} from '../lib/resource-definitions.ts';
import { type EmulatorEndpoints, emulatorEnv, LOCAL_REGION } from './emulators/index.ts';

/** The deployment name the local runtime uses where the stack would use its own (secret prefix, resource names). */
export const LOCAL_DEPLOYMENT_NAME = 'event-stream-local';

export interface LocalResource<Definition> {
  definition: Definition;
  /** The resource's name in the emulator, given to the Lambdas through the definition's env var. */
  name: string;
}

/** A queue and the dead-letter queue behind it. */
export interface LocalQueue extends LocalResource<QueueDefinition> {
  /** `event-stream-ingest-queue-dlq` for `event-stream-ingest-queue`. */
  deadLetterName: string;
}

/** Every resource of the stack, named for the emulators. */
export interface LocalResourceNames {
  tables: LocalResource<TableDefinition>[];
  queues: LocalQueue[];
  buckets: LocalResource<BucketDefinition>[];
}

/** Where a created queue and its dead-letter queue are, as the emulator reports them. */
export interface CreatedQueue {
  url: string;
  arn: string;
  deadLetterUrl: string;
  deadLetterArn: string;
}

/** What `createResources` learnt from the emulators that the names alone do not tell. */
export interface CreatedResources {
  /** By queue definition id (`IngestQueue`). */
  queues: Record<string, CreatedQueue>;
}

/**
 * How long a dead-lettered message is kept: the SQS maximum, as in the stack (`DEAD_LETTER_RETENTION_DAYS` in
 * lib/queues.ts, not imported here because that module loads aws-cdk-lib).
 */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;

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
  queues: QUEUES.map(localQueue),
  buckets: BUCKETS.map(named),
});

/** A queue definition's local names (`event-stream-ingest-queue`, `event-stream-ingest-queue-dlq`). */
export const localQueue = (definition: QueueDefinition): LocalQueue => ({
  ...named(definition),
  deadLetterName: localName(deadLetterQueueId(definition)),
});

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * An SQS client for fauxqs: the explicit endpoint must win over the queue URLs' hosts, which do not resolve
 * (see emulators/fauxqs.ts).
 */
export const localSqsClient = (endpoints: EmulatorEndpoints): SQSClient =>
  new SQSClient({ endpoint: endpoints.sqs, region: LOCAL_REGION, credentials, useQueueUrlAsEndpoint: false });

/**
 * Creates every resource the definitions name. Existing tables are left alone; existing queues get their
 * attributes set again, so a persistent `.local/` follows changes to the definitions as a deploy would.
 */
export const createResources = async (
  endpoints: EmulatorEndpoints,
  names: LocalResourceNames = localResourceNames(),
): Promise<CreatedResources> => {
  const dynamodb = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: LOCAL_REGION, credentials });
  const sqs = localSqsClient(endpoints);
  const s3 = localS3Client(endpoints);
  try {
    const [, queues] = await Promise.all([
      Promise.all(names.tables.map((table) => createTable(dynamodb, table))),
      Promise.all(
        names.queues.map(async (queue) => [queue.definition.id, await createLocalQueue(sqs, queue)] as const),
      ),
      Promise.all(names.buckets.map((bucket) => createBucket(s3, bucket))),
    ]);
    return { queues: Object.fromEntries(queues) };
  } finally {
    dynamodb.destroy();
    sqs.destroy();
    s3.destroy();
  }
};

/** An S3 client for fauxqs: bucket names in the path, since `<bucket>.127.0.0.1` names no host. */
export const localS3Client = (endpoints: EmulatorEndpoints): S3Client =>
  new S3Client({ endpoint: endpoints.s3, region: LOCAL_REGION, credentials, forcePathStyle: true });

/** Creates a bucket (an existing one is kept) and sets its lifecycle rules from the definition. */
const createBucket = async (client: S3Client, { definition, name }: LocalResource<BucketDefinition>) => {
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
  } catch (error) {
    if (!(error instanceof BucketAlreadyOwnedByYou)) throw error;
  }
  await client.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: name,
      LifecycleConfiguration: {
        Rules: [
          {
            ID: 'expire-and-abort',
            Status: 'Enabled',
            Filter: { Prefix: '' },
            Expiration: { Days: definition.expirationDays },
            AbortIncompleteMultipartUpload: {
              DaysAfterInitiation: definition.abortIncompleteMultipartUploadDays,
            },
          },
        ],
      },
    }),
  );
};

/**
 * Creates (or updates) a queue and its dead-letter queue: retention, visibility timeout and the redrive
 * policy from the definition. Exported for tests, which use short-lived definitions of their own.
 */
export const createLocalQueue = async (client: SQSClient, queue: LocalQueue): Promise<CreatedQueue> => {
  const deadLetter = await createOrUpdateQueue(client, queue.deadLetterName, {
    MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_SECONDS),
  });
  const { definition } = queue;
  const main = await createOrUpdateQueue(client, queue.name, {
    VisibilityTimeout: String(definition.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(definition.retentionDays * 24 * 3600),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: deadLetter.arn,
      maxReceiveCount: definition.maxReceiveCount,
    }),
  });
  return { ...main, deadLetterUrl: deadLetter.url, deadLetterArn: deadLetter.arn };
};

const createOrUpdateQueue = async (
  client: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> => {
  // CreateQueue without attributes is idempotent; with them it fails on any difference from an existing
  // queue (QueueNameExists), so the attributes are set separately, every time.
  const { QueueUrl: url } = await client.send(new CreateQueueCommand({ QueueName: name }));
  if (!url) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`GetQueueAttributes ${name} returned no QueueArn`);
  return { url, arn };
};

const keySchema = (partitionKey: KeyAttribute, sortKey?: KeyAttribute) =>
  [partitionKey, ...(sortKey ? [sortKey] : [])].map((key, index) => ({
    AttributeName: key.name,
    KeyType: index === 0 ? ('HASH' as const) : ('RANGE' as const),
  }));

const createTable = async (client: DynamoDBClient, { definition, name }: LocalResource<TableDefinition>) => {
  const indexes = definition.globalSecondaryIndexes ?? [];
  const attributes = new Map(
    [
      definition.partitionKey,
      definition.sortKey,
      ...indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    ]
      .filter((key): key is KeyAttribute => key !== undefined)
      .map((key) => [key.name, key.type]),
  );
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
          AttributeName,
          AttributeType,
        })),
        KeySchema: keySchema(definition.partitionKey, definition.sortKey),
        ...(indexes.length > 0 && {
          GlobalSecondaryIndexes: indexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'KEYS_ONLY' },
          })),
        }),
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

export interface LambdaEnvOptions {
  names?: LocalResourceNames;
  /** Queue URLs from `createResources`; without them the env lacks the queue variables the config requires. */
  created?: CreatedResources;
  /** Where MAX_INTEGRATIONS and the Powertools settings may come from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Set last, over everything else (e2e tests: `RETRY_SCHEDULE_SECONDS: '1,1,1'`). */
  overrides?: Record<string, string>;
}

/** The environment the handlers get locally: what the stack would set, pointed at the emulators. */
export const lambdaEnv = (
  endpoints: EmulatorEndpoints,
  options: LambdaEnvOptions = {},
): Record<string, string> => {
  const { names = localResourceNames(), created, env = process.env } = options;
  return {
    ...baseEnv(endpoints, names, env),
    ...Object.fromEntries(
      names.queues.flatMap((queue) => {
        const url = created?.queues[queue.definition.id]?.url;
        return url ? [[queue.definition.envVar, url]] : [];
      }),
    ),
    ...options.overrides,
  };
};

const baseEnv = (
  endpoints: EmulatorEndpoints,
  names: LocalResourceNames,
  env: NodeJS.ProcessEnv,
): Record<string, string> => ({
  ...emulatorEnv(endpoints),
  ...Object.fromEntries(names.tables.map((table) => [table.definition.envVar, table.name])),
  ...Object.fromEntries(names.buckets.map((bucket) => [bucket.definition.envVar, bucket.name])),
  // fauxqs serves buckets by path only; the stack leaves this unset (virtual-hosted style, as AWS prefers).
  S3_FORCE_PATH_STYLE: 'true',
  SECRET_NAME_PREFIX: secretNamePrefix(LOCAL_DEPLOYMENT_NAME),
  TENANT: 'local',
  ALLOW_INSECURE_CALLBACKS: 'true',
  MAX_INTEGRATIONS: env.MAX_INTEGRATIONS ?? '10',
  ENTITY_INDEX: env.ENTITY_INDEX ?? 'false',
  DEDUP_EVENT_IDS: env.DEDUP_EVENT_IDS ?? 'false',
  EVENT_RETENTION_DAYS: env.EVENT_RETENTION_DAYS ?? '30',
  // Powertools: metrics would print an EMF blob per request to the console.
  POWERTOOLS_SERVICE_NAME: 'event-stream',
  POWERTOOLS_METRICS_DISABLED: env.POWERTOOLS_METRICS_DISABLED ?? 'true',
  POWERTOOLS_LOG_LEVEL: env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
});
