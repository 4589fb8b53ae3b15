import { z } from 'zod';

/** Settings every Lambda reads from its environment, validated once at cold start. */
const configSchema = z.object({
  STATE_TABLE_NAME: z.string().min(1),
  SECRET_NAME_PREFIX: z.string().min(1),
  TENANT: z.string().min(1).default('default'),
  MAX_INTEGRATIONS: z.coerce.number().int().min(1).max(1000).default(10),
  /** Local runtime only: lets callback URLs use http:// and loopback or private addresses. */
  ALLOW_INSECURE_CALLBACKS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
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
