import { describe, expect, it } from 'vitest';
import { breakerSettingsFor, CircuitBreakers } from '../../lambdas/domain/circuit-breaker.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, seconds));
const settings = breakerSettingsFor([10, 60, 300]);
const THRESHOLD = settings.failureThreshold;
/** Fails `a` THRESHOLD times at second `second`: the last one opens it. */
const failAll = (breakers: CircuitBreakers, second = 0, times = THRESHOLD) => {
  let transition: 'opened' | undefined;
  for (let n = 0; n < times; n++) transition = breakers.failed('a', at(second), false, 'timeout');
  return transition;
};

describe('CircuitBreakers', () => {
  it('opens after ten consecutive failures, and only then', () => {
    const breakers = new CircuitBreakers(settings);
    expect(THRESHOLD).toBe(10);
    expect(failAll(breakers, 0, THRESHOLD - 1)).toBeUndefined();
    // A success in between starts the count again.
    expect(breakers.succeeded('a')).toBeUndefined();
    expect(failAll(breakers, 2, THRESHOLD - 1)).toBeUndefined();
    expect(breakers.admit('a', at(3))).toEqual({ send: true, trial: false });
    expect(breakers.failed('a', at(4), false, 'timeout')).toBe('opened');
    expect(breakers.admit('a', at(5))).toEqual({ send: false, until: at(34), lastFailure: 'timeout' });
    // Another integration is not held back.
    expect(breakers.admit('b', at(5))).toEqual({ send: true, trial: false });
  });

  it('stays closed for a receiver that fails now and then', () => {
    const breakers = new CircuitBreakers(settings);
    for (let n = 0; n < 1000; n++) {
      // Three in ten fail, never ten in a row.
      const transition = n % 10 < 3 ? breakers.failed('a', at(0), false, '500') : breakers.succeeded('a');
      expect(transition).toBeUndefined();
    }
  });

  it('lets one trial through after the cooldown; an answer closes it', () => {
    const breakers = new CircuitBreakers(settings);
    failAll(breakers);
    expect(breakers.admit('a', at(32))).toEqual({ send: true, trial: true });
    // While the trial runs, the rest stay parked.
    expect(breakers.admit('a', at(33))).toMatchObject({ send: false });
    expect(breakers.succeeded('a')).toBe('closed');
    expect(breakers.admit('a', at(34))).toEqual({ send: true, trial: false });
  });

  it('doubles the cooldown after each failed trial, up to its cap', () => {
    const breakers = new CircuitBreakers(settings);
    failAll(breakers);
    let now = 32;
    const cooldowns: number[] = [];
    for (let trial = 0; trial < 6; trial++) {
      expect(breakers.admit('a', at(now))).toEqual({ send: true, trial: true });
      expect(breakers.failed('a', at(now), true, 'timeout')).toBeUndefined();
      const parked = breakers.admit('a', at(now));
      if (parked.send) throw new Error('not parked');
      const cooldown = (parked.until.getTime() - at(now).getTime()) / 1000;
      cooldowns.push(cooldown);
      now += cooldown;
    }
    expect(cooldowns).toEqual([60, 120, 240, 300, 300, 300]);
  });

  it('a failure of a request sent before it opened neither reopens nor extends it', () => {
    const breakers = new CircuitBreakers(settings);
    failAll(breakers);
    expect(breakers.failed('a', at(20), false, 'timeout')).toBeUndefined();
    expect(breakers.admit('a', at(32))).toEqual({ send: true, trial: true });
  });

  it('does not wait forever for a trial whose outcome never came', () => {
    const breakers = new CircuitBreakers(settings);
    failAll(breakers);
    expect(breakers.admit('a', at(32))).toMatchObject({ send: true, trial: true });
    expect(breakers.admit('a', at(91))).toMatchObject({ send: false });
    expect(breakers.admit('a', at(93))).toEqual({ send: true, trial: true });
  });
});

describe('CircuitBreakers.released', () => {
  it('lets the next message try once a trial ended without the receiver’s outcome', () => {
    const breakers = new CircuitBreakers(settings);
    failAll(breakers);
    expect(breakers.admit('a', at(32))).toMatchObject({ send: true, trial: true });
    breakers.released('a');
    expect(breakers.admit('a', at(33))).toEqual({ send: true, trial: true });
  });
});

describe('CircuitBreakers.checkHanging', () => {
  const flying = (breakers: CircuitBreakers, count: number, startedAt: Date, trial = false) =>
    Array.from({ length: count }, () => {
      const flight = { aborted: false, landed: (_?: number) => {} };
      flight.landed = breakers.started('a', startedAt, trial, () => {
        flight.aborted = true;
      });
      return flight;
    });

  it('judges nothing as hanging before the receiver has answered once', () => {
    const breakers = new CircuitBreakers(settings);
    flying(breakers, 5, at(0));
    expect(breakers.hangsAfterMs('a')).toBeUndefined();
    expect(breakers.checkHanging('a', at(50))).toBeUndefined();
  });

  it('opens when three requests run past five times the slowest recent answer with no answer meanwhile, and calls them off', () => {
    const breakers = new CircuitBreakers(settings);
    breakers.started('a', at(0), false, () => {})(150);
    breakers.started('a', at(0), false, () => {})(400);
    expect(breakers.hangsAfterMs('a')).toBe(2000);
    const early = flying(breakers, 2, at(10));
    const late = flying(breakers, 1, at(11));
    // Two hang, the third has not run long enough yet.
    expect(breakers.checkHanging('a', at(12))).toBeUndefined();
    expect(breakers.checkHanging('a', at(13))).toBe('opened');
    expect([...early, ...late].every((flight) => flight.aborted)).toBe(true);
    expect(breakers.admit('a', at(14))).toMatchObject({ send: false });
    // Another receiver's requests are left alone.
    expect(breakers.checkHanging('b', at(13))).toBeUndefined();
  });

  it('stays closed while the receiver still answers other requests', () => {
    const breakers = new CircuitBreakers(settings);
    breakers.started('a', at(0), false, () => {})(400);
    const slow = flying(breakers, 3, at(10));
    // Another request, sent at 12, is answered at 12.5 s.
    breakers.started('a', new Date(at(12).getTime()), false, () => {})(500);
    expect(breakers.checkHanging('a', at(13))).toBeUndefined();
    expect(slow.some((flight) => flight.aborted)).toBe(false);
    expect(breakers.checkHanging('a', at(15))).toBe('opened');
  });

  it('never judges a request hanging before a second, however fast the receiver', () => {
    const breakers = new CircuitBreakers(settings);
    breakers.started('a', at(0), false, () => {})(5);
    expect(breakers.hangsAfterMs('a')).toBe(1000);
  });

  it('calls off a hanging trial while the breaker is open', () => {
    const breakers = new CircuitBreakers(settings);
    breakers.started('a', at(0), false, () => {})(100);
    failAll(breakers);
    expect(breakers.admit('a', at(40))).toMatchObject({ send: true, trial: true });
    const [trial] = flying(breakers, 1, at(40), true);
    expect(breakers.checkHanging('a', at(42))).toBeUndefined();
    expect(trial?.aborted).toBe(true);
  });
});
