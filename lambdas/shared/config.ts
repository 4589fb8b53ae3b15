import * as z from 'zod';
import { MAX_FILE_AGE_MS, MAX_FILE_BYTES, MAX_LINE_BYTES, MIN_PART_BYTES } from '../domain/export-file.ts';

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((value) => value === 'true');

/**
 * Settings every Lambda reads from its environment, validated once at cold start. All functions get the
 * same environment (the stack and the local runtime build it in one place); IAM decides what each may
 * touch.
 */
const configSchema = z.object({
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

export type Config = z.infer<typeof configSchema>;

/** Parses the environment; throws naming every missing or bad variable so a cold start fails loudly. */
export const parseConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
};
