import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DynamoPublishRequestStore } from '../../lambdas/adapters/dynamodb/publish-request-store.ts';
import type { PublishRecord, RequestKey } from '../../lambdas/domain/idempotency.ts';
import { localDocumentClient } from '../support/aws-clients.ts';
import { useEmulators } from '../support/local-runtime.ts';

const emulators = useEmulators({ applyEnv: false });

const store = () =>
  new DynamoPublishRequestStore(
    localDocumentClient(emulators.endpoints.dynamodb),
    emulators.env.STATE_TABLE_NAME as string,
  );

const DAY_MS = 86_400_000;
// Instants from now on (DynamoDB Local's TTL sweep removes items whose `expires_at` has passed), each test's
// from one base so that its offsets are exact.
const instants = () => {
  const base = Math.floor(Date.now() / 1000) * 1000;
  return (offsetMs = 0): string => new Date(base + offsetMs).toISOString();
};
const record = (receivedAt: string): PublishRecord => ({
  body_hash: randomUUID(),
  ids: [randomUUID(), randomUUID()],
  received_at: receivedAt,
});
const dayAfter = (at: string) => new Date(Date.parse(at) + DAY_MS);

describe('publish request store', () => {
  it('stores a key once: of concurrent claims one stores, the others get its record', async () => {
    const requests = store();
    const key: RequestKey = { kind: 'explicit', key: `k-${randomUUID()}` };
    const at = instants()();
    const claims = [record(at), record(at), record(at)];
    const answers = await Promise.all(claims.map((claim) => requests.claim(key, claim, dayAfter(at))));
    const stored = claims.filter((_, index) => answers[index] === undefined);
    expect(stored).toHaveLength(1);
    for (const answer of answers.filter((answer) => answer !== undefined)) expect(answer).toEqual(stored[0]);
  });

  it('takes a key over once its window ended, even before TTL deleted the item', async () => {
    const requests = store();
    const key: RequestKey = { kind: 'implicit', key: randomUUID() };
    const instant = instants();
    const first = record(instant());
    await requests.claim(key, first, dayAfter(first.received_at));
    const within = record(instant(DAY_MS - 1000));
    expect(await requests.claim(key, within, dayAfter(within.received_at))).toEqual(first);
    const after = record(instant(DAY_MS));
    expect(await requests.claim(key, after, dayAfter(after.received_at))).toBeUndefined();
    expect(await requests.claim(key, within, dayAfter(within.received_at))).toEqual(after);
  });

  it('keeps a producer key and a key by ids apart, even when they are the same text', async () => {
    const requests = store();
    const text = randomUUID();
    const at = instants()();
    expect(await requests.claim({ kind: 'explicit', key: text }, record(at), dayAfter(at))).toBeUndefined();
    expect(await requests.claim({ kind: 'implicit', key: text }, record(at), dayAfter(at))).toBeUndefined();
  });
});
