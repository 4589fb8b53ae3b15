import { join } from 'node:path';
import { startDynamoDbLocal } from './dynamodb.ts';
import { startFauxqs } from './fauxqs.ts';
import { startSecretsManager } from './secrets-manager.ts';

export interface EmulatorEndpoints {
  dynamodb: string;
  sqs: string;
  s3: string;
  secretsmanager: string;
}

export interface Emulators {
  endpoints: EmulatorEndpoints;
  /**
   * AWS_* variables that point default SDK clients at the emulators. SQS is the exception: its clients take
   * `endpoints.sqs` explicitly with `useQueueUrlAsEndpoint: false` (see fauxqs.ts).
   */
  env(): Record<string, string>;
  /**
   * Restarts one emulator on the same endpoint, keeping its state (fault injection for `npm run soak`);
   * `downMs` is how long it stays unreachable. DynamoDB Local is not offered: its JVM takes seconds to start.
   */
  restart(name: RestartableEmulator, options?: { downMs?: number }): Promise<void>;
  /** Stops every emulator and waits for them (including the DynamoDB Local JVM) to exit. */
  stop(): Promise<void>;
}

/** The emulators `Emulators.restart` can restart: fauxqs (SQS and S3) and the Secrets Manager endpoint. */
export type RestartableEmulator = 'fauxqs' | 'secretsmanager';

export interface EmulatorOptions {
  /** Directory for persistent state (`dynamodb/`, `fauxqs/`, `secrets.json`); everything in memory when absent. */
  dataDir?: string;
}

export const LOCAL_REGION = 'us-east-1';

/** Starts DynamoDB Local, fauxqs (SQS + S3) and the Secrets Manager endpoint in parallel. */
export const startEmulators = async (options: EmulatorOptions = {}): Promise<Emulators> => {
  const { dataDir } = options;
  const started = await Promise.allSettled([
    startDynamoDbLocal(dataDir ? { dataDir: join(dataDir, 'dynamodb') } : {}),
    startFauxqs(dataDir ? { dataDir: join(dataDir, 'fauxqs') } : {}),
    startSecretsManager(dataDir ? { file: join(dataDir, 'secrets.json') } : {}),
  ]);
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(running.map((emulator) => emulator.stop()));
  };
  const [dynamodb, fauxqs, secrets] = started;
  if (dynamodb.status === 'rejected' || fauxqs.status === 'rejected' || secrets.status === 'rejected') {
    await stop();
    const reasons = started.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    throw reasons.length === 1 ? reasons[0] : new AggregateError(reasons, 'Emulators failed to start');
  }
  const endpoints: EmulatorEndpoints = {
    dynamodb: dynamodb.value.endpoint,
    sqs: fauxqs.value.endpoint,
    s3: fauxqs.value.endpoint,
    secretsmanager: secrets.value.endpoint,
  };
  const restartable = { fauxqs: fauxqs.value, secretsmanager: secrets.value };
  return {
    endpoints,
    env: () => emulatorEnv(endpoints),
    restart: (name, restartOptions) => restartable[name].restart(restartOptions),
    stop,
  };
};

/** The AWS_* environment that sends default SDK clients to these endpoints with dummy credentials. */
export const emulatorEnv = (endpoints: EmulatorEndpoints): Record<string, string> => ({
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
  AWS_ENDPOINT_URL_SQS: endpoints.sqs,
  AWS_ENDPOINT_URL_S3: endpoints.s3,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsmanager,
});
