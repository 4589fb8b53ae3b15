import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { DOCUMENT_FILE, scalarBundleFile } from '../api/assets.ts';
import { createDocsHandler } from '../lambdas/handlers/docs/handler.ts';
import { type QueueDefinition, SCHEDULES, type ScheduleDefinition } from '../lib/resource-definitions.ts';
import { type ApiHandler, type ApiServer, startApiServer } from './api-server.ts';
import { createLocalAuth, type LocalAuth, loadLocalAuth, type TokenOptions } from './auth.ts';
import {
  type EmulatorEndpoints,
  type Emulators,
  type RestartableEmulator,
  startEmulators,
} from './emulators/index.ts';
import { LOCAL_ACCOUNT_ID, lambdaContext } from './lambda.ts';
import {
  type CreatedQueue,
  type CreatedResources,
  createResources,
  type LocalResourceNames,
  lambdaEnv,
  localResourceNames,
  localSqsClient,
} from './resources.ts';
import { type ScheduledJob, startScheduler } from './scheduler.ts';
import { type SqsHandler, startSqsPoller } from './sqs-poller.ts';

export interface LocalRuntimeOptions {
  /** Where emulator state and the signing key live (`.local/` for `npm start`); all in memory when absent. */
  dataDir?: string;
  /** API port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Delete `dataDir` first. */
  fresh?: boolean;
  /** One line per API request; default console.log. */
  log?: (line: string) => void;
  /** Loads the API handler; default the real one, imported only after process.env is set. */
  loadApiHandler?: () => Promise<ApiHandler>;
  /**
   * Loads the consumer of a queue; default the module named by `consumer.entry`, imported after process.env
   * is set. Resolving to undefined leaves the queue unpolled.
   */
  loadQueueHandler?: (queue: QueueDefinition) => Promise<SqsHandler | undefined>;
  /**
   * Variables set over the handlers' environment (`{ RETRY_SCHEDULE_SECONDS: '1,1,1' }`). The handlers read
   * their config once, at import: one environment per process (vitest runs each test file in its own).
   */
  env?: Record<string, string>;
  /** The schedule's period; default 60 s. */
  scheduleIntervalMs?: number;
  /**
   * Concurrent invocations per queue at most, still capped by the consumer's `maxConcurrency`; default the
   * poller's own (4). Load runs (`npm run soak`) raise it, as Lambda would scale out.
   */
  pollerConcurrency?: number;
}

export interface LocalRuntime {
  apiUrl: string;
  endpoints: EmulatorEndpoints;
  names: LocalResourceNames;
  /** The environment the handlers run with (already applied to process.env, restored by stop()). */
  env: Record<string, string>;
  /** Queue and dead-letter queue URLs and ARNs, by queue definition id (`WebhookQueue`). */
  queues: Record<string, CreatedQueue>;
  issueToken(options?: TokenOptions): Promise<string>;
  /**
   * Restarts an emulator on the same endpoint with its state kept, while the API and workers run on (they
   * see dropped and refused connections meanwhile). Fault injection for `npm run soak`.
   */
  restartEmulator(name: RestartableEmulator, options?: { downMs?: number }): Promise<void>;
  /** Stops the workers, the API server and every emulator, in that order. */
  stop(): Promise<void>;
}

/**
 * Something that runs beside the API for the life of the runtime: an SQS poller standing in for an event
 * source mapping, the 1-minute schedule. Started after the API handler is loaded, stopped before the emulators.
 */
export interface Worker {
  name: string;
  stop(): Promise<void>;
}

export interface WorkerContext {
  endpoints: EmulatorEndpoints;
  names: LocalResourceNames;
  created: CreatedResources;
  env: Record<string, string>;
  options: LocalRuntimeOptions;
}

export type WorkerFactory = (context: WorkerContext) => Promise<readonly Worker[]>;

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * Jobs on the 1-minute schedule, one per `SCHEDULES` definition, as the stack's EventBridge rules run
 * them. The handler is imported on the first tick, after process.env is set; a missing entry is skipped.
 */
const scheduledJobs = (log: (line: string) => void): ScheduledJob[] =>
  SCHEDULES.map((schedule) => {
    let handler: Promise<ScheduledHandler | undefined> | undefined;
    return {
      name: schedule.functionId,
      run: async (time: Date) => {
        handler ??= importScheduledHandler(schedule, log);
        const run = await handler;
        await run?.(
          scheduledEvent(schedule, time),
          lambdaContext(schedule.functionId, schedule.timeoutSeconds * 1000),
        );
      },
    };
  });

type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

const importScheduledHandler = async (
  schedule: ScheduleDefinition,
  log: (line: string) => void,
): Promise<ScheduledHandler | undefined> => {
  const file = join(REPO_ROOT, schedule.entry);
  if (!existsSync(file)) {
    log(`${schedule.functionId}: not scheduled (${schedule.entry} does not exist yet)`);
    return undefined;
  }
  const module = (await import(pathToFileURL(file).href)) as { handler?: ScheduledHandler };
  if (typeof module.handler !== 'function') throw new Error(`${schedule.entry} exports no handler`);
  return module.handler;
};

/** The event EventBridge Scheduler / a `rate()` rule hands the function. */
const scheduledEvent = (schedule: ScheduleDefinition, time: Date): ScheduledEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: LOCAL_ACCOUNT_ID,
  time: time.toISOString(),
  region: 'us-east-1',
  resources: [`arn:aws:events:us-east-1:${LOCAL_ACCOUNT_ID}:rule/${schedule.functionId}`],
  detail: {},
});

const importQueueHandler = async (queue: QueueDefinition): Promise<SqsHandler | undefined> => {
  if (!queue.consumer) return undefined;
  const file = join(REPO_ROOT, queue.consumer.entry);
  if (!existsSync(file)) return undefined;
  const module = (await import(pathToFileURL(file).href)) as { handler?: SqsHandler };
  if (typeof module.handler !== 'function') throw new Error(`${queue.consumer.entry} exports no handler`);
  return module.handler;
};

/** One poller per queue with a consumer, as the stack has one event source mapping per consuming function. */
const sqsPollers: WorkerFactory = async ({ endpoints, names, created, options }) => {
  const workers: Worker[] = [];
  for (const queue of names.queues) {
    const { consumer } = queue.definition;
    const location = created.queues[queue.definition.id];
    if (!consumer || !location) continue;
    let handler: SqsHandler | undefined;
    try {
      handler = await (options.loadQueueHandler ?? importQueueHandler)(queue.definition);
    } catch (error) {
      // The runtime only learns of workers this returns: stop the ones already polling before failing.
      await Promise.all(workers.map((worker) => worker.stop()));
      throw error;
    }
    if (!handler) {
      (options.log ?? console.log)(`${queue.name}: not polled (${consumer.entry} does not exist yet)`);
      continue;
    }
    const sqs = localSqsClient(endpoints);
    const poller = startSqsPoller({
      sqs,
      queueName: queue.name,
      queueUrl: location.url,
      queueArn: location.arn,
      consumer,
      handler,
      ...(options.pollerConcurrency
        ? { concurrency: Math.min(consumer.maxConcurrency, options.pollerConcurrency) }
        : {}),
    });
    workers.push({
      name: poller.name,
      stop: async () => {
        await poller.stop();
        sqs.destroy();
      },
    });
  }
  return workers;
};

const scheduler: WorkerFactory = async ({ options }) => [
  startScheduler({
    jobs: scheduledJobs(options.log ?? console.log),
    ...(options.scheduleIntervalMs ? { intervalMs: options.scheduleIntervalMs } : {}),
  }),
];

/** Pollers and schedules to start with the runtime. */
const WORKERS: readonly WorkerFactory[] = [sqsPollers, scheduler];

const importApiHandler = async (): Promise<ApiHandler> => {
  const module = (await import('../lambdas/handlers/api/index.ts')) as { handler: ApiHandler };
  return module.handler;
};

/**
 * Everything `npm start` runs, in one process: emulators, resources from the stack's definitions, the API
 * handler behind a local HTTP API, and the workers. Also what the e2e tests start (in memory, port 0).
 * Sets process.env for the handlers, so run one runtime per process.
 */
export const startLocalRuntime = async (options: LocalRuntimeOptions = {}): Promise<LocalRuntime> => {
  const { dataDir } = options;
  if (dataDir && options.fresh) await rm(dataDir, { recursive: true, force: true });

  const [emulators, auth] = await Promise.all([
    startEmulators(dataDir ? { dataDir } : {}),
    dataDir ? loadLocalAuth(join(dataDir, 'signing-key.json')) : createLocalAuth(),
  ]);
  const stoppables: { stop(): Promise<void> }[] = [emulators];
  const stop = async (): Promise<void> => {
    // Reverse start order: workers and the API go before the emulators they call.
    for (const stoppable of stoppables.splice(0).reverse()) {
      await stoppable.stop().catch((error: unknown) => console.error('stop failed:', error));
    }
  };
  try {
    return await startOnEmulators(emulators, auth, options, stoppables, stop);
  } catch (error) {
    await stop();
    throw error;
  }
};

const startOnEmulators = async (
  emulators: Emulators,
  auth: LocalAuth,
  options: LocalRuntimeOptions,
  stoppables: { stop(): Promise<void> }[],
  stop: () => Promise<void>,
): Promise<LocalRuntime> => {
  const names = localResourceNames();
  const created = await createResources(emulators.endpoints, names);

  const env = lambdaEnv(emulators.endpoints, {
    names,
    created,
    ...(options.env ? { overrides: options.env } : {}),
  });
  // Before the import: the handler modules read their config and create SDK clients at module scope.
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  // Registered before the API and the workers, so it runs once they have stopped.
  stoppables.push({
    stop: async () => {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  });
  const handler = await (options.loadApiHandler ?? importApiHandler)();

  const api: ApiServer = await startApiServer({
    port: options.port ?? 0,
    handler,
    publicHandler: createDocsHandler({ documentFile: DOCUMENT_FILE, scalarBundleFile: scalarBundleFile() }),
    auth,
    ...(options.log ? { log: options.log } : {}),
  });
  stoppables.push(api);
  for (const factory of WORKERS) {
    stoppables.push(...(await factory({ endpoints: emulators.endpoints, names, created, env, options })));
  }

  return {
    apiUrl: api.url,
    endpoints: emulators.endpoints,
    names,
    env,
    queues: created.queues,
    issueToken: (tokenOptions) => auth.issueToken(tokenOptions),
    restartEmulator: (name, restartOptions) => emulators.restart(name, restartOptions),
    stop,
  };
};
