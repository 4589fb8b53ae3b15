/**
 * The arithmetic of a webhook integration's `rate_limit`, held for the integration as a whole: one small
 * state shared by every delivery process (the state table's `RATE#{id}` item), changed with pure functions
 * here and written back with a compare-and-set by the store.
 *
 * - `per_second`: requests are paced, not burst: each granted request gets its own slot,
 *   `(1000 + JITTER_ALLOWANCE_MS) / rate` ms after the previous one (a token bucket that holds a single
 *   token), and leaves within SEND_TOLERANCE_MS of it or not at all; so even with a request sent late in its
 *   tolerance and another early, and the network's own jitter, no one-second window at the receiver holds
 *   more than `rate` requests. A batch takes the slots that start within the next second (`HORIZON_MS`).
 * - `max_in_flight`: a batch leases lanes (requests it may have open at once); each lease expires
 *   (`LEASE_MS`, longer than a delivery invocation may run) so the lanes of a crashed process come back.
 * - AIMD: a 429 pauses the integration until its Retry-After and halves the current rate (once per pause,
 *   not below 1/s); every `rate` successes in a row (about one second of sending at that rate) raise it by
 *   1/s, up to the limit.
 */

/** What `callback_parameters.rate_limit` asks for. */
export interface RateLimit {
  per_second?: number;
  max_in_flight?: number;
}

/** The bounds of `rate_limit` (the API validates them). */
export const RATE_LIMIT_BOUNDS = {
  per_second: { min: 1, max: 1000 },
  max_in_flight: { min: 1, max: 100 },
} as const;

/** A request leaves at most this long after its slot (a busy lane or a late timer), else it waits for another. */
export const SEND_TOLERANCE_MS = 50;
/** What slots leave of each second for sending late within the tolerance and for the network's jitter. */
export const JITTER_ALLOWANCE_MS = 100;

/** Slots are handed out this far ahead: a batch waits at most about this long for its last slot. */
export const HORIZON_MS = 1000;
/** A lease outlives the longest delivery invocation (60 s), so only a crashed process's lanes expire. */
export const LEASE_MS = 90_000;
/** A batch that got no lane tries again after this long (lanes are usually free within a batch's time). */
const NO_LANE_RETRY_MS = 1000;
/** The longest pause a 429's Retry-After gets (a receiver asking for more is asked again after it). */
export const MAX_PAUSE_SECONDS = 3600;
/** `rate_changed` log entries: at most one per integration in this long. */
export const RATE_LOG_INTERVAL_MS = 60_000;

/** Lanes a batch holds, until it releases them or `expires_at` (epoch ms). */
export interface Lease {
  lanes: number;
  expires_at: number;
}

/** The shared state of one integration's limiter. Times are epoch ms. */
export interface RateState {
  /** The integration's `created_at`: a state left by a deleted integration of the same id is not taken over. */
  generation: string;
  /** The `per_second` limit the rate below was found under (a PATCH that changes it starts afresh). */
  limit_per_second?: number;
  /** The current rate (requests per second), at most the limit. */
  rate?: number;
  /** The earliest time of the next free slot. */
  next_at: number;
  /** No request before this (a 429's Retry-After). */
  paused_until?: number;
  leases: Record<string, Lease>;
  /** Successes since the rate last rose (or fell). */
  successes: number;
  /** When the last `rate_changed` entry was logged. */
  logged_at?: number;
}

/** What a batch got: `granted` messages may be sent, through `lanes` open requests at once. */
export interface RateGrant {
  granted: number;
  /** How many of the granted requests may be open at once. */
  lanes: number;
  /** The slot of the i-th granted request is `first_slot_at + i * interval_ms`. */
  first_slot_at: number;
  interval_ms: number;
  /** When the messages that got nothing should come back (epoch ms). */
  retry_at: number;
  /** The rate is below its limit: successes count towards raising it (and cost a write to count). */
  recovering: boolean;
}

/** A change of the current rate, for the log. */
export interface RateChange {
  from: number;
  to: number;
  reason: string;
}

/** The state a limiter starts from, or the stored one when it belongs to this integration and limit. */
export const currentState = (
  stored: RateState | undefined,
  limit: RateLimit,
  generation: string,
): RateState => {
  if (stored && stored.generation === generation && stored.limit_per_second === limit.per_second) {
    return stored;
  }
  return {
    generation,
    ...(limit.per_second !== undefined && { limit_per_second: limit.per_second, rate: limit.per_second }),
    next_at: 0,
    leases: stored?.generation === generation ? stored.leases : {},
    successes: 0,
    ...(stored?.generation === generation &&
      stored.paused_until !== undefined && { paused_until: stored.paused_until }),
  };
};

const liveLeases = (leases: Record<string, Lease>, now: number): Record<string, Lease> =>
  Object.fromEntries(Object.entries(leases).filter(([, lease]) => lease.expires_at > now));

/** Lanes held by live leases. */
export const lanesInUse = (state: RateState, now: number): number =>
  Object.values(liveLeases(state.leases, now)).reduce((sum, lease) => sum + lease.lanes, 0);

/**
 * Takes what the limiter allows `requested` messages of one batch now: slots that start within the
 * horizon and, with `max_in_flight`, a lease of the free lanes under `leaseId`.
 */
export const admit = (
  state: RateState,
  limit: RateLimit,
  requested: number,
  leaseId: string,
  now: number,
): { state: RateState; grant: RateGrant } => {
  const leases = liveLeases(state.leases, now);
  const nothing = (retryAt: number) => ({
    state: { ...state, leases },
    grant: { granted: 0, lanes: 0, first_slot_at: now, interval_ms: 0, retry_at: retryAt, recovering: false },
  });
  if (state.paused_until !== undefined && state.paused_until > now) return nothing(state.paused_until);
  const freeLanes =
    limit.max_in_flight === undefined
      ? requested
      : limit.max_in_flight - lanesInUse({ ...state, leases }, now);
  if (freeLanes <= 0) return nothing(now + NO_LANE_RETRY_MS);
  let granted = requested;
  let firstSlot = now;
  let interval = 0;
  let nextAt = state.next_at;
  if (state.rate !== undefined) {
    interval = (1000 + JITTER_ALLOWANCE_MS) / state.rate;
    firstSlot = Math.max(now, state.next_at);
    const room = Math.ceil((now + HORIZON_MS - firstSlot) / interval);
    granted = Math.max(0, Math.min(requested, room));
    nextAt = firstSlot + granted * interval;
    if (granted === 0) return nothing(firstSlot);
  }
  const lanes = Math.min(granted, freeLanes);
  if (limit.max_in_flight !== undefined) leases[leaseId] = { lanes, expires_at: now + LEASE_MS };
  return {
    state: { ...state, next_at: nextAt, leases },
    grant: {
      granted,
      lanes,
      first_slot_at: firstSlot,
      interval_ms: interval,
      // The rest come back when the next slot is free (or a second on, when lanes were the limit).
      retry_at: state.rate !== undefined ? Math.max(nextAt, now + 1) : now + NO_LANE_RETRY_MS,
      recovering: state.rate !== undefined && limit.per_second !== undefined && state.rate < limit.per_second,
    },
  };
};

/**
 * Gives a batch's lanes back and counts its successes: every `rate` successes raise the rate by 1/s up to
 * the limit (additive increase).
 */
export const release = (
  state: RateState,
  limit: RateLimit,
  leaseId: string,
  delivered: number,
  now: number,
): { state: RateState; change?: RateChange } => {
  const { [leaseId]: _released, ...others } = liveLeases(state.leases, now);
  const next: RateState = { ...state, leases: others };
  const ceiling = limit.per_second;
  if (state.rate === undefined || ceiling === undefined || state.rate >= ceiling) return { state: next };
  if (state.paused_until !== undefined && state.paused_until > now) return { state: next };
  let rate = state.rate;
  let successes = state.successes + delivered;
  while (rate < ceiling && successes >= rate) {
    successes -= rate;
    rate += 1;
  }
  next.successes = rate >= ceiling ? 0 : successes;
  if (rate === state.rate) return { state: next };
  return rateChanged(
    next,
    state.rate,
    rate,
    `raised to ${rate}/s: deliveries succeed (1/s more per second of successes, up to the limit of ${ceiling}/s)`,
  );
};

const rateChanged = (state: RateState, from: number, to: number, reason: string) => ({
  state: { ...state, rate: to },
  change: { from, to, reason },
});

/**
 * A 429: no request before `pausedUntil`, and the rate halved (not below 1/s). Several 429s of one burst
 * come within one pause: they halve it once.
 */
export const throttle = (
  state: RateState,
  pausedUntil: number,
  now: number,
): { state: RateState; change?: RateChange } => {
  const alreadyPaused = state.paused_until !== undefined && state.paused_until > now;
  const until = Math.max(pausedUntil, state.paused_until ?? 0);
  const next: RateState = {
    ...state,
    paused_until: until,
    next_at: Math.max(state.next_at, until),
    successes: 0,
  };
  if (alreadyPaused || state.rate === undefined || state.rate <= 1) return { state: next };
  const rate = Math.max(1, Math.floor(state.rate / 2));
  return rateChanged(
    next,
    state.rate,
    rate,
    `halved to ${rate}/s: the receiver answered HTTP 429; no request before ${new Date(until).toISOString()}`,
  );
};

/** Whether a rate change may be logged now (at most one entry a minute); the state then remembers it. */
export const claimRateLog = (state: RateState, now: number): RateState | undefined =>
  state.logged_at === undefined || now - state.logged_at >= RATE_LOG_INTERVAL_MS
    ? { ...state, logged_at: now }
    : undefined;

/** What GET shows of the limiter. */
export interface RateLimitStateView {
  current_per_second?: number;
  in_flight?: number;
  paused_until?: string;
}

export const rateView = (
  stored: RateState | undefined,
  limit: RateLimit,
  generation: string,
  now: number,
): RateLimitStateView => {
  const state = currentState(stored, limit, generation);
  return {
    ...(state.rate !== undefined && { current_per_second: state.rate }),
    ...(limit.max_in_flight !== undefined && { in_flight: lanesInUse(state, now) }),
    ...(state.paused_until !== undefined &&
      state.paused_until > now && { paused_until: new Date(state.paused_until).toISOString() }),
  };
};
