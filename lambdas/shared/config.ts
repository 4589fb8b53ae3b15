import { z } from 'zod';

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
  /** Seconds between webhook retries, the last repeating; tests shorten it. */
  RETRY_SCHEDULE_SECONDS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be comma-separated whole seconds')
    .default('10,60,300,900,3600,7200')
    .transform((value) => value.split(',').map(Number)),
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
