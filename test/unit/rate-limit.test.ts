import { describe, expect, it } from 'vitest';
import {
  admit,
  currentState,
  JITTER_ALLOWANCE_MS,
  LEASE_MS,
  type RateLimit,
  type RateState,
  release,
  SEND_TOLERANCE_MS,
  throttle,
} from '../../lambdas/domain/rate-limit.ts';

const GENERATION = '2026-11-01T00:00:00.000Z';
const T0 = Date.parse('2026-11-30T12:00:00.000Z');
const fresh = (limit: RateLimit) => currentState(undefined, limit, GENERATION);

/** Slot times of a grant. */
const slots = (grant: { granted: number; first_slot_at: number; interval_ms: number }) =>
  Array.from({ length: grant.granted }, (_, i) => grant.first_slot_at + i * grant.interval_ms);

describe('rate limit arithmetic', () => {
  it('paces slots 1/rate apart, so no one-second window holds more than per_second of them', () => {
    const limit = { per_second: 10 };
    let state: RateState = fresh(limit);
    const taken: number[] = [];
    // Batches of 10 asking every 250 ms for 5 s.
    for (let now = T0; now < T0 + 5000; now += 250) {
      const result = admit(state, limit, 10, `lease-${now}`, now);
      state = result.state;
      taken.push(...slots(result.grant));
      if (result.grant.granted < 10) expect(result.grant.retry_at).toBeGreaterThan(now);
    }
    taken.sort((a, b) => a - b);
    for (const start of taken) {
      expect(taken.filter((at) => at >= start && at < start + 1000).length).toBeLessThanOrEqual(10);
    }
    expect(taken.length).toBeGreaterThanOrEqual(50);
  });

  it('leaves room in each second for a request sent late within its tolerance and for network jitter', () => {
    const limit = { per_second: 5 };
    let state: RateState = fresh(limit);
    const taken: number[] = [];
    for (let now = T0; now < T0 + 5000; now += 100) {
      const result = admit(state, limit, 10, `lease-${now}`, now);
      state = result.state;
      taken.push(...slots(result.grant));
    }
    // Worst case at the receiver: every other request leaves at the end of its tolerance and arrives with
    // the most jitter the allowance leaves; the others leave and arrive on time.
    const arrivals = taken.map((at, i) => (i % 2 ? at : at + JITTER_ALLOWANCE_MS)).sort((a, b) => a - b);
    for (const start of arrivals) {
      expect(arrivals.filter((at) => at >= start && at < start + 1000).length).toBeLessThanOrEqual(5);
    }
    expect(SEND_TOLERANCE_MS).toBeLessThan(JITTER_ALLOWANCE_MS);
  });

  it('leases at most max_in_flight lanes; a released or expired lease gives them back', () => {
    const limit = { max_in_flight: 3 };
    const first = admit(fresh(limit), limit, 10, 'a', T0);
    expect(first.grant).toMatchObject({ granted: 10, lanes: 3 });
    const second = admit(first.state, limit, 10, 'b', T0);
    expect(second.grant).toMatchObject({ granted: 0, lanes: 0 });
    const released = release(second.state, limit, 'a', 10, T0 + 10).state;
    expect(admit(released, limit, 2, 'c', T0 + 10).grant).toMatchObject({ granted: 2, lanes: 2 });
    // A crashed process never releases: its lease expires.
    expect(admit(first.state, limit, 10, 'd', T0 + LEASE_MS + 1).grant.lanes).toBe(3);
  });

  it('a 429 pauses until its Retry-After and halves the rate once per pause, not below 1/s', () => {
    const limit = { per_second: 10 };
    const paused = throttle(fresh(limit), T0 + 5000, T0);
    expect(paused.state).toMatchObject({ rate: 5, paused_until: T0 + 5000 });
    expect(paused.change).toMatchObject({ from: 10, to: 5 });
    expect(throttle(paused.state, T0 + 6000, T0 + 10).state.rate).toBe(5);
    expect(admit(paused.state, limit, 10, 'a', T0 + 4999).grant).toMatchObject({
      granted: 0,
      retry_at: T0 + 5000,
    });
    expect(admit(paused.state, limit, 10, 'a', T0 + 5000).grant.first_slot_at).toBe(T0 + 5000);
    let state = fresh({ per_second: 1 });
    state = throttle(state, T0 + 1000, T0).state;
    expect(state.rate).toBe(1);
  });

  it('raises the rate by 1/s for every rate successes after a pause, up to the limit', () => {
    const limit = { per_second: 8 };
    let state = throttle(fresh(limit), T0 + 1000, T0).state;
    expect(state.rate).toBe(4);
    const rates: number[] = [];
    for (let second = 1; state.rate !== undefined && state.rate < 8; second++) {
      state = release(state, limit, 'x', state.rate, T0 + second * 1000).state;
      rates.push(state.rate ?? 0);
    }
    expect(rates).toEqual([5, 6, 7, 8]);
    expect(release(state, limit, 'x', 100, T0 + 10_000).state.rate).toBe(8);
  });

  it('starts afresh when the limit changed (PATCH) or the id was registered anew', () => {
    const throttled = throttle(fresh({ per_second: 10 }), T0 + 1000, T0).state;
    expect(currentState(throttled, { per_second: 20 }, GENERATION).rate).toBe(20);
    expect(currentState(throttled, { per_second: 10 }, '2026-11-30T00:00:00.000Z')).toMatchObject({
      rate: 10,
      leases: {},
    });
    expect(currentState(throttled, { per_second: 10 }, GENERATION)).toBe(throttled);
  });
});
