/**
 * Soak with fault injection: runs the real handlers in the local runtime, publishes many events across webhook
 * and S3 integrations with mixed filters while receivers misbehave, handlers crash, an emulator restarts and an
 * integration is stopped and started, then reconciles every published event against what each integration's
 * receiver (or S3 prefix) got. `npm run soak` runs it at full size; test/e2e/soak.test.ts in a short form.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import {
  ENTITY_QUEUE_PK_PREFIX,
  integrationOfQueuePk,
} from '../lambdas/adapters/dynamodb/entity-queue-store.ts';
import { eventIdOfKey } from '../lambdas/domain/entity-order.ts';
import { dynamoDocumentClient } from '../lambdas/shared/clients/dynamodb.ts';
import type { QueueDefinition } from '../lib/resource-definitions.ts';
import { localS3Client, localSqsClient } from '../local/resources.ts';
import { type LocalRuntime, startLocalRuntime } from '../local/runtime.ts';
import type { SqsHandler } from '../local/sqs-poller.ts';
import { apiClient, BASE } from '../test/support/api-client.ts';
import { type Receiver, type ScriptedResponse, startReceiver } from '../test/support/receiver.ts';
import { exportKeyPattern } from '../test/support/s3-files.ts';

export interface SoakOptions {
  /** Events to publish; default 10,000. */
  events?: number;
  /** The whole run (start, publish, drain, reconcile, stop) ends within this; default 8 minutes. */
  timeLimitMs?: number;
  /** Publishing is spread over this long, so faults meet traffic; default 40 % of the time limit. */
  publishDurationMs?: number;
  /** Share of webhook requests answered with a fault (500, 429 + Retry-After, too slow, reset); default 0.3. */
  faultRate?: number;
  /** Share of SQS handler invocations that throw, half before and half after the real handler; default 0.1. */
  crashRate?: number;
  /** How long one receiver stays down (connection refused); default 60 % of the publish duration (2 min at full size). */
  outageMs?: number;
  /** How long one webhook and one S3 integration stay stopped; default 25 % of the publish duration. */
  stoppedMs?: number;
  /** Restart fauxqs (SQS + S3) and the Secrets Manager endpoint mid-run; default true. */
  restartEmulators?: boolean;
  /** How long a restarted emulator stays unreachable; default 1 s. */
  emulatorDownMs?: number;
  /** Emulators keep their state in a temporary directory (fauxqs restarts from its SQLite file); default false. */
  persistent?: boolean;
  /** The handlers' DELIVERY_TIMEOUT_MS; "slow" receivers answer 500 ms after it; default 1,000. */
  deliveryTimeoutMs?: number;
  /** The handlers' RETRY_SCHEDULE_SECONDS; default '1,2,4'. */
  retryScheduleSeconds?: string;
  /**
   * Visibility timeout set on every queue: how long a crashed invocation's batch stays hidden before it is
   * handed out again (the stack's values, 190 s to 900 s, would make a short run mostly waiting); default 10.
   */
  visibilityTimeoutSeconds?: number;
  /**
   * Concurrent invocations per queue (capped by each consumer's maxConcurrency); default 12. The runtime's
   * default of 4 leaves webhook delivery waiting on slow receivers, where Lambda would scale out.
   */
  pollerConcurrency?: number;
  /** After every event has arrived, wait at most this long for the queues to empty (late duplicates); default 10 s. */
  settleMs?: number;
  /** Seed of the fault dice, for a run that injects the same decisions; default random. */
  seed?: number;
  /** Called about once a second while running. */
  onProgress?: (progress: SoakProgress) => void;
  /** Phase changes and injected faults, one line each; default none. */
  log?: (line: string) => void;
  /** The handlers' POWERTOOLS_LOG_LEVEL; default SILENT (faults make them log a lot, by design). */
  handlerLogLevel?: string;
}

/** A snapshot for a progress line. */
export interface SoakProgress {
  phase: 'starting' | 'publishing' | 'draining' | 'settling' | 'stopping';
  elapsedMs: number;
  timeLimitMs: number;
  published: number;
  total: number;
  /** (integration, event) pairs that have arrived at least once, out of those expected so far. */
  arrived: number;
  expected: number;
  faultsInjected: number;
  crashesInjected: number;
}

/** What one integration got, against what it should have. */
export interface IntegrationReport {
  id: string;
  kind: 'webhook' | 's3';
  filter: string;
  /** Faults specific to this integration (outage, stop/start). */
  scenario: string;
  expected: number;
  /** Distinct expected events that arrived (webhook: answered 2xx; S3: a line in a file). */
  arrived: number;
  lost: number;
  /** Arrivals beyond the first, over all events. */
  duplicated: number;
  /** Events that arrived but do not pass the filters, or were never published. */
  wrong: number;
  /** Webhook requests whose `webhook-id` header differs from the event id in the body. */
  badWebhookIds: number;
  /** S3: files with a bad name or a line that is not the event; webhook: bodies that are not an event. */
  corrupt: number;
  /** Webhook: requests received; S3: files written. */
  requestsOrFiles: number;
  /** Events that needed more than one request before one was answered 2xx (webhook only). */
  retried: number;
  /**
   * Ordered webhooks: requests answered 2xx that came after a request for a later event of the same entity
   * (publish order); 0 elsewhere.
   */
  outOfOrder: number;
  /** Some lost event ids, to start an investigation with. */
  lostSample: string[];
  /**
   * Ordered webhooks, at a run that hit its time limit: lost events whose keys were still in their entity's
   * queue, to be sent in turn (mostly behind an older event of their entity still being retried): late, not
   * dropped.
   */
  stillQueued: number;
}

/** Counts of what was injected and what the runtime reported. */
export interface FaultCounts {
  receiver: Record<'status500' | 'status429' | 'slow' | 'reset', number>;
  /** Requests that found a receiver down (connection refused is not seen by the receiver: these are attempts after). */
  outages: number;
  crashes: Record<string, { invocations: number; before: number; after: number }>;
  emulatorRestarts: string[];
  stopStarts: string[];
  /** Integrations started again whose log shows a completed catch-up replay (`replay_completed`). */
  replaysCompleted: string[];
  /** Publish requests that failed (API or queue unreachable) and were sent again with the same event ids. */
  publishRetries: number;
  /** Lines the runtime wrote to console.error (handler failures, poller retries), mostly caused by the faults. */
  runtimeErrors: number;
  runtimeErrorSamples: string[];
  /** Lines written to console.warn (Powertools' empty-metrics warnings, mostly). */
  runtimeWarnings: number;
}

export interface SoakResult {
  ok: boolean;
  /** The run hit its time limit before every event arrived. */
  timedOut: boolean;
  published: number;
  requested: number;
  durationMs: number;
  integrations: IntegrationReport[];
  totals: Pick<
    IntegrationReport,
    | 'expected'
    | 'arrived'
    | 'lost'
    | 'duplicated'
    | 'wrong'
    | 'badWebhookIds'
    | 'corrupt'
    | 'retried'
    | 'outOfOrder'
  >;
  faults: FaultCounts;
  options: Required<Omit<SoakOptions, 'onProgress' | 'log' | 'seed'>> & { seed: number };
}

interface Filter {
  event_filter?: string[];
  entity_filter?: string[];
}

interface IntegrationSpec {
  id: string;
  kind: 'webhook' | 's3';
  filter: Filter;
  /** This receiver goes down for `outageMs`. */
  outage?: boolean;
  /** Stopped and started again mid-run. */
  stopStart?: boolean;
  /** Registered with an api_key, so its deliveries read a credential from Secrets Manager. */
  apiKey?: boolean;
  /** `ordering: "entity"`: each entity's events must arrive in publish order. */
  ordered?: boolean;
}

/** Event names published, with entities that the filters below pick in different combinations. */
const EVENT_NAMES = [
  'order.created',
  'order.cancelled',
  'order.updated',
  'fulfillment_request.created',
  'fulfillment_request.items_completed',
  'inventory.adjusted',
  'return.created',
  'customer.updated',
] as const;

const INTEGRATIONS: readonly IntegrationSpec[] = [
  { id: 'soak-wh-all', kind: 'webhook', filter: {}, apiKey: true },
  {
    id: 'soak-wh-events',
    kind: 'webhook',
    filter: { event_filter: ['order.created', 'fulfillment_request.items_completed'] },
  },
  {
    id: 'soak-wh-entity',
    kind: 'webhook',
    filter: { entity_filter: ['fulfillment_request', 'inventory'] },
    outage: true,
  },
  {
    id: 'soak-wh-both',
    kind: 'webhook',
    filter: { event_filter: ['order.cancelled'], entity_filter: ['return'] },
    stopStart: true,
  },
  { id: 'soak-wh-ordered', kind: 'webhook', filter: {}, ordered: true, stopStart: true },
  { id: 'soak-s3-all', kind: 's3', filter: {} },
  { id: 'soak-s3-events', kind: 's3', filter: { event_filter: ['order.created', 'inventory.adjusted'] } },
  { id: 'soak-s3-entity', kind: 's3', filter: { entity_filter: ['return', 'customer'] } },
  {
    id: 'soak-s3-both',
    kind: 's3',
    filter: { event_filter: ['order.cancelled'], entity_filter: ['fulfillment_request'] },
    stopStart: true,
  },
];

const EVENTS_PATH = '/api/v1/org/events';
const BUCKET = 'soak-erp-exports';
const TENANT = 'local';

/**
 * The filter rule as DESIGN.md states it, written here rather than imported so the product's own function is
 * not its own judge: no filter passes everything; with filters, the full name in `event_filter` or the
 * entity (before the first dot) in `entity_filter`.
 */
export const passes = (filter: Filter, name: string): boolean => {
  const events = filter.event_filter ?? [];
  const entities = filter.entity_filter ?? [];
  if (events.length === 0 && entities.length === 0) return true;
  return events.includes(name) || entities.includes(name.slice(0, name.indexOf('.')));
};

/** mulberry32: small, seedable, good enough for dice. */
const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

const resolveOptions = (options: SoakOptions): SoakResult['options'] => {
  const timeLimitMs = options.timeLimitMs ?? 8 * 60_000;
  const publishDurationMs = options.publishDurationMs ?? Math.round(timeLimitMs * 0.4);
  return {
    events: options.events ?? 10_000,
    timeLimitMs,
    publishDurationMs,
    faultRate: options.faultRate ?? 0.3,
    crashRate: options.crashRate ?? 0.1,
    outageMs: options.outageMs ?? Math.round(publishDurationMs * 0.6),
    stoppedMs: options.stoppedMs ?? Math.round(publishDurationMs * 0.25),
    restartEmulators: options.restartEmulators ?? true,
    emulatorDownMs: options.emulatorDownMs ?? 1000,
    persistent: options.persistent ?? false,
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 1000,
    retryScheduleSeconds: options.retryScheduleSeconds ?? '1,2,4',
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 10,
    settleMs: options.settleMs ?? 10_000,
    pollerConcurrency: options.pollerConcurrency ?? 12,
    handlerLogLevel: options.handlerLogLevel ?? 'SILENT',
    seed: options.seed ?? Math.floor(Math.random() * 2 ** 31),
  };
};

/**
 * Runs one soak and returns its reconciliation. Everything it starts (runtime, emulators, receivers, timers)
 * is stopped before it returns, also when it throws. Sets process.env for the handlers (one run per process).
 */
export const runSoak = async (soakOptions: SoakOptions = {}): Promise<SoakResult> => {
  const options = resolveOptions(soakOptions);
  const log = soakOptions.log ?? (() => {});
  const random = seededRandom(options.seed);
  const startedAt = Date.now();
  // Leave room to stop everything inside the limit.
  const deadline = startedAt + options.timeLimitMs - Math.min(20_000, options.timeLimitMs * 0.1);
  const faults: FaultCounts = {
    receiver: { status500: 0, status429: 0, slow: 0, reset: 0 },
    outages: 0,
    crashes: {},
    emulatorRestarts: [],
    stopStarts: [],
    replaysCompleted: [],
    publishRetries: 0,
    runtimeErrors: 0,
    runtimeErrorSamples: [],
    runtimeWarnings: 0,
  };
  const published = new Map<string, string>(); // event id → name
  let phase: SoakProgress['phase'] = 'starting';

  // The runtime reports handler crashes and emulator hiccups on console.error: expected here, so counted and
  // sampled rather than printed over the progress line.
  const consoleError = console.error;
  const consoleWarn = console.warn;
  console.warn = () => {
    faults.runtimeWarnings += 1;
  };
  console.error = (...args: unknown[]) => {
    faults.runtimeErrors += 1;
    const line = args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' ');
    const sample = line.split('\n')[0]?.slice(0, 200) ?? '';
    if (faults.runtimeErrorSamples.length < 12 && !faults.runtimeErrorSamples.includes(sample)) {
      faults.runtimeErrorSamples.push(sample);
    }
  };

  const dataDir = options.persistent ? await mkdtemp(join(tmpdir(), 'event-stream-soak-')) : undefined;
  const receivers = new Map<string, Receiver>();
  const timers = new Set<NodeJS.Timeout>();
  let runtime: LocalRuntime | undefined;
  let s3: S3Client | undefined;
  let sqs: SQSClient | undefined;
  let progressTimer: NodeJS.Timeout | undefined;
  // Scheduled faults not yet over (an outage may outlast the publishing): the verdict waits for them.
  let faultsRunning = 0;
  let finished = false;
  try {
    for (const spec of INTEGRATIONS.filter((s) => s.kind === 'webhook')) {
      receivers.set(spec.id, await startReceiver(faultyScript(options, random, faults)));
    }
    runtime = await startLocalRuntime({
      ...(dataDir ? { dataDir, fresh: true } : {}),
      port: 0,
      log: () => {},
      scheduleIntervalMs: 1000,
      pollerConcurrency: options.pollerConcurrency,
      loadQueueHandler: async (queue, build) => crashing(queue, await build(), options, random, faults),
      env: {
        RETRY_SCHEDULE_SECONDS: options.retryScheduleSeconds,
        DELIVERY_TIMEOUT_MS: String(options.deliveryTimeoutMs),
        EXPORT_MAX_FILE_AGE_SECONDS: '2',
        REPLAY_SETTLE_SECONDS: '2',
        REPLAY_PAUSE_SECONDS: '0',
        MAX_INTEGRATIONS: '20',
        POWERTOOLS_LOG_LEVEL: options.handlerLogLevel,
        // Powertools Metrics warns on stderr after every invocation without metrics (metrics are disabled
        // locally); in dev mode it writes through the global console, where the soak counts rather than prints.
        POWERTOOLS_DEV: 'true',
      },
    });
    const rt = runtime;
    s3 = localS3Client(rt.endpoints);
    sqs = localSqsClient(rt.endpoints);
    await shortenVisibility(sqs, rt, options.visibilityTimeoutSeconds);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const api = await apiClient(rt);
    for (const spec of INTEGRATIONS) await register(api, spec, receivers.get(spec.id));
    log(`runtime up at ${rt.apiUrl}; ${INTEGRATIONS.length} integrations registered; seed ${options.seed}`);

    const exportReader = new ExportReader(s3);
    const reconcile = (queued?: ReadonlySet<string>) =>
      reconcileAll(published, receivers, exportReader, queued);
    let lastReports: IntegrationReport[] = [];
    const progress = (): SoakProgress => {
      const totals = sumReports(lastReports);
      return {
        phase,
        elapsedMs: Date.now() - startedAt,
        timeLimitMs: options.timeLimitMs,
        published: published.size,
        total: options.events,
        arrived: totals.arrived,
        expected: totals.expected,
        faultsInjected:
          Object.values(faults.receiver).reduce((a, b) => a + b, 0) +
          faults.outages +
          faults.emulatorRestarts.length +
          faults.stopStarts.length,
        crashesInjected: Object.values(faults.crashes).reduce((a, c) => a + c.before + c.after, 0),
      };
    };
    let refreshing: Promise<void> | undefined;
    const refresh = (): Promise<void> => {
      refreshing ??= reconcile()
        .then((reports) => {
          lastReports = reports;
        })
        .catch(() => {}) // fauxqs restarting: the next tick reads again
        .finally(() => {
          refreshing = undefined;
        });
      return refreshing;
    };
    progressTimer = setInterval(() => {
      void refresh();
      soakOptions.onProgress?.(progress());
    }, 1000);

    // The fault timeline, relative to the start of publishing.
    phase = 'publishing';
    const publishStart = Date.now();
    const at = (fraction: number, name: string, action: () => Promise<void>) => {
      const delay = publishStart + options.publishDurationMs * fraction - Date.now();
      faultsRunning += 1;
      const timer = setTimeout(() => {
        timers.delete(timer);
        action()
          .catch((error: unknown) => log(`${name} failed: ${(error as Error).message}`))
          .finally(() => {
            faultsRunning -= 1;
          });
      }, delay);
      timers.add(timer);
    };
    for (const spec of INTEGRATIONS) {
      const receiver = receivers.get(spec.id);
      if (spec.outage && receiver) {
        at(0.15, `outage of ${spec.id}`, async () => {
          log(`receiver of ${spec.id} down for ${Math.round(options.outageMs / 1000)} s`);
          await receiver.down();
          await sleep(Math.min(options.outageMs, deadline - Date.now()));
          if (finished) return; // closed meanwhile: listening again would outlive the soak
          await receiver.up();
          faults.outages += 1;
          log(`receiver of ${spec.id} back up`);
        });
      }
      if (spec.stopStart) {
        at(0.3, `stop/start of ${spec.id}`, async () => {
          await expectStatus(api('POST', `${BASE}/${spec.id}/_stop`), 200, `stop ${spec.id}`);
          log(`${spec.id} stopped for ${Math.round(options.stoppedMs / 1000)} s`);
          await sleep(Math.min(options.stoppedMs, deadline - Date.now()));
          if (finished) return;
          await expectStatus(api('POST', `${BASE}/${spec.id}/_start`), 200, `start ${spec.id}`);
          faults.stopStarts.push(spec.id);
          log(`${spec.id} started again: the missed events come through the catch-up replay`);
        });
      }
    }
    if (options.restartEmulators) {
      for (const [fraction, name] of [
        [0.5, 'fauxqs'],
        [0.65, 'secretsmanager'],
      ] as const) {
        at(fraction, `restart of ${name}`, async () => {
          log(`restarting ${name} (down ${options.emulatorDownMs} ms)`);
          await rt.restartEmulator(name, { downMs: options.emulatorDownMs });
          faults.emulatorRestarts.push(name);
          log(`${name} restarted`);
        });
      }
    }

    await publishAll(api, options, random, published, faults, publishStart, deadline);
    log(`published ${published.size} events in ${Math.round((Date.now() - publishStart) / 1000)} s`);

    phase = 'draining';
    // Faults still scheduled (an outage running past the publishing) play out before the verdict, and the
    // catch-up replays of the integrations started again run to their end (a crashed replay job comes back
    // after its visibility timeout).
    const checkReplays = async (): Promise<boolean> => {
      for (const id of faults.stopStarts) {
        if (faults.replaysCompleted.includes(id)) continue;
        const logs = await api('GET', `${BASE}/${id}/logs`).catch(() => undefined);
        const entries = (logs?.body?.entries ?? []) as { action?: string }[];
        if (entries.some((entry) => entry.action === 'replay_completed')) faults.replaysCompleted.push(id);
      }
      return faults.replaysCompleted.length === faults.stopStarts.length;
    };
    let timedOut = false;
    for (;;) {
      await refresh();
      if (
        faultsRunning === 0 &&
        lastReports.length &&
        sumReports(lastReports).lost === 0 &&
        (await checkReplays())
      ) {
        break;
      }
      if (Date.now() >= deadline) {
        timedOut = true;
        break;
      }
      await sleep(1000);
    }
    if (!timedOut) {
      phase = 'settling';
      log('every event arrived; waiting for the queues to empty (late duplicates)');
      const settleEnd = Math.min(deadline, Date.now() + options.settleMs);
      while (Date.now() < settleEnd && !(await queuesEmpty(sqs, rt))) await sleep(500);
      await refresh();
    }
    const queued = timedOut ? await queuedForOrder(rt).catch(() => new Set<string>()) : new Set<string>();
    const integrations = await reconcile(queued).catch(() => lastReports);
    await checkReplays();
    phase = 'stopping';
    soakOptions.onProgress?.(progress());
    const totals = sumReports(integrations);
    return {
      ok:
        totals.lost === 0 &&
        totals.wrong === 0 &&
        totals.badWebhookIds === 0 &&
        totals.corrupt === 0 &&
        totals.outOfOrder === 0,
      timedOut,
      published: published.size,
      requested: options.events,
      durationMs: Date.now() - startedAt,
      integrations,
      totals,
      faults,
      options,
    };
  } finally {
    finished = true;
    if (progressTimer) clearInterval(progressTimer);
    for (const timer of timers) clearTimeout(timer);
    s3?.destroy();
    sqs?.destroy();
    await runtime?.stop();
    await Promise.all([...receivers.values()].map((receiver) => receiver.close()));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    console.error = consoleError;
    console.warn = consoleWarn;
  }
};

/** Answers at `faultRate` with one of the faults a receiver shows in the wild, else 200. */
const faultyScript =
  (options: SoakResult['options'], random: () => number, faults: FaultCounts) =>
  (): ScriptedResponse | undefined => {
    if (random() >= options.faultRate) return undefined;
    const kind = Math.floor(random() * 4);
    if (kind === 0) {
      faults.receiver.status500 += 1;
      return { status: 500, body: { error: 'soak: injected' } };
    }
    if (kind === 1) {
      faults.receiver.status429 += 1;
      return { status: 429, headers: { 'retry-after': '1' } };
    }
    if (kind === 2) {
      faults.receiver.slow += 1;
      // 200, but after the sender gave up: the receiver drops it when the connection is gone.
      return { delayMs: options.deliveryTimeoutMs + 500 };
    }
    faults.receiver.reset += 1;
    return { destroy: true };
  };

/**
 * The queue's real consumer, wrapped so that at `crashRate` an invocation throws: before calling it (nothing
 * done, the batch comes back) or after (the work is done, the batch comes back anyway: duplicates, never loss).
 */
const crashing = (
  queue: QueueDefinition,
  handler: SqsHandler | undefined,
  options: SoakResult['options'],
  random: () => number,
  faults: FaultCounts,
): SqsHandler | undefined => {
  if (!handler) return undefined;
  const counts = { invocations: 0, before: 0, after: 0 };
  faults.crashes[queue.id] = counts;
  return async (event, context) => {
    counts.invocations += 1;
    const roll = random();
    if (roll < options.crashRate / 2) {
      counts.before += 1;
      throw new Error(`soak: injected crash before ${queue.consumer?.functionId}`);
    }
    const result = await handler(event, context);
    if (roll < options.crashRate) {
      counts.after += 1;
      throw new Error(`soak: injected crash after ${queue.consumer?.functionId}`);
    }
    return result;
  };
};

/**
 * Sets each queue's visibility timeout to `seconds`, but never below twice the consumer's batching window
 * plus 10 s: a message must stay hidden while the poller gathers and the handler works, or a second poller
 * gets it too and the run counts duplicates that no deployment (with its 190 s to 900 s) would make.
 */
const shortenVisibility = async (sqs: SQSClient, runtime: LocalRuntime, seconds: number): Promise<void> => {
  for (const queue of runtime.names.queues) {
    const location = runtime.queues[queue.definition.id];
    if (!location) continue;
    const window = queue.definition.consumer?.maxBatchingWindowSeconds ?? 0;
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: location.url,
        Attributes: { VisibilityTimeout: String(Math.max(seconds, 2 * window + 10)) },
      }),
    );
  }
};

/** No message waiting, in flight or delayed in any of the runtime's queues. */
const queuesEmpty = async (sqs: SQSClient, runtime: LocalRuntime): Promise<boolean> => {
  try {
    for (const queue of Object.values(runtime.queues)) {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queue.url,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      );
      if (Object.values(Attributes).some((value) => Number(value) > 0)) return false;
    }
    return true;
  } catch {
    return false;
  }
};

type Api = Awaited<ReturnType<typeof apiClient>>;

const expectStatus = async (
  response: ReturnType<Api>,
  status: number,
  what: string,
): Promise<Awaited<ReturnType<Api>>> => {
  const answer = await response;
  if (answer.status !== status)
    throw new Error(`${what}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
  return answer;
};

const register = async (api: Api, spec: IntegrationSpec, receiver: Receiver | undefined): Promise<void> => {
  const destination =
    spec.kind === 'webhook'
      ? {
          callback_parameters: {
            callback_url: receiver?.url(`/${spec.id}`),
            ...(spec.apiKey ? { api_key: `soak-key-${randomUUID()}` } : {}),
            ...(spec.ordered ? { ordering: 'entity' } : {}),
          },
        }
      : { s3_parameters: { bucket: BUCKET, key_prefix: `erp/${spec.id}`, aws_region: 'us-east-1' } };
  await expectStatus(
    api('POST', BASE, {
      body: {
        id: spec.id,
        integration_type: 'permanent',
        ...destination,
        ...(Object.keys(spec.filter).length ? { filter_conditions: spec.filter } : {}),
      },
    }),
    200,
    `register ${spec.id}`,
  );
};

/**
 * Publishes `events` events paced over `publishDurationMs`, a third as single events and the rest in batches
 * of 2 to 100. Ids are ours, so a request that failed (API or queue unreachable during a restart) is sent
 * again with the same events; an event counts as published once a 202 named it.
 */
const publishAll = async (
  api: Api,
  options: SoakResult['options'],
  random: () => number,
  published: Map<string, string>,
  faults: FaultCounts,
  publishStart: number,
  deadline: number,
): Promise<void> => {
  let sequence = 0;
  // About 8 events per entity: enough for an ordered integration to hold some back, few enough that an
  // entity's events, one at a time through the faults, arrive within the run.
  const entities = Math.max(5, Math.round(options.events / 8));
  while (published.size < options.events && Date.now() < deadline) {
    const due = Math.ceil(
      options.events * Math.min(1, (Date.now() - publishStart) / options.publishDurationMs),
    );
    if (published.size >= Math.max(1, due)) {
      await sleep(50);
      continue;
    }
    const size = Math.min(
      options.events - published.size,
      random() < 0.33 ? 1 : 2 + Math.floor(random() * 99),
    );
    const events = Array.from({ length: size }, () => {
      const name = EVENT_NAMES[Math.floor(random() * EVENT_NAMES.length)] as string;
      sequence += 1;
      // Requests go one after another, so `sequence` is publish order.
      const entityId = `soak-${Math.floor(random() * entities)}`;
      return { id: randomUUID(), name, entity_id: entityId, payload: { sequence, note: 'soak' } };
    });
    const body = size === 1 ? events[0] : { events };
    for (;;) {
      const response = await api('POST', EVENTS_PATH, { body }).catch(() => undefined);
      if (response?.status === 202) break;
      // A 4xx other than 429 is a bug in the soak, not a fault to ride out.
      if (response && response.status >= 400 && response.status < 500 && response.status !== 429) {
        throw new Error(`publish refused: HTTP ${response.status} ${response.text.slice(0, 300)}`);
      }
      faults.publishRetries += 1;
      if (Date.now() >= deadline) return;
      await sleep(250);
    }
    for (const event of events) published.set(event.id, event.name);
  }
};

interface ExportLine {
  id?: unknown;
  tenant?: unknown;
  name?: unknown;
  published_at?: unknown;
  payload?: unknown;
}

/** Reads export files as an ERP job would, each file once (files are never rewritten). */
class ExportReader {
  private readonly files = new Map<string, { lines: ExportLine[]; corrupt: boolean }>();
  constructor(private readonly s3: S3Client) {}

  async read(prefix: string): Promise<{ lines: ExportLine[]; files: number; corrupt: number }> {
    const pattern = exportKeyPattern(prefix, TENANT);
    let token: string | undefined;
    const keys: string[] = [];
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}/`, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const lines: ExportLine[] = [];
    let corrupt = 0;
    for (const key of keys) {
      let file = this.files.get(key);
      if (!file) {
        const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
        const body = (await Body?.transformToString('utf-8')) ?? '';
        file = parseExportFile(body, pattern.test(key));
        this.files.set(key, file);
      }
      lines.push(...file.lines);
      if (file.corrupt) corrupt += 1;
    }
    return { lines, files: keys.length, corrupt };
  }
}

/** Every line parsed; a file is corrupt if misnamed, empty, not newline-terminated or with a non-JSON line. */
const parseExportFile = (body: string, wellNamed: boolean): { lines: ExportLine[]; corrupt: boolean } => {
  let corrupt = !wellNamed || body.length === 0 || !body.endsWith('\n');
  const lines: ExportLine[] = [];
  for (const text of body.split('\n').slice(0, body.endsWith('\n') ? -1 : undefined)) {
    try {
      lines.push(JSON.parse(text) as ExportLine);
    } catch {
      corrupt = true;
    }
  }
  return { lines, corrupt };
};

const reconcileAll = async (
  published: ReadonlyMap<string, string>,
  receivers: ReadonlyMap<string, Receiver>,
  exports: ExportReader,
  queuedForOrder: ReadonlySet<string> = new Set(),
): Promise<IntegrationReport[]> => {
  const reports: IntegrationReport[] = [];
  for (const spec of INTEGRATIONS) {
    const expected = [...published].filter(([, name]) => passes(spec.filter, name)).map(([id]) => id);
    const arrivals = new Map<string, number>();
    let wrong = 0;
    let badWebhookIds = 0;
    let corrupt = 0;
    let retried = 0;
    let requestsOrFiles = 0;
    let outOfOrder = 0;
    const isWrong = (id: string, name: unknown): boolean => {
      const publishedName = published.get(id);
      return publishedName === undefined || publishedName !== name || !passes(spec.filter, publishedName);
    };
    if (spec.kind === 'webhook') {
      const requests = receivers.get(spec.id)?.requests ?? [];
      requestsOrFiles = requests.length;
      const attempts = new Map<string, number>();
      // Per entity, the latest publish sequence delivered so far (ordered integrations).
      const reached = new Map<string, number>();
      for (const request of requests) {
        const event = request.json as
          | { id?: unknown; name?: unknown; tenant?: unknown; payload?: { sequence?: unknown } }
          | undefined;
        if (typeof event?.id !== 'string' || event.tenant !== TENANT) {
          corrupt += 1;
          continue;
        }
        if (request.headers['webhook-id'] !== event.id) badWebhookIds += 1;
        attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
        // Sent at all is wrong for a filtered-out event, whatever the receiver answered.
        if (isWrong(event.id, event.name)) {
          wrong += 1;
          continue;
        }
        const delivered = typeof request.answer === 'number' && request.answer >= 200 && request.answer < 300;
        if (delivered) arrivals.set(event.id, (arrivals.get(event.id) ?? 0) + 1);
        const entity = request.headers['event-entity-id'];
        const sequence = event.payload?.sequence;
        if (spec.ordered && delivered && typeof entity === 'string' && typeof sequence === 'number') {
          if (sequence < (reached.get(entity) ?? 0)) outOfOrder += 1;
          else reached.set(entity, sequence);
        }
      }
      for (const [id, count] of attempts) if (count > 1 && arrivals.has(id)) retried += 1;
    } else {
      const { lines, files, corrupt: badFiles } = await exports.read(`erp/${spec.id}`);
      requestsOrFiles = files;
      corrupt = badFiles;
      for (const line of lines) {
        if (typeof line.id !== 'string' || line.tenant !== TENANT || typeof line.published_at !== 'string') {
          corrupt += 1;
          continue;
        }
        if (isWrong(line.id, line.name)) wrong += 1;
        else arrivals.set(line.id, (arrivals.get(line.id) ?? 0) + 1);
      }
    }
    const lostIds = expected.filter((id) => !arrivals.has(id));
    let duplicated = 0;
    for (const count of arrivals.values()) duplicated += count - 1;
    reports.push({
      id: spec.id,
      kind: spec.kind,
      filter: describeFilter(spec.filter),
      scenario: [
        spec.ordered && 'ordered',
        spec.outage && 'outage',
        spec.stopStart && 'stop/start',
        spec.apiKey && 'api_key',
      ]
        .filter(Boolean)
        .join(', '),
      expected: expected.length,
      arrived: expected.length - lostIds.length,
      lost: lostIds.length,
      duplicated,
      wrong,
      badWebhookIds,
      corrupt,
      requestsOrFiles,
      retried,
      outOfOrder,
      lostSample: lostIds.slice(0, 5),
      stillQueued: lostIds.filter((id) => queuedForOrder.has(`${spec.id}#${id}`)).length,
    });
  }
  return reports;
};

/**
 * `integration id#event id` of the keys in ordered integrations' entity queues: still to be delivered, in
 * turn.
 */
const queuedForOrder = async (runtime: LocalRuntime): Promise<Set<string>> => {
  const ids = new Set<string>();
  const pages = paginateScan(
    { client: dynamoDocumentClient(runtime.platform.aws) },
    {
      TableName: runtime.env.STATE_TABLE_NAME,
      FilterExpression: 'begins_with(pk, :order)',
      ExpressionAttributeValues: { ':order': ENTITY_QUEUE_PK_PREFIX },
      ProjectionExpression: 'pk, pending',
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const integrationId = integrationOfQueuePk(String(item.pk));
      for (const key of (item.pending as Set<string> | undefined) ?? [])
        ids.add(`${integrationId}#${eventIdOfKey(key)}`);
    }
  }
  return ids;
};

const describeFilter = (filter: Filter): string => {
  const parts = [
    filter.event_filter && `events: ${filter.event_filter.join(', ')}`,
    filter.entity_filter && `entities: ${filter.entity_filter.join(', ')}`,
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : '(none)';
};

const sumReports = (reports: readonly IntegrationReport[]): SoakResult['totals'] => {
  const totals = {
    expected: 0,
    arrived: 0,
    lost: 0,
    duplicated: 0,
    wrong: 0,
    badWebhookIds: 0,
    corrupt: 0,
    retried: 0,
    outOfOrder: 0,
  };
  for (const report of reports) {
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += report[key];
  }
  return totals;
};

const percent = (part: number, whole: number): string =>
  whole === 0 ? '0.0 %' : `${((100 * part) / whole).toFixed(1)} %`;

/** One progress line: a bar of arrivals against expectations, and what was injected so far. */
export const formatProgress = (progress: SoakProgress): string => {
  const width = 24;
  const share = progress.expected === 0 ? 0 : progress.arrived / progress.expected;
  const filled = Math.round(width * share);
  const seconds = Math.round(progress.elapsedMs / 1000);
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progress.phase.padEnd(10)} ` +
    `${seconds}/${Math.round(progress.timeLimitMs / 1000)} s | published ${progress.published}/${progress.total} | ` +
    `arrived ${progress.arrived}/${progress.expected} | faults ${progress.faultsInjected} | crashes ${progress.crashesInjected}`
  );
};

/** The summary: one row per integration and a total, then what was injected, then the verdict. */
export const formatReport = (result: SoakResult): string => {
  const header = [
    'integration',
    'kind',
    'filter',
    'scenario',
    'expected',
    'lost',
    'duplicated',
    'wrong',
    'retried',
    'req/files',
  ];
  const row = (
    r:
      | Omit<IntegrationReport, 'lostSample' | 'stillQueued'>
      | (SoakResult['totals'] & Partial<IntegrationReport>),
  ) => [
    r.id ?? 'TOTAL',
    r.kind ?? '',
    r.filter ?? '',
    r.scenario ?? '',
    String(r.expected),
    String(r.lost),
    `${r.duplicated} (${percent(r.duplicated, r.expected)})`,
    String(r.wrong),
    String(r.retried),
    r.requestsOrFiles === undefined ? '' : String(r.requestsOrFiles),
  ];
  const rows = [header, ...result.integrations.map(row), row(result.totals)];
  const widths = header.map((_, column) => Math.max(...rows.map((cells) => (cells[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  const table = [line(header), rule, ...rows.slice(1, -1).map(line), rule, line(rows.at(-1) ?? [])];
  const { faults, totals } = result;
  const crashes = Object.entries(faults.crashes)
    .map(([queue, c]) => `${queue} ${c.before}+${c.after}/${c.invocations}`)
    .join(', ');
  const lines = [
    ...table,
    '',
    `published ${result.published}/${result.requested} events in ${Math.round(result.durationMs / 1000)} s (seed ${result.options.seed})`,
    `receiver faults: 500 ×${faults.receiver.status500}, 429+Retry-After ×${faults.receiver.status429}, ` +
      `slow ×${faults.receiver.slow}, reset ×${faults.receiver.reset}; outages ${faults.outages}; ` +
      `stop/start: ${faults.stopStarts.join(', ') || 'none'} (replay completed: ${faults.replaysCompleted.join(', ') || 'none'}); emulator restarts: ${faults.emulatorRestarts.join(', ') || 'none'}`,
    `handler crashes (before+after/invocations): ${crashes}`,
    `publish retries ${faults.publishRetries}; runtime lines: ${faults.runtimeErrors} errors, ${faults.runtimeWarnings} warnings`,
    ...faults.runtimeErrorSamples.map((sample) => `  e.g. ${sample}`),
    `webhook-id ≠ event id: ${totals.badWebhookIds}; corrupt bodies/files/lines: ${totals.corrupt}; delivered out of entity order: ${totals.outOfOrder}`,
  ];
  for (const report of result.integrations) {
    if (!report.lost) continue;
    const queued = report.stillQueued
      ? ` (${report.stillQueued} of them still in their entity's queue, to be sent in turn)`
      : '';
    lines.push(`lost at ${report.id}${queued}, e.g. ${report.lostSample.join(', ')}`);
  }
  lines.push(
    result.ok
      ? `OK: nothing lost, nothing wrongly delivered; ${totals.duplicated} duplicates (${percent(totals.duplicated, totals.expected)}), each with its event's webhook-id`
      : `FAILED: lost ${totals.lost}, wrong ${totals.wrong}, bad webhook-id ${totals.badWebhookIds}, corrupt ${totals.corrupt}, out of order ${totals.outOfOrder}${result.timedOut ? ' (time limit reached)' : ''}`,
  );
  return lines.join('\n');
};
