import { gunzipSync } from 'node:zlib';
import * as z from 'zod/mini';
import type { LoggedEvent } from '../../domain/event.ts';
import type { PublishRecord } from '../../domain/idempotency.ts';
import type {
  DeliveryAttempt,
  DeliveryStatus,
  Integration,
  RejectedEvent,
} from '../../domain/integration.ts';
import type { ReplayJob } from '../../domain/ports/replays.ts';

/**
 * The shapes of the items this code reads back from DynamoDB, checked where they enter: an item written by
 * another version, or edited by hand, fails here with the table key and the field at fault rather than
 * somewhere downstream. Unknown attributes are kept (a newer version may have added them).
 */

const instant = z.string().check(z.minLength(1));
const text = z.string();

const integrationItem = z.looseObject({
  id: z.string().check(z.minLength(1)),
  status: z.enum(['running', 'stopped']),
  integration_type: z.enum(['permanent', 'temporary']),
  starts_at: z.optional(instant),
  ends_at: z.optional(instant),
  callback_parameters: z.optional(z.looseObject({ callback_url: text })),
  s3_parameters: z.optional(z.looseObject({ bucket: text, key_prefix: text, aws_region: text })),
  filter_conditions: z.optional(
    z.looseObject({ event_filter: z.optional(z.array(text)), entity_filter: z.optional(z.array(text)) }),
  ),
  created_at: instant,
  updated_at: instant,
  stopped_at: z.optional(instant),
  has_secrets: z.boolean(),
  version: z.int(),
});

const envelope = {
  id: z.string().check(z.minLength(1)),
  tenant: text,
  name: z.string().check(z.minLength(1)),
  published_at: instant,
  payload: z.record(z.string(), z.unknown()),
};

/** An item of the event log: the events of one publish (or part of one), gzipped JSON in `events`. */
const eventChunkItem = z.looseObject({
  received_at: instant,
  events: z.instanceof(Uint8Array),
});
const chunkEvents = z.array(z.looseObject(envelope));

const rejectedEventItem = z.looseObject({
  id: z.string().check(z.minLength(1)),
  created_at: instant,
  event: z.looseObject(envelope),
  received_at: z.optional(instant),
  status_code: z.optional(z.int()),
  response_excerpt: z.optional(text),
});

/** One attempt of one delivery, as a delivery history item keeps it. */
export interface DeliveryEntry {
  event_id: string;
  name: string;
  status: DeliveryStatus;
  attempt: DeliveryAttempt;
}

const deliveryHistoryItem = z.looseObject({
  received_at: instant,
  entries: z.array(
    z.looseObject({
      event_id: z.string().check(z.minLength(1)),
      name: text,
      status: z.enum(['pending', 'delivered', 'rejected', 'failed']),
      attempt: z.looseObject({
        at: instant,
        duration_ms: z.number(),
        status_code: z.optional(z.int()),
        error: z.optional(text),
      }),
    }),
  ),
});

const replayJobItem = z.looseObject({
  integration_id: z.string().check(z.minLength(1)),
  job_id: z.string().check(z.minLength(1)),
  step: z.int(),
  range_from: instant,
  from: instant,
  to: instant,
  clears_catch_up: z.optional(instant),
  shard: z.int(),
  after_sk: z.optional(text),
  settle_until: instant,
  queued: z.int(),
  skipped: z.optional(z.int()),
  started_at: instant,
  advanced_at: z.optional(instant),
  reason: text,
  completed_at: z.optional(instant),
});

/** A stored item that does not have the shape the code expects. */
export class StoredItemError extends Error {}

const parse = <T>(schema: z.ZodMiniType, what: string, item: Record<string, unknown>): T => {
  const { pk, sk, ...rest } = item;
  const result = schema.safeParse(rest);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new StoredItemError(
      `The stored ${what} ${String(pk)} / ${String(sk)} does not fit: ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  // The schema checked the shape; the domain type adds what zod cannot say (exact optional properties).
  return result.data as T;
};

export const integrationFromItem = (item: Record<string, unknown>): Integration =>
  parse<Integration>(integrationItem, 'integration', item);

/** The events of an event log item, each with the chunk's `received_at`. */
export const loggedEventsFromChunk = (item: Record<string, unknown>): LoggedEvent[] => {
  const chunk = parse<{ received_at: string; events: Uint8Array }>(eventChunkItem, 'event chunk', item);
  let json: unknown;
  try {
    json = JSON.parse(gunzipSync(chunk.events).toString('utf8'));
  } catch (error) {
    throw new StoredItemError(
      `The stored event chunk ${String(item.pk)} / ${String(item.sk)} does not unzip to JSON: ${(error as Error).message}`,
    );
  }
  const result = chunkEvents.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new StoredItemError(
      `The stored event chunk ${String(item.pk)} / ${String(item.sk)} does not fit: ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  // Only the event's own fields, whatever else a newer version stored beside them.
  return result.data.map((event) => ({
    id: event.id,
    tenant: event.tenant,
    name: event.name,
    published_at: event.published_at,
    payload: event.payload,
    received_at: chunk.received_at,
  }));
};

export const deliveryEntriesFromItem = (
  item: Record<string, unknown>,
): { received_at: string; entries: DeliveryEntry[] } =>
  parse<{ received_at: string; entries: DeliveryEntry[] }>(
    deliveryHistoryItem,
    'delivery history item',
    item,
  );

export const rejectedEventFromItem = (item: Record<string, unknown>): RejectedEvent =>
  parse<RejectedEvent>(rejectedEventItem, 'rejected event', item);

export const replayJobFromItem = (item: Record<string, unknown>): ReplayJob =>
  parse<ReplayJob>(replayJobItem, 'replay job', item);

const publishRecordItem = z.looseObject({
  body_hash: z.string().check(z.minLength(1)),
  ids: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  received_at: instant,
});

export const publishRecordFromItem = (item: Record<string, unknown>): PublishRecord => {
  const { body_hash, ids, received_at } = parse<PublishRecord>(publishRecordItem, 'publish request', item);
  // Only the record's own fields: `expires_at` and whatever a newer version stored stay behind.
  return { body_hash, ids, received_at };
};

/** The same record in DynamoDB's own attribute values, as a failed conditional put hands the item back. */
const publishRecordAttributes = z.looseObject({
  body_hash: z.object({ S: text }),
  ids: z.object({ L: z.array(z.object({ S: text })) }),
  received_at: z.object({ S: text }),
});

export const publishRecordFromAttributes = (item: Record<string, unknown>): PublishRecord => {
  const result = publishRecordAttributes.safeParse(item);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new StoredItemError(
      `The stored publish request ${JSON.stringify(item.pk)} does not fit: ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  const { body_hash, ids, received_at } = result.data;
  return publishRecordFromItem({
    body_hash: body_hash.S,
    ids: ids.L.map((id) => id.S),
    received_at: received_at.S,
  });
};
