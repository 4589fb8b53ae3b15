import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { localS3Client } from '../local/resources.ts';
import { startRecordingProxy } from '../test/support/s3-stubs.ts';
import {
  type BenchPipeline,
  currentFunction,
  EVENTS_PATH,
  INTEGRATIONS_PATH,
  orderPayload,
  startBenchPipeline,
  startTimingReceiver,
  type TimingReceiver,
  waitFor,
} from './pipeline-latency.ts';
import { LAMBDA_MEMORY_GB, PRICES, PRICES_AS_OF } from './prices.ts';
import { printTable, progress, recordResults } from './report.ts';

export interface CostBenchOptions {
  /** Events per scenario; counts are scaled to 1,000. */
  events: number;
}

interface Scenario {
  title: string;
  /** Name of its total under `cost_usd_per_million` in bench/results.json; none: printed only. */
  key?: string;
  /** Events per ingest request. */
  perRequest: 1 | 100;
  webhooks: number;
  s3: boolean;
  /** On a deployment that keeps the entity index (context `entityIndex`). */
  entityIndex?: boolean;
  /** Webhooks with `ordering: "entity"`, the events spread over 100 entities. */
  ordered?: boolean;
}

const SCENARIOS: Scenario[] = [
  { title: 'ingest 1/req', key: 'ingest_1', perRequest: 1, webhooks: 0, s3: false },
  { title: 'ingest 100/req', key: 'ingest_100', perRequest: 100, webhooks: 0, s3: false },
  { title: '1 webhook 1/req', perRequest: 1, webhooks: 1, s3: false },
  { title: '1 webhook', key: 'webhook_1', perRequest: 100, webhooks: 1, s3: false },
  { title: '3 webhooks', key: 'webhook_3', perRequest: 100, webhooks: 3, s3: false },
  {
    title: '1 webhook, ordered by entity',
    key: 'webhook_1_ordered',
    perRequest: 100,
    webhooks: 1,
    s3: false,
    ordered: true,
  },
  { title: '1 S3', key: 's3_1', perRequest: 100, webhooks: 0, s3: true },
  {
    title: '1 webhook, entity index',
    key: 'webhook_1_entity_index',
    perRequest: 100,
    webhooks: 1,
    s3: false,
    entityIndex: true,
  },
];

const DYNAMO_READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const SQS_CHUNK = 64 * 1024;
const CUSTOMER_BUCKET = 'bench-cost-erp';

/** Billed units of the calls one middleware saw, by `Service.Operation` and table. */
interface Billed {
  calls: number;
  /** DynamoDB: read or write request units as DynamoDB Local reports them; SQS: 64 KB chunks; else calls. */
  units: number;
}

/** `scheduled` is true for calls made outside the wrapped functions: the runtime's scheduled jobs. */
type BilledKey = `${'fn' | 'scheduled'}|${string}|${string}`;

/**
 * Billing units per call, beside bench/aws-requests.ts's plain counts: DynamoDB's consumed capacity (asked for
 * with ReturnConsumedCapacity, which DynamoDB Local computes from item sizes as DynamoDB does), SQS's 64 KB
 * chunks of SendMessage(Batch) bodies, and which table each DynamoDB call touched.
 */
const countBilledUnits = (pipeline: BenchPipeline, tableIds: Map<string, string>) => {
  const billed = new Map<BilledKey, Billed>();
  const add = (scheduled: boolean, name: string, table: string, calls: number, units: number) => {
    const key: BilledKey = `${scheduled ? 'scheduled' : 'fn'}|${name}|${table}`;
    const entry = billed.get(key) ?? { calls: 0, units: 0 };
    entry.calls += calls;
    entry.units += units;
    billed.set(key, entry);
  };
  type Args = { input: Record<string, unknown> };
  type Next = (args: Args) => Promise<{ output: Record<string, unknown> }>;
  /** The clients' stacks, typed loosely as in bench/aws-requests.ts: their middleware types differ per client. */
  type Stack = {
    add(
      middleware: (
        next: Next,
        context: { commandName?: string },
      ) => (args: Args) => Promise<{ output: Record<string, unknown> }>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
  const stack = (client: { middlewareStack: unknown }) => client.middlewareStack as Stack;
  const dynamoDocumentClient = pipeline.clients.dynamo();
  const sqsClient = pipeline.clients.sqs();
  const secretsManagerClient = pipeline.clients.secretsManager();
  stack(dynamoDocumentClient).add(
    (next: Next, context: { commandName?: string }) => async (args: Args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      const scheduled = currentFunction.getStore() === undefined;
      const result = await next({ ...args, input: { ...args.input, ReturnConsumedCapacity: 'TOTAL' } });
      const consumed = result.output.ConsumedCapacity as
        | { TableName?: string; CapacityUnits?: number }
        | { TableName?: string; CapacityUnits?: number }[]
        | undefined;
      const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
      if (list.length === 0) add(scheduled, `DynamoDB.${operation}`, '?', 1, 0);
      for (const [index, entry] of list.entries()) {
        const table = tableIds.get(entry.TableName ?? '') ?? entry.TableName ?? '?';
        add(scheduled, `DynamoDB.${operation}`, table, index === 0 ? 1 : 0, entry.CapacityUnits ?? 0);
      }
      return result;
    },
    { step: 'initialize', name: 'benchCostUnits' },
  );
  stack(sqsClient).add(
    (next: Next, context: { commandName?: string }) => async (args: Args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      const input = args.input as { MessageBody?: string; Entries?: { MessageBody?: string }[] };
      const bytes =
        Buffer.byteLength(input.MessageBody ?? '') +
        (input.Entries ?? []).reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody ?? ''), 0);
      add(
        currentFunction.getStore() === undefined,
        `SQS.${operation}`,
        '',
        1,
        Math.max(1, Math.ceil(bytes / SQS_CHUNK)),
      );
      return next(args);
    },
    { step: 'initialize', name: 'benchCostUnits' },
  );
  stack(secretsManagerClient).add(
    (next: Next, context: { commandName?: string }) => async (args: Args) => {
      add(
        currentFunction.getStore() === undefined,
        `SecretsManager.${String(context.commandName).replace(/Command$/, '')}`,
        '',
        1,
        1,
      );
      return next(args);
    },
    { step: 'initialize', name: 'benchCostUnits' },
  );
  return { billed, reset: () => billed.clear() };
};

/** S3 requests by operation, from method and query as the recording proxy saw them, with their price class. */
const s3Operation = (method: string, path: string): { name: string; price: number } => {
  const query = new URL(path, 'http://x').searchParams;
  if (method === 'PUT')
    return { name: query.has('partNumber') ? 'UploadPart' : 'PutObject', price: PRICES.s3PutOrList };
  if (method === 'POST') {
    if (query.has('uploads')) return { name: 'CreateMultipartUpload', price: PRICES.s3PutOrList };
    if (query.has('uploadId')) return { name: 'CompleteMultipartUpload', price: PRICES.s3PutOrList };
    if (query.has('delete')) return { name: 'DeleteObjects', price: 0 };
    return { name: 'POST', price: PRICES.s3PutOrList };
  }
  if (method === 'GET') {
    if (query.has('list-type') || path.split('?')[0]?.split('/').filter(Boolean).length === 1)
      return { name: 'ListObjectsV2', price: PRICES.s3PutOrList };
    return { name: 'GetObject', price: PRICES.s3Get };
  }
  if (method === 'HEAD') return { name: 'HeadObject', price: PRICES.s3Get };
  if (method === 'DELETE')
    return { name: query.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject', price: 0 };
  return { name: method, price: PRICES.s3Get };
};

/** One scenario's counts, already per 1,000 events, and its USD per million events by service. */
interface Measured {
  /** `Service.Operation` (or a derived line) → requests per 1,000 events. */
  requests: Map<string, number>;
  /** Service → USD per million events. */
  usd: Map<string, number>;
  /** USD per million events for the delivery history (DeliveriesTable) alone. */
  historyUsd: number;
  /** EventBridge doing the same: PutEvents per event, an API destination invocation per delivery. */
  eventBridgeUsd: number | undefined;
  notes: string[];
}

/** USD per million events over all services; the delivery history (a DynamoDB table) is part of it. */
const totalUsd = (result: Measured): number =>
  [...result.usd.values()].reduce((sum, value) => sum + value, 0);

const countLines = async (s3: S3Client, prefix: string): Promise<number> => {
  const { Contents = [] } = await s3.send(
    new ListObjectsV2Command({ Bucket: CUSTOMER_BUCKET, Prefix: prefix }),
  );
  let lines = 0;
  for (const object of Contents) {
    const body = await s3.send(new GetObjectCommand({ Bucket: CUSTOMER_BUCKET, Key: object.Key }));
    const text = (await body.Body?.transformToString()) ?? '';
    lines += text.split('\n').filter((line) => line.trim() !== '').length;
  }
  return lines;
};

/**
 * AWS requests the pipeline makes per 1,000 events through the local runtime, by service and operation, and
 * what they cost per million events at list prices (bench/prices.ts), beside EventBridge doing the same; each
 * keyed scenario's total goes to bench/results.json under `cost_usd_per_million`.
 */
export const benchAwsCost = async (options: CostBenchOptions): Promise<void> => {
  const { events } = options;
  const s3Available = existsSync(
    fileURLToPath(new URL('../lambdas/handlers/sqs/export-batcher.ts', import.meta.url)),
  );
  const scenarios = SCENARIOS.filter((scenario) => !scenario.s3 || s3Available);
  if (!s3Available)
    console.log('note: lambdas/handlers/sqs/export-batcher.ts does not exist: the S3 scenario is skipped');

  // A deployment keeps the entity index or not: scenarios with it run on a runtime of their own.
  const results: Measured[] = [];
  for (const entityIndex of [false, true]) {
    const group = scenarios.filter((scenario) => Boolean(scenario.entityIndex) === entityIndex);
    if (group.length > 0) results.push(...(await measureScenarios(group, events, s3Available, entityIndex)));
  }
  printCostReport(scenarios, results, events);
  recordResults(
    'cost_usd_per_million',
    Object.fromEntries(
      scenarios.flatMap((scenario, index) => {
        const result = results[index];
        return scenario.key && result ? [[scenario.key, totalUsd(result)]] : [];
      }),
    ),
  );
};

/** Runs `scenarios` one after another on one local runtime; their counts, in order. */
const measureScenarios = async (
  scenarios: readonly Scenario[],
  events: number,
  s3Available: boolean,
  entityIndex: boolean,
): Promise<Measured[]> => {
  progress('cost: starting the local runtime (S3 through a counting proxy)');
  // The handlers reach S3 through a proxy that records each request: the export's customer-bucket clients are
  // created per integration, so middleware on the module-scope clients would miss them.
  const proxy = await startRecordingProxy();
  const receiver: TimingReceiver = await startTimingReceiver();
  const pipeline = await startBenchPipeline(
    {
      AWS_ENDPOINT_URL_S3: proxy.url,
      // Export files close after 2 s instead of 5 minutes, so the S3 scenario uploads within seconds.
      EXPORT_MAX_FILE_AGE_SECONDS: '2',
      ENTITY_INDEX: String(entityIndex),
    },
    { scheduleIntervalMs: 1000 },
  );
  proxy.forwardTo(pipeline.runtime.endpoints.s3);
  const s3 = localS3Client(pipeline.runtime.endpoints);
  const tableIds = new Map(pipeline.runtime.names.tables.map((table) => [table.name, table.definition.id]));
  const units = countBilledUnits(pipeline, tableIds);
  const results: Measured[] = [];
  try {
    if (s3Available) await s3.send(new CreateBucketCommand({ Bucket: CUSTOMER_BUCKET }));
    let round = 0;
    for (const scenario of scenarios) {
      round++;
      const ids: string[] = [];
      for (let i = 1; i <= scenario.webhooks; i++) {
        const id = `cost-${round}-webhook-${i}`;
        const response = await pipeline.call('POST', INTEGRATIONS_PATH, {
          id,
          integration_type: 'permanent',
          // An api_key, as most receivers want one: each delivery then reads it through the secret cache.
          callback_parameters: {
            callback_url: receiver.url(`/${id}`),
            api_key: `key-${id}-${'k'.repeat(24)}`,
            ...(scenario.ordered && { ordering: 'entity' }),
          },
        });
        if (response.status !== 200) throw new Error(`registration failed: ${response.text}`);
        ids.push(id);
      }
      const s3Id = `cost-${round}-s3`;
      if (scenario.s3) {
        const response = await pipeline.call('POST', INTEGRATIONS_PATH, {
          id: s3Id,
          integration_type: 'permanent',
          s3_parameters: { bucket: CUSTOMER_BUCKET, key_prefix: `erp/${s3Id}`, aws_region: 'us-east-1' },
        });
        if (response.status !== 200) throw new Error(`registration failed: ${response.text}`);
      }
      await pipeline.waitDrained(30_000);
      pipeline.requests.reset();
      units.reset();
      pipeline.resetUsage();
      proxy.requests.splice(0);

      progress(`cost: ${scenario.title}: publishing ${events} events`);
      const started = performance.now();
      const requests = Array.from({ length: Math.ceil(events / scenario.perRequest) }, (_, r) =>
        Array.from({ length: Math.min(scenario.perRequest, events - r * scenario.perRequest) }, (_, n) =>
          scenario.ordered
            ? { ...orderPayload(r * scenario.perRequest + n), entity_id: `ORD-${n % 100}` }
            : orderPayload(r * scenario.perRequest + n),
        ),
      );
      // Four requests in flight: a steady producer, not a burst the API would queue.
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < requests.length) {
            const batch = requests[next++] ?? [];
            const response = await pipeline.call(
              'POST',
              EVENTS_PATH,
              batch.length === 1 ? batch[0] : { events: batch },
            );
            if (response.status !== 202)
              throw new Error(`ingest answered ${response.status}: ${response.text}`);
          }
        }),
      );
      await waitFor(
        () => (pipeline.usage.get('FanoutFunction')?.deleted ?? 0) >= events,
        90_000,
        'fan-out of every event',
      );
      for (const id of ids)
        await waitFor(() => receiver.distinct(`/${id}`) >= events, 90_000, `${events} events at ${id}`);
      if (scenario.s3) {
        await waitFor(
          async () => (await countLines(s3, `erp/${s3Id}`)) >= events,
          90_000,
          `${events} lines in the export files`,
        );
        // The flusher deletes the staged chunks after the upload: wait for the staging bucket to be empty.
        await waitFor(
          async () =>
            ((
              await s3.send(
                new ListObjectsV2Command({ Bucket: pipeline.runtime.env.EXPORT_STAGING_BUCKET_NAME ?? '' }),
              )
            ).KeyCount ?? 0) === 0,
          30_000,
          'staged chunks cleaned up',
        );
      }
      await pipeline.waitDrained(60_000);
      const seconds = (performance.now() - started) / 1000;
      progress(`cost: ${scenario.title}: delivered and drained in ${seconds.toFixed(1)} s`);
      results.push(measure(scenario, pipeline, units.billed, proxy.requests, events));

      for (const id of [...ids, ...(scenario.s3 ? [s3Id] : [])]) {
        const removed = await pipeline.call('DELETE', `${INTEGRATIONS_PATH}/${id}`);
        if (removed.status >= 300) throw new Error(`delete of ${id} failed: ${removed.text}`);
      }
    }
    return results;
  } finally {
    s3.destroy();
    await pipeline.stop();
    await receiver.close();
    await proxy.close();
  }
};

const perThousand = (count: number, events: number) => (count * 1000) / events;

const measure = (
  scenario: Scenario,
  pipeline: BenchPipeline,
  billed: Map<BilledKey, Billed>,
  s3Requests: readonly { method: string; path: string }[],
  events: number,
): Measured => {
  const requests = new Map<string, number>();
  const usd = new Map<string, number>();
  const addRequests = (name: string, count: number) =>
    requests.set(name, (requests.get(name) ?? 0) + perThousand(count, events));
  // USD per million events = units per event × 1e6 × price.
  const addUsd = (service: string, units: number, price: number) =>
    usd.set(service, (usd.get(service) ?? 0) + (units / events) * 1e6 * price);
  const notes: string[] = [];
  let historyUsd = 0;

  // Calls by Service.Operation through the handlers' clients (bench/aws-requests.ts), pipeline and scheduled.
  for (const [name, { calls }] of pipeline.requests.snapshot()) addRequests(name, calls);
  let scheduledCalls = 0;
  for (const [key, entry] of billed) {
    const [origin, name = '', table = ''] = key.split('|');
    const [service] = name.split('.');
    // Scheduled jobs tick every second here and every minute in AWS, whatever the traffic: only the S3 export's
    // flusher does per-event work there (closing and uploading files), so only that scenario counts them.
    if (origin === 'scheduled' && !scenario.s3) {
      scheduledCalls += entry.calls;
      continue;
    }
    if (service === 'DynamoDB') {
      const read = DYNAMO_READS.has(name.split('.')[1] ?? '');
      const cost = entry.units * (read ? PRICES.dynamoReadUnit : PRICES.dynamoWriteUnit);
      addUsd('DynamoDB', entry.units, read ? PRICES.dynamoReadUnit : PRICES.dynamoWriteUnit);
      requests.set(
        `  ${read ? 'read' : 'write'} request units`,
        (requests.get(`  ${read ? 'read' : 'write'} request units`) ?? 0) + perThousand(entry.units, events),
      );
      if (table === 'DeliveriesTable') {
        historyUsd += (cost / events) * 1e6;
        addRequests(`  DeliveriesTable ${name.split('.')[1]}`, entry.calls);
      }
    } else if (service === 'SQS') addUsd('SQS', entry.units, PRICES.sqsRequest);
    else if (service === 'SecretsManager') addUsd('Secrets Manager', entry.units, PRICES.secretsManagerCall);
  }
  if (scheduledCalls > 0)
    notes.push(
      `${scenario.title}: ${scheduledCalls} calls of the scheduled jobs (ticking every second here) left out: they do not depend on traffic`,
    );
  // Scheduled calls were counted by aws-requests too; take them out of the request lines where left out.
  if (!scenario.s3)
    for (const [key, entry] of billed) {
      const [origin, name = ''] = key.split('|');
      if (origin === 'scheduled')
        requests.set(name, (requests.get(name) ?? 0) - perThousand(entry.calls, events));
    }

  // The event source mappings' own SQS calls (the local pollers use a client of their own): one ReceiveMessage
  // per 10 records received and one DeleteMessageBatch per 10 deleted. Empty long polls are left out: the
  // mappings make them whatever the traffic (a fixed cost per queue, not per event).
  let esmCalls = 0;
  let lambdaRequests = 0;
  let gbSeconds = 0;
  for (const [fn, entry] of pipeline.usage) {
    lambdaRequests += entry.invocations;
    gbSeconds += (entry.ms / 1000) * LAMBDA_MEMORY_GB;
    if (fn === 'ApiFunction') continue;
    addRequests('SQS.ReceiveMessage (event source mappings)', entry.esmReceives);
    addRequests('SQS.DeleteMessageBatch (event source mappings)', entry.esmDeletes);
    esmCalls += entry.esmReceives + entry.esmDeletes;
  }
  addUsd('SQS', esmCalls, PRICES.sqsRequest);
  const apiRequests = pipeline.usage.get('ApiFunction')?.invocations ?? 0;
  addRequests('API Gateway HTTP API requests', apiRequests);
  addUsd('API Gateway', apiRequests, PRICES.httpApiRequest);
  addRequests('Lambda invocations', lambdaRequests);
  addUsd('Lambda requests', lambdaRequests, PRICES.lambdaRequest);
  addUsd('Lambda duration*', gbSeconds, PRICES.lambdaGbSecondArm);

  for (const request of s3Requests) {
    const { name, price } = s3Operation(request.method, request.path);
    addRequests(`S3.${name}`, 1);
    addUsd('S3', 1, price);
  }

  const deliveries = events * scenario.webhooks;
  const eventBridgeUsd = scenario.s3
    ? undefined
    : (events * PRICES.eventBridgePutEvent + deliveries * PRICES.eventBridgeApiDestination) * (1e6 / events);
  return { requests, usd, historyUsd, eventBridgeUsd, notes };
};

const printCostReport = (scenarios: Scenario[], results: Measured[], events: number): void => {
  const header = ['per 1,000 events', ...scenarios.map((scenario) => scenario.title)];
  // Grouped by service; the derived DynamoDB lines (indented) right under DynamoDB's calls.
  const group = (name: string) =>
    [
      'API Gateway',
      'Lambda',
      'DynamoDB',
      '  read',
      '  write',
      '  DeliveriesTable',
      'SecretsManager',
      'SQS',
      'S3.',
    ].findIndex((prefix) => name.startsWith(prefix));
  const names = [...new Set(results.flatMap((result) => [...result.requests.keys()]))].sort(
    (a, b) => group(a) - group(b) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const cell = (value: number | undefined) =>
    value === undefined || Math.abs(value) < 0.005 ? '-' : value >= 100 ? value.toFixed(0) : value.toFixed(1);
  console.log(
    `\nAWS requests per 1,000 events (${events} events per scenario, scaled), through the local runtime; ` +
      'DynamoDB request units as DynamoDB Local reports them (ReturnConsumedCapacity)',
  );
  printTable(
    header,
    names
      .filter((name) => results.some((result) => Math.abs(result.requests.get(name) ?? 0) >= 0.005))
      .map((name) => [name, ...results.map((result) => cell(result.requests.get(name)))]),
  );

  const services = [...new Set(results.flatMap((result) => [...result.usd.keys()]))].sort();
  const usd = (value: number | undefined) => (value === undefined ? 'n/a' : `$${value.toFixed(2)}`);
  const totals = results.map(totalUsd);
  console.log(`\nUSD per million events, us-east-1 list prices as of ${PRICES_AS_OF} (bench/prices.ts)`);
  printTable(
    ['per million events', ...scenarios.map((scenario) => scenario.title)],
    [
      ...services.map((service) => [service, ...results.map((result) => usd(result.usd.get(service)))]),
      ['total', ...totals.map((total) => usd(total))],
      ['  of which delivery history', ...results.map((result) => usd(result.historyUsd))],
      ['EventBridge, same work', ...results.map((result) => usd(result.eventBridgeUsd))],
      [
        'total vs EventBridge',
        ...results.map((result, index) =>
          result.eventBridgeUsd ? `${((totals[index] ?? 0) / result.eventBridgeUsd).toFixed(2)}x` : 'n/a',
        ),
      ],
    ],
  );
  for (const note of results.flatMap((result) => result.notes)) console.log(`note: ${note}`);
  console.log(
    [
      'notes:',
      '- EventBridge, same work: PutEvents per event ($1.00/M) plus an API destination invocation per webhook delivery',
      '  ($0.20/M); it keeps no delivery history, no 30-day replay by integration, no S3 files (n/a: that needs Firehose).',
      '- * Lambda duration: time measured in the local handlers at 512 MB on arm64 (lib/app-function.ts); the',
      '  emulators are slower than AWS and share two cores, so read it as an indication only.',
      '- SQS: event source mapping receives and deletes are modelled (one call per 10 records); their empty polls, a',
      '  fixed cost per queue (a few cents a day), are left out. The scheduled jobs are left out except for S3,',
      '  whose flusher closes a file per integration every 5 minutes (here every 2 s, so every 1,000 events: an',
      '  upper bound at volume). Not included: CloudWatch Logs and metrics, X-Ray traces, data transfer, free tiers.',
    ].join('\n'),
  );
};
