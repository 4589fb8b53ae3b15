import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  classifyResponse,
  FRESH_MESSAGE_MS,
  mayRepeatDelivery,
  parseRetryAfter,
  retryDelaySeconds,
} from '../../lambdas/domain/delivery-rules.ts';
import { EVENT_LOG_SHARDS, logShardOf, passesFilters } from '../../lambdas/domain/event.ts';
import { activeSigningSecrets } from '../../lambdas/domain/secrets.ts';
import { newSigningSecret, signatureHeaders } from '../../lambdas/domain/webhook-signature.ts';
import { INGEST_QUEUE } from '../../lib/resource-definitions.ts';

describe('receiver answers', () => {
  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [400, 'rejected'],
    [410, 'gone'],
    [301, 'retry'],
    [302, 'retry'],
    [401, 'retry'],
    [404, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
  ])('HTTP %i → %s', (status, kind) => {
    expect(classifyResponse(status, '').kind).toBe(kind);
  });

  it('names the reason as NewStore logs it', () => {
    const outcome = classifyResponse(429, '', '30');
    expect(outcome).toEqual({
      kind: 'retry',
      status: 429,
      reason: 'too many requests (HTTP status code 429)',
      retryAfterSeconds: 30,
    });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-11-22T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Sun, 22 Nov 2026 12:05:00 GMT', now)).toBe(300);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('retry delays', () => {
  const middle = () => 0.5;

  it('follows about 10 s, 1 min, 5 min, 15 min, 1 h, then every 2 h', () => {
    expect(
      [1, 2, 3, 4, 5, 6, 7, 20].map((attempt) => retryDelaySeconds(attempt, undefined, undefined, middle)),
    ).toEqual([10, 60, 300, 900, 3600, 7200, 7200, 7200]);
  });

  it('jitters each step by at most 20 %', () => {
    expect(retryDelaySeconds(2, undefined, undefined, () => 0)).toBe(48);
    expect(retryDelaySeconds(2, undefined, undefined, () => 0.999_999)).toBe(72);
  });

  it('honours Retry-After between the step and twice the step', () => {
    expect(retryDelaySeconds(2, 90, undefined, middle)).toBe(90);
    expect(retryDelaySeconds(2, 5, undefined, middle)).toBe(60);
    expect(retryDelaySeconds(2, 86_400, undefined, middle)).toBe(120);
  });

  it('never asks SQS for more than its 12-hour visibility limit', () => {
    expect(retryDelaySeconds(1, undefined, [50_000], middle)).toBe(43_200);
  });
});

describe('filters', () => {
  it('passes everything without filters, and the union of both filters', () => {
    expect(passesFilters(undefined, 'order.created')).toBe(true);
    const both = { event_filter: ['order.created'], entity_filter: ['return'] };
    expect(passesFilters(both, 'order.created')).toBe(true);
    expect(passesFilters(both, 'return.completed')).toBe(true);
    expect(passesFilters(both, 'order.cancelled')).toBe(false);
    expect(
      passesFilters({ entity_filter: ['fulfillment_request'] }, 'fulfillment_request.items_completed'),
    ).toBe(true);
    expect(passesFilters({ event_filter: ['order.created'] }, 'order.created.v2')).toBe(false);
  });
});

describe('event log shards', () => {
  it('spreads publishes (instants) over every shard, each instant always to the same one', () => {
    const instants = Array.from({ length: 200 }, (_, i) =>
      new Date(Date.UTC(2026, 10, 22, 12, 0, 0, i)).toISOString(),
    );
    expect(new Set(instants.map((instant) => logShardOf(instant))).size).toBe(EVENT_LOG_SHARDS);
    for (const instant of instants) expect(logShardOf(instant)).toBe(logShardOf(instant));
  });
});

describe('Standard Webhooks signatures', () => {
  const body = JSON.stringify({ id: 'e1', name: 'order.created' });

  it('verify with the standardwebhooks library', () => {
    const secret = newSigningSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders([secret], 'e1', timestamp, body);
    expect(headers['webhook-id']).toBe('e1');
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
  });

  it('sign with both secrets while a rotation overlaps, so either verifies', () => {
    const [oldSecret, newSecret] = [newSigningSecret(), newSigningSecret()];
    const now = new Date();
    const active = activeSigningSecrets(
      {
        signing_secret: newSecret,
        previous_signing_secret: oldSecret,
        previous_signing_secret_expires_at: new Date(now.getTime() + 60_000).toISOString(),
      },
      now,
    );
    const headers = signatureHeaders(active, 'e2', Math.floor(now.getTime() / 1000), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(oldSecret).verify(body, headers)).toBeTruthy();
    expect(new Webhook(newSecret).verify(body, headers)).toBeTruthy();
    const later = new Date(now.getTime() + 120_000);
    expect(
      activeSigningSecrets(
        {
          signing_secret: newSecret,
          previous_signing_secret: oldSecret,
          previous_signing_secret_expires_at: new Date(now.getTime() + 60_000).toISOString(),
        },
        later,
      ),
    ).toEqual([newSecret]);
  });
});

describe('which delivery messages may repeat a delivery', () => {
  const receivedAt = '2026-11-30T12:00:00.000Z';
  const sent = (ms: number) => new Date(Date.parse(receivedAt) + ms);
  it('a fresh first receive cannot; a redelivery, a late or replayed message may', () => {
    expect(mayRepeatDelivery(1, sent(300), receivedAt)).toBe(false);
    expect(mayRepeatDelivery(2, sent(300), receivedAt)).toBe(true);
    expect(mayRepeatDelivery(1, sent(FRESH_MESSAGE_MS), receivedAt)).toBe(true);
  });

  it('holds only while a second fan-out run comes later than a fresh message can', () => {
    expect(INGEST_QUEUE.visibilityTimeoutSeconds * 1000).toBeGreaterThan(10 * FRESH_MESSAGE_MS);
  });
});
