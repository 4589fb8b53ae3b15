import { earliest, planCatchUp } from '../domain/catch-up.ts';
import { type Integration, type IntegrationView, toView } from '../domain/integration.ts';
import type { DeliveryStateStore } from '../domain/ports/deliveries.ts';
import type { EventLogStore } from '../domain/ports/events.ts';
import type { ExportFlusher } from '../domain/ports/exports.ts';
import type { IntegrationLog, IntegrationRepository } from '../domain/ports/integrations.ts';
import type { Clock } from '../domain/ports/platform.ts';
import { appendLog, loadIntegration } from './integration-lookup.ts';
import type { IntegrationStopper } from './integration-stopper.ts';
import type { ReplayJobs } from './replay-jobs.ts';

export interface IntegrationLifecycleDeps {
  integrations: Pick<IntegrationRepository, 'get' | 'update'>;
  logs: Pick<IntegrationLog, 'append'>;
  stopper: Pick<IntegrationStopper, 'stop'>;
  deliveryState: Pick<DeliveryStateStore, 'get' | 'clearCatchUp' | 'resetHealth' | 'recordMissed'>;
  /** Tells a catch-up whether the part of its range that left the window held events. */
  eventLog: Pick<EventLogStore, 'hasEventsReceivedBetween'>;
  replays: Pick<ReplayJobs, 'begin'>;
  /** A stop flushes an S3 integration's open file. */
  exportFiles: Pick<ExportFlusher, 'flush'>;
  clock: Clock;
  retentionDays: number;
}

/**
 * Start and stop through the API. A start catches up on what the integration missed while stopped
 * (NewStore: restarted within 30 days it gets every event of the meantime; later, only new ones); a
 * stop flushes an S3 integration's open file, so its events do not wait for the next start.
 */
export class IntegrationLifecycle {
  constructor(private readonly deps: IntegrationLifecycleDeps) {}

  /** Idempotent: starting a running integration changes nothing and logs nothing. */
  async start(id: string): Promise<IntegrationView> {
    const current = await loadIntegration(this.deps.integrations, id);
    if (current.status === 'running') return toView(current);
    const now = this.deps.clock.now();
    const next: Integration = {
      ...current,
      status: 'running',
      updated_at: now.toISOString(),
      version: current.version + 1,
    };
    // Noted before the start takes effect: if the catch-up below fails midway (a 500), the point stays and
    // housekeeping replays it, where a retried start would find the integration running and do nothing.
    if (current.stopped_at) await this.deps.deliveryState.recordMissed(id, current.stopped_at);
    await this.deps.integrations.update(next);
    await appendLog(this.deps.logs, id, now, [['integration_started', 'Started via API.']]);
    await this.catchUp(next, current.stopped_at, now);
    return toView(next);
  }

  /** Idempotent: stopping a stopped integration changes nothing and logs nothing. */
  async stop(id: string): Promise<IntegrationView> {
    const { integration, changed } = await this.deps.stopper.stop(id, 'Stopped via API.');
    if (changed && integration.s3_parameters) await this.deps.exportFiles.flush(integration);
    return toView(integration);
  }

  /**
   * Replays what the integration missed while stopped, from the earliest event it did not get, when it was
   * stopped for less than the window; otherwise says in the log which period is not replayed.
   */
  private async catchUp(integration: Integration, stoppedAt: string | undefined, now: Date): Promise<void> {
    const { deps } = this;
    await deps.deliveryState.resetHealth(integration.id);
    const noted = (await deps.deliveryState.get(integration.id)).catch_up_from;
    const missed = earliest(stoppedAt, noted);
    const days = deps.retentionDays;
    const plan = planCatchUp(missed, stoppedAt, now, days);
    if (plan.replayFrom) {
      await deps.replays.begin(integration, plan.replayFrom, now.toISOString(), 'catch-up after a stop', {
        settle: true,
      });
      // The replay covers it now; a point noted meanwhile (earlier than this one) stays.
      if (noted) await deps.deliveryState.clearCatchUp(integration.id, noted);
      const lost = plan.leftWindow;
      if (lost && (await deps.eventLog.hasEventsReceivedBetween(lost.from, lost.to))) {
        await appendLog(deps.logs, integration.id, now, [
          [
            'catch_up_trimmed',
            `Events received from ${lost.from} to ${lost.to} left the ${days}-day event window before they could be replayed; every event since ${lost.to} is replayed.`,
          ],
        ]);
      }
    } else if (plan.notReplayed) {
      if (noted) await deps.deliveryState.clearCatchUp(integration.id, noted);
      await appendLog(deps.logs, integration.id, now, [
        [
          'catch_up_skipped',
          `Stopped since ${stoppedAt ?? plan.notReplayed.from}, more than ${days} days ago: events from ${plan.notReplayed.from} to ${plan.notReplayed.to} are not replayed; events from now on are delivered.`,
        ],
      ]);
    }
  }
}
