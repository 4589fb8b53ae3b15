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
   * Removes `key` (pending or dropped), its event finished (sent as `position`, if it was sent); false when it
   * was no longer there (another copy of the message finished it).
   */
  finish(queue: EntityQueueRef, key: string, position?: number): Promise<boolean>;
  /** Takes out a key whose event never reached the log, noting it as dropped (see EntityQueueState). */
  drop(queue: EntityQueueRef, key: string): Promise<boolean>;
}
