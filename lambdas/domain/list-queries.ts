import * as z from 'zod';
import { ValidationError } from './errors.ts';
import { ENTITY_PATTERN, EVENT_NAME_PATTERN } from './event-names.ts';
import { INTEGRATION_ID_PATTERN } from './integration-id.ts';
import { lazy } from './lazy.ts';
import { entityIdSchema as entityId } from './published-event.ts';
import { retentionWindowStart } from './retention.ts';

/** `from` / `to` as RFC 3339 or epoch milliseconds, as the seeds use both. */
const instant = /* @__PURE__ */ lazy(() =>
  z.string().transform((value, ctx) => {
    const ms = /^\d{1,16}$/.test(value) ? Number(value) : Date.parse(value);
    const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
    // Beyond year 9999 a Date cannot be written as RFC 3339 (and no event lives there).
    const valid = !Number.isNaN(ms) && ms >= 0 && ms < 253_402_300_800_000;
    if (!valid || (!/^\d+$/.test(value) && !rfc3339.test(value))) {
      ctx.addIssue({ code: 'custom', message: 'must be an RFC 3339 date-time or epoch milliseconds' });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  }),
);

const flag = /* @__PURE__ */ lazy(() =>
  z.enum(['true', 'false'], { message: 'must be true or false' }).transform((value) => value === 'true'),
);
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

const FROM = 'Start of the range (received time): RFC 3339 or epoch milliseconds; default 30 days ago.';
const TO = 'End of the range: RFC 3339 or epoch milliseconds; default now.';
const NEXT_TOKEN = 'The `next_token` of the previous page; send the same filters with it.';

export const eventQuerySchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    name: z
      .string()
      .max(128)
      .regex(EVENT_NAME_PATTERN, 'must be an event name such as order.created')
      .optional()
      .describe('Only events of this name, such as `order.created`.'),
    entity: z
      .string()
      .max(128)
      .regex(ENTITY_PATTERN, 'must be an entity such as order')
      .optional()
      .describe('Only events of this entity (the part of the name before the first dot), such as `order`.'),
    entity_id: entityId().optional().describe('Only events about this entity, such as an order id.'),
    from: instant().optional().describe(FROM),
    to: instant().optional().describe(TO),
    include_payload: flag().default(false).describe("Include each event's payload."),
    limit: limit(500, 100).describe('Events per page, 1..500 (default 100).'),
    next_token: z.string().max(8192).optional().describe(NEXT_TOKEN),
  }),
);

export const deliveryQuerySchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    status: z
      .enum(['pending', 'delivered', 'rejected', 'failed'], {
        message: 'must be pending, delivered, rejected or failed',
      })
      .optional()
      .describe('Only deliveries in this state.'),
    name: z
      .string()
      .max(128)
      .regex(EVENT_NAME_PATTERN, 'must be an event name such as order.created')
      .optional()
      .describe('Only deliveries of events of this name.'),
    entity_id: entityId()
      .optional()
      .describe('Only deliveries of events about this entity, such as an order id.'),
    from: instant().optional().describe(FROM),
    to: instant().optional().describe(TO),
    include_payload: flag().default(false).describe('Include each delivered event.'),
    include_attempts: flag().default(false).describe('Include every attempt, not only the last.'),
    limit: limit(200, 50).describe('Deliveries per page, 1..200 (default 50).'),
    next_token: z.string().max(8192).optional().describe(NEXT_TOKEN),
  }),
);

/** `GET /org/deliveries`: the deliveries of every integration (or one), newest event first. */
export const orgDeliveryQuerySchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    integration_id: z
      .string()
      .regex(
        INTEGRATION_ID_PATTERN,
        'must be an integration id (lowercase letters, digits and -, at most 50)',
      )
      .optional()
      .describe('Only the deliveries of this integration.'),
    status: z
      .enum(['pending', 'delivered', 'rejected', 'failed'], {
        message: 'must be pending, delivered, rejected or failed',
      })
      .optional()
      .describe('Only deliveries in this state.'),
    event_name: z
      .string()
      .max(128)
      .regex(EVENT_NAME_PATTERN, 'must be an event name such as order.created')
      .optional()
      .describe('Only deliveries of events of this name.'),
    entity: z
      .string()
      .max(128)
      .regex(ENTITY_PATTERN, 'must be an entity such as order')
      .optional()
      .describe('Only deliveries of events of this entity type (the part of the name before the dot).'),
    entity_id: entityId()
      .optional()
      .describe(
        'Only deliveries of events about this entity, such as an order id: "what happened to order X".',
      ),
    from: instant().optional().describe(FROM),
    to: instant().optional().describe(TO),
    limit: limit(200, 50).describe('Deliveries per page, 1..200 (default 50).'),
    next_token: z.string().max(8192).optional().describe(NEXT_TOKEN),
  }),
);

/**
 * Where a delivery is found from its event id: the time the event was received, as the delivery list and
 * the 202 of a publish hand it out. The event log keeps no item per id (one write less per event), so the
 * time is part of a delivery's address.
 */
export const retryDeliveryQuerySchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    received_at: instant().describe("The delivery's `received_at`, as the delivery list shows it."),
  }),
);

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
