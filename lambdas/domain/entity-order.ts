import { type LoggedEvent, publishOrderKey } from './event.ts';
import type { ReplayJob } from './ports/replays.ts';

/**
 * Ordered delivery per entity (`callback_parameters.ordering: "entity"`): the rules, free of storage.
 *
 * Each (integration, entity) has a queue in the state table: the publish-order keys of its events that were
 * queued for the integration and are not finished (delivered, rejected or failed for good), and the position
 * in the entity's stream of the last one finished. Keys are added before a delivery message exists (by the
 * fan-out, replays and catch-ups, even while the integration is stopped), so a message can tell from one
 * read whether an older event of its entity is still on its way: only the oldest key of a queue is sent.
 * SQS hands messages out in any order; the queue, not the order of messages, decides.
 */

/** What ordering needs of one entity's queue. */
export interface EntityQueueState {
  /** Publish-order keys queued and not finished, oldest first. */
  pending: string[];
  /** Position in the entity's stream of the last event finished (0 before the first). */
  lastPosition: number;
  /**
   * Keys taken out because their event had not reached the log (UNLOGGED_KEY_MS): such an event that comes
   * after all is sent when it comes, out of order, instead of being taken for finished.
   */
  dropped: string[];
}

/** Most keys an entity's queue holds: its item stays far below DynamoDB's 400 KB (and its write units bounded). */
export const MAX_PENDING_KEYS = 2000;

/** The order a delivery message carries when its key was queued: its entity and its place. */
export interface MessageOrder {
  entity_id: string;
  key: string;
}

/** The key of an event in its entity's queue: its publish order, then its name (filters may drop it later). */
export const entityQueueKey = (
  event: Pick<LoggedEvent, 'received_at' | 'position' | 'id' | 'name'>,
): string => `${publishOrderKey(event)}#${event.name}`;

/** When the event of a key was received. */
export const receivedAtOfKey = (key: string): string => key.slice(0, key.indexOf('#'));
const nameOf = (key: string): string => key.slice(key.lastIndexOf('#') + 1);

/** What a message of an ordered integration may do now. */
export type OrderTurn =
  /** Its event is the oldest of its entity still to go: send it, as this position in the entity's stream. */
  | { go: true; position: number }
  /**
   * An older event of its entity is still on its way: `head`, the oldest key still to go (absent when what
   * holds the message back is a replay in progress).
   */
  | { go: false; finished: false; head?: string }
  /** Its key is no longer queued: finished by an earlier copy of the message. */
  | { go: false; finished: true };

/**
 * Whether the message with `key` may be sent. Keys that can no longer come (received before the retention
 * window, or of an event the integration's filters now leave out) do not hold anyone back.
 */
export const orderTurn = (
  state: EntityQueueState,
  key: string,
  stillComing: { windowStart: string; wantsName: (name: string) => boolean },
): OrderTurn => {
  if (!state.pending.includes(key))
    return state.dropped.includes(key)
      ? { go: true, position: state.lastPosition + 1 }
      : { go: false, finished: true };
  const head = state.pending.find(
    (pending) =>
      pending === key ||
      (receivedAtOfKey(pending) >= stillComing.windowStart && stillComing.wantsName(nameOf(pending))),
  );
  // `key` itself is pending, so there is a head.
  if (head === undefined || head === key) return { go: true, position: state.lastPosition + 1 };
  return { go: false, finished: false, head };
};

/** The event id in a queue key. */
export const eventIdOfKey = (key: string): string => key.split('#')[2] ?? key;

/**
 * How long a key may hold its entity back without its event in the log: the ingest API places keys before it
 * queues the events, so a publish whose queueing failed (answered 5xx) and that the producer never repeats
 * leaves a key no message will ever finish. Logging takes seconds; a key this old whose event is not in the
 * log is dropped.
 */
export const UNLOGGED_KEY_MS = 15 * 60_000;

/**
 * Whether a replay (a catch-up, a temporary integration's range) may still queue an event older than `key`:
 * until it completes, a message from its range or after it waits, so no live event overtakes an older
 * event of its entity that the replay has yet to read (it reads shard by shard, not in time order).
 */
export const replayHoldsBack = (job: ReplayJob, key: string): boolean =>
  job.completed_at === undefined && key >= ([job.from, job.range_from].sort()[0] ?? job.from);
