import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
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
