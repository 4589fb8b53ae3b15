import { describe, expect, it } from 'vitest';
import { backoffMs, chunk, parseEventsFile } from '../../cli/events.ts';

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
