/**
 * The Lambda entry points the benchmark bundles, one per deployed function: the API, then every queue
 * consumer and scheduled function taken from the same definitions the stack builds them from, so a new
 * function is benchmarked without anyone remembering to list it here.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { settingNames } from '../lambdas/shared/config.ts';
import { LAMBDA_NODE_OPTIONS } from '../lib/bundling.ts';
import { QUEUES, SCHEDULES } from '../lib/resource-definitions.ts';
import { progress } from './report.ts';

export interface BenchFunction {
  name: string;
  /** Path from the repository root. */
  entry: string;
  /**
   * The most its bundle size and its cold import may be, each as a multiple of the bare DynamoDB client's:
   * 1.5 for the data plane (the queue consumers: fan-out, delivery, export batcher, replay), which runs on
   * every event; 2 for the API and the scheduled functions.
   */
  targetRatio: number;
}

/** A handler named after its module: `lambdas/handlers/sqs/fanout.ts` → `fanout`. */
const byEntry = (entry: string, targetRatio: number): BenchFunction => ({
  name: basename(entry, '.ts'),
  entry,
  targetRatio,
});

const DATA_PLANE_TARGET = 1.5;
const CONTROL_PLANE_TARGET = 2;

/** api, docs, console, pre-token-generation, fanout, deliver-webhook, export-batcher, replay, housekeeping, export-flusher. */
export const ALL_FUNCTIONS: readonly BenchFunction[] = [
  { name: 'api', entry: 'lambdas/handlers/api/index.ts', targetRatio: CONTROL_PLANE_TARGET },
  { name: 'docs', entry: 'lambdas/handlers/docs/index.ts', targetRatio: CONTROL_PLANE_TARGET },
  { name: 'console', entry: 'lambdas/handlers/console/index.ts', targetRatio: CONTROL_PLANE_TARGET },
  byEntry('lambdas/handlers/auth/pre-token-generation.ts', CONTROL_PLANE_TARGET),
  ...QUEUES.flatMap((queue) => (queue.consumer ? [byEntry(queue.consumer.entry, DATA_PLANE_TARGET)] : [])),
  ...SCHEDULES.map((schedule) => byEntry(schedule.entry, CONTROL_PLANE_TARGET)),
];

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The functions whose handler exists. A handler can land after the line naming it here (the stack and the
 * handlers are written in parallel): it is skipped with a note instead of failing the whole run.
 */
export const FUNCTIONS: readonly BenchFunction[] = ALL_FUNCTIONS.filter((fn) => {
  if (existsSync(join(root, fn.entry))) return true;
  progress(`skipping ${fn.name}: ${fn.entry} does not exist yet`);
  return false;
});

/** The client class each AWS SDK client package exports, for the bundles of clients alone. */
const CLIENT_CLASSES: Readonly<Record<string, string>> = {
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/client-sqs': 'SQSClient',
  '@aws-sdk/client-secrets-manager': 'SecretsManagerClient',
  '@aws-sdk/client-s3': 'S3Client',
  '@aws-sdk/client-sts': 'STSClient',
};

/**
 * A function's SDK clients alone, built as the baseline is: what the function cannot weigh less than while it
 * uses those clients, so a ratio to the baseline says how much of a target its own code and libraries have.
 * Throws for a client package it does not know, so a new one is not silently left out.
 */
export const clientsSource = (packages: readonly string[]): string => {
  const classes = packages.map((name) => {
    const exported = CLIENT_CLASSES[name];
    if (!exported) throw new Error(`bench/functions.ts: no client class known for ${name}`);
    return { name, exported };
  });
  return [
    ...classes.map(({ name, exported }) => `import { ${exported} } from '${name}';`),
    `export const clients = [${classes.map(({ exported }) => `new ${exported}({})`).join(', ')}];`,
    'export const handler = async () => Promise.all(clients.map((client) => client.config.region()));',
    '',
  ].join('\n');
};

/**
 * What every function is compared with: the smallest useful Lambda of this stack, a bundled DynamoDB
 * client. A ratio near 1 means our code and libraries add little on top of the SDK we cannot avoid.
 */
export const BASELINE_SOURCE = clientsSource(['@aws-sdk/client-dynamodb']);

/** The AWS SDK client packages in a bundle (`@aws-sdk/client-*`), sorted. */
export const clientPackages = (byPackage: ReadonlyArray<readonly [string, number]>): string[] =>
  byPackage
    .map(([name]) => name)
    .filter((name) => name.startsWith('@aws-sdk/client-'))
    .sort();

const queueUrl = (name: string) => `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`;

/**
 * What the stack sets on a function (`functionEnvironment` in lib/event-stream-stack.ts, plus AppFunction's
 * defaults), with placeholders where the template names a resource: test/infra/stack.test.ts checks the names
 * and the literal values against the synthesized template, function by function.
 */
export const stackEnv = (fn: BenchFunction): Record<string, string> => {
  // Each function gets the variables its own config reads (lib/app-function.ts), and Powertools' own.
  const own = new Set(settingNames(fn.entry));
  // A function without settings (the docs page) is given none, only AppFunction's own defaults.
  if (own.size === 0) return { POWERTOOLS_SERVICE_NAME: 'event-stream', NODE_OPTIONS: LAMBDA_NODE_OPTIONS };
  return Object.fromEntries(
    Object.entries(allStackSettings()).filter(
      ([name]) => own.has(name) || name.startsWith('POWERTOOLS_') || name === 'NODE_OPTIONS',
    ),
  );
};

const allStackSettings = (): Record<string, string> => ({
  STATE_TABLE_NAME: 'EventStream-State',
  EVENT_LOG_TABLE_NAME: 'EventStream-EventLog',
  DELIVERIES_TABLE_NAME: 'EventStream-Deliveries',
  INGEST_QUEUE_URL: queueUrl('ingest'),
  WEBHOOK_QUEUE_URL: queueUrl('webhook'),
  EXPORT_QUEUE_URL: queueUrl('export'),
  REPLAY_QUEUE_URL: queueUrl('replay'),
  EXPORT_STAGING_BUCKET_NAME: 'eventstream-export-staging',
  S3_FORCE_PATH_STYLE: 'false',
  SECRET_NAME_PREFIX: 'EventStream/integrations/',
  TENANT: 'default',
  MAX_INTEGRATIONS: '10',
  ENTITY_INDEX: 'false',
  DEDUP_EVENT_IDS: 'false',
  ALLOW_INSECURE_CALLBACKS: 'false',
  EVENT_RETENTION_DAYS: '30',
  RETRY_BUDGET_HOURS: '24',
  STOP_WINDOW_HOURS: '24',
  DELIVERY_TIMEOUT_MS: '10000',
  CONSOLE_AUTH_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example',
  CONSOLE_AUTH_DOMAIN: 'https://eventstream-123456789012.auth.us-east-1.amazoncognito.com',
  CONSOLE_CLIENT_ID: 'console-client-id',
  CONSOLE_SCOPES: 'openid eventstream/read eventstream/write',
  POWERTOOLS_SERVICE_NAME: 'event-stream',
  POWERTOOLS_METRICS_NAMESPACE: 'EventStream',
  NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
});

/**
 * What Lambda itself sets in a Node.js 24 execution environment (region, function name and memory, the
 * role's keys, the X-Ray daemon of active tracing...): the SDK and Powertools read some of them at import.
 */
export const lambdaRuntimeEnv = (functionName: string): Record<string, string> => ({
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_NAME: `EventStream-${functionName}`,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/EventStream-${functionName}`,
  AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
  AWS_ACCESS_KEY_ID: 'ASIABENCHFUNCTIONROLE',
  AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key',
  AWS_SESSION_TOKEN: 'bench-session-token',
  AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
  AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
  _HANDLER: 'index.handler',
  TZ: ':UTC',
});

/** The environment a function is imported with: the stack's variables and Lambda's own. */
export const functionEnv = (fn: BenchFunction): Record<string, string> => ({
  ...lambdaRuntimeEnv(fn.name),
  ...stackEnv(fn),
});
