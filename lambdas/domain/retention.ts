const DAY_MS = 86_400_000;

/** The oldest instant whose events are still in the event log. */
export const retentionWindowStart = (now: Date, retentionDays: number): Date =>
  new Date(now.getTime() - retentionDays * DAY_MS);
