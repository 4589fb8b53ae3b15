/**
 * What a receiver's answer means and when to try again. Pure functions: the delivery use case and the
 * tests share them.
 */

export type DeliveryOutcome =
  | { kind: 'delivered'; status: number }
  /** HTTP 400: the receiver refuses this event; it is kept among the rejected events, not retried. */
  | { kind: 'rejected'; status: number; excerpt: string }
  /** HTTP 410: the receiver is gone for good; the integration stops. */
  | { kind: 'gone'; status: number }
  /** Anything else: try again later. */
  | { kind: 'retry'; status?: number; reason: string; retryAfterSeconds?: number };

/** Classifies an HTTP answer. Redirects are failures: a callback URL that moved must be updated. */
export const classifyResponse = (
  status: number,
  excerpt: string,
  retryAfterHeader?: string,
  now: Date = new Date(),
): DeliveryOutcome => {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 400) return { kind: 'rejected', status, excerpt };
  if (status === 410) return { kind: 'gone', status };
  const retryAfterSeconds = parseRetryAfter(retryAfterHeader, now);
  return {
    kind: 'retry',
    status,
    reason: describeStatus(status),
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
  };
};

const describeStatus = (status: number): string => {
  if (status === 429) return `too many requests (HTTP status code ${status})`;
  if (status >= 300 && status < 400) return `redirect not followed (HTTP status code ${status})`;
  if (status >= 500) return `server error (HTTP status code ${status})`;
  return `unexpected answer (HTTP status code ${status})`;
};

/** `Retry-After` as seconds from now: either delta-seconds or an HTTP date. */
export const parseRetryAfter = (header: string | undefined, now: Date): number | undefined => {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
};

/** About 10 s, 1 min, 5 min, 15 min, 1 h, then every 2 h (the last step repeats). */
export const DEFAULT_RETRY_SCHEDULE_SECONDS: readonly number[] = [10, 60, 300, 900, 3600, 7200];

/** SQS cannot hide a message for longer than 12 hours. */
const MAX_VISIBILITY_SECONDS = 12 * 3600;

/**
 * Seconds to wait before attempt `attempt + 1`, given `attempt` attempts so far: the schedule's step
 * with ±20 % jitter (so a recovering receiver is not hit by every retry at once); a `Retry-After` is
 * honoured between the step and twice the step, so a receiver can slow us down but not stall us.
 */
/**
 * A delivery message first received within this long of its event's receipt cannot repeat a delivery: it
 * comes from the fan-out's first run (a second run only starts after the ingest queue's visibility timeout,
 * far longer; `lib/resource-definitions.ts` and the local runtime keep it so) and not from a replay (whose
 * events are older). Such a message skips the read of its delivery record.
 */
export const FRESH_MESSAGE_MS = 2000;

/** Whether a delivery message may repeat one that was already sent, so its delivery record must be read. */
export const mayRepeatDelivery = (receiveCount: number, sentAt: Date, receivedAt: string): boolean =>
  receiveCount > 1 || sentAt.getTime() - Date.parse(receivedAt) >= FRESH_MESSAGE_MS;

export const retryDelaySeconds = (
  attempt: number,
  retryAfterSeconds: number | undefined,
  schedule: readonly number[] = DEFAULT_RETRY_SCHEDULE_SECONDS,
  random: () => number = Math.random,
): number => {
  const step = schedule[Math.min(Math.max(attempt, 1), schedule.length) - 1] ?? 0;
  const delay =
    retryAfterSeconds === undefined
      ? step * (0.8 + 0.4 * random())
      : Math.min(Math.max(retryAfterSeconds, step), 2 * step);
  return Math.min(MAX_VISIBILITY_SECONDS, Math.round(delay));
};
