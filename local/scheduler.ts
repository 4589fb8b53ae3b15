import type { Worker } from './runtime.ts';

/** A job the stack runs on an EventBridge schedule (`rate(1 minute)`), e.g. the S3 flusher, housekeeping. */
export interface ScheduledJob {
  name: string;
  /** Called with the tick's time; typically imports a handler and calls it with a scheduled event. */
  run(time: Date): Promise<void>;
}

export interface SchedulerOptions {
  jobs: readonly ScheduledJob[];
  /** Default 60 s, as the stack's schedule; tests shorten it. */
  intervalMs?: number;
  log?: (line: string, error?: unknown) => void;
}

/**
 * The 1-minute schedule: runs every job each interval. A job still running from the previous tick is skipped
 * rather than started twice (EventBridge would start it twice; our handlers must tolerate that anyway, but a
 * pile-up on a slow laptop helps nobody). stop() waits for running jobs.
 */
export const startScheduler = (options: SchedulerOptions): Worker => {
  const log =
    options.log ?? ((line: string, error?: unknown) => console.error(line, ...(error ? [error] : [])));
  const running = new Map<string, Promise<void>>();
  const tick = (): void => {
    const time = new Date();
    for (const job of options.jobs) {
      if (running.has(job.name)) continue;
      const run = Promise.resolve()
        .then(() => job.run(time))
        .catch((error: unknown) => log(`scheduled job ${job.name} failed`, error))
        .finally(() => running.delete(job.name));
      running.set(job.name, run);
    }
  };
  const timer = setInterval(tick, options.intervalMs ?? 60_000);
  return {
    name: 'scheduler',
    stop: async () => {
      clearInterval(timer);
      await Promise.all(running.values());
    },
  };
};
