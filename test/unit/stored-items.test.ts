import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  deliveryEntriesFromItem,
  integrationFromItem,
  loggedEventsFromChunk,
  publishRecordFromAttributes,
  publishRecordFromItem,
  StoredItemError,
} from '../../lambdas/adapters/dynamodb/stored-items.ts';

const integration = {
  pk: 'INTEGRATION',
  sk: 'erp-1',
  id: 'erp-1',
  status: 'running',
  integration_type: 'permanent',
  callback_parameters: { callback_url: 'https://erp.example.com/events', api_key: '****abcd' },
  created_at: '2026-11-01T00:00:00.000Z',
  updated_at: '2026-11-01T00:00:00.000Z',
  has_secrets: true,
  version: 3,
};

describe('stored items', () => {
  it('reads an integration item without its table keys', () => {
    const { pk: _pk, sk: _sk, ...expected } = integration;
    expect(integrationFromItem(integration)).toEqual(expected);
  });

  it('refuses an item of another shape, naming its key and the field at fault', () => {
    const { version: _, ...withoutVersion } = integration;
    expect(() => integrationFromItem(withoutVersion)).toThrow(StoredItemError);
    expect(() => integrationFromItem({ ...integration, status: 'paused' })).toThrow(
      /integration INTEGRATION \/ erp-1 does not fit: status: /,
    );
  });

  it('reads the events of an event log chunk, each with the chunk’s received_at', () => {
    const events = [
      {
        id: 'e-1',
        tenant: 'acme',
        name: 'order.created',
        published_at: '2026-11-01T00:00:00.000Z',
        payload: {},
      },
      {
        id: 'e-2',
        tenant: 'acme',
        name: 'order.updated',
        published_at: '2026-11-01T00:00:00.000Z',
        payload: { a: 1 },
      },
    ];
    const chunk = {
      pk: 'acme#3',
      sk: '2026-11-01T00:00:01.000Z#abc',
      received_at: '2026-11-01T00:00:01.000Z',
      events: gzipSync(JSON.stringify(events)),
      expires_at: 1_800_000_000,
    };
    expect(loggedEventsFromChunk(chunk)).toEqual(
      events.map((event) => ({ ...event, received_at: '2026-11-01T00:00:01.000Z' })),
    );
  });

  it('refuses a chunk that does not unzip, or holds events of another shape, naming its key', () => {
    const chunk = {
      pk: 'acme#3',
      sk: '2026-11-01T00:00:01.000Z#abc',
      received_at: '2026-11-01T00:00:01.000Z',
    };
    expect(() => loggedEventsFromChunk({ ...chunk, events: Buffer.from('not gzip') })).toThrow(
      /event chunk acme#3 \/ 2026-11-01T00:00:01.000Z#abc does not unzip/,
    );
    expect(() =>
      loggedEventsFromChunk({ ...chunk, events: gzipSync(JSON.stringify([{ id: 'e-1' }])) }),
    ).toThrow(/does not fit: 0\.tenant/);
  });

  it('reads delivery history entries gzipped, and as a list from items written before', () => {
    const entries = [
      {
        event_id: 'e-1',
        name: 'order.created',
        entity_id: 'o-1',
        status: 'delivered',
        attempt: { at: '2026-11-30T10:00:01.000Z', duration_ms: 40, status_code: 200 },
      },
    ];
    const key = { pk: 'erp-1@2026-11-01T00:00:00.000Z#3', sk: '2026-11-30T10:00:00.000Z#w1' };
    const received_at = '2026-11-30T10:00:00.000Z';
    const gz = { ...key, received_at, entries_gz: gzipSync(JSON.stringify(entries)) };
    expect(deliveryEntriesFromItem(gz)).toEqual({ received_at, entries });
    expect(deliveryEntriesFromItem({ ...key, received_at, entries })).toEqual({ received_at, entries });
    expect(() => deliveryEntriesFromItem({ ...gz, entries_gz: Buffer.from('not gzip') })).toThrow(
      /delivery history item erp-1@.*#3 \/ .*#w1 does not unzip/,
    );
    const wrong = gzipSync(JSON.stringify([{ ...entries[0], status: 'lost' }]));
    expect(() => deliveryEntriesFromItem({ ...gz, entries_gz: wrong })).toThrow(StoredItemError);
  });

  it('reads a publish request as stored or as a refused put hands it back, and refuses one without its ids', () => {
    const record = { body_hash: 'h', ids: ['a', 'b'], received_at: '2026-11-01T00:00:00.000Z' };
    expect(publishRecordFromItem({ pk: 'PUBLISH#key#k', sk: 'REQUEST', ...record, expires_at: 1 })).toEqual(
      record,
    );
    const attributes = {
      pk: { S: 'PUBLISH#key#k' },
      body_hash: { S: 'h' },
      ids: { L: [{ S: 'a' }, { S: 'b' }] },
      received_at: { S: record.received_at },
      expires_at: { N: '1' },
    };
    expect(publishRecordFromAttributes(attributes)).toEqual(record);
    const { ids: _, ...withoutIds } = attributes;
    expect(() => publishRecordFromAttributes(withoutIds)).toThrow(/PUBLISH#key#k.*ids/);
  });
});
