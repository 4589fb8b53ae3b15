import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeliveryHistory } from '../../lambdas/adapters/dynamodb/delivery-history.ts';
import { DynamoDeliveryStateStore } from '../../lambdas/adapters/dynamodb/delivery-state-store.ts';
import { DynamoExportStateStore } from '../../lambdas/adapters/dynamodb/export-state-store.ts';
import { DynamoIntegrationLog } from '../../lambdas/adapters/dynamodb/integration-log.ts';
import { DynamoIntegrationRepository } from '../../lambdas/adapters/dynamodb/integration-repository.ts';
import { S3ExportDestinations } from '../../lambdas/adapters/s3/s3-export-destinations.ts';
import { S3StagingStore } from '../../lambdas/adapters/s3/s3-staging-store.ts';
import type { LoggedEvent } from '../../lambdas/domain/event.ts';
import { MIN_PART_BYTES } from '../../lambdas/domain/export-file.ts';
import type { Integration } from '../../lambdas/domain/integration.ts';
import type { ExportDestination, ExportDestinations } from '../../lambdas/domain/ports/exports.ts';
import type { SecretStore } from '../../lambdas/domain/ports/integrations.ts';
import { ExportBatcher, type ExportRecord } from '../../lambdas/use-cases/export-batcher.ts';
import { ExportFlush } from '../../lambdas/use-cases/export-flush.ts';
import { ExportUpload } from '../../lambdas/use-cases/export-upload.ts';
import { localS3Client } from '../../local/resources.ts';
import { dynamoEventLog } from '../support/dynamo-event-log.ts';
import { useEmulators } from '../support/local-runtime.ts';
import { readExportFiles } from '../support/s3-files.ts';

/**
 * The export pipeline's use cases on the emulators with a fake clock and injected crashes: a step throws
 * once, the work is retried as SQS and the schedule would retry it, and what an ERP job then reads is
 * complete, whole and has every event.
 */
// The environment is applied: the destinations reach the emulator through AWS_ENDPOINT_URL_S3 and its keys.
const emulators = useEmulators();
const BUCKET = 'erp-pipeline';
const MINUTE = 60_000;

let documents: DynamoDBDocumentClient;
let s3: S3Client;
beforeAll(async () => {
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: emulators.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  s3 = localS3Client(emulators.endpoints);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

class Crash extends Error {}

/**
 * Wraps an object so that the named method throws (a crash stand-in) on its `nth` call, once; `calls` is
 * shared by every wrapper of the same object kind (a destination is opened per upload).
 */
const crashing = <T extends object>(
  target: T,
  name: string,
  method: string | undefined,
  nth: number,
  counter: { calls: number },
): T => {
  if (!method?.startsWith(`${name}.`)) return target;
  const wanted = method.slice(name.length + 1);
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (property !== wanted || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        counter.calls += 1;
        if (counter.calls === nth) return Promise.reject(new Crash(`crash in ${method}`));
        return value.apply(object, args);
      };
    },
  });
};

interface PipelineOptions {
  crashAt?: string;
  crashOnCall?: number;
  maxFileBytes?: number;
  stopWindowMs?: number;
}

const setUp = (options: PipelineOptions = {}) => {
  const clock = { t: Date.now(), now: () => new Date(clock.t) };
  const table = emulators.env.STATE_TABLE_NAME as string;
  const stagingBucket = emulators.env.EXPORT_STAGING_BUCKET_NAME as string;
  const counter = { calls: 0 };
  const crash = <T extends object>(name: string, target: T) =>
    crashing(target, name, options.crashAt, options.crashOnCall ?? 1, counter);
  const integrations = new DynamoIntegrationRepository(documents, table);
  const eventLog = dynamoEventLog(documents, emulators.env.EVENT_LOG_TABLE_NAME as string, 'acme', clock);
  const state = crash('state', new DynamoExportStateStore(documents, table));
  const staging = crash('staging', new S3StagingStore(s3, stagingBucket));
  const deliveryState = new DynamoDeliveryStateStore(documents, table);
  const logs = crash('logs', new DynamoIntegrationLog(documents, table));
  const noSecrets: SecretStore = { get: async () => ({}), put: async () => {}, delete: async () => {} };
  const real = new S3ExportDestinations({
    secrets: noSecrets,
    newClient: (config) =>
      new S3Client({
        region: config.region,
        endpoint: emulators.endpoints.s3,
        forcePathStyle: true,
        credentials: config.credentials ?? { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    stsClientConfig: {},
  });
  const calls: string[] = [];
  const destinations: ExportDestinations = {
    forIntegration: async (integration) => {
      const destination = await real.forIntegration(integration);
      // Records the multipart calls, then lets the crash wrapper fail one.
      const recording = new Proxy(destination, {
        get(object, property, receiver) {
          const value = Reflect.get(object, property, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            calls.push(`${String(property)}:${String(args[1] ?? '')}`);
            return value.apply(object, args);
          };
        },
      });
      return crash<ExportDestination>('destination', recording);
    },
  };
  const metrics = { count: () => {}, duration: () => {} };
  const stopped: { id: string; reason: string }[] = [];
  const maxFileBytes = options.maxFileBytes ?? 52_428_800;
  const batcher = new ExportBatcher({
    integrations,
    eventLog,
    state,
    staging,
    deliveryState,
    history: new DynamoDeliveryHistory(documents, emulators.env.DELIVERIES_TABLE_NAME as string, 30, clock),
    metrics,
    clock,
    settings: { maxFileBytes, maxFileAgeMs: 5 * MINUTE, chunkBytes: 4 * 1024 * 1024, tenant: 'acme' },
  });
  const flush = new ExportFlush({
    integrations,
    state,
    staging,
    destinations,
    upload: new ExportUpload({ staging, state, partBytes: MIN_PART_BYTES }),
    logs,
    deliveryState,
    stopper: {
      stopIfStill: async (id: string, reason: string) => {
        stopped.push({ id, reason });
      },
    },
    metrics,
    clock,
    settings: {
      tenant: 'acme',
      maxFileAgeMs: 5 * MINUTE,
      stopWindowMs: options.stopWindowMs ?? 24 * 60 * MINUTE,
      retryScheduleSeconds: [1],
      leaseMs: 5 * MINUTE,
      concurrency: 2,
    },
  });

  /** Registers a running S3 integration writing to `bucket`. */
  const integration = async (bucket = BUCKET): Promise<Integration> => {
    const id = `pipe-${randomUUID().slice(0, 13)}`;
    const created: Integration = {
      id,
      status: 'running',
      integration_type: 'permanent',
      s3_parameters: { bucket, key_prefix: `erp/${id}`, aws_region: 'us-east-1' },
      created_at: clock.now().toISOString(),
      updated_at: clock.now().toISOString(),
      has_secrets: false,
      version: 1,
    };
    await integrations.create(created, 10_000);
    return created;
  };

  /** Logs `count` events and returns their queue records for `integration`. */
  const events = async (target: Integration, count: number, payloadBytes = 200): Promise<ExportRecord[]> => {
    const receivedAt = clock.now().toISOString();
    const logged: LoggedEvent[] = Array.from({ length: count }, (_, n) => ({
      id: randomUUID(),
      tenant: 'acme',
      name: 'order.created',
      published_at: receivedAt,
      payload: { n, filler: 'x'.repeat(payloadBytes) },
      received_at: receivedAt,
    }));
    await Promise.all(logged.map((event) => eventLog.put(event)));
    return logged.map((event) => ({
      recordId: event.id,
      message: { integration_id: target.id, event_id: event.id, received_at: receivedAt },
      receiveCount: 1,
      sentAt: new Date(receivedAt),
    }));
  };

  /** Stages records as the event source mapping would: failed ones come back until none fail. */
  const stageUntilDone = async (records: ExportRecord[]) => {
    let pending = records;
    for (let round = 0; pending.length > 0; round++) {
      if (round > 5) throw new Error('records keep failing');
      const result = await batcher.stage(pending);
      pending = records.filter((record) => result.failedRecordIds.includes(record.recordId));
    }
  };

  /** Runs the schedule until nothing is left to upload, moving the clock past leases and backoff between runs. */
  const flushUntilDone = async (target: Integration) => {
    for (let round = 0; ; round++) {
      if (round > 5) throw new Error('files keep failing');
      await flush.flushDue().catch((error: unknown) => {
        if (!(error instanceof AggregateError) || !error.errors.every((e) => e instanceof Crash)) throw error;
      });
      const left = await new DynamoExportStateStore(documents, table).load(target.id);
      if (!left.open && left.closed.length === 0) return;
      clock.t += 6 * MINUTE;
    }
  };

  return { clock, batcher, flush, integration, events, stageUntilDone, flushUntilDone, calls, stopped, logs };
};

const eventIds = (records: ExportRecord[]) => records.map((record) => record.message.event_id).sort();
const objectsOf = (target: Integration) =>
  readExportFiles(s3, BUCKET, target.s3_parameters?.key_prefix ?? '');

describe('file age', () => {
  it('closes a file at its 5th minute, not before', async () => {
    const pipeline = setUp();
    const target = await pipeline.integration();
    const records = await pipeline.events(target, 5);
    await pipeline.stageUntilDone(records);
    pipeline.clock.t += 5 * MINUTE - 1;
    await pipeline.flush.flushDue();
    expect(await objectsOf(target)).toEqual([]);
    pipeline.clock.t += 1;
    await pipeline.flush.flushDue();
    const [file] = await objectsOf(target);
    expect(file?.events.map((event) => event.id).sort()).toEqual(eventIds(records));
  });

  it('starts a new file for events arriving after the open one had its 5 minutes', async () => {
    const pipeline = setUp();
    const target = await pipeline.integration();
    const first = await pipeline.events(target, 3);
    await pipeline.stageUntilDone(first);
    pipeline.clock.t += 5 * MINUTE;
    const second = await pipeline.events(target, 3);
    await pipeline.stageUntilDone(second);
    await pipeline.flush.flushDue();
    pipeline.clock.t += 5 * MINUTE;
    await pipeline.flush.flushDue();
    const files = await objectsOf(target);
    expect(files.map((file) => file.events.length)).toEqual([3, 3]);
  });
});

describe('large files', () => {
  it('uploads a file above the part size in parts, streamed chunk by chunk, and every line arrives whole', async () => {
    const pipeline = setUp({ maxFileBytes: 12 * 1024 * 1024 });
    const target = await pipeline.integration();
    // About 14 MiB in batches of 30 events of 100 KiB: one full 12 MiB file and a remainder.
    const records: ExportRecord[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const batchRecords = await pipeline.events(target, 30, 100_000);
      records.push(...batchRecords);
      await pipeline.stageUntilDone(batchRecords);
    }
    await pipeline.flushUntilDone(target);
    const files = await objectsOf(target);
    expect(files.length).toBe(2);
    expect(Math.max(...files.map((file) => file.size))).toBeLessThanOrEqual(12 * 1024 * 1024);
    expect(files.flatMap((file) => file.events.map((event) => event.id)).sort()).toEqual(eventIds(records));
    expect(pipeline.calls.filter((call) => call.startsWith('uploadPart')).length).toBeGreaterThanOrEqual(3);
  });
});

describe('crashes', () => {
  /** Steps of staging and of a multipart flush; each throws once, then the work is retried. */
  const steps = [
    'staging.put',
    'state.open',
    'state.append',
    'state.close',
    'state.lease',
    'destination.createMultipartUpload',
    'state.update',
    'destination.uploadPart',
    'destination.completeMultipartUpload',
    'logs.append',
    'staging.get',
    'staging.deleteAll',
    'state.remove',
  ];

  it.each(steps)('a crash in %s loses no event and leaves no partial object', async (step) => {
    // state.append's first call is the second chunk's; the second call of uploadPart is the last part's.
    const pipeline = setUp({ crashAt: step, crashOnCall: step === 'destination.uploadPart' ? 2 : 1 });
    const target = await pipeline.integration();
    // Two batches of about 3.3 MiB: one file of two chunks, above the 5 MiB part size (parts of 5 and 1.6 MiB).
    const first = await pipeline.events(target, 33, 100_000);
    const second = await pipeline.events(target, 33, 100_000);
    await pipeline.stageUntilDone(first);
    await pipeline.stageUntilDone(second);
    pipeline.clock.t += 5 * MINUTE;
    await pipeline.flush.flushDue().catch(() => {});
    // Whatever the crash left: either nothing or the whole file, never a part of it.
    for (const file of await objectsOf(target)) expect(file.events).toHaveLength(66);

    await pipeline.flushUntilDone(target);
    const files = await objectsOf(target);
    expect(files).toHaveLength(1);
    expect(files[0]?.events.map((event) => event.id).sort()).toEqual(eventIds([...first, ...second]));
    if (['destination.uploadPart', 'destination.completeMultipartUpload', 'state.update'].includes(step)) {
      // The interrupted multipart upload was aborted, by the failed attempt or the next one.
      expect(pipeline.calls.some((call) => call.startsWith('abortMultipartUpload'))).toBe(true);
    }
  });

  it('a batch redelivered after it was staged (a crash before SQS deleted it) is written once', async () => {
    const pipeline = setUp();
    const target = await pipeline.integration();
    const records = await pipeline.events(target, 20);
    await pipeline.stageUntilDone(records);
    await pipeline.stageUntilDone(records);
    await pipeline.flushUntilDone(target);
    const [file] = await objectsOf(target);
    expect(file?.events.map((event) => event.id).sort()).toEqual(eventIds(records));
  });
});

describe('a bucket that keeps failing', () => {
  it('retries with backoff, then after the stop window gives the staged events up to a catch-up and stops', async () => {
    const pipeline = setUp({ stopWindowMs: 10 * MINUTE });
    const target = await pipeline.integration(`missing-${randomUUID().slice(0, 8)}`);
    const records = await pipeline.events(target, 4);
    await pipeline.stageUntilDone(records);
    pipeline.clock.t += 5 * MINUTE;
    await pipeline.flush.flushDue();
    const entries = await pipeline.logs.list(target.id);
    expect(entries[0]?.action).toBe('retry_triggered');
    expect(entries[0]?.reason).toContain('NoSuchBucket');
    expect(pipeline.stopped).toEqual([]);

    pipeline.clock.t += 11 * MINUTE;
    await pipeline.flush.flushDue();
    expect(pipeline.stopped).toHaveLength(1);
    expect(pipeline.stopped[0]?.reason).toMatch(/stop window.*NoSuchBucket/);
    const table = emulators.env.STATE_TABLE_NAME as string;
    const health = await new DynamoDeliveryStateStore(documents, table).get(target.id);
    expect(health.catch_up_from).toBe(records[0]?.message.received_at);
    const left = await new DynamoExportStateStore(documents, table).load(target.id);
    expect(left).toEqual({ closed: [] });
    const staged = await s3.send(
      new ListObjectsV2Command({
        Bucket: emulators.env.EXPORT_STAGING_BUCKET_NAME as string,
        Prefix: `chunks/${target.id}/`,
      }),
    );
    expect(staged.Contents ?? []).toEqual([]);
  });
});
