import type { components } from '../../api/schema.ts';

type LogEntry = components['schemas']['LogEntry'];

/**
 * A replay (a registration's `starts_at`, a catch-up after a start, a temporary integration's range) is
 * running when the newest replay entry of the log is a `replay_started`. The integration GET says nothing of
 * replays, so the log (newest first) is where the console learns of one.
 */
export const runningReplay = (entries: readonly LogEntry[]): LogEntry | undefined => {
  const latest = entries.find(
    (entry) => entry.action === 'replay_started' || entry.action === 'replay_completed',
  );
  return latest?.action === 'replay_started' ? latest : undefined;
};
