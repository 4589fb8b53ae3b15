import { afterAll, beforeAll } from 'vitest';
import { type EmulatorEndpoints, type Emulators, startEmulators } from '../../local/emulators/index.ts';
import {
  type CreatedQueue,
  createResources,
  type LocalResourceNames,
  lambdaEnv,
  localResourceNames,
} from '../../local/resources.ts';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../local/runtime.ts';

export interface EmulatorFixture {
  endpoints: EmulatorEndpoints;
  /** The handlers' environment (table names, secret prefix, AWS_* endpoints), as `npm start` sets it. */
  env: Record<string, string>;
  names: LocalResourceNames;
  /** Queue and DLQ URLs and ARNs by queue definition id; empty with `createResources: false`. */
  queues: Record<string, CreatedQueue>;
}

export interface UseEmulatorsOptions {
  /**
   * Create the stack's tables and queues (and later buckets); default true. Without them `env` lacks the
   * queue URLs, so handler modules cannot load.
   */
  createResources?: boolean;
  /** Set over the handlers' environment (`{ RETRY_SCHEDULE_SECONDS: '1,1,1' }`). */
  env?: Record<string, string>;
  /**
   * Copy `env` into process.env for the file's tests (restored afterwards); default true. Import handler
   * modules dynamically inside a test or beforeAll, after this has run, since they read config at import.
   */
  applyEnv?: boolean;
}

/**
 * Starts the emulators (in memory) once for the calling test file and stops them after it. The returned
 * object is filled in by beforeAll: read its properties inside tests and hooks, not at collection time.
 */
export const useEmulators = (options: UseEmulatorsOptions = {}): EmulatorFixture => {
  const fixture = {} as EmulatorFixture;
  let emulators: Emulators | undefined;
  let savedEnv: Record<string, string | undefined> = {};

  beforeAll(async () => {
    emulators = await startEmulators();
    const names = localResourceNames();
    const created =
      (options.createResources ?? true) ? await createResources(emulators.endpoints, names) : { queues: {} };
    const env = lambdaEnv(emulators.endpoints, {
      names,
      created,
      ...(options.env ? { overrides: options.env } : {}),
    });
    if (options.applyEnv ?? true) {
      savedEnv = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
      Object.assign(process.env, env);
    }
    Object.assign(fixture, { endpoints: emulators.endpoints, env, names, queues: created.queues });
  });

  afterAll(async () => {
    await emulators?.stop();
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  return fixture;
};

/**
 * Starts the whole local runtime (emulators, API with the real handler, SQS pollers with the real consumers,
 * the schedule) in memory on a free port, once for the calling test file. Like `useEmulators`, the object is
 * filled in by beforeAll. Override the handlers' environment for the whole file with `env`:
 * `useLocalRuntime({ env: { RETRY_SCHEDULE_SECONDS: '1,1,1', ALLOW_INSECURE_CALLBACKS: 'false' } })`.
 */
export const useLocalRuntime = (options: Omit<LocalRuntimeOptions, 'port'> = {}): LocalRuntime => {
  const fixture = {} as LocalRuntime;
  let runtime: LocalRuntime | undefined;
  beforeAll(async () => {
    runtime = await startLocalRuntime({ log: () => {}, ...options, port: 0 });
    Object.assign(fixture, runtime);
  });
  afterAll(async () => {
    await runtime?.stop();
  });
  return fixture;
};
