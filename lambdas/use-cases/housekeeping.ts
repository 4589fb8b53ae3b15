import { NotFoundError } from '../domain/errors.ts';
import type { Integration } from '../domain/integration.ts';
import type { DeliveryStateStore } from '../domain/ports/deliveries.ts';
import type { IntegrationRepository } from '../domain/ports/integrations.ts';
import type { Clock } from '../domain/ports/platform.ts';
import type { ReplayStore } from '../domain/ports/replays.ts';
import type { ReplayJobs } from './replay-jobs.ts';
import type { TemporaryEnd } from './temporary-end.ts';

export interface HousekeepingDeps {
  integrations: Pick<IntegrationRepository, 'list'>;
  replayJobs: Pick<ReplayStore, 'get'>;
  replays: Pick<ReplayJobs, 'rearmIfStalled' | 'begin'>;
  deliveryState: Pick<DeliveryStateStore, 'get' | 'clearCatchUp'>;
  temporaryEnd: Pick<TemporaryEnd, 'finishIfDone'>;
  clock: Clock;
  /** A replay that has not moved for this long has lost its message (its visibility is 9 minutes). */
  replayQuietMs: number;
}

/**
 * The scheduled sweep: a running temporary integration whose range is over is deleted (`TemporaryEnd`), a
 * replay that lost its message gets a new one, and a catch-up point noted too late for its start's replay
 * gets a replay of its own.
 */
export class Housekeeping {
  constructor(private readonly deps: HousekeepingDeps) {}

  async run(): Promise<string[]> {
    const finished: string[] = [];
    for (const integration of await this.deps.integrations.list()) {
      if (integration.status !== 'running') continue;
      try {
        await this.deps.replays.rearmIfStalled(integration.id, this.deps.replayQuietMs);
        await this.coverLateCatchUpPoint(integration);
        if (integration.integration_type !== 'temporary') continue;
        if ((await this.deps.temporaryEnd.finishIfDone(integration)).finished) finished.push(integration.id);
      } catch (error) {
        // Deleted meanwhile (by its replay's end, or through the API): the others still get their turn.
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    return finished;
  }

  /**
   * A delivery that read its integration as stopped just before a start can note a catch-up point after
   * the start's replay has finished looking for one (a delivery runs up to its function's timeout), and a
   * delivery whose trial request ended a pause notes one for what was held back meanwhile. Such a
   * point on an integration that has been running for a while, with no replay under way, gets a replay
   * of its own, so it is delivered now rather than at the next stop and start.
   */
  private async coverLateCatchUpPoint(integration: Integration): Promise<void> {
    const now = this.deps.clock.now();
    if (now.getTime() - Date.parse(integration.updated_at) < LATE_POINT_AGE_MS) return;
    const missed = (await this.deps.deliveryState.get(integration.id)).catch_up_from;
    if (!missed) return;
    const job = await this.deps.replayJobs.get(integration.id);
    if (job && !job.completed_at) return;
    await this.deps.replays.begin(
      integration,
      missed,
      now.toISOString(),
      'events missed around a start or while deliveries were paused',
      {
        settle: true,
      },
    );
    await this.deps.deliveryState.clearCatchUp(integration.id, missed);
  }
}

/** Older than any start still at work (the API's timeout, with room to spare). */
const LATE_POINT_AGE_MS = 5 * 60_000;
