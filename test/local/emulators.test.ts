import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { QUEUES, STATE_TABLE, WEBHOOK_QUEUE } from '../../lib/resource-definitions.ts';
import { type EmulatorEndpoints, startEmulators } from '../../local/emulators/index.ts';
import { createResources, localResourceNames } from '../../local/resources.ts';
import { useEmulators } from '../support/local-runtime.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const region = 'us-east-1';
const clients = (endpoints: EmulatorEndpoints) => ({
  dynamodb: new DynamoDBClient({ endpoint: endpoints.dynamodb, region, credentials }),
  // Queue URLs name hosts that do not resolve: the endpoint given here must win.
  sqs: new SQSClient({ endpoint: endpoints.sqs, region, credentials, useQueueUrlAsEndpoint: false }),
  s3: new S3Client({ endpoint: endpoints.s3, region, credentials, forcePathStyle: true }),
  secrets: new SecretsManagerClient({ endpoint: endpoints.secretsmanager, region, credentials }),
});

const stateTableName = () =>
  localResourceNames().tables.find((t) => t.definition === STATE_TABLE)?.name ?? '';

describe('emulators started in memory', () => {
  const emulators = useEmulators();

  it('binds the emulators we control to loopback', () => {
    expect(new URL(emulators.endpoints.sqs).hostname).toBe('127.0.0.1');
    expect(new URL(emulators.endpoints.secretsmanager).hostname).toBe('127.0.0.1');
  });

  it('creates the tables from the stack definitions, with TTL, and tolerates a second run', async () => {
    const { dynamodb } = clients(emulators.endpoints);

    await createResources(emulators.endpoints);
    const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: stateTableName() }));

    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: STATE_TABLE.timeToLiveAttribute,
    });
    dynamodb.destroy();
  });

  it("creates every queue behind its DLQ, with the definitions' visibility, retention and redrive", async () => {
    const { sqs } = clients(emulators.endpoints);

    const again = await createResources(emulators.endpoints);
    const webhook = emulators.queues[WEBHOOK_QUEUE.id];
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: webhook?.url, AttributeNames: ['All'] }),
    );
    const deadLetter = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: webhook?.deadLetterUrl, AttributeNames: ['All'] }),
    );

    expect(Object.keys(emulators.queues).sort()).toEqual(QUEUES.map((queue) => queue.id).sort());
    expect(again.queues).toEqual(emulators.queues);
    expect(webhook?.url).toMatch(/\/event-stream-webhook-queue$/);
    expect(webhook?.deadLetterUrl).toMatch(/\/event-stream-webhook-queue-dlq$/);
    expect(Attributes).toMatchObject({
      QueueArn: webhook?.arn,
      VisibilityTimeout: String(WEBHOOK_QUEUE.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(WEBHOOK_QUEUE.retentionDays * 86_400),
    });
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: webhook?.deadLetterArn,
      maxReceiveCount: WEBHOOK_QUEUE.maxReceiveCount,
    });
    expect(deadLetter.Attributes?.MessageRetentionPeriod).toBe(String(14 * 86_400));
    sqs.destroy();
  });

  it('gives the handlers the table names, queue URLs and local settings through lambdaEnv', () => {
    expect(emulators.env).toMatchObject({
      ...Object.fromEntries(QUEUES.map((queue) => [queue.envVar, emulators.queues[queue.id]?.url])),
      [STATE_TABLE.envVar]: stateTableName(),
      SECRET_NAME_PREFIX: 'event-stream-local/integrations/',
      TENANT: 'local',
      ALLOW_INSECURE_CALLBACKS: 'true',
      AWS_ENDPOINT_URL_DYNAMODB: emulators.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: emulators.endpoints.secretsmanager,
    });
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(emulators.endpoints.dynamodb);
  });

  it('serves SQS with an explicit endpoint and S3 path-style', async () => {
    const { sqs, s3 } = clients(emulators.endpoints);
    const queueName = `q-${process.pid}-${Date.now()}`;

    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    await s3.send(new CreateBucketCommand({ Bucket: queueName }));
    await s3.send(new PutObjectCommand({ Bucket: queueName, Key: 'dir/k.txt', Body: 'x' }));
    const object = await s3.send(new GetObjectCommand({ Bucket: queueName, Key: 'dir/k.txt' }));

    expect(received.Messages?.[0]?.Body).toBe('hello');
    expect(await object.Body?.transformToString()).toBe('x');
    sqs.destroy();
    s3.destroy();
  });
});

describe('emulators with a data directory', () => {
  it('keep tables, queues, objects and secrets across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'emulators-'));
    const queueName = 'kept-queue';
    try {
      const first = await startEmulators({ dataDir });
      let firstQueues = {};
      try {
        firstQueues = (await createResources(first.endpoints)).queues;
        const c = clients(first.endpoints);
        await c.dynamodb.send(
          new PutItemCommand({ TableName: stateTableName(), Item: { pk: { S: 'K' }, sk: { S: '1' } } }),
        );
        const { QueueUrl } = await c.sqs.send(new CreateQueueCommand({ QueueName: queueName }));
        await c.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'kept' }));
        await c.s3.send(new CreateBucketCommand({ Bucket: 'kept-bucket' }));
        await c.s3.send(new PutObjectCommand({ Bucket: 'kept-bucket', Key: 'a.txt', Body: 'object' }));
        await c.secrets.send(new CreateSecretCommand({ Name: 'kept', SecretString: 'secret' }));
        for (const client of Object.values(c)) client.destroy();
      } finally {
        await first.stop();
      }

      const second = await startEmulators({ dataDir });
      try {
        const secondQueues = (await createResources(second.endpoints)).queues;
        expect(secondQueues).toEqual(firstQueues);
        const c = clients(second.endpoints);
        const item = await c.dynamodb.send(
          new GetItemCommand({ TableName: stateTableName(), Key: { pk: { S: 'K' }, sk: { S: '1' } } }),
        );
        const { QueueUrl } = await c.sqs.send(new CreateQueueCommand({ QueueName: queueName }));
        const received = await c.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
        const object = await c.s3.send(new GetObjectCommand({ Bucket: 'kept-bucket', Key: 'a.txt' }));
        const secret = await c.secrets.send(new GetSecretValueCommand({ SecretId: 'kept' }));

        expect(item.Item).toBeDefined();
        expect(received.Messages?.[0]?.Body).toBe('kept');
        expect(await object.Body?.transformToString()).toBe('object');
        expect(secret.SecretString).toBe('secret');
        for (const client of Object.values(c)) client.destroy();
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
