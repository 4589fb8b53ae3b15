import * as z from 'zod/mini';
import { MAX_FILE_AGE_MS, MAX_FILE_BYTES, MAX_LINE_BYTES, MIN_PART_BYTES } from '../domain/export-file.ts';

/*
 * zod/mini: the same schemas at a quarter of classic zod's bundle weight, for every function's cold start.
 */

const text = () => z.string().check(z.minLength(1, 'must not be empty'));
const url = () => z.url('must be a URL');

/** A whole number in `[min, max]` from its decimal text, `fallback` when unset. */
const whole = (min: number, max: number, fallback: number) =>
  z._default(
    z.coerce
      .number()
      .check(
        z.int('must be a whole number'),
        z.gte(min, `must be at least ${min}`),
        z.lte(max, `must be at most ${max}`),
      ),
    fallback,
  );

/** A number (fractions allowed) in `[min, max]`, `fallback` when unset. */
const amount = (min: number, max: number, fallback: number) =>
  z._default(
    z.coerce.number().check(z.gte(min, `must be at least ${min}`), z.lte(max, `must be at most ${max}`)),
    fallback,
  );

const flag = () =>
  z.pipe(
    z._default(z.enum(['true', 'false'], 'must be true or false'), 'false'),
    z.transform((value) => value === 'true'),
  );

/**
 * Every setting a Lambda may read from its environment, as the schema that parses it. Each function reads only
 * its own part (below), validated once at cold start; the stack and the local runtime give it only those
 * variables. Each is a factory: a cold start builds the schemas of its own settings, not the others'.
 */
const SETTINGS = {
  STATE_TABLE_NAME: text,
  EVENT_LOG_TABLE_NAME: text,
  INGEST_QUEUE_URL: url,
  WEBHOOK_QUEUE_URL: url,
  EXPORT_QUEUE_URL: url,
  REPLAY_QUEUE_URL: url,
  DELIVERIES_TABLE_NAME: text,
  SECRET_NAME_PREFIX: text,
  TENANT: () => z._default(text(), 'default'),
  MAX_INTEGRATIONS: () => whole(1, 1000, 10),
  /** Local runtime only: lets callbacks use http:// and loopback or private addresses. */
  ALLOW_INSECURE_CALLBACKS: flag,
  EVENT_RETENTION_DAYS: () => whole(1, 365, 30),
  /**
   * Keep the entity index: an item per event with an entity id, written by the fan-out, read by the
   * entity_id queries (one write unit per event more; without it they read the range they cover).
   */
  ENTITY_INDEX: flag,
  /**
   * Claim every producer-given event id at fan-out (a conditional write each), so an id published again in
   * any later request within the window is neither logged nor delivered again.
   */
  DEDUP_EVENT_IDS: flag,
  /** How long a webhook delivery is retried before the event is marked failed. */
  RETRY_BUDGET_HOURS: () => amount(0, 24 * 13, 24),
  /** An integration with no successful delivery for this long, while deliveries fail, is stopped. */
  STOP_WINDOW_HOURS: () => amount(0, 24 * 30, 24),
  DELIVERY_TIMEOUT_MS: () => whole(100, 30_000, 10_000),
  /** Events read per replay page, and the pause between pages (paces replays behind live traffic). */
  REPLAY_PAGE_SIZE: () => whole(1, 1000, 500),
  REPLAY_PAUSE_SECONDS: () => whole(0, 900, 1),
  /**
   * How long a catch-up waits before completing, for catch-up points noted by fan-outs that read the
   * integration as stopped just before the start: the fan-out's timeout (15 s) and a margin.
   */
  REPLAY_SETTLE_SECONDS: () => whole(0, 900, 20),
  /**
   * After a temporary integration's `ends_at`: time for its last live events to pass ingest and fan-out
   * (a second or two when the pipeline is healthy).
   */
  TEMPORARY_END_GRACE_SECONDS: () => whole(0, 3600, 20),
  /** The same for S3 integrations, whose last events also wait for the export batch and flush. */
  TEMPORARY_EXPORT_GRACE_SECONDS: () => whole(0, 7200, 1200),
  /** Seconds between webhook retries, the last repeating; tests shorten it. */
  RETRY_SCHEDULE_SECONDS: () =>
    z.pipe(
      z._default(
        z.string().check(z.regex(/^\d+(,\d+)*$/, 'must be comma-separated whole seconds')),
        '10,60,300,900,3600,7200',
      ),
      z.transform((value) => value.split(',').map(Number)),
    ),
  // S3 export
  /** The stack's staging bucket: lines wait there as chunks until their file is uploaded. */
  EXPORT_STAGING_BUCKET_NAME: text,
  /** Path-style S3 addressing; only the local runtime's emulator needs it. */
  S3_FORCE_PATH_STYLE: flag,
  /** Largest export file (NewStore: 50 MiB); never below the longest line one event can make. */
  EXPORT_MAX_FILE_BYTES: () => whole(MAX_LINE_BYTES, MAX_FILE_BYTES, MAX_FILE_BYTES),
  /** A file is closed this long after it was started (NewStore: 5 minutes); tests shorten it. */
  EXPORT_MAX_FILE_AGE_SECONDS: () => whole(1, 3600, MAX_FILE_AGE_MS / 1000),
  /** Multipart part size; a file no larger is one PutObject. S3 wants parts of 5 MiB or more. */
  EXPORT_PART_BYTES: () => whole(MIN_PART_BYTES, 64 * 1024 * 1024, 8 * 1024 * 1024),
  /** Largest staged chunk, which bounds the batcher's memory per integration. */
  EXPORT_CHUNK_BYTES: () => whole(1024, 16 * 1024 * 1024, 4 * 1024 * 1024),
  // Operator console: Cognito's managed login, when the stack has its user pool (else a pasted token).
  CONSOLE_AUTH_ISSUER: () => z.optional(url()),
  CONSOLE_AUTH_DOMAIN: () => z.optional(url()),
  CONSOLE_CLIENT_ID: () => z.optional(text()),
  /** Space-separated scopes the console asks for. */
  CONSOLE_SCOPES: () => z.optional(text()),
} satisfies Record<string, () => z.ZodMiniType>;

type SettingName = keyof typeof SETTINGS;
/** The schema of every setting, as a type: what `Settings` and `ConfigOf` are inferred from. */
type SettingsShape = { [N in SettingName]: ReturnType<(typeof SETTINGS)[N]> };
export type Settings = z.infer<z.ZodMiniObject<SettingsShape>>;

/** A function's settings: names, each once (the lists below overlap). */
const settings = <const K extends SettingName>(...names: K[]): readonly K[] => [...new Set(names)];

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
    'ENTITY_INDEX',
    'DELIVERIES_TABLE_NAME',
    'INGEST_QUEUE_URL',
    ...REPLAY_START,
    ...WEBHOOK_SEND,
    'MAX_INTEGRATIONS',
    ...EXPORT_FLUSH,
  ),
  'lambdas/handlers/sqs/fanout.ts': settings(
    'STATE_TABLE_NAME',
    ...EVENT_LOG,
    'ENTITY_INDEX',
    'DEDUP_EVENT_IDS',
    ...ROUTING,
    'INGEST_QUEUE_URL',
  ),
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
    'DELIVERIES_TABLE_NAME',
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
  // Maps Cognito groups to scopes on console sign-ins: no settings.
  'lambdas/handlers/auth/pre-token-generation.ts': settings(),
  // The console's files are bundled beside the code; its settings say how operators sign in.
  'lambdas/handlers/console/index.ts': settings(
    'CONSOLE_AUTH_ISSUER',
    'CONSOLE_AUTH_DOMAIN',
    'CONSOLE_CLIENT_ID',
    'CONSOLE_SCOPES',
  ),
} as const;

export type FunctionEntry = keyof typeof FUNCTION_SETTINGS;
/** The settings of the function bundled from `entry`. */
export type ConfigOf<E extends FunctionEntry> = Pick<Settings, (typeof FUNCTION_SETTINGS)[E][number]>;

/** The environment variables the function bundled from `entry` reads (what the stack gives it). */
export const settingNames = (entry: string): readonly string[] => {
  const names = (FUNCTION_SETTINGS as Record<string, readonly SettingName[] | undefined>)[entry];
  if (!names) throw new Error(`No settings are defined for ${entry}`);
  return names;
};

/**
 * Parses a function's settings from `env`; throws naming every missing or bad variable so a cold start
 * fails loudly. Only the schemas of the function's own settings are built.
 */
export const parseConfig = <E extends FunctionEntry>(
  entry: E,
  env: Record<string, string | undefined>,
): ConfigOf<E> => {
  const names: readonly SettingName[] = FUNCTION_SETTINGS[entry];
  const schema = z.object(Object.fromEntries(names.map((name) => [name, SETTINGS[name]()])));
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration of ${entry}: ${problems.join('; ')}`);
  }
  return result.data as ConfigOf<E>;
};
