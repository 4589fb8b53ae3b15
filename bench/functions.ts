/**
 * The Lambda entry points the benchmark bundles, one per deployed function: the API, then every queue
 * consumer and scheduled function taken from the same definitions the stack builds them from, so a new
 * function is benchmarked without anyone remembering to list it here.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUEUES, SCHEDULES } from '../lib/resource-definitions.ts';
import { progress } from './report.ts';

export interface BenchFunction {
  name: string;
  /** Path from the repository root. */
  entry: string;
}

/** A handler named after its module: `lambdas/handlers/sqs/fanout.ts` → `fanout`. */
const byEntry = (entry: string): BenchFunction => ({ name: basename(entry, '.ts'), entry });

/** api, docs, fanout, deliver-webhook, export-batcher, replay, housekeeping, export-flusher. */
export const ALL_FUNCTIONS: readonly BenchFunction[] = [
  { name: 'api', entry: 'lambdas/handlers/api/index.ts' },
  { name: 'docs', entry: 'lambdas/handlers/docs/index.ts' },
  ...QUEUES.flatMap((queue) => (queue.consumer ? [byEntry(queue.consumer.entry)] : [])),
  ...SCHEDULES.map((schedule) => byEntry(schedule.entry)),
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

/**
 * What every function is compared with: the smallest useful Lambda of this stack, a bundled DynamoDB
 * client. A ratio near 1 means our code and libraries add little on top of the SDK we cannot avoid.
 */
export const BASELINE_SOURCE = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export const client = new DynamoDBClient({});
export const handler = async () => client.config.region();
`;

const queueUrl = (name: string) => `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`;

/**
 * Environment the functions' module-scope config parse needs, as the stack sets it (every function gets
 * the same one; see `functionEnvironment` in lib/event-stream-stack.ts).
 */
export const FUNCTION_ENV: Record<string, string> = {
  STATE_TABLE_NAME: 'x',
  EVENT_LOG_TABLE_NAME: 'x-events',
  INGEST_QUEUE_URL: queueUrl('ingest'),
  WEBHOOK_QUEUE_URL: queueUrl('webhook'),
  EXPORT_QUEUE_URL: queueUrl('export'),
  REPLAY_QUEUE_URL: queueUrl('replay'),
  DELIVERIES_TABLE_NAME: 'x-deliveries',
  EXPORT_STAGING_BUCKET_NAME: 'x-export-staging',
  S3_FORCE_PATH_STYLE: 'false',
  SECRET_NAME_PREFIX: 'x/',
  TENANT: 'default',
  MAX_INTEGRATIONS: '10',
  ALLOW_INSECURE_CALLBACKS: 'false',
  EVENT_RETENTION_DAYS: '30',
  RETRY_BUDGET_HOURS: '24',
  STOP_WINDOW_HOURS: '24',
  DELIVERY_TIMEOUT_MS: '10000',
  AWS_REGION: 'us-east-1',
  POWERTOOLS_SERVICE_NAME: 'event-stream',
  POWERTOOLS_METRICS_NAMESPACE: 'EventStream',
  NODE_OPTIONS: '--enable-source-maps',
};
