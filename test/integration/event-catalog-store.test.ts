import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoEventCatalogStore } from '../../lambdas/adapters/dynamodb/event-catalog-store.ts';
import { parsePayloadSchema } from '../../lambdas/domain/payload-schema.ts';
import { useEmulators } from '../support/local-runtime.ts';
import { MemoryClock } from '../support/memory/platform.ts';

const emulators = useEmulators({ applyEnv: false });
const DAY_MS = 86_400_000;

const setUp = () => {
  const clock = new MemoryClock('2026-11-30T12:00:00.000Z');
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: emulators.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const store = new DynamoEventCatalogStore(documents, emulators.env.STATE_TABLE_NAME as string, 30, clock);
  return { clock, store };
};

let counter = 0;
const uniqueName = () => `catalog${process.pid}x${counter++}.created`;
const at = (clock: MemoryClock, offsetMs = 0) => new Date(clock.now().getTime() + offsetMs).toISOString();

describe('the event catalog in DynamoDB', () => {
  it('keeps first_seen, moves last_seen forward only, and starts afresh after the window', async () => {
    const { clock, store } = setUp();
    const name = uniqueName();
    const seenOf = async () => (await store.list()).seen.find((seen) => seen.name === name);

    await store.note([{ name, first: at(clock), last: at(clock, 1000) }]);
    expect(await seenOf()).toEqual({ name, first_seen: at(clock), last_seen: at(clock, 1000) });

    // A late batch (an older sighting) moves nothing back; a later one moves last_seen only.
    await store.note([{ name, first: at(clock, -5000), last: at(clock, 500) }]);
    await store.note([{ name, first: at(clock, 60_000), last: at(clock, 61_000) }]);
    expect(await seenOf()).toEqual({ name, first_seen: at(clock), last_seen: at(clock, 61_000) });

    clock.advance(31 * DAY_MS);
    await store.note([{ name, first: at(clock), last: at(clock) }]);
    expect(await seenOf()).toEqual({ name, first_seen: at(clock), last_seen: at(clock) });
  });

  it('keeps a schema per name, reads several in one call, and lists names and versions', async () => {
    const { clock, store } = setUp();
    const [a, b, unseen] = [uniqueName(), uniqueName(), uniqueName()];
    const schemaOf = async (name: string, required: string[]) => ({
      name,
      ...(await parsePayloadSchema({ type: 'object', required })),
      updated_at: clock.now().toISOString(),
    });
    await store.putSchema(await schemaOf(a, ['id']));
    await store.putSchema(await schemaOf(b, ['sku']));

    expect(await store.getSchema(a)).toEqual(await schemaOf(a, ['id']));
    const found = await store.schemasOf([a, b, unseen]);
    expect([...found.keys()].sort()).toEqual([a, b].sort());
    expect(JSON.parse(found.get(b)?.json ?? '')).toEqual({ type: 'object', required: ['sku'] });
    expect((await store.list()).schemas).toEqual(
      expect.arrayContaining([{ name: a, version: (await schemaOf(a, ['id'])).version }]),
    );

    expect(await store.deleteSchema(a)).toBe(true);
    expect(await store.deleteSchema(a)).toBe(false);
    expect(await store.getSchema(a)).toBeUndefined();
    expect((await store.list()).schemas.map((schema) => schema.name)).not.toContain(a);
  });
});
