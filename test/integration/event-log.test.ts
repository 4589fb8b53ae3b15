import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoEventLog } from '../../lambdas/adapters/dynamodb/event-log.ts';
import { putAll, queryAll } from '../../lambdas/adapters/dynamodb/partition.ts';
import { eventLogKey, type LoggedEvent } from '../../lambdas/domain/event.ts';
import { useEmulators } from '../support/local-runtime.ts';

const emulators = useEmulators({ applyEnv: false });

const documents = () =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: emulators.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );

const event = (id: string, receivedAt: string): LoggedEvent => ({
  id,
  tenant: 'acme',
  name: 'order.created',
  published_at: receivedAt,
  payload: { id },
  received_at: receivedAt,
});

describe('event log', () => {
  it('writes events in batches and reads them back, the same write twice being one item', async () => {
    const clock = { now: () => new Date() };
    const log = new DynamoEventLog(
      documents(),
      emulators.env.EVENT_LOG_TABLE_NAME as string,
      'acme',
      30,
      clock,
    );
    const receivedAt = new Date().toISOString();
    const events = Array.from({ length: 60 }, (_, i) =>
      event(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, receivedAt),
    );
    await Promise.all([...events, events[0] as LoggedEvent].map((e) => log.put(e)));
    const read = await Promise.all(events.map((e) => log.get(e.received_at, e.id)));
    expect(read).toEqual(events);
    expect(await log.get(receivedAt, 'missing')).toBeUndefined();
  });

  it('never returns an event past its retention, though TTL has not deleted it yet', async () => {
    const tableName = emulators.env.EVENT_LOG_TABLE_NAME as string;
    const client = documents();
    const old = event('11111111-1111-4111-8111-111111111111', '2026-09-01T00:00:00.000Z');
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...eventLogKey('acme', old.received_at, old.id),
          ...old,
          expires_at: Math.floor(Date.parse(old.received_at) / 1000) + 30 * 86_400,
        },
      }),
    );
    const at = (iso: string) =>
      new DynamoEventLog(client, tableName, 'acme', 30, { now: () => new Date(iso) });
    expect(await at('2026-09-20T00:00:00.000Z').get(old.received_at, old.id)).toEqual(old);
    expect(await at('2026-10-02T00:00:00.000Z').get(old.received_at, old.id)).toBeUndefined();
  });
});

describe('partition reads', () => {
  it('queryAll returns every item of a query, page after page', async () => {
    const client = documents();
    const table = emulators.env.STATE_TABLE_NAME as string;
    const pk = `PAGING#${randomUUID()}`;
    await putAll(
      client,
      table,
      Array.from({ length: 5 }, (_, i) => ({ pk, sk: `ITEM#${i}`, n: i })),
    );
    // Two items a page: three pages.
    const items = await queryAll(client, {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      Limit: 2,
    });
    expect(items.map((item) => item.n)).toEqual([0, 1, 2, 3, 4]);
  });
});
