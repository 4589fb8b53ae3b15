import type { Integration } from '../domain/integration.ts';
import type {
  Clock,
  DeliveryHistory,
  DeliveryStateStore,
  IntegrationRepository,
  ReplayStore,
} from '../domain/ports.ts';
import type { IntegrationRegistry } from './integration-registry.ts';
import type { ReplayJobs } from './replay-jobs.ts';

export interface HousekeepingDeps {
  integrations: IntegrationRepository;
  replayJobs: ReplayStore;
  replays: Pick<ReplayJobs, 'rearmIfStalled' | 'begin'>;
  deliveryState: Pick<DeliveryStateStore, 'get' | 'clearCatchUp'>;
  history: DeliveryHistory;
  /** Whether an S3 integration still has export data staged (an open file, or closed ones not uploaded). */
  hasStagedExports: (integrationId: string) => Promise<boolean>;
  registry: Pick<IntegrationRegistry, 'finish'>;
  clock: Clock;
  settings: {
    /** After `ends_at`, time for the last live events to pass ingest and fan-out. */
    endGraceMs: number;
    /** S3 deliveries are accounted per file: wait this long after `ends_at` for the last batch (longer than
     * the export queue's visibility, so a batch that failed once has been retried). */
    exportGraceMs: number;
    /** A replay that has not moved for this long has lost its message (its visibility is 9 minutes). */
    replayQuietMs: number;
  };
}

/**
 * The scheduled sweep: a running temporary integration whose range is over (`ends_at` passed, replay
 * completed, no delivery pending) is stopped, logged and deleted, as NewStore's temporary
 * integrations go away once their last event is sent; and a replay that lost its message gets a new one.
 */
export class Housekeeping {
  constructor(private readonly deps: HousekeepingDeps) {}

  async run(): Promise<string[]> {
    const finished: string[] = [];
    for (const integration of await this.deps.integrations.list()) {
      if (integration.status !== 'running') continue;
      await this.deps.replays.rearmIfStalled(integration.id, this.deps.settings.replayQuietMs);
      await this.coverLateCatchUpPoint(integration);
      if (integration.integration_type !== 'temporary') continue;
      if ((await this.finishIfDone(integration)).finished) finished.push(integration.id);
    }
    return finished;
  }

  /**
   * A delivery that read its integration as stopped just before a start can note a catch-up point after
   * the start's replay has finished looking for one (a delivery runs up to its function's timeout). Such a
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
    await this.deps.replays.begin(integration, missed, now.toISOString(), 'events missed around a start', {
      settle: true,
    });
    await this.deps.deliveryState.clearCatchUp(integration.id, missed);
  }

  /**
   * Finishes a temporary integration whose range is delivered; otherwise says when to look again (absent
   * when that is not soon, housekeeping's next runs will).
   */
  async finishIfDone(integration: Integration): Promise<{ finished: boolean; lookAgainInMs?: number }> {
    const now = this.deps.clock.now().getTime();
    const endsAt = Date.parse(integration.ends_at ?? '');
    const grace = integration.s3_parameters
      ? this.deps.settings.exportGraceMs
      : this.deps.settings.endGraceMs;
    if (Number.isNaN(endsAt)) return { finished: false };
    if (now < endsAt + grace) return notYet(endsAt + grace - now);
    const job = await this.deps.replayJobs.get(integration.id);
    if (job && !job.completed_at) return { finished: false };
    // S3 deliveries are accounted per file: done once the grace has let the last batches stage and no file
    // is left to upload (finishing must never discard one).
    const pending = integration.s3_parameters
      ? await this.deps.hasStagedExports(integration.id)
      : await this.deps.history.hasPending(integration);
    if (pending) return notYet(PENDING_LOOK_MS);
    await this.deps.registry.finish(integration.id);
    return { finished: true };
  }
}

/** Older than any start still at work (the API's timeout, with room to spare). */
const LATE_POINT_AGE_MS = 5 * 60_000;
/** Between two looks at a temporary integration whose last deliveries are under way. */
const PENDING_LOOK_MS = 10_000;
/** Looks further ahead than this are left to the scheduled runs. */
const SOON_MS = 10 * 60_000;

const notYet = (ms: number): { finished: false; lookAgainInMs?: number } =>
  ms <= SOON_MS ? { finished: false, lookAgainInMs: Math.max(ms, 1000) } : { finished: false };
