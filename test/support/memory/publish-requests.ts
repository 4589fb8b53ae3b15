import type { PublishRecord, RequestKey } from '../../../lambdas/domain/idempotency.ts';
import type { PublishRequestStore } from '../../../lambdas/domain/ports/publish-requests.ts';

/**
 * Publish requests by key, as the DynamoDB adapter keeps them: a claim stores unless a record of the key
 * is still within its window at the claiming request's `received_at`, and answers the record that is.
 */
export class MemoryPublishRequestStore implements PublishRequestStore {
  readonly records = new Map<string, { record: PublishRecord; expiresAt: number }>();

  async claim(key: RequestKey, record: PublishRecord, expiresAt: Date): Promise<PublishRecord | undefined> {
    const id = `${key.kind}#${key.key}`;
    const existing = this.records.get(id);
    if (existing && existing.expiresAt > Date.parse(record.received_at))
      return structuredClone(existing.record);
    this.records.set(id, { record: structuredClone(record), expiresAt: expiresAt.getTime() });
    return undefined;
  }
}
