import type { PublishRecord, RequestKey } from '../idempotency.ts';

/** Publish requests remembered by their key for the idempotency window: one item per request. */
export interface PublishRequestStore {
  /**
   * Stores `record` under `key` until `expiresAt`, unless a record of that key is still there (one whose
   * window had not ended at `record.received_at`): resolves to undefined when this one was stored, else to
   * the one that was there.
   * Atomic: of two requests with one key, one stores and the other gets its record.
   */
  claim(key: RequestKey, record: PublishRecord, expiresAt: Date): Promise<PublishRecord | undefined>;
}
