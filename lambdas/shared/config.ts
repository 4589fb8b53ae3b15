import * as z from 'zod';
import { MAX_FILE_AGE_MS, MAX_FILE_BYTES, MAX_LINE_BYTES, MIN_PART_BYTES } from '../domain/export-file.ts';

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((value) => value === 'true');

/**
 * Every setting a Lambda may read from its environment. Each function reads only its own part (below),
 * validated once at cold start; the stack and the local runtime give it only those variables.
 */
const settingsSchema = z.object({
  STATE_TABLE_NAME: z.string().min(1),
  EVENT_LOG_TABLE_NAME: z.string().min(1),
  INGEST_QUEUE_URL: z.url(),
  WEBHOOK_QUEUE_URL: z.url(),
  EXPORT_QUEUE_URL: z.url(),
  REPLAY_QUEUE_URL: z.url(),
  DELIVERIES_TABLE_NAME: z.string().min(1),
  SECRET_NAME_PREFIX: z.string().min(1),
  TENANT: z.string().min(1).default('default'),
  MAX_INTEGRATIONS: z.coerce.number().int().min(1).max(1000).default(10),
  /** Local runtime only: lets callbacks use http:// and loopback or private addresses. */
  ALLOW_INSECURE_CALLBACKS: flag,
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** How long a webhook delivery is retried before the event is marked failed. */
  RETRY_BUDGET_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 13)
    .default(24),
  /** An integration with no successful delivery for this long, while deliveries fail, is stopped. */
  STOP_WINDOW_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 30)
    .default(24),
  DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(10_000),
  /** Events read per replay page, and the pause between pages (paces replays behind live traffic). */
  REPLAY_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(500),
  REPLAY_PAUSE_SECONDS: z.coerce.number().int().min(0).max(900).default(1),
  /**
   * How long a catch-up waits before completing, for catch-up points noted by fan-outs that read the
   * integration as stopped just before the start: the fan-out's timeout (15 s) and a margin.
   */
  REPLAY_SETTLE_SECONDS: z.coerce.number().int().min(0).max(900).default(20),
  /**
   * After a temporary integration's `ends_at`: time for its last live events to pass ingest and fan-out
   * (a second or two when the pipeline is healthy).
   */
  TEMPORARY_END_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(20),
  /** The same for S3 integrations, whose last events also wait for the export batch and flush. */
  TEMPORARY_EXPORT_GRACE_SECONDS: z.coerce.number().int().min(0).max(7200).default(1200),
  /** Seconds between webhook retries, the last repeating; tests shorten it. */
  RETRY_SCHEDULE_SECONDS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be comma-separated whole seconds')
    .default('10,60,300,900,3600,7200')
    .transform((value) => value.split(',').map(Number)),
  // S3 export
  /** The stack's staging bucket: lines wait there as chunks until their file is uploaded. */
  EXPORT_STAGING_BUCKET_NAME: z.string().min(1),
  /** Path-style S3 addressing; only the local runtime's emulator needs it. */
  S3_FORCE_PATH_STYLE: flag,
  /** Largest export file (NewStore: 50 MiB); never below the longest line one event can make. */
  EXPORT_MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .min(MAX_LINE_BYTES)
    .max(MAX_FILE_BYTES)
    .default(MAX_FILE_BYTES),
  /** A file is closed this long after it was started (NewStore: 5 minutes); tests shorten it. */
  EXPORT_MAX_FILE_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(MAX_FILE_AGE_MS / 1000),
  /** Multipart part size; a file no larger is one PutObject. S3 wants parts of 5 MiB or more. */
  EXPORT_PART_BYTES: z.coerce
    .number()
    .int()
    .min(MIN_PART_BYTES)
    .max(64 * 1024 * 1024)
    .default(8 * 1024 * 1024),
  /** Largest staged chunk, which bounds the batcher's memory per integration. */
  EXPORT_CHUNK_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(4 * 1024 * 1024),
});

/** Every setting, parsed. A function has a `Pick` of it. */
export type Settings = z.infer<typeof settingsSchema>;
type SettingName = keyof typeof settingsSchema.shape;

const settings = <const K extends SettingName>(...names: K[]) =>
  settingsSchema.pick(
    Object.fromEntries(names.map((name) => [name, true])) as { [P in K]: true } & Record<
      Exclude<K, SettingName>,
      never
    >,
  );

const EVENT_LOG = ['EVENT_LOG_TABLE_NAME', 'TENANT', 'EVENT_RETENTION_DAYS'] as const;
const ROUTING = ['DELIVERIES_TABLE_NAME', 'WEBHOOK_QUEUE_URL', 'EXPORT_QUEUE_URL'] as const;
const WEBHOOK_SEND = ['SECRET_NAME_PREFIX', 'ALLOW_INSECURE_CALLBACKS', 'DELIVERY_TIMEOUT_MS'] as const;
const REPLAY_START = ['REPLAY_QUEUE_URL', 'REPLAY_SETTLE_SECONDS'] as const;
const TEMPORARY_END = ['TEMPORARY_END_GRACE_SECONDS', 'TEMPORARY_EXPORT_GRACE_SECONDS'] as const;
/** What uploading an export file takes (`ExportFlush`): every function that can reach a flush. */
const EXPORT_FLUSH = [
  'TENANT',
  'SECRET_NAME_PREFIX',
  'EXPORT_STAGING_BUCKET_NAME',
  'S3_FORCE_PATH_STYLE',
  'EXPORT_MAX_FILE_AGE_SECONDS',
  'EXPORT_PART_BYTES',
  'STOP_WINDOW_HOURS',
  'RETRY_SCHEDULE_SECONDS',
] as const;

/** Each function's settings, by the handler module the stack bundles for it. */
export const FUNCTION_SETTINGS = {
  'lambdas/handlers/api/index.ts': settings(
    'STATE_TABLE_NAME',
    ...EVENT_LOG,
    'DELIVERIES_TABLE_NAME',
    'INGEST_QUEUE_URL',
    ...REPLAY_START,
    ...WEBHOOK_SEND,
    'MAX_INTEGRATIONS',
    ...EXPORT_FLUSH,
  ),
  'lambdas/handlers/sqs/fanout.ts': settings('STATE_TABLE_NAME', ...EVENT_LOG, ...ROUTING),
  'lambdas/handlers/sqs/deliver-webhook.ts': settings(
    'STATE_TABLE_NAME',
    ...EVENT_LOG,
    'DELIVERIES_TABLE_NAME',
    'WEBHOOK_QUEUE_URL',
    ...WEBHOOK_SEND,
    'RETRY_BUDGET_HOURS',
    'STOP_WINDOW_HOURS',
    'RETRY_SCHEDULE_SECONDS',
  ),
  'lambdas/handlers/sqs/export-batcher.ts': settings(
    'STATE_TABLE_NAME',
    ...EVENT_LOG,
    ...EXPORT_FLUSH,
    'EXPORT_MAX_FILE_BYTES',
    'EXPORT_CHUNK_BYTES',
  ),
  'lambdas/handlers/sqs/replay.ts': settings(
    'STATE_TABLE_NAME',
    ...EVENT_LOG,
    ...ROUTING,
    ...REPLAY_START,
    'REPLAY_PAGE_SIZE',
    'REPLAY_PAUSE_SECONDS',
    'SECRET_NAME_PREFIX',
    ...TEMPORARY_END,
  ),
  'lambdas/handlers/schedule/housekeeping.ts': settings(
    'STATE_TABLE_NAME',
    'EVENT_RETENTION_DAYS',
    'DELIVERIES_TABLE_NAME',
    ...REPLAY_START,
    ...TEMPORARY_END,
    ...EXPORT_FLUSH,
  ),
  'lambdas/handlers/schedule/export-flusher.ts': settings('STATE_TABLE_NAME', ...EXPORT_FLUSH),
  // The reference page and the OpenAPI document: files bundled beside the code, no settings.
  'lambdas/handlers/docs/index.ts': settings(),
} as const;

export type FunctionEntry = keyof typeof FUNCTION_SETTINGS;
/** The settings of the function bundled from `entry`. */
export type ConfigOf<E extends FunctionEntry> = z.infer<(typeof FUNCTION_SETTINGS)[E]>;

/** The environment variables the function bundled from `entry` reads (what the stack gives it). */
export const settingNames = (entry: string): readonly string[] => {
  const schema = (FUNCTION_SETTINGS as Record<string, z.ZodObject | undefined>)[entry];
  if (!schema) throw new Error(`No settings are defined for ${entry}`);
  return Object.keys(schema.shape);
};

/**
 * Parses a function's settings from `env`; throws naming every missing or bad variable so a cold start
 * fails loudly.
 */
export const parseConfig = <E extends FunctionEntry>(
  entry: E,
  env: Record<string, string | undefined>,
): ConfigOf<E> => {
  const result = FUNCTION_SETTINGS[entry].safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration of ${entry}: ${problems.join('; ')}`);
  }
  return result.data as ConfigOf<E>;
};
