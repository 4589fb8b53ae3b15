import { gunzipSync } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import type { EntityQueueState } from '../../domain/entity-order.ts';
import type { LoggedEvent } from '../../domain/event.ts';
import type { SeenEventType, StoredEventSchema } from '../../domain/event-types.ts';
import type { PublishRecord } from '../../domain/idempotency.ts';
import type {
  DeliveryAttempt,
  DeliveryStatus,
  Integration,
  RejectedEvent,
} from '../../domain/integration.ts';
import { lazy } from '../../domain/lazy.ts';
import type { ReplayJob } from '../../domain/ports/replays.ts';
import type { RateState } from '../../domain/rate-limit.ts';

/**
 * The shapes of the items this code reads back from DynamoDB, checked where they enter: an item written by
 * another version, or edited by hand, fails here with the table key and the field at fault rather than
 * somewhere downstream. Unknown attributes are kept (a newer version may have added them). Each schema is
 * built on first use (`lazy`): a function builds and bundles only those of the items its stores read.
 */

/** An id or a key: a string with something in it. */
const nonEmpty = () => z.string().check(z.minLength(1));
/** A timestamp as stored (ISO 8601, written by us). */
const instant = nonEmpty;
const text = () => z.string();

const integrationItem = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    id: nonEmpty(),
    status: z.enum(['running', 'stopped']),
    integration_type: z.enum(['permanent', 'temporary']),
    starts_at: z.optional(instant()),
    ends_at: z.optional(instant()),
    callback_parameters: z.optional(z.looseObject({ callback_url: text() })),
    s3_parameters: z.optional(z.looseObject({ bucket: text(), key_prefix: text(), aws_region: text() })),
    filter_conditions: z.optional(
      z.looseObject({
        event_filter: z.optional(z.array(text())),
        entity_filter: z.optional(z.array(text())),
      }),
    ),
    created_at: instant(),
    updated_at: instant(),
    stopped_at: z.optional(instant()),
    has_secrets: z.boolean(),
    version: z.int(),
  }),
);

const envelope = () => ({
  id: nonEmpty(),
  tenant: text(),
  name: nonEmpty(),
  published_at: instant(),
  payload: z.record(z.string(), z.unknown()),
  entity_id: z.optional(nonEmpty()),
});

/** An item of the event log: the events of one publish (or part of one), gzipped JSON in `events`. */
const eventChunkItem = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    received_at: instant(),
    events: z.instanceof(Uint8Array),
  }),
);
const chunkEvents = /* @__PURE__ */ lazy(() =>
  z.array(z.looseObject({ ...envelope(), position: z.optional(z.int()) })),
);

/** An entity index item: where one event about an entity is kept. */
const entityIndexItem = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    received_at: instant(),
    event_id: nonEmpty(),
    name: text(),
    chunk: z.optional(nonEmpty()),
  }),
);

export interface EntityIndexEntry {
  received_at: string;
  event_id: string;
  name: string;
  chunk?: string;
}

const rejectedEventItem = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    id: nonEmpty(),
    created_at: instant(),
    event: z.looseObject(envelope()),
    received_at: z.optional(instant()),
    status_code: z.optional(z.int()),
    response_excerpt: z.optional(text()),
  }),
);

/** One attempt of one delivery, as a delivery history item keeps it. */
export interface DeliveryEntry {
  event_id: string;
  name: string;
  entity_id?: string;
  status: DeliveryStatus;
  attempt: DeliveryAttempt;
}

const deliveryEntries = /* @__PURE__ */ lazy(() =>
  z.array(
    z.looseObject({
      event_id: nonEmpty(),
      name: text(),
      entity_id: z.optional(text()),
      status: z.enum(['pending', 'delivered', 'rejected', 'failed']),
      attempt: z.looseObject({
        at: instant(),
        duration_ms: z.number(),
        status_code: z.optional(z.int()),
        error: z.optional(text()),
        file: z.optional(text()),
      }),
    }),
  ),
);

/** A delivery history item: its entries gzipped (`entries_gz`), or as a list (items written before). */
const deliveryHistoryItem = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    received_at: instant(),
    entries: z.optional(deliveryEntries()),
    entries_gz: z.optional(z.instanceof(Uint8Array)),
  }),
);

const replayJobItem = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    integration_id: nonEmpty(),
    job_id: nonEmpty(),
    step: z.int(),
    range_from: instant(),
    from: instant(),
    to: instant(),
    clears_catch_up: z.optional(instant()),
    shard: z.int(),
    after_sk: z.optional(text()),
    settle_until: instant(),
    queued: z.int(),
    skipped: z.optional(z.int()),
    started_at: instant(),
    advanced_at: z.optional(instant()),
    reason: text(),
    completed_at: z.optional(instant()),
  }),
);

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
  parse<Integration>(integrationItem(), 'integration', item);

/** The events of an event log item, each with the chunk's `received_at`. */
export const loggedEventsFromChunk = (item: Record<string, unknown>): LoggedEvent[] => {
  const chunk = parse<{ received_at: string; events: Uint8Array }>(eventChunkItem(), 'event chunk', item);
  let json: unknown;
  try {
    json = JSON.parse(gunzipSync(chunk.events).toString('utf8'));
  } catch (error) {
    throw new StoredItemError(
      `The stored event chunk ${String(item.pk)} / ${String(item.sk)} does not unzip to JSON: ${(error as Error).message}`,
    );
  }
  const result = chunkEvents().safeParse(json);
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
    ...(event.entity_id !== undefined && { entity_id: event.entity_id }),
    received_at: chunk.received_at,
    ...(event.position !== undefined && { position: event.position }),
  }));
};

export const deliveryEntriesFromItem = (
  item: Record<string, unknown>,
): { received_at: string; entries: DeliveryEntry[] } => {
  const stored = parse<{ received_at: string; entries?: DeliveryEntry[]; entries_gz?: Uint8Array }>(
    deliveryHistoryItem(),
    'delivery history item',
    item,
  );
  if (stored.entries_gz === undefined)
    return { received_at: stored.received_at, entries: stored.entries ?? [] };
  const fail = (why: string) =>
    new StoredItemError(`The stored delivery history item ${String(item.pk)} / ${String(item.sk)} ${why}`);
  let json: unknown;
  try {
    json = JSON.parse(gunzipSync(stored.entries_gz).toString('utf8'));
  } catch (error) {
    throw fail(`does not unzip to JSON: ${(error as Error).message}`);
  }
  const result = deliveryEntries().safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw fail(`does not fit: entries.${issue?.path.join('.')}: ${issue?.message}`);
  }
  return { received_at: stored.received_at, entries: result.data as DeliveryEntry[] };
};

export const entityIndexEntryFromItem = (item: Record<string, unknown>): EntityIndexEntry =>
  parse<EntityIndexEntry>(entityIndexItem(), 'entity index item', item);

export const rejectedEventFromItem = (item: Record<string, unknown>): RejectedEvent =>
  parse<RejectedEvent>(rejectedEventItem(), 'rejected event', item);

export const replayJobFromItem = (item: Record<string, unknown>): ReplayJob =>
  parse<ReplayJob>(replayJobItem(), 'replay job', item);

const seenEventTypeItem = /* @__PURE__ */ lazy(() =>
  z.looseObject({ first_seen: instant(), last_seen: instant() }),
);

const eventSchemaItem = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    name: nonEmpty(),
    schema: nonEmpty(),
    version: nonEmpty(),
    updated_at: instant(),
  }),
);

/** When an event name (the part of the sort key after `SEEN#`) was first and last seen. */
export const seenEventTypeFromItem = (name: string, item: Record<string, unknown>): SeenEventType => {
  const { first_seen, last_seen } = parse<{ first_seen: string; last_seen: string }>(
    seenEventTypeItem(),
    'event type',
    item,
  );
  return { name, first_seen, last_seen };
};

/** A stored JSON Schema of an event name; `json` is the schema's text as stored. */
export const eventSchemaFromItem = (item: Record<string, unknown>): StoredEventSchema => {
  const stored = parse<{ name: string; schema: string; version: string; updated_at: string }>(
    eventSchemaItem(),
    'event schema',
    item,
  );
  return { name: stored.name, json: stored.schema, version: stored.version, updated_at: stored.updated_at };
};

const publishRecordItem = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    body_hash: nonEmpty(),
    ids: z.array(nonEmpty()).check(z.minLength(1)),
    received_at: instant(),
  }),
);

export const publishRecordFromItem = (item: Record<string, unknown>): PublishRecord => {
  const { body_hash, ids, received_at } = parse<PublishRecord>(publishRecordItem(), 'publish request', item);
  // Only the record's own fields: `expires_at` and whatever a newer version stored stay behind.
  return { body_hash, ids, received_at };
};

/**
 * The same record in DynamoDB's own attribute values, as a failed conditional put hands the item back
 * (the document client leaves `error.Item` marshalled).
 */
export const publishRecordFromAttributes = (item: Record<string, AttributeValue>): PublishRecord =>
  publishRecordFromItem(unmarshall(item));

const epochMs = () => z.number();
const rateStateItem = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    generation: instant(),
    limit_per_second: z.optional(z.int()),
    rate: z.optional(z.int()),
    next_at: epochMs(),
    paused_until: z.optional(epochMs()),
    leases: z.record(z.string(), z.looseObject({ lanes: z.int(), expires_at: epochMs() })),
    successes: z.int(),
    logged_at: z.optional(epochMs()),
    version: z.int(),
  }),
);

/** A rate-limited integration's limiter state, with the version its compare-and-set expects. */
export const rateStateFromItem = (item: Record<string, unknown>): RateState & { version: number } =>
  parse<RateState & { version: number }>(rateStateItem(), 'rate limiter state', item);

/** An entity queue of an ordered integration: pending keys (a string set, absent when empty). */
const entityQueueItem = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    pending: z.optional(z.set(z.string())),
    dropped: z.optional(z.set(z.string())),
    last_position: z.optional(z.int().check(z.nonnegative())),
  }),
);

/** An entity queue as ordering reads it; no item is an empty queue. */
export const entityQueueFromItem = (item: Record<string, unknown> | undefined): EntityQueueState => {
  if (item === undefined) return { pending: [], lastPosition: 0, dropped: [] };
  const stored = parse<{ pending?: Set<string>; dropped?: Set<string>; last_position?: number }>(
    entityQueueItem(),
    'entity queue',
    item,
  );
  return {
    pending: [...(stored.pending ?? [])].sort(),
    lastPosition: stored.last_position ?? 0,
    dropped: [...(stored.dropped ?? [])],
  };
};
