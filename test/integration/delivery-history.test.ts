import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDeliveryHistory } from '../../lambdas/adapters/dynamodb/delivery-history.ts';
import { queryAll } from '../../lambdas/adapters/dynamodb/partition.ts';
import type { DeliveryRecord, DeliveryStatus, Integration } from '../../lambdas/domain/integration.ts';
import { DELIVERY_HISTORY_SHARDS, type DeliveryEventRef } from '../../lambdas/domain/ports/deliveries.ts';
import { readMerged, type ShardCursor } from '../../lambdas/domain/sharded-merge.ts';
import { useEmulators } from '../support/local-runtime.ts';
import { webhookIntegration } from '../support/memory/fixtures.ts';

const emulators = useEmulators({ applyEnv: false });

const setUp = () => {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: emulators.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const tableName = emulators.env.DELIVERIES_TABLE_NAME as string;
  const history = new DynamoDeliveryHistory(client, tableName, 30, { now: () => new Date() });
  const integration: Integration = webhookIntegration({ id: `h-${randomUUID().slice(0, 8)}` });
  const items = async () =>
    (
      await Promise.all(
        Array.from({ length: DELIVERY_HISTORY_SHARDS }, (_, shard) =>
          queryAll(client, {
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `${integration.id}@${integration.created_at}#${shard}` },
          }),
        ),
      )
    ).flat();
  return { history, integration, items };
};

const publish = (at: number, count: number): DeliveryEventRef[] => {
  const receivedAt = new Date(Date.parse('2026-11-30T10:00:00.000Z') + at * 1000).toISOString();
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    name: i % 2 ? 'order.created' : 'return.created',
    received_at: receivedAt,
  }));
};

const attemptAt = (seconds: number, status_code = 200) => ({
  at: new Date(Date.parse('2026-11-30T11:00:00.000Z') + seconds * 1000).toISOString(),
  duration_ms: 12,
  status_code,
});

describe('delivery history written per batch', () => {
  it('keeps a batch of deliveries of one publish as one item, and merges attempts into records', async () => {
    const { history, integration, items } = setUp();
    const events = publish(0, 10);
    const batch = history.batch();
    for (const event of events) batch.record(integration, event, 'pending', attemptAt(0, 503));
    await batch.flush();
    // A second batch: all but one delivered, the last still failing.
    const second = history.batch();
    for (const [i, event] of events.entries()) {
      second.record(integration, event, i < 9 ? 'delivered' : 'pending', attemptAt(10, i < 9 ? 200 : 503));
    }
    await second.flush();
    await second.flush(); // nothing noted since: nothing written
    expect(await items()).toHaveLength(2);

    const first = await history.get(integration, events[0]?.received_at ?? '', events[0]?.id ?? '');
    expect(first).toMatchObject({ status: 'delivered', name: 'return.created' });
    expect(first?.attempts.map((attempt) => attempt.status_code)).toEqual([503, 200]);
    const last = events[9] as DeliveryEventRef;
    expect((await history.get(integration, last.received_at, last.id))?.status).toBe('pending');
    expect(await history.deliveredAmong(integration, events)).toEqual(
      new Set(events.slice(0, 9).map((event) => event.id)),
    );
  });

  it('lists records newest first across publishes and pages, filtered by status and name', async () => {
    const { history, integration } = setUp();
    const all: { event: DeliveryEventRef; status: DeliveryStatus }[] = [];
    for (let p = 0; p < 8; p++) {
      const events = publish(p, 6);
      // Each publish's deliveries in three batches of two.
      for (let b = 0; b < 3; b++) {
        const batch = history.batch();
        for (const event of events.slice(b * 2, b * 2 + 2)) {
          const status: DeliveryStatus = p % 3 === 0 ? 'rejected' : 'delivered';
          batch.record(integration, event, status, attemptAt(p, status === 'rejected' ? 400 : 200));
          all.push({ event, status });
        }
        await batch.flush();
      }
    }
    const key = ({ event }: { event: DeliveryEventRef }) => `${event.received_at}#${event.id}`;
    const expected = [...all].sort((a, b) => (key(a) < key(b) ? 1 : -1));
    const range = { from: '2026-11-30T00:00:00.000Z', to: '2026-11-30T23:00:00.000Z' };
    const list = async (query: { status?: DeliveryStatus; name?: string }, limit: number) => {
      const records: DeliveryRecord[] = [];
      let cursor: ShardCursor | undefined;
      do {
        const page = await readMerged(
          DELIVERY_HISTORY_SHARDS,
          (shard, after, max) => history.readShard(integration, shard, { ...range, ...query }, after, max),
          cursor,
          limit,
          true,
        );
        records.push(...page.items);
        cursor = page.cursor;
      } while (cursor);
      return records.map((record) => `${record.received_at}#${record.event_id}`);
    };
    // Query pages of one item: every publish spans several.
    expect(await list({}, 1)).toEqual(expected.map(key));
    expect(await list({ status: 'rejected', name: 'order.created' }, 2)).toEqual(
      expected.filter((d) => d.status === 'rejected' && d.event.name === 'order.created').map(key),
    );
  });

  it('says pending while a temporary delivery is queued, and not once its attempt ended it', async () => {
    const { history } = setUp();
    const temporary: Integration = {
      ...webhookIntegration({ id: `t-${randomUUID().slice(0, 8)}` }),
      integration_type: 'temporary',
    };
    const [event, other] = publish(100, 2) as [DeliveryEventRef, DeliveryEventRef];
    expect(await history.hasPending(temporary)).toBe(false);
    expect(await history.recordPending(temporary, event)).toBe(true);
    expect(await history.recordPending(temporary, other)).toBe(true);
    expect(await history.hasPending(temporary)).toBe(true);
    const batch = history.batch();
    batch.record(temporary, event, 'pending', attemptAt(0, 503));
    batch.record(temporary, other, 'delivered', attemptAt(0));
    // The same message twice in one batch (SQS may hand one out twice): ended twice, one marker to delete.
    batch.record(temporary, other, 'delivered', attemptAt(0));
    await batch.flush();
    expect(await history.hasPending(temporary)).toBe(true);
    await history.recordAttempt(temporary, event, 'failed', attemptAt(5, 503));
    expect(await history.hasPending(temporary)).toBe(false);
    // Routed again after its delivery: not queued, nothing pending.
    expect(await history.recordPending(temporary, other)).toBe(false);
    expect(await history.hasPending(temporary)).toBe(false);
  });
});
