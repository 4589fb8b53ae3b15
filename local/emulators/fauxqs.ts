import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildAppOptions, buildApp } from 'fauxqs';

/**
 * SQS and S3 from fauxqs, on 127.0.0.1.
 *
 * Clients need two settings to reach it:
 * - SQS: an explicit `endpoint` and `useQueueUrlAsEndpoint: false`. Queue URLs name hosts like
 *   `sqs.us-east-1.localhost:<port>` that do not resolve on every machine; the SDK would otherwise send each
 *   call to the queue URL's host.
 * - S3: `forcePathStyle: true`, so bucket names go in the path rather than in a hostname that does not resolve.
 */
export interface Fauxqs {
  endpoint: string;
  /**
   * Closes the server (callers see connections dropped, then refused) and listens again on the same port
   * after `downMs` (default 0): with `dataDir` from the SQLite file, as a restarted process would; in memory
   * with the same stores. For fault-injection runs (`npm run soak`).
   */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

export interface FauxqsOptions {
  /** Directory for fauxqs's SQLite file (queues, messages, buckets, objects); in memory when absent. */
  dataDir?: string;
}

type Stores = NonNullable<BuildAppOptions['stores']>;

interface PersistenceManager {
  load(sqsStore: Stores['sqsStore'], snsStore: Stores['snsStore'], s3Store: Stores['s3Store']): void;
  close(): void;
}

/** Starts fauxqs on a free loopback port; with `dataDir`, its state survives restarts. */
export const startFauxqs = async (options: FauxqsOptions = {}): Promise<Fauxqs> => {
  // In memory, a restart keeps these stores (the state a persistent fauxqs would have reloaded).
  let memoryStores: Stores | undefined;
  const build = async (port: number) => {
    const persistent = options.dataDir ? await persistentStores(options.dataDir) : undefined;
    const stores = persistent?.stores ?? memoryStores;
    const app = buildApp({ logger: false, ...(stores ? { stores } : {}) });
    if (persistent) {
      app.addHook('preClose', () => {
        persistent.manager.close();
      });
    }
    // fauxqs's own startFauxqs() listens on 0.0.0.0; buildApp lets us choose loopback.
    const address = await app.listen({ port, host: '127.0.0.1' });
    return { app, address };
  };
  if (!options.dataDir) {
    const [{ SqsStore }, { SnsStore }, { S3Store }] = await Promise.all([
      importDist<{ SqsStore: new () => Stores['sqsStore'] }>('sqs/sqsStore.js'),
      importDist<{ SnsStore: new () => Stores['snsStore'] }>('sns/snsStore.js'),
      importDist<{ S3Store: new () => Stores['s3Store'] }>('s3/s3Store.js'),
    ]);
    memoryStores = { sqsStore: new SqsStore(), snsStore: new SnsStore(), s3Store: new S3Store() };
  }
  let current = await build(0);
  const { port } = new URL(current.address);
  return {
    endpoint: current.address,
    restart: async ({ downMs = 0 } = {}) => {
      await current.app.close();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      current = await build(Number(port));
    },
    stop: async () => {
      await current.app.close();
    },
  };
};

/**
 * What fauxqs's startFauxqs() does for `dataDir` (dist/app.js), minus the 0.0.0.0 listen: load the saved state
 * into fresh stores before wiring persistence into them, so loading does not write back what it reads.
 * The stores and PersistenceManager are not in the package's `exports` map, so they are imported by file URL
 * from the installed package. Check this against dist/app.js when upgrading fauxqs.
 */
const persistentStores = async (
  dataDir: string,
): Promise<{ stores: Stores; manager: PersistenceManager }> => {
  await mkdir(dataDir, { recursive: true });
  const load = importDist;
  const [{ SqsStore }, { SnsStore }, { S3Store }, { PersistenceManager }] = await Promise.all([
    load<{ SqsStore: new () => Stores['sqsStore'] }>('sqs/sqsStore.js'),
    load<{ SnsStore: new () => Stores['snsStore'] }>('sns/snsStore.js'),
    load<{ S3Store: new () => Stores['s3Store'] }>('s3/s3Store.js'),
    load<{ PersistenceManager: new (dir: string) => PersistenceManager }>('persistence.js'),
  ]);
  const stores: Stores = { sqsStore: new SqsStore(), snsStore: new SnsStore(), s3Store: new S3Store() };
  const manager = new PersistenceManager(dataDir);
  manager.load(stores.sqsStore, stores.snsStore, stores.s3Store);
  // The store classes declare `persistence` but their .d.ts files are out of reach; assign through a cast.
  const wire = (target: object): void => {
    (target as { persistence?: PersistenceManager }).persistence = manager;
  };
  wire(stores.sqsStore);
  wire(stores.snsStore);
  wire(stores.s3Store);
  for (const queue of stores.sqsStore.allQueues()) wire(queue);
  return { stores, manager };
};

/** A module of the installed fauxqs by file URL (the stores are not in the package's `exports` map). */
const importDist = async <T>(file: string): Promise<T> =>
  import(pathToFileURL(join(fauxqsDist(), file)).href) as Promise<T>;

const fauxqsDist = (): string => {
  // require.resolve('fauxqs') fails (its exports map has only an `import` condition), so find the folder.
  const candidates = createRequire(import.meta.url).resolve.paths('fauxqs') ?? [];
  for (const nodeModules of candidates) {
    const dist = join(nodeModules, 'fauxqs', 'dist');
    if (existsSync(join(dist, 'persistence.js'))) return dist;
  }
  throw new Error('fauxqs is not installed (npm install)');
};
