import { retentionWindowStart } from './integration-rules.ts';

/** What a start replays: from where, and (when too late to replay) which period is lost to the window. */
export interface CatchUpPlan {
  /** Replay events received from here up to the start; absent when nothing is replayed. */
  replayFrom?: string;
  /** Set when the integration was stopped longer than the window: the period that is not replayed. */
  notReplayed?: { from: string; to: string };
}

/**
 * NewStore's promise, kept exactly: restarted within the window, an integration receives every event
 * published while it was stopped (from the earliest event it missed); restarted later, it receives only
 * events from the restart on.
 */
export const planCatchUp = (
  missedFrom: string | undefined,
  now: Date,
  retentionDays: number,
): CatchUpPlan => {
  if (!missedFrom) return {};
  const windowStart = retentionWindowStart(now, retentionDays).toISOString();
  if (missedFrom >= windowStart) return { replayFrom: missedFrom };
  return { notReplayed: { from: missedFrom, to: now.toISOString() } };
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
