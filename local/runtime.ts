import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScheduledEvent } from 'aws-lambda';
import { DOCUMENT_FILE, scalarBundleFile } from '../api/assets.ts';
import { buildConsoleAssets } from '../console/build.ts';
import type { Platform } from '../lambdas/functions/parts/platform.ts';
import { createConsoleHandler } from '../lambdas/handlers/console/handler.ts';
import { createDocsHandler } from '../lambdas/handlers/docs/handler.ts';
import { destroyClients } from '../lambdas/shared/clients.ts';
import { type QueueDefinition, SCHEDULES, type ScheduleDefinition } from '../lib/resource-definitions.ts';
import { type ApiHandler, type ApiServer, startApiServer } from './api-server.ts';
import { createLocalAuth, type LocalAuth, loadLocalAuth, type TokenOptions } from './auth.ts';
import {
  type EmulatorEndpoints,
  type Emulators,
  type RestartableEmulator,
  startEmulators,
} from './emulators/index.ts';
import { buildFunction, type ScheduledHandler } from './functions.ts';
import { LOCAL_ACCOUNT_ID, lambdaContext } from './lambda.ts';
import { localPlatform } from './platform.ts';
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
  /**
   * Loads the API handler; default `build()`, the real one built from its factory with the runtime's
   * settings. Benches and fault injection wrap it.
   */
  loadApiHandler?: (build: () => Promise<ApiHandler>) => Promise<ApiHandler>;
  /**
   * Loads the consumer of a queue; default `build()`, the function named by `consumer.entry` built from its
   * factory. Resolving to undefined leaves the queue unpolled.
   */
  loadQueueHandler?: (
    queue: QueueDefinition,
    build: () => Promise<SqsHandler | undefined>,
  ) => Promise<SqsHandler | undefined>;
  /**
   * Settings over the functions' defaults (`{ RETRY_SCHEDULE_SECONDS: '1,1,1' }`), given to each function
   * that reads them, as the stack's environment would be. `POWERTOOLS_*` keys set the process's logging.
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
  /** The settings the functions are built with (each reads its own part of them). */
  env: Record<string, string>;
  /** The AWS clients and clock the functions run on (benches count the clients' requests). */
  platform: Platform;
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
  platform: Platform;
  options: LocalRuntimeOptions;
}

export type WorkerFactory = (context: WorkerContext) => Promise<readonly Worker[]>;

/**
 * Jobs on the 1-minute schedule, one per `SCHEDULES` definition, as the stack's EventBridge rules run
 * them. Each function is built on the first tick.
 */
const scheduledJobs = (env: Record<string, string>, platform: Platform): ScheduledJob[] =>
  SCHEDULES.map((schedule) => {
    let handler: Promise<ScheduledHandler | undefined> | undefined;
    return {
      name: schedule.functionId,
      run: async (time: Date) => {
        handler ??= buildFunction<ScheduledHandler>(schedule.entry, env, platform);
        const run = await handler;
        await run?.(
          scheduledEvent(schedule, time),
          lambdaContext(schedule.functionId, schedule.timeoutSeconds * 1000),
        );
      },
    };
  });

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

/** One poller per queue with a consumer, as the stack has one event source mapping per consuming function. */
const sqsPollers: WorkerFactory = async ({ endpoints, names, created, env, platform, options }) => {
  const workers: Worker[] = [];
  for (const queue of names.queues) {
    const { consumer } = queue.definition;
    const location = created.queues[queue.definition.id];
    if (!consumer || !location) continue;
    let handler: SqsHandler | undefined;
    try {
      const build = () => buildFunction<SqsHandler>(consumer.entry, env, platform);
      handler = await (options.loadQueueHandler ?? ((_, load) => load()))(queue.definition, build);
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

const scheduler: WorkerFactory = async ({ env, platform, options }) => [
  startScheduler({
    jobs: scheduledJobs(env, platform),
    ...(options.scheduleIntervalMs ? { intervalMs: options.scheduleIntervalMs } : {}),
  }),
];

/** Pollers and schedules to start with the runtime. */
const WORKERS: readonly WorkerFactory[] = [sqsPollers, scheduler];

/**
 * Everything `npm start` runs, in one process: emulators, resources from the stack's definitions, the API
 * handler behind a local HTTP API, and the workers. Also what the e2e tests start (in memory, port 0).
 * Each function is built from its factory with its own settings and the emulators' clients: nothing
 * goes through process.env but the process's logging (`POWERTOOLS_*`).
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
  const platform = localPlatform(emulators.endpoints, env);
  // Registered before the API and the workers, so it runs once they have stopped.
  stoppables.push({ stop: async () => destroyClients(platform.aws) });
  applyLoggingSettings(env, stoppables);
  const build = async () => {
    const handler = await buildFunction<ApiHandler>(API_ENTRY, env, platform);
    if (!handler) throw new Error(`No function is defined for ${API_ENTRY}`);
    return handler;
  };
  const handler = await (options.loadApiHandler ?? ((load) => load()))(build);

  const api: ApiServer = await startApiServer({
    port: options.port ?? 0,
    handler,
    publicHandler: createDocsHandler({ documentFile: DOCUMENT_FILE, scalarBundleFile: scalarBundleFile() }),
    // Built from console/src on the first request to it, so a runtime that never opens it pays nothing.
    consoleHandler: createConsoleHandler({ assets: buildConsoleAssets, config: { auth: 'token' } }),
    auth,
    ...(options.log ? { log: options.log } : {}),
  });
  stoppables.push(api);
  for (const factory of WORKERS) {
    stoppables.push(
      ...(await factory({ endpoints: emulators.endpoints, names, created, env, platform, options })),
    );
  }

  return {
    apiUrl: api.url,
    endpoints: emulators.endpoints,
    names,
    env,
    platform,
    queues: created.queues,
    issueToken: (tokenOptions) => auth.issueToken(tokenOptions),
    restartEmulator: (name, restartOptions) => emulators.restart(name, restartOptions),
    stop,
  };
};

/** The API's handler module, as the stack bundles it. */
const API_ENTRY = 'lambdas/handlers/api/index.ts';

/**
 * Powertools reads its logging settings from process.env when the functions' modules load: the one part of
 * the settings that is the process's rather than a function's. Restored when the runtime stops.
 */
const applyLoggingSettings = (env: Record<string, string>, stoppables: { stop(): Promise<void> }[]) => {
  const logging = Object.entries(env).filter(([key]) => key.startsWith('POWERTOOLS_'));
  const saved = logging.map(([key]) => [key, process.env[key]] as const);
  for (const [key, value] of logging) process.env[key] = value;
  stoppables.push({
    stop: async () => {
      for (const [key, value] of saved) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  });
};
