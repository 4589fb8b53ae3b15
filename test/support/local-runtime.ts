import { afterAll, beforeAll } from 'vitest';
import { type EmulatorEndpoints, type Emulators, startEmulators } from '../../local/emulators/index.ts';
import {
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
}

export interface UseEmulatorsOptions {
  /** Create the stack's tables (and later queues, buckets); default true. */
  createResources?: boolean;
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
    if (options.createResources ?? true) await createResources(emulators.endpoints, names);
    const env = lambdaEnv(emulators.endpoints, names);
    if (options.applyEnv ?? true) {
      savedEnv = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
      Object.assign(process.env, env);
    }
    Object.assign(fixture, { endpoints: emulators.endpoints, env, names });
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
 * Starts the whole local runtime (emulators, API with the real handler, workers) in memory on a free port,
 * once for the calling test file. Like `useEmulators`, the object is filled in by beforeAll.
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
