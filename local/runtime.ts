import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type ApiHandler, type ApiServer, startApiServer } from './api-server.ts';
import { createLocalAuth, type LocalAuth, loadLocalAuth, type TokenOptions } from './auth.ts';
import { type EmulatorEndpoints, type Emulators, startEmulators } from './emulators/index.ts';
import { createResources, type LocalResourceNames, lambdaEnv, localResourceNames } from './resources.ts';

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
}

export interface LocalRuntime {
  apiUrl: string;
  endpoints: EmulatorEndpoints;
  names: LocalResourceNames;
  /** The environment the handlers run with (already applied to process.env). */
  env: Record<string, string>;
  issueToken(options?: TokenOptions): Promise<string>;
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

export type WorkerFactory = (context: {
  endpoints: EmulatorEndpoints;
  names: LocalResourceNames;
  env: Record<string, string>;
}) => Promise<Worker>;

/** Pollers and schedules to start with the runtime; each later handler adds its factory here. */
const WORKERS: readonly WorkerFactory[] = [];

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
  await createResources(emulators.endpoints, names);

  const env = lambdaEnv(emulators.endpoints, names);
  // Before the import: the handler modules read their config and create SDK clients at module scope.
  Object.assign(process.env, env);
  const handler = await (options.loadApiHandler ?? importApiHandler)();

  const api: ApiServer = await startApiServer({
    port: options.port ?? 0,
    handler,
    auth,
    ...(options.log ? { log: options.log } : {}),
  });
  stoppables.push(api);
  for (const factory of WORKERS) {
    stoppables.push(await factory({ endpoints: emulators.endpoints, names, env }));
  }

  return {
    apiUrl: api.url,
    endpoints: emulators.endpoints,
    names,
    env,
    issueToken: (tokenOptions) => auth.issueToken(tokenOptions),
    stop,
  };
};
