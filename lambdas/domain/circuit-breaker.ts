/**
 * A circuit breaker per integration, kept by each delivery process for itself. A receiver that hangs or
 * fails holds a delivery slot for the whole request timeout on every message; once its requests hang
 * (several at once, and no answer meanwhile) or fail many times in a row, the breaker opens and its messages are parked (put back on the queue without a request), so
 * the slots serve the other integrations. After a cooldown one trial request goes through: an answer closes
 * the breaker, another failure keeps it open for twice as long (up to a cap).
 *
 * A receiver that fails now and then (a 500 or a slow answer among many good ones) does not open it:
 * its retries are cheap and its answers keep coming.
 *
 * Per process, not shared: a shared breaker would cost a read per message, and each process learns of a
 * failing receiver after a few requests at most. Transitions are what the caller writes down
 * (once, across processes) and logs.
 */

export interface BreakerSettings {
  /** Consecutive failures that open the breaker (answers that fail, or timeouts). */
  failureThreshold: number;
  /** Requests hanging at once, with no answer from the receiver meanwhile, that open the breaker. */
  hangingThreshold: number;
  /** How long the first opening lasts; each failed trial doubles it. */
  cooldownMs: number;
  maxCooldownMs: number;
  /**
   * A trial whose outcome never came (its invocation died) stops blocking the next one after this long:
   * longer than a request can take.
   */
  trialTimeoutMs: number;
  /**
   * A request counts as hanging once it has run `hangFactor` times the slowest recent answer of its
   * receiver, and at least `hangFloorMs`; with `hangingThreshold` requests hanging at once and no answer
   * for as long, the breaker opens without waiting for their timeouts. A receiver not yet heard from is
   * judged by its timeouts alone.
   */
  hangFactor: number;
  hangFloorMs: number;
}

/**
 * Settings scaled to the retry schedule's first step (10 s deployed: a 30 s cooldown growing to 5 minutes),
 * so a deployment or a test with a faster schedule gets a breaker as fast.
 */
export const breakerSettingsFor = (retryScheduleSeconds: readonly number[]): BreakerSettings => {
  const stepMs = Math.max(1, retryScheduleSeconds[0] ?? 10) * 1000;
  return {
    // A receiver failing 30 % of requests at random fails 10 in a row about once in 170,000 tries.
    failureThreshold: 10,
    hangingThreshold: 3,
    cooldownMs: 3 * stepMs,
    maxCooldownMs: 30 * stepMs,
    trialTimeoutMs: 60_000,
    hangFactor: 5,
    hangFloorMs: 1000,
  };
};

/**
 * Whether a message may be sent now: a normal send, the trial of an open breaker, or parked until `until`
 * (with the failure that kept the breaker open, for whoever explains why nothing was sent).
 */
export type Admission = { send: true; trial: boolean } | { send: false; until: Date; lastFailure: string };

interface Breaker {
  failures: number;
  /** Set while open: no request before this time, then one trial. */
  openUntil?: number;
  cooldownMs: number;
  trialStartedAt?: number;
  lastFailure: string;
}

/** A request on its way to a receiver, and how to call it off. */
interface Flight {
  startedAt: number;
  trial: boolean;
  abort: () => void;
}

/** Answers remembered per receiver to judge what a hanging request is. */
const ANSWERS_KEPT = 20;

/** The breakers of one process, by integration (and its generation: an id registered anew starts closed). */
export class CircuitBreakers {
  private readonly breakers = new Map<string, Breaker>();
  private readonly flights = new Map<string, Set<Flight>>();
  /** Durations of recent answers (any HTTP status), newest last. */
  private readonly answers = new Map<string, number[]>();
  /** When the receiver last answered. */
  private readonly lastAnswerAt = new Map<string, number>();

  constructor(readonly settings: BreakerSettings) {}

  admit(key: string, now: Date): Admission {
    const breaker = this.breakers.get(key);
    if (breaker?.openUntil === undefined) return { send: true, trial: false };
    const at = now.getTime();
    const trialRunning =
      breaker.trialStartedAt !== undefined && at - breaker.trialStartedAt < this.settings.trialTimeoutMs;
    if (at < breaker.openUntil || trialRunning) {
      const until = trialRunning ? Math.max(breaker.openUntil, at + 1000) : breaker.openUntil;
      return { send: false, until: new Date(until), lastFailure: breaker.lastFailure };
    }
    breaker.trialStartedAt = at;
    return { send: true, trial: true };
  }

  /**
   * A trial that ended without an outcome of the receiver's (the send threw before or around the request:
   * secrets unreachable, say): the next message after the cooldown may try again, rather than the rest
   * waiting out `trialTimeoutMs`.
   */
  released(key: string): void {
    const breaker = this.breakers.get(key);
    if (breaker) delete breaker.trialStartedAt;
  }

  /**
   * Notes a request going out; `abort` calls it off. The returned function notes that it came back, with
   * the receiver's answer time when it answered (any HTTP status), which sets what counts as hanging.
   */
  started(key: string, now: Date, trial: boolean, abort: () => void): (answeredInMs?: number) => void {
    const flight: Flight = { startedAt: now.getTime(), trial, abort };
    const flights = this.flights.get(key) ?? new Set<Flight>();
    flights.add(flight);
    this.flights.set(key, flights);
    return (answeredInMs) => {
      flights.delete(flight);
      if (flights.size === 0) this.flights.delete(key);
      if (answeredInMs === undefined) return;
      this.lastAnswerAt.set(key, Math.max(this.lastAnswerAt.get(key) ?? 0, flight.startedAt + answeredInMs));
      const answers = this.answers.get(key) ?? [];
      answers.push(answeredInMs);
      if (answers.length > ANSWERS_KEPT) answers.shift();
      this.answers.set(key, answers);
    };
  }

  /** How long a request to this receiver may run before it counts as hanging; undefined before any answer. */
  hangsAfterMs(key: string): number | undefined {
    const answers = this.answers.get(key);
    if (!answers?.length) return undefined;
    return Math.max(this.settings.hangFloorMs, this.settings.hangFactor * Math.max(...answers));
  }

  /**
   * Looks at the requests in flight to a receiver (when one of them has run `hangsAfterMs`): with
   * `hangingThreshold` of them hanging and no answer for as long, opens the breaker ('opened') and calls
   * the hanging ones off, so their delivery slots are free long before their timeouts; while it is open,
   * every request that hangs is called off.
   */
  checkHanging(key: string, now: Date): 'opened' | undefined {
    const hangsAfter = this.hangsAfterMs(key);
    const flights = this.flights.get(key);
    if (hangsAfter === undefined || !flights) return undefined;
    const at = now.getTime();
    const hanging = [...flights].filter((flight) => at - flight.startedAt >= hangsAfter);
    const breaker = this.breakers.get(key);
    if (breaker?.openUntil !== undefined) {
      for (const flight of hanging) flight.abort();
      return undefined;
    }
    if (hanging.length < this.settings.hangingThreshold) return undefined;
    // Slow requests to a receiver that still answers others are not a hang.
    if (at - (this.lastAnswerAt.get(key) ?? 0) < hangsAfter) return undefined;
    this.breakers.set(key, {
      failures: hanging.length,
      cooldownMs: this.settings.cooldownMs,
      openUntil: at + this.settings.cooldownMs,
      lastFailure: `${hanging.length} requests without an answer after ${hangsAfter} ms`,
    });
    for (const flight of hanging) flight.abort();
    return 'opened';
  }

  /** The receiver answered (any HTTP answer other than a retriable one): closes an open breaker. */
  succeeded(key: string): 'closed' | undefined {
    const breaker = this.breakers.get(key);
    if (!breaker) return undefined;
    this.breakers.delete(key);
    return breaker.openUntil === undefined ? undefined : 'closed';
  }

  /** A retriable failure (timeout, refused, 5xx, 429...): 'opened' when this one opened the breaker. */
  failed(key: string, now: Date, trial: boolean, reason: string): 'opened' | undefined {
    const at = now.getTime();
    const breaker = this.breakers.get(key) ?? {
      failures: 0,
      cooldownMs: this.settings.cooldownMs,
      lastFailure: reason,
    };
    this.breakers.set(key, breaker);
    breaker.failures += 1;
    breaker.lastFailure = reason;
    if (breaker.openUntil !== undefined) {
      // A failed trial keeps it open for longer; a request sent before it opened changes nothing.
      if (trial) {
        breaker.cooldownMs = Math.min(breaker.cooldownMs * 2, this.settings.maxCooldownMs);
        breaker.openUntil = at + breaker.cooldownMs;
        delete breaker.trialStartedAt;
      }
      return undefined;
    }
    if (breaker.failures < this.settings.failureThreshold) return undefined;
    breaker.openUntil = at + breaker.cooldownMs;
    return 'opened';
  }
}
