import { describe, expect, it } from 'vitest';
import { destinationOf, integrationRow, rateLimitText } from '../../cli/integrations.ts';

describe('event-stream integrations: webhook options', () => {
  it('sends --ordering and the rate limit in callback_parameters', () => {
    expect(
      destinationOf({
        url: 'https://erp.example.com/events',
        ordering: 'entity',
        ratePerSecond: 5,
        maxInFlight: 2,
      }),
    ).toEqual({
      callback_parameters: {
        callback_url: 'https://erp.example.com/events',
        rate_limit: { per_second: 5, max_in_flight: 2 },
        ordering: 'entity',
      },
    });
    expect(destinationOf({ url: 'https://erp.example.com/events', ordering: 'none' })).toEqual({
      callback_parameters: { callback_url: 'https://erp.example.com/events', ordering: 'none' },
    });
  });

  it('refuses webhook options without --url rather than dropping them', () => {
    expect(() => destinationOf({ ordering: 'entity' })).toThrow(/^--ordering needs --url/);
    expect(() => destinationOf({ ratePerSecond: 5, maxInFlight: 2 })).toThrow(
      /^--rate-per-second, --max-in-flight need --url/,
    );
  });

  it('lists ordering and rate limit as columns of a webhook integration', () => {
    const row = integrationRow({
      id: 'erp-1',
      callback_parameters: {
        callback_url: 'https://erp.example.com/events',
        ordering: 'entity',
        rate_limit: { per_second: 5, max_in_flight: 2 },
      },
    });
    expect(row).toMatchObject({ ordering: 'entity', rate_limit: '5/s, 2 in flight' });
    expect(integrationRow({ callback_parameters: { callback_url: 'https://x.example.com' } })).toMatchObject({
      ordering: 'none',
      rate_limit: 'none',
    });
    const s3 = integrationRow({ s3_parameters: { bucket: 'b', key_prefix: 'p' } });
    expect(s3.ordering).toBeUndefined();
    expect(rateLimitText({ max_in_flight: 3 })).toBe('3 in flight');
  });
});
