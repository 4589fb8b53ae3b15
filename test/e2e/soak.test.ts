import { describe, expect, it } from 'vitest';
import { formatReport, runSoak, type SoakResult } from '../../soak/soak.ts';

// The soak of `npm run soak` in a short form: a few hundred events over seconds instead of 10,000 over
// minutes, the same faults (receiver errors, an outage, handler crashes, emulator restarts, a stop/start).
// The time limit leaves room for a loaded 2-core machine; on a quiet one the run takes about 40 s. The
// ordered integration drains last: an entity's events go one at a time, each behind its predecessor's
// retries (about 30 % of requests fail), and a message held that way comes back after a tenth of its wait so
// far. Under CI's load one chain took past 100 s (its events still queued, not lost), hence 150 s.
describe('soak with fault injection (short)', () => {
  it('loses nothing and delivers nothing filtered out, through every injected fault', async () => {
    const result: SoakResult = await runSoak({
      events: 200,
      timeLimitMs: 150_000,
      publishDurationMs: 6_000,
      outageMs: 4_000,
      stoppedMs: 3_000,
      visibilityTimeoutSeconds: 5,
      retryScheduleSeconds: '1,1,2',
      settleMs: 3_000,
      emulatorDownMs: 500,
    });
    const report = formatReport(result);

    expect(result.timedOut, report).toBe(false);
    expect(result.published, report).toBe(200);
    expect(result.totals.lost, report).toBe(0);
    expect(result.totals.wrong, report).toBe(0);
    expect(result.totals.badWebhookIds, report).toBe(0);
    expect(result.totals.corrupt, report).toBe(0);
    expect(result.ok, report).toBe(true);

    // The faults really happened, and the pipeline had to retry through them.
    const { faults } = result;
    expect(
      Object.values(faults.receiver).reduce((a, b) => a + b, 0),
      report,
    ).toBeGreaterThan(0);
    expect(faults.receiver.status500 + faults.receiver.status429, report).toBeGreaterThan(0);
    expect(faults.receiver.slow + faults.receiver.reset, report).toBeGreaterThan(0);
    expect(faults.outages, report).toBe(1);
    const stoppedAndStarted = ['soak-s3-both', 'soak-wh-both', 'soak-wh-ordered'];
    expect(faults.stopStarts.sort(), report).toEqual(stoppedAndStarted);
    // What they missed while stopped came through the catch-up replay, which ran to its end.
    expect(faults.replaysCompleted.sort(), report).toEqual(stoppedAndStarted);
    // The ordered integration got every entity's events in publish order through all of it.
    expect(result.totals.outOfOrder, report).toBe(0);
    expect(faults.emulatorRestarts.sort(), report).toEqual(['fauxqs', 'secretsmanager']);
    const crashes = Object.values(faults.crashes).reduce((sum, queue) => sum + queue.before + queue.after, 0);
    expect(crashes, report).toBeGreaterThan(0);
    expect(result.totals.retried, report).toBeGreaterThan(0);
    // Every integration kind and filter shape had something to receive.
    for (const integration of result.integrations) expect(integration.expected, report).toBeGreaterThan(0);
  }, 210_000);
});
