import { retentionWindowStart } from './retention.ts';

/** What a start replays: from where, and what is not replayed. */
export interface CatchUpPlan {
  /** Replay events received from here up to the start; absent when nothing is replayed. */
  replayFrom?: string;
  /**
   * Stopped for longer than the window: nothing is replayed, and this is the period the integration
   * gets no events of (events from the start on are delivered live).
   */
  notReplayed?: { from: string; to: string };
  /**
   * Stopped for less than the window, but the earliest missed event was received before the window
   * began (a first replay of a clamped `starts_at` stopped before it got there): this part has left the
   * event log and cannot be replayed; the rest is.
   */
  leftWindow?: { from: string; to: string };
}

/**
 * NewStore's promise, kept exactly: restarted within the window, an integration receives every event
 * published while it was stopped (from the earliest event it missed); restarted later, it receives only
 * events from the restart on. What decides is how long the integration was stopped, not how old the
 * earliest missed event is: an integration stopped for a second during the replay of a `starts_at` clamped
 * to the window has missed events from the window's very start, and still gets every one that is left.
 */
export const planCatchUp = (
  missedFrom: string | undefined,
  stoppedAt: string | undefined,
  now: Date,
  retentionDays: number,
): CatchUpPlan => {
  const stoppedSince = stoppedAt ?? missedFrom;
  if (!missedFrom || !stoppedSince) return {};
  const windowStart = retentionWindowStart(now, retentionDays).toISOString();
  if (stoppedSince < windowStart) return { notReplayed: { from: missedFrom, to: now.toISOString() } };
  if (missedFrom >= windowStart) return { replayFrom: missedFrom };
  return { replayFrom: windowStart, leftWindow: { from: missedFrom, to: windowStart } };
};

/** The earliest of two optional ISO timestamps. */
export const earliest = (a: string | undefined, b: string | undefined): string | undefined =>
  a === undefined ? b : b === undefined ? a : a < b ? a : b;

/**
 * The replay range a registration asks for: a permanent integration with a past `starts_at` and every
 * temporary one replay from `starts_at` (clamped to the window) up to the registration (or `ends_at` if
 * earlier); live events follow.
 */
export const registrationReplay = (
  startsAt: string | undefined,
  endsAt: string | undefined,
  now: Date,
  retentionDays: number,
): { from: string; to: string } | undefined => {
  if (!startsAt) return undefined;
  const windowStart = retentionWindowStart(now, retentionDays).toISOString();
  const from = new Date(Math.max(Date.parse(startsAt), Date.parse(windowStart))).toISOString();
  const to =
    endsAt && Date.parse(endsAt) < now.getTime() ? new Date(endsAt).toISOString() : now.toISOString();
  return from <= to ? { from, to } : undefined;
};
