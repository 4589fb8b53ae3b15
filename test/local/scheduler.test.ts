import { describe, expect, it } from 'vitest';
import { startScheduler } from '../../local/scheduler.ts';
import { eventually } from '../support/poll.ts';

describe('scheduler (the 1-minute schedule)', () => {
  it('runs every job each interval, never two runs of one job at once, and stop() waits for runs', async () => {
    const ticks: Date[] = [];
    let slowRuns = 0;
    let slowRunning = 0;
    let slowPeak = 0;
    const failures: string[] = [];
    const scheduler = startScheduler({
      intervalMs: 50,
      jobs: [
        { name: 'fast', run: async (time) => void ticks.push(time) },
        {
          name: 'slow',
          run: async () => {
            slowRuns += 1;
            slowRunning += 1;
            slowPeak = Math.max(slowPeak, slowRunning);
            await new Promise((resolve) => setTimeout(resolve, 120));
            slowRunning -= 1;
          },
        },
        {
          name: 'failing',
          run: async () => {
            throw new Error('nope');
          },
        },
      ],
      log: (line) => failures.push(line),
    });

    await eventually(() => expect(ticks.length).toBeGreaterThanOrEqual(5));
    await scheduler.stop();
    const afterStop = ticks.length;
    await new Promise((resolve) => setTimeout(resolve, 120));

    expect(ticks.length).toBe(afterStop);
    expect(slowPeak).toBe(1);
    expect(slowRuns).toBeLessThan(ticks.length);
    expect(slowRunning).toBe(0);
    expect(failures[0]).toBe('scheduled job failing failed');
  });
});
