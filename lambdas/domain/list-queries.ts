import * as z from 'zod';
import { ValidationError } from './errors.ts';
import { ENTITY_PATTERN, EVENT_NAME_PATTERN } from './event-names.ts';
import { retentionWindowStart } from './integration-rules.ts';

/** `from` / `to` as RFC 3339 or epoch milliseconds, as the seeds use both. */
const instant = z.string().transform((value, ctx) => {
  const ms = /^\d{1,16}$/.test(value) ? Number(value) : Date.parse(value);
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
  // Beyond year 9999 a Date cannot be written as RFC 3339 (and no event lives there).
  const valid = !Number.isNaN(ms) && ms >= 0 && ms < 253_402_300_800_000;
  if (!valid || (!/^\d+$/.test(value) && !rfc3339.test(value))) {
    ctx.addIssue({ code: 'custom', message: 'must be an RFC 3339 date-time or epoch milliseconds' });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});

const flag = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .transform((value) => value === 'true');
const limit = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from 1 to ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, `must be a whole number from 1 to ${max}`)
        .max(max, `must be a whole number from 1 to ${max}`),
    )
    .default(fallback);

export const eventQuerySchema = z.strictObject({
  name: z
    .string()
    .max(128)
    .regex(EVENT_NAME_PATTERN, 'must be an event name such as order.created')
    .optional(),
  entity: z.string().max(128).regex(ENTITY_PATTERN, 'must be an entity such as order').optional(),
  from: instant.optional(),
  to: instant.optional(),
  include_payload: flag.default(false),
  limit: limit(500, 100),
  next_token: z.string().max(8192).optional(),
});

export const deliveryQuerySchema = z.strictObject({
  status: z
    .enum(['pending', 'delivered', 'rejected', 'failed'], {
      message: 'must be pending, delivered, rejected or failed',
    })
    .optional(),
  name: z
    .string()
    .max(128)
    .regex(EVENT_NAME_PATTERN, 'must be an event name such as order.created')
    .optional(),
  from: instant.optional(),
  to: instant.optional(),
  include_payload: flag.default(false),
  include_attempts: flag.default(false),
  limit: limit(200, 50),
  next_token: z.string().max(8192).optional(),
});

/** The range a list covers: the event window unless narrowed; refused when inverted. */
export const resolveRange = (
  from: string | undefined,
  to: string | undefined,
  now: Date,
  retentionDays: number,
): { from: string; to: string } => {
  const windowStart = retentionWindowStart(now, retentionDays).toISOString();
  const resolved = {
    from: from && from > windowStart ? from : windowStart,
    to: to ?? now.toISOString(),
  };
  if (from && to && from > to) throw new ValidationError('from: must not be after to', 'from');
  return resolved;
};
