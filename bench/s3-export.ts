import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { LoggedEvent } from '../lambdas/domain/event.ts';
import { eventLogWriter, integrationStore } from '../lambdas/functions/parts/stores.ts';
import { parseConfig } from '../lambdas/shared/config.ts';
import { startEmulators } from '../local/emulators/index.ts';
import { localPlatform } from '../local/platform.ts';
import { createResources, lambdaEnv, localResourceNames, localS3Client } from '../local/resources.ts';
import { printTable, progress, ratio, recordResults } from './report.ts';

export interface S3ExportBenchOptions {
  /** Bytes of events to export: one file's worth by default (just under 50 MiB). */
  bytes: number;
  /** Payload size of each event. */
  payloadBytes: number;
}

const MIB = 1024 * 1024;
const BUCKET = 'bench-erp';
const BATCH = 1000;

/**
 * fauxqs in a child process serving S3 only: in this process its stored objects (the staged chunks and the
 * file) would count as the pipeline's memory.
 */
const startS3Process = async (): Promise<{ endpoint: string; stop: () => Promise<void> }> => {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { buildApp } from 'fauxqs'; const app = buildApp({ logger: false }); console.log(await app.listen({ port: 0, host: '127.0.0.1' }));",
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  return {
    endpoint: line.toString().trim(),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    },
  };
};

/** Samples RSS and heap every few ms while `run` runs; returns the peaks above what they were before. */
const peakMemory = async <T>(run: () => Promise<T>): Promise<{ result: T; rss: number; heap: number }> => {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage();
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const now = process.memoryUsage();
    rss = Math.max(rss, now.rss - base.rss);
    heap = Math.max(heap, now.heapUsed + now.arrayBuffers - base.heapUsed - base.arrayBuffers);
  };
  const timer = setInterval(sample, 5);
  try {
    const result = await run();
    sample();
    return { result, rss, heap };
  } finally {
    clearInterval(timer);
  }
};

/**
 * S3 export throughput: one ~50 MiB file through the real batcher (event log reads, staging, state) and
 * flusher (staged chunks streamed into a multipart upload) against a bare multipart upload of the same bytes
 * to the same emulated S3, in the same run; and the pipeline's peak memory for that file. The throughput
 * ratio and the batcher's peak RSS growth go to bench/results.json under `s3`.
 */
export const benchS3Export = async (options: S3ExportBenchOptions): Promise<void> => {
  progress('s3: starting emulators (DynamoDB Local, fauxqs, Secrets Manager)');
  const [emulators, s3Process] = await Promise.all([startEmulators(), startS3Process()]);
  const endpoints = { ...emulators.endpoints, s3: s3Process.endpoint };
  const savedEnv = { ...process.env };
  const s3 = localS3Client(endpoints);
  try {
    const names = localResourceNames();
    const created = await createResources(endpoints, names);
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const env = lambdaEnv(endpoints, { names, created });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    // The batcher function as the stack builds it, and the API's use cases to register the integration with.
    const platform = localPlatform(endpoints, env);
    const { composeExportBatcher, EXPORT_BATCHER_ENTRY } = await import(
      '../lambdas/functions/export-batcher.ts'
    );
    const { API_ENTRY, composeApi } = await import('../lambdas/functions/api.ts');
    const config = parseConfig(EXPORT_BATCHER_ENTRY, env);
    const { batcher: exportBatcher, flush: exportFlush } = composeExportBatcher(config, platform);
    const { registry: integrationRegistry } = composeApi(parseConfig(API_ENTRY, env), platform);
    // Written as the fan-out writes it.
    const { FANOUT_ENTRY } = await import('../lambdas/functions/fanout.ts');
    const eventLog = eventLogWriter(parseConfig(FANOUT_ENTRY, env), platform);
    const integrations = integrationStore(config, platform);
    const id = 'bench-s3';
    await integrationRegistry.register({
      id,
      integration_type: 'permanent',
      s3_parameters: { bucket: BUCKET, key_prefix: 'bench', aws_region: 'us-east-1' },
    });
    const integration = await integrations.get(id);
    if (!integration) throw new Error('integration not registered');

    const filler = 'x'.repeat(options.payloadBytes);
    // Publish requests of 100 events, 50 ms apart, as the API stamps them: a file's chunks then follow
    // each other in time, as live traffic makes them, and the flush's merge holds about one at a time.
    const publishedFrom = Date.now();
    const receivedAtOf = (n: number) => new Date(publishedFrom + Math.floor(n / 100) * 50).toISOString();
    const count = Math.floor(options.bytes / (options.payloadBytes + 160));
    progress(`s3: writing ${count} events of ${options.payloadBytes} B to the event log`);
    let messages = Array.from({ length: count }, (_, n) => {
      const event: LoggedEvent = {
        id: randomUUID(),
        tenant: config.TENANT,
        name: 'order.created',
        published_at: receivedAtOf(n),
        payload: { n, filler },
        received_at: receivedAtOf(n),
        position: n % 100,
      };
      return event;
    });
    // The fan-out hands each export message the event log chunk it wrote the event into.
    const chunks: string[] = [];
    for (let i = 0; i < messages.length; i += 500) {
      chunks.push(...(await Promise.all(messages.slice(i, i + 500).map((event) => eventLog.put(event)))));
    }
    const records = messages.map((event, n) => ({
      recordId: String(n),
      message: {
        integration_id: id,
        event_id: event.id,
        received_at: event.received_at,
        ...(chunks[n] !== undefined && { chunk: chunks[n] }),
      },
      // First receives, sent as the events were received: nothing to check against the history.
      receiveCount: 1,
      sentAt: new Date(event.received_at),
    }));
    messages = [];

    progress('s3: pipeline (batcher in batches of 1,000, then the flush)');
    const started = performance.now();
    // Measured apart: the batcher holds one batch at a time, the flusher about two parts.
    const staging = await peakMemory(async () => {
      for (let i = 0; i < records.length; i += BATCH) {
        const result = await exportBatcher.stage(records.slice(i, i + BATCH));
        if (result.failedRecordIds.length > 0) throw new Error(`staging failed: ${result.errors[0]}`);
      }
    });
    const stagedMs = performance.now() - started;
    const flushStarted = performance.now();
    const flushing = await peakMemory(() => exportFlush.flush(integration));
    const pipelineMs = stagedMs + (performance.now() - flushStarted);
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'bench/' }));
    if (Contents.length !== 1) throw new Error(`expected one file, found ${Contents.length}`);
    const key = Contents[0]?.Key as string;
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    const fileBytes = head.ContentLength ?? 0;

    progress('s3: bare multipart upload of the same bytes');
    const body = Buffer.alloc(fileBytes, 'x');
    const bareStarted = performance.now();
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'bare/file' }),
    );
    const parts: { PartNumber: number; ETag: string }[] = [];
    const partBytes = config.EXPORT_PART_BYTES;
    for (let offset = 0, part = 1; offset < body.length; offset += partBytes, part++) {
      const { ETag } = await s3.send(
        new UploadPartCommand({
          Bucket: BUCKET,
          Key: 'bare/file',
          UploadId,
          PartNumber: part,
          Body: body.subarray(offset, offset + partBytes),
        }),
      );
      parts.push({ PartNumber: part, ETag: ETag as string });
    }
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'bare/file',
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    const bareMs = performance.now() - bareStarted;
    // And reading the same bytes back: the flush must read what the batcher staged.
    const readStarted = performance.now();
    const read = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'bare/file' }));
    for await (const _ of read.Body as AsyncIterable<Uint8Array>);
    const bareReadMs = performance.now() - readStarted;
    // Staged (written once), read back, uploaded: at the bare calls' speed and nothing else, the pipeline's best.
    const ceiling = bareMs / (bareMs + bareReadMs + bareMs);

    const mibps = (ms: number) => fileBytes / MIB / (ms / 1000);
    console.log(
      `\nS3 export: one file of ${(fileBytes / MIB).toFixed(1)} MiB, ${count} events, parts of ${partBytes / MIB} MiB`,
    );
    printTable(
      ['contender', 'seconds', 'MiB/s', 'vs bare'],
      [
        ['bare multipart upload', (bareMs / 1000).toFixed(2), mibps(bareMs).toFixed(1), '1.00x'],
        ['bare read of the file', (bareReadMs / 1000).toFixed(2), mibps(bareReadMs).toFixed(1), ''],
        [
          'pipeline (batcher + flusher)',
          (pipelineMs / 1000).toFixed(2),
          mibps(pipelineMs).toFixed(1),
          ratio(mibps(pipelineMs), mibps(bareMs)),
        ],
        [
          '  of which staging',
          (stagedMs / 1000).toFixed(2),
          mibps(stagedMs).toFixed(1),
          ratio(mibps(stagedMs), mibps(bareMs)),
        ],
        [
          '  of which flush',
          ((pipelineMs - stagedMs) / 1000).toFixed(2),
          mibps(pipelineMs - stagedMs).toFixed(1),
          ratio(mibps(pipelineMs - stagedMs), mibps(bareMs)),
        ],
      ],
    );
    console.log(
      `\nCeiling: the bytes cross S3 three times (staged by the batcher, read back and uploaded by the flush); at` +
        ` the bare calls' speed and with nothing else to do, the pipeline cannot pass ${ceiling.toFixed(2)}x the bare upload.`,
    );
    const mib = (bytes: number) => `+${(bytes / MIB).toFixed(1)} MiB`;
    console.log(
      `\npeak memory above baseline (garbage not yet collected included; S3 runs in a child process, DynamoDB Local in its JVM)`,
    );
    printTable(
      ['phase', 'RSS', 'heap + buffers'],
      [
        [
          `batcher, ${BATCH} events of ${options.payloadBytes} B a batch`,
          mib(staging.rss),
          mib(staging.heap),
        ],
        [`flusher, one ${(fileBytes / MIB).toFixed(1)} MiB file`, mib(flushing.rss), mib(flushing.heap)],
      ],
    );
    recordResults('s3', {
      pipeline_vs_bare: mibps(pipelineMs) / mibps(bareMs),
      batcher_peak_mib: staging.rss / MIB,
      ceiling_vs_bare: ceiling,
    });
  } finally {
    s3.destroy();
    await Promise.all([emulators.stop(), s3Process.stop()]);
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }
};
