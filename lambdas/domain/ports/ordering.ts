import type { EntityQueueState } from '../entity-order.ts';

/** One entity's queue of one ordered integration (of one generation: a re-registered id starts afresh). */
export interface EntityQueueRef {
  integrationId: string;
  generation: string;
  entityId: string;
}

/** A queue that holds MAX_PENDING_KEYS already: the event goes unordered. */
export class EntityQueueFull extends Error {}

/** The queues of ordered integrations (see domain/entity-order.ts). */
export interface EntityQueues {
  /**
   * Adds keys to a queue (adding a key it holds changes nothing); before their messages are sent. Rejects
   * with EntityQueueFull when the queue holds MAX_PENDING_KEYS.
   */
  add(queue: EntityQueueRef, key: string): Promise<void>;
  /** The queue as the last finished write left it (a strongly consistent read). */
  get(queue: EntityQueueRef): Promise<EntityQueueState>;
  /**
   * Removes `key` (pending or dropped), its event finished (sent as `position`, if it was sent), and the claim
   * to send it; false when it was no longer there (another copy of the message finished it).
   */
  finish(queue: EntityQueueRef, key: string, position?: number): Promise<boolean>;
  /**
   * Claims the right to send `key` until `untilMs` for one delivery message (`holder`: the same SQS message
   * across its retries; a copy of it is another holder). False while another holder's claim runs, or when
   * the key is finished: two copies of a message never have the receiver at once, so a late copy cannot
   * arrive after the entity's next event.
   */
  claim(queue: EntityQueueRef, key: string, holder: string, untilMs: number, nowMs: number): Promise<boolean>;
  /** Ends `holder`'s claim on `key` early (its message goes back to the queue); nothing if it has none. */
  release(queue: EntityQueueRef, key: string, holder: string): Promise<void>;
  /** Takes out a key whose event never reached the log, noting it as dropped (see EntityQueueState). */
  drop(queue: EntityQueueRef, key: string): Promise<boolean>;
}
