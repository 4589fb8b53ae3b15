import { createHash } from 'node:crypto';
import { entityOf } from './event-names.ts';
import type { FilterConditions } from './integration-schema.ts';

/** The event object every receiver gets: the webhook body and each line of an S3 export file. */
export interface EventEnvelope {
  id: string;
  tenant: string;
  name: string;
  published_at: string;
  payload: Record<string, unknown>;
  /**
   * The business object the event is about (an order id, say): given by the producer, else `payload.id`
   * when that is a string. "What happened to order X" queries by it.
   */
  entity_id?: string;
}

/** An event as kept in the event log: the envelope plus when the stack received it. */
export interface LoggedEvent extends EventEnvelope {
  /** When the ingest API (or the queue, for EventBridge) took it: the log's order and replay cursor. */
  received_at: string;
  /**
   * Its index in the publish request that brought it (absent for EventBridge events, one per message):
   * events received at one instant are in publish order by it.
   */
  position?: number;
}

export const MAX_ENTITY_ID_LENGTH = 256;

/**
 * Where an event stands in publish order: by the time the API received it, then its position in its
 * publish request, then (for events without a position) its id. Sorts as a string; also the key of the
 * event in its entity's queue of an ordered integration.
 */
export const publishOrderKey = (event: Pick<LoggedEvent, 'received_at' | 'position' | 'id'>): string =>
  `${event.received_at}#${String(event.position ?? 0).padStart(3, '0')}#${event.id}`;

/** The entity id of an event: the one given, else `payload.id` when it is a string that fits the rules. */
export const resolveEntityId = (
  entityId: string | undefined,
  payload: Record<string, unknown>,
): string | undefined => {
  if (entityId !== undefined) return entityId;
  const id = payload.id;
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ENTITY_ID_LENGTH ? id : undefined;
};

export const MAX_PAYLOAD_BYTES = 256 * 1024;
export const MAX_EVENTS_PER_REQUEST = 100;
export const MAX_INGEST_BODY_BYTES = 1024 * 1024;

/**
 * Whether an integration's filters let an event through: no filter passes everything; with both
 * filters, matching either is enough (as NewStore documents).
 */
export const passesFilters = (filters: FilterConditions | undefined, eventName: string): boolean => {
  const events = filters?.event_filter;
  const entities = filters?.entity_filter;
  if (!events && !entities) return true;
  return (events?.includes(eventName) ?? false) || (entities?.includes(entityOf(eventName)) ?? false);
};

/**
 * Partitions per tenant in the event log. Each publish request's events go to one of 8 partition keys,
 * so a steady stream of requests spreads evenly, far below a partition's 1,000 write units a second; a
 * time range is read by querying each shard's sort-key range and merging, 8 queries however sparse the
 * range is.
 */
export const EVENT_LOG_SHARDS = 8;

/** The shard of an event id: stable, evenly spread. */
export const shardOf = (eventId: string, shards = EVENT_LOG_SHARDS): number =>
  (createHash('sha1').update(eventId).digest()[0] ?? 0) % shards;

/**
 * The event log's shard of the events received at one instant (one publish request, which the API stamps
 * with one `received_at`): they are stored together, and found again from that instant alone.
 */
export const logShardOf = (receivedAt: string, shards = EVENT_LOG_SHARDS): number =>
  shardOf(receivedAt, shards);

/** Partition key of one shard of a tenant's event log. */
export const eventLogPartition = (tenant: string, shard: number): string => `${tenant}#${shard}`;

/**
 * Partition key of one entity's index items (`sk = {received_at}#{event id}`), in the event log table:
 * `#E#` keeps it apart from the log's own `{tenant}#{shard}` keys.
 */
export const entityIndexPartition = (tenant: string, entityId: string): string => `${tenant}#E#${entityId}`;
