import type { LoggedEvent } from '../event.ts';
import type { ShardCursor, ShardPage } from '../sharded-merge.ts';

/** The 30-day event log, as the use cases see it. */

/** A time range of the event log (by `received_at`, inclusive), optionally filtered. */
export interface EventRangeQuery {
  from: string;
  to: string;
  name?: string;
  entity?: string;
  entityId?: string;
  /** Default true; false leaves payloads out of the read. */
  includePayload?: boolean;
  /**
   * A strongly consistent read: sees every write that completed before it. Replays need it (see FanOut);
   * it costs twice the read units.
   */
  consistent?: boolean;
  descending?: boolean;
}

/** Writes the 30-day event log: the fan-out alone does. */
export interface EventLogWriter {
  /**
   * Writes an event; writing the same event again (same id and received_at) changes nothing a reader
   * sees. Resolves to the id of the chunk it went into: handed to `get`, it makes the read one item.
   */
  put(event: LoggedEvent): Promise<string>;
}

/** The 30-day event log. */
export interface EventLogStore {
  /**
   * The event, or undefined when it is not there or has expired (TTL deletes late). Without its chunk id,
   * the read covers every event received at that instant (one publish request).
   */
  get(receivedAt: string, eventId: string, chunk?: string): Promise<LoggedEvent | undefined>;
  /** One page of one shard of a range (expired events left out). */
  readShard(
    shard: number,
    query: EventRangeQuery,
    afterSk: string | undefined,
    limit: number,
  ): Promise<ShardPage<LoggedEvent>>;
  /**
   * Whether any event received in `[from, to)` is still stored, expired or not: tells a catch-up whether
   * the part of its range that left the window held anything (TTL deletes days late, so it usually does
   * when there was something).
   */
  hasEventsReceivedBetween(from: string, to: string): Promise<boolean>;
}

/** A page of the events about one entity, and the cursor to go on from (undefined when done). */
export interface EntityEventsPage {
  items: LoggedEvent[];
  cursor?: ShardCursor;
}

/**
 * The events about one entity (`entity_id`) in a range, a page at a time: "what happened to order X".
 * Served by the entity index where the deployment keeps one, else by reading the range and filtering.
 */
export interface EntityEvents {
  page(
    entityId: string,
    query: Omit<EventRangeQuery, 'entityId' | 'consistent'>,
    cursor: ShardCursor | undefined,
    limit: number,
  ): Promise<EntityEventsPage>;
  /** Whether a page reads an index (cheap over any range) rather than the range itself. */
  readonly indexed: boolean;
}

/**
 * Which instant first published each event id, for deployments that deduplicate producer ids across
 * publish requests (context `dedupEventIds`): one record per claimed id for the event window.
 */
export interface EventIdClaims {
  /**
   * Claims `eventId` for the publish received at `receivedAt`: true when it is the first (or that same
   * publish again: a message handed out twice, a copy queued by an idempotent repeat), false when another
   * publish had it, whose event must then be neither logged nor delivered again.
   */
  claim(eventId: string, receivedAt: string): Promise<boolean>;
}
