import { describe, expect, it } from 'vitest';
import { backoffMs, chunk, parseEventsFile, requestKeys } from '../../cli/events.ts';

describe('event-stream events publish', () => {
  it('reads a JSON array or NDJSON, blank lines skipped', () => {
    const events = [
      { name: 'order.created', payload: {} },
      { name: 'order.updated', payload: { a: 1 } },
    ];
    expect(parseEventsFile(JSON.stringify(events), 'f')).toEqual(events);
    expect(parseEventsFile(`${JSON.stringify(events[0])}\n\n${JSON.stringify(events[1])}\n`, 'f')).toEqual(
      events,
    );
  });

  it('reads the API’s own publish body, on one line or pretty-printed, and a single event', () => {
    const events = [
      { name: 'order.created', entity_id: 'ORD-1', payload: {} },
      { name: 'order.updated', entity_id: 'ORD-1', payload: { a: 1 } },
    ];
    expect(parseEventsFile(JSON.stringify({ events }), 'f')).toEqual(events);
    expect(parseEventsFile(JSON.stringify({ events }, null, 2), 'f')).toEqual(events);
    expect(parseEventsFile(JSON.stringify(events[0]), 'f')).toEqual([events[0]]);
  });

  it('names the line that is not JSON', () => {
    expect(() => parseEventsFile('{"name":"a.b","payload":{}}\n{oops', 'events.ndjson')).toThrow(
      /^events\.ndjson:2: not JSON/,
    );
  });

  it('sends at most 100 events per request', () => {
    const sizes = chunk(
      Array.from({ length: 250 }, (_, n) => n),
      100,
    ).map((batch) => batch.length);
    expect(sizes).toEqual([100, 100, 50]);
  });

  it('waits as Retry-After says, else backs off exponentially with jitter, capped', () => {
    expect(backoffMs(0, '3')).toBe(3000);
    expect(backoffMs(2, null, () => 1)).toBe(2000);
    expect(backoffMs(2, null, () => 0.5)).toBe(1000);
    expect(backoffMs(20, null, () => 1)).toBe(20_000);
  });
});

describe('event-stream events publish: Idempotency-Key per request', () => {
  const anonymous = { name: 'order.created', payload: {} };
  const identified = { id: '4b0f7d0e-8f5a-4c1e-9a1b-2f3c4d5e6f70', ...anonymous };

  it('keys every request of a run with one random key, suffixed per request when there are several', () => {
    expect(requestKeys([[anonymous]], undefined, () => 'r1')).toEqual({ base: 'cli-r1', keys: ['cli-r1'] });
    expect(requestKeys([[anonymous], [anonymous]], undefined, () => 'r1').keys).toEqual([
      'cli-r1-1',
      'cli-r1-2',
    ]);
  });

  it('uses the given key, and leaves requests whose events all carry ids to the API’s key by ids', () => {
    expect(requestKeys([[anonymous], [identified]], 'import-42').keys).toEqual(['import-42-1', undefined]);
    expect(requestKeys([[identified]], undefined).keys).toEqual([undefined]);
  });

  it('refuses a key the API would refuse', () => {
    expect(() => requestKeys([[anonymous]], 'ключ')).toThrow(/^--idempotency-key/);
    expect(() => requestKeys([[anonymous], [anonymous]], 'k'.repeat(254))).toThrow(/^--idempotency-key/);
  });
});
