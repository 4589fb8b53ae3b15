import { describe, expect, it } from 'vitest';
import {
  integrationFromItem,
  loggedEventFromItem,
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

  it('reads a logged event read without its payload as one with an empty payload', () => {
    const event = {
      pk: 'acme#3',
      sk: '2026-11-01T00:00:00.000Z#e-1',
      id: 'e-1',
      tenant: 'acme',
      name: 'order.created',
      published_at: '2026-11-01T00:00:00.000Z',
      received_at: '2026-11-01T00:00:00.000Z',
      expires_at: 1_800_000_000,
    };
    expect(loggedEventFromItem(event)).toEqual({
      id: 'e-1',
      tenant: 'acme',
      name: 'order.created',
      published_at: '2026-11-01T00:00:00.000Z',
      payload: {},
      received_at: '2026-11-01T00:00:00.000Z',
    });
  });
});
