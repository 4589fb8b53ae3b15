import * as z from 'zod/mini';
import { type EventEnvelope, type LoggedEvent, MAX_ENTITY_ID_LENGTH, MAX_PAYLOAD_BYTES } from './event.ts';
import { EVENT_NAME_PATTERN, MAX_NAME_LENGTH } from './event-names.ts';
import { lazy } from './lazy.ts';

/**
 * The bodies of the pipeline's queue messages. Each is parsed with its schema where it enters a function:
 * a body that does not fit is reported failed (with a log line) and reaches the queue's DLQ through its
 * `maxReceiveCount`, while the rest of its batch goes on. zod/mini keeps the data plane's bundles small, and
 * each schema is built on first use (`lazy`): a function neither builds nor bundles the others' schemas.
 */

/** What the ingest queue carries: the completed event and when the stack received it. */
export interface IngestMessage {
  event: Omit<EventEnvelope, 'tenant'> & { tenant?: string };
  /** Absent for events arriving through EventBridge: the queue's SentTimestamp stands in. */
  received_at?: string;
  /**
   * The producer chose the id (the API made up the others, which cannot repeat): a deployment that
   * deduplicates event ids claims it at fan-out. EventBridge events (no `received_at`) are claimed too.
   */
  id_given?: boolean;
  /** The event's index in its publish request (publish order within one `received_at`). */
  position?: number;
  /**
   * Ordered integrations (`{id}#{created_at}`) the API put the event in the entity queues of: the fan-out
   * need not again.
   */
  placed_for?: string[];
}

/**
 * The event of an ingest message, checked again by the fan-out: the API checked it with the published
 * event's rules (`publishedEventSchema`), but an EventBridge rule writes the queue directly. The same rules,
 * and `id` required (the API and the rule fill it).
 */
export const ingestEventSchema = /* @__PURE__ */ lazy(() =>
  z.object({
    id: z.uuid('must be a UUID'),
    tenant: z.optional(z.string()),
    name: z
      .string()
      .check(
        z.maxLength(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`),
        z.regex(EVENT_NAME_PATTERN, 'must be a lowercase entity.event name such as order.created'),
      ),
    published_at: z.optional(z.iso.datetime({ offset: true, error: 'must be an RFC 3339 date-time' })),
    entity_id: z.optional(
      z
        .string()
        .check(
          z.minLength(1, 'must not be empty'),
          z.maxLength(MAX_ENTITY_ID_LENGTH, `must be at most ${MAX_ENTITY_ID_LENGTH} characters`),
        ),
    ),
    payload: z
      .record(z.string(), z.unknown(), 'must be a JSON object')
      .check(
        z.refine(
          (payload) => Buffer.byteLength(JSON.stringify(payload)) <= MAX_PAYLOAD_BYTES,
          `must be at most ${MAX_PAYLOAD_BYTES} bytes serialized`,
        ),
      ),
  }),
);

/** What the fan-out puts on the webhook or export queue for each (event, integration). */
const id = () => z.string().check(z.minLength(1, 'must not be empty'));

export const deliveryMessageSchema = /* @__PURE__ */ lazy(() =>
  z.object({
    integration_id: id(),
    /** The integration's `created_at`: a message for an id deleted and registered again is not delivered. */
    generation: z.optional(id()),
    /**
     * The integration's `version` when the message was routed: a delivery process that keeps an older copy
     * of the integration reads it again.
     */
    integration_version: z.optional(z.int().check(z.positive())),
    event_id: id(),
    received_at: id(),
    /** The event log chunk holding the event: its read is one item instead of its whole publish. */
    chunk: z.optional(id()),
    /** The event itself, when small (INLINE_EVENT_BYTES): the delivery then reads nothing from the log. */
    event: z.optional(
      z.object({
        tenant: z.string(),
        name: z.string().check(z.minLength(1, 'must not be empty')),
        published_at: z.string().check(z.minLength(1, 'must not be empty')),
        payload: z.record(z.string(), z.unknown(), 'must be a JSON object'),
        entity_id: z.optional(z.string().check(z.minLength(1, 'must not be empty'))),
        position: z.optional(z.int().check(z.nonnegative())),
      }),
    ),
    /** Set when the event was queued in its entity's queue (ordered integrations): the delivery waits its turn. */
    order: z.optional(z.object({ entity_id: id(), key: id() })),
    /** When the message was first held back for its turn: how long it waits before it looks again. */
    held_since: z.optional(id()),
  }),
);
export type DeliveryMessage = z.infer<ReturnType<typeof deliveryMessageSchema>>;

/**
 * Largest event (as JSON) a delivery message carries itself: an order of a few KiB goes along, a large
 * one stays a reference to its chunk, so messages stay small and a batch of them far below SQS's limits.
 */
export const INLINE_EVENT_BYTES = 8 * 1024;

/** Per event, what its delivery messages carry: measured once, however many integrations want it. */
const inlined = new WeakMap<LoggedEvent, DeliveryMessage['event'] | null>();

/** The fields a delivery message carries of an event small enough to go along. */
export const inlineEventOf = (event: LoggedEvent): DeliveryMessage['event'] | undefined => {
  const known = inlined.get(event);
  if (known !== undefined) return known ?? undefined;
  const inline = {
    tenant: event.tenant,
    name: event.name,
    published_at: event.published_at,
    payload: event.payload,
    ...(event.entity_id !== undefined && { entity_id: event.entity_id }),
    ...(event.position !== undefined && { position: event.position }),
  };
  const fits = Buffer.byteLength(JSON.stringify(inline)) <= INLINE_EVENT_BYTES;
  inlined.set(event, fits ? inline : null);
  return fits ? inline : undefined;
};

/** The event a delivery message carries, as the log would have returned it; undefined when it carries none. */
export const eventOfMessage = (message: DeliveryMessage): LoggedEvent | undefined =>
  message.event && {
    id: message.event_id,
    tenant: message.event.tenant,
    name: message.event.name,
    published_at: message.event.published_at,
    payload: message.event.payload,
    ...(message.event.entity_id !== undefined && { entity_id: message.event.entity_id }),
    received_at: message.received_at,
    ...(message.event.position !== undefined && { position: message.event.position }),
  };

/** The message that drives a replay, one page per receive. */
export const replayMessageSchema = /* @__PURE__ */ lazy(() =>
  z.object({
    integration_id: id(),
    job_id: id(),
  }),
);
export type ReplayMessage = z.infer<ReturnType<typeof replayMessageSchema>>;

/** A queue message whose body is not what its queue carries; it can never succeed. */
export class MalformedMessage extends Error {}

/** Parses a message body; throws MalformedMessage saying what is wrong with it. */
export const parseMessage = <T>(schema: z.ZodMiniType<T>, body: string): T => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedMessage('the body is not JSON');
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new MalformedMessage(`${issue?.path.join('.') || 'body'}: ${issue?.message}`);
};
