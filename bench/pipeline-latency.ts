import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSBatchResponse } from 'aws-lambda';
import { dynamoDocumentClient } from '../lambdas/shared/clients/dynamodb.ts';
import { secretsManagerClient } from '../lambdas/shared/clients/secrets-manager.ts';
import { sqsClient } from '../lambdas/shared/clients/sqs.ts';
import type { AwsClientOptions } from '../lambdas/shared/clients.ts';
import { INGEST_QUEUE, type QueueDefinition, WEBHOOK_QUEUE } from '../lib/resource-definitions.ts';
import { localSqsClient } from '../local/resources.ts';
import { type LocalRuntime, startLocalRuntime } from '../local/runtime.ts';
import type { SqsHandler } from '../local/sqs-poller.ts';
import { messagesIn } from '../test/support/queue-depth.ts';
import { countAwsRequests } from './aws-requests.ts';
import { printTable, progress, quantile, ratio } from './report.ts';

export const EVENTS_PATH = '/api/v1/org/events';
export const INTEGRATIONS_PATH = '/api/v1/org/integrations/eventstream';

/** Calls made by one stand-in Lambda function: invocations, records handed to it, time spent in it. */
export interface FunctionUsage {
  invocations: number;
  records: number;
  /** Records not reported failed, which the event source mapping deletes. */
  deleted: number;
  /**
   * The SQS calls the event source mapping would make for these invocations: one ReceiveMessage per 10 records
   * (its cap per call) and one DeleteMessageBatch per 10 records deleted.
   */
  esmReceives: number;
  esmDeletes: number;
  ms: number;
}

/**
 * Which stand-in function is running: the SDK middleware reads it to tell the pipeline's calls from the
 * scheduled jobs' (the runtime starts those itself, so their calls run with no store).
 */
export const currentFunction = new AsyncLocalStorage<string>();

export interface BenchPipeline {
  runtime: LocalRuntime;
  /** POST/DELETE/GET on the local API with an all-scopes token; `ms` is the round trip. */
  call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown; text: string; ms: number }>;
  /** Per stand-in function (`ApiFunction`, `FanoutFunction`...), since the last `resetUsage()`. */
  usage: Map<string, FunctionUsage>;
  resetUsage(): void;
  /** AWS calls by `Service.Operation` through the handlers' module-scope clients (bench/aws-requests.ts). */
  requests: ReturnType<typeof countAwsRequests>;
  /** The clients every function of the runtime sends through, by service. */
  clients: {
    dynamo: () => ReturnType<typeof dynamoDocumentClient>;
    sqs: () => ReturnType<typeof sqsClient>;
    secretsManager: () => ReturnType<typeof secretsManagerClient>;
  };
  /** Waits until every queue (and dead-letter queue) reports no visible, in-flight or delayed message. */
  waitDrained(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The whole local runtime (emulators, API, real pollers and handlers, scheduler) with the handlers wrapped to
 * count invocations and time per function, and the handlers' SDK clients counting their calls. The handlers
 * keep their config and clients at module scope, so this runs once per process (bench/run.ts gives each
 * pipeline section a process of its own).
 */
export const startBenchPipeline = async (
  env: Record<string, string>,
  options: { scheduleIntervalMs?: number; beforeImport?: () => void } = {},
): Promise<BenchPipeline> => {
  const usage = new Map<string, FunctionUsage>();
  const record = (name: string, records: number, deleted: number, ms: number) => {
    const entry = usage.get(name) ?? {
      invocations: 0,
      records: 0,
      deleted: 0,
      esmReceives: 0,
      esmDeletes: 0,
      ms: 0,
    };
    entry.invocations++;
    entry.records += records;
    entry.deleted += deleted;
    entry.esmReceives += Math.ceil(records / 10);
    entry.esmDeletes += Math.ceil(deleted / 10);
    entry.ms += ms;
    usage.set(name, entry);
  };
  const runtime = await startLocalRuntime({
    log: () => {},
    env: { ALLOW_INSECURE_CALLBACKS: 'true', POWERTOOLS_LOG_LEVEL: 'ERROR', MAX_INTEGRATIONS: '20', ...env },
    ...(options.scheduleIntervalMs ? { scheduleIntervalMs: options.scheduleIntervalMs } : {}),
    loadApiHandler: async (build) => {
      const handler = await build();
      return async (event, context) => {
        const started = performance.now();
        try {
          return await currentFunction.run('ApiFunction', () => handler(event, context));
        } finally {
          record('ApiFunction', 1, 1, performance.now() - started);
        }
      };
    },
    // The runtime's own function, wrapped to count.
    loadQueueHandler: async (queue: QueueDefinition, build): Promise<SqsHandler | undefined> => {
      const consumer = queue.consumer;
      const handler = await build();
      if (!consumer || !handler) return undefined;
      return async (event, context) => {
        const started = performance.now();
        let failed = 0;
        try {
          const result = (await currentFunction.run(consumer.functionId, () => handler(event, context))) as
            | SQSBatchResponse
            | undefined;
          failed = result?.batchItemFailures?.length ?? 0;
          return result;
        } catch (error) {
          failed = event.Records.length;
          throw error;
        } finally {
          record(
            consumer.functionId,
            event.Records.length,
            event.Records.length - failed,
            performance.now() - started,
          );
        }
      };
    },
  });
  // The clients every function of the runtime sends through.
  const aws: AwsClientOptions = runtime.platform.aws;
  const clients = {
    dynamo: () => dynamoDocumentClient(aws),
    sqs: () => sqsClient(aws),
    secretsManager: () => secretsManagerClient(aws),
  };
  const requests = countAwsRequests({
    DynamoDB: clients.dynamo(),
    SecretsManager: clients.secretsManager(),
    SQS: clients.sqs(),
  });
  // The runtime is up: a failure from here on stops it, since the caller never gets it to stop.
  const token = await runtime.issueToken().catch(async (error: unknown) => {
    await runtime.stop();
    throw error;
  });
  const sqs = localSqsClient(runtime.endpoints);

  const call: BenchPipeline['call'] = async (method, path, body) => {
    const started = performance.now();
    const response = await fetch(`${runtime.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed, text, ms };
  };

  const queueUrls = Object.values(runtime.queues).flatMap((queue) => [queue.url, queue.deadLetterUrl]);
  const pending = async (): Promise<number> => {
    let total = 0;
    for (const url of queueUrls) total += await messagesIn(sqs, url);
    return total;
  };

  return {
    runtime,
    call,
    usage,
    resetUsage: () => usage.clear(),
    requests,
    clients,
    waitDrained: (timeoutMs) => waitFor(async () => (await pending()) === 0, timeoutMs, 'queues drained'),
    stop: async () => {
      sqs.destroy();
      await runtime.stop();
    },
  };
};

/** Polls `check` every 50 ms until it holds; throws naming `what` after `timeoutMs`. */
export const waitFor = async (
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** A receiver that notes when each event id first arrived (performance.now()) and answers 200 at once. */
export interface TimingReceiver {
  url(path: string): string;
  /** First arrival per event id (the body's `id`), whatever the path. */
  arrivals: Map<string, number>;
  /** Distinct event ids that arrived on `path`. */
  distinct(path: string): number;
  /** Requests, duplicates included (held ones not). */
  requests(): number;
  /**
   * While on, requests are read and then held open unanswered (a receiver that hangs), not counted as
   * arrivals; `close()` drops them.
   */
  hang(on: boolean): void;
  /** Requests held unanswered so far. */
  held(): number;
  close(): Promise<void>;
}

export const startTimingReceiver = async (): Promise<TimingReceiver> => {
  const arrivals = new Map<string, number>();
  const byPath = new Map<string, Set<string>>();
  let requests = 0;
  let hanging = false;
  let held = 0;
  const server = createServer({ keepAlive: true }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (hanging) {
        held++;
        return;
      }
      const at = performance.now();
      requests++;
      let id: string | undefined;
      try {
        id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: string }).id;
      } catch {
        id = undefined;
      }
      if (id) {
        if (!arrivals.has(id)) arrivals.set(id, at);
        const path = request.url ?? '';
        const ids = byPath.get(path) ?? new Set<string>();
        ids.add(id);
        byPath.set(path, ids);
      }
      response.writeHead(200, { 'content-length': '0' }).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    arrivals,
    distinct: (path) => byPath.get(path)?.size ?? 0,
    requests: () => requests,
    hang: (on) => {
      hanging = on;
    },
    held: () => held,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A small order event, as producers send them. */
export const benchPayload = (n: number) => ({
  name: 'order.created',
  payload: { order_id: `order-${n}`, total: { amount: 4200 + n, currency: 'EUR' }, lines: 3 },
});

/**
 * An order of about 1 KiB as commerce platforms send them: the cost figures depend on how well a publish
 * compresses, so its values vary as real ones do (ids, SKUs, amounts, addresses, timestamps) while the
 * keys repeat from event to event. Deterministic in `n`.
 */
export const orderPayload = (n: number) => {
  const hex = (salt: number, length: number) =>
    createHash('sha256').update(`${n}:${salt}`).digest('hex').slice(0, length);
  const pick = <T>(list: readonly T[], salt: number): T =>
    list[parseInt(hex(salt, 4), 16) % list.length] as T;
  const cities = ['Berlin', 'Hamburg', 'München', 'Köln', 'Wien', 'Zürich', 'Oslo', 'Stockholm'] as const;
  const streets = ['Hauptstraße', 'Bahnhofstraße', 'Lindenweg', 'Gartenstraße', 'Schulstraße'] as const;
  const lines = Array.from({ length: 3 }, (_, line) => ({
    line_id: hex(10 + line, 12),
    sku: `${pick(['SHOE', 'SHIRT', 'JACKET', 'BAG', 'CAP'], 20 + line)}-${hex(30 + line, 8).toUpperCase()}`,
    quantity: 1 + (parseInt(hex(40 + line, 2), 16) % 3),
    price: { amount: 1000 + (parseInt(hex(50 + line, 4), 16) % 20_000), currency: 'EUR' },
    fulfillment_location: `store-${parseInt(hex(60 + line, 2), 16) % 40}`,
  }));
  return {
    name: 'order.created',
    payload: {
      id: `${hex(1, 8)}-${hex(2, 4)}-4${hex(3, 3)}-a${hex(4, 3)}-${hex(5, 12)}`,
      external_id: `ORD-${String(100_000 + n)}`,
      channel: pick(['web', 'store', 'app'], 6),
      created_at: new Date(Date.UTC(2026, 10, 1) + n * 7_919).toISOString(),
      customer: {
        id: hex(7, 24),
        email: `${hex(8, 10)}@example.com`,
        shipping_address: {
          name: `${pick(['Anna', 'Jonas', 'Lea', 'Noah', 'Mia'], 9)} ${pick(['Müller', 'Schmidt', 'Weber', 'Fischer'], 11)}`,
          street: `${pick(streets, 12)} ${1 + (parseInt(hex(13, 2), 16) % 120)}`,
          zip: String(10_000 + (parseInt(hex(14, 4), 16) % 89_999)),
          city: pick(cities, 15),
          country: pick(['DE', 'AT', 'CH', 'NO', 'SE'], 16),
        },
      },
      lines,
      totals: {
        amount: lines.reduce((sum, line) => sum + line.price.amount * line.quantity, 0),
        tax: parseInt(hex(17, 4), 16) % 5_000,
        currency: 'EUR',
      },
      payment: { method: pick(['card', 'paypal', 'invoice'], 18), reference: hex(19, 20) },
    },
  };
};

/** When each published event's request was sent and when its 202 arrived (performance.now()), by event id. */
export interface Published {
  sent: Map<string, number>;
  accepted: Map<string, number>;
  /** Round trip of each ingest request. */
  postMs: number[];
}

/**
 * A steady producer: one ingest request per element of `requests` (a single event is sent alone, more as a
 * batch), started every `gapMs` on a fixed schedule without waiting for the answers; resolves once every
 * request got its 202, and throws if one did not.
 */
export const publishPaced = async (
  pipeline: Pick<BenchPipeline, 'call'>,
  requests: readonly ReturnType<typeof benchPayload>[][],
  gapMs: number,
): Promise<Published> => {
  const published: Published = { sent: new Map(), accepted: new Map(), postMs: [] };
  const answers: Promise<void>[] = [];
  const started = performance.now();
  for (const [n, events] of requests.entries()) {
    const sent = performance.now();
    const answer = pipeline
      .call('POST', EVENTS_PATH, events.length === 1 ? events[0] : { events })
      .then((response) => {
        if (response.status !== 202) throw new Error(`ingest answered ${response.status}: ${response.text}`);
        const accepted = performance.now();
        published.postMs.push(response.ms);
        for (const id of (response.body as { ids: string[] }).ids) {
          published.sent.set(id, sent);
          published.accepted.set(id, accepted);
        }
      });
    answer.catch(() => {}); // awaited below; not unhandled while the producer sleeps
    answers.push(answer);
    await sleep(Math.max(0, started + (n + 1) * gapMs - performance.now()));
  }
  await Promise.all(answers);
  return published;
};

export interface LatencyBenchOptions {
  /** Events published one per request. */
  single: number;
  /** Requests per second for those. */
  rate: number;
  /** Events published in requests of 100. */
  batched: number;
}

const fmt = (ms: number) => ms.toFixed(1);

/** How a consumer batches, in words, from its queue definition: what the latency figures include. */
export const batchingNote = (role: string, queue: QueueDefinition): string => {
  const consumer = queue.consumer;
  if (!consumer) return `${queue.id} has no consumer.`;
  const { batchSize, maxBatchingWindowSeconds: window } = consumer;
  return window > 0
    ? `The ${role} poller waits up to ${window} s (${queue.id} maxBatchingWindowSeconds) to fill a batch of ` +
        `${batchSize}, which dominates the latency of events published at low rates.`
    : `The ${role} poller takes batches of up to ${batchSize} with no batching window (${queue.id}): it ` +
        'invokes as soon as a poll returns messages.';
};

/**
 * End-to-end latency from ingest (the 202 of POST /api/v1/org/events) to the event's arrival at a receiver,
 * through the whole local runtime: API handler, ingest queue, fan-out poller (batching as the stack's event
 * source mapping does), webhook queue, delivery poller. Baseline in the same run: a bare POST of the same
 * receiver from this process.
 */
export const benchPipelineLatency = async (options: LatencyBenchOptions): Promise<void> => {
  progress('latency: starting the local runtime (emulators, API, pollers)');
  const receiver = await startTimingReceiver();
  const pipeline = await startBenchPipeline({});
  try {
    const registered = await pipeline.call('POST', INTEGRATIONS_PATH, {
      id: 'bench-latency',
      integration_type: 'permanent',
      callback_parameters: { callback_url: receiver.url('/latency') },
    });
    if (registered.status !== 200) throw new Error(`registration failed: ${registered.text}`);

    const run = async (label: string, requests: ReturnType<typeof benchPayload>[][], gapMs: number) => {
      const { accepted, postMs } = await publishPaced(pipeline, requests, gapMs);
      await waitFor(
        () => [...accepted.keys()].every((id) => receiver.arrivals.has(id)),
        60_000,
        `${label}: all ${accepted.size} events at the receiver`,
      );
      const latencies = [...accepted].map(([id, at]) => (receiver.arrivals.get(id) ?? Number.NaN) - at);
      progress(`latency: ${label}: ${accepted.size} events delivered`);
      return { latencies, postMs };
    };

    // Warm-up: JIT, keep-alive sockets, DynamoDB Local; not measured.
    progress('latency: warm-up (20 events)');
    await run(
      'warm-up',
      Array.from({ length: 20 }, (_, n) => [benchPayload(n)]),
      20,
    );

    progress(`latency: ${options.single} events, one per request, ${options.rate} requests/s`);
    const single = await run(
      'single',
      Array.from({ length: options.single }, (_, n) => [benchPayload(n)]),
      1000 / options.rate,
    );
    progress(`latency: ${options.batched} events in requests of 100, one request per second`);
    const batched = await run(
      'batched',
      Array.from({ length: Math.ceil(options.batched / 100) }, (_, r) =>
        Array.from({ length: Math.min(100, options.batched - r * 100) }, (_, n) => benchPayload(r * 100 + n)),
      ),
      1000,
    );

    // Baseline: the same receiver, the same process, a bare POST of a body the size of a delivery.
    progress('latency: bare POST baseline');
    const body = JSON.stringify({
      id: 'x',
      tenant: 'local',
      published_at: new Date().toISOString(),
      ...benchPayload(0),
    });
    const bare: number[] = [];
    for (let n = 0; n < options.single + 20; n++) {
      const started = performance.now();
      const response = await fetch(receiver.url('/bare'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body.replace('"x"', `"bare-${n}"`),
      });
      await response.arrayBuffer();
      if (n >= 20) bare.push(performance.now() - started);
    }

    const bareP50 = quantile(bare, 0.5);
    const bareP95 = quantile(bare, 0.95);
    console.log(
      `\nend-to-end latency, 202 of the ingest POST → arrival at the receiver (ms); baseline: a bare POST to the same receiver`,
    );
    const row = (label: string, values: number[]) => [
      label,
      String(values.length),
      fmt(quantile(values, 0.5)),
      fmt(quantile(values, 0.95)),
      fmt(Math.max(...values)),
      ratio(quantile(values, 0.5), bareP50),
      ratio(quantile(values, 0.95), bareP95),
    ];
    printTable(
      ['path', 'events', 'p50', 'p95', 'max', 'p50 vs bare', 'p95 vs bare'],
      [
        row(`pipeline, 1 per request at ${options.rate}/s`, single.latencies),
        row('pipeline, 100 per request', batched.latencies),
        row('ingest POST itself (1 event)', single.postMs),
        row('ingest POST itself (100 events)', batched.postMs),
        row('bare POST to the receiver', bare),
      ],
    );
    console.log(
      `${batchingNote('fan-out', INGEST_QUEUE)} ${batchingNote('delivery', WEBHOOK_QUEUE)} ` +
        'Both as the stack configures their event source mappings (lib/resource-definitions.ts); the local ' +
        'pollers long-poll for 1 s.',
    );
  } finally {
    await pipeline.stop();
    await receiver.close();
  }
};
