import type { Integration } from '../domain/integration.ts';
import type { Clock, DeliveryHistory, IntegrationRepository, ReplayStore } from '../domain/ports.ts';
import type { IntegrationService } from './integration-service.ts';
import type { Replays } from './replays.ts';

export interface HousekeepingDeps {
  integrations: IntegrationRepository;
  replayJobs: ReplayStore;
  replays: Pick<Replays, 'rearmIfStalled'>;
  history: DeliveryHistory;
  /** Whether an S3 integration still has export data staged (an open file, or closed ones not uploaded). */
  hasStagedExports: (integrationId: string) => Promise<boolean>;
  service: IntegrationService;
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
      if (integration.integration_type !== 'temporary') continue;
      if (await this.isDone(integration)) {
        await this.deps.service.finish(integration.id);
        finished.push(integration.id);
      }
    }
    return finished;
  }

  private async isDone(integration: Integration): Promise<boolean> {
    const now = this.deps.clock.now().getTime();
    const endsAt = Date.parse(integration.ends_at ?? '');
    const grace = integration.s3_parameters
      ? this.deps.settings.exportGraceMs
      : this.deps.settings.endGraceMs;
    if (Number.isNaN(endsAt) || now < endsAt + grace) return false;
    const job = await this.deps.replayJobs.get(integration.id);
    if (job && !job.completed_at) return false;
    // S3 deliveries are accounted per file: done once the grace has let the last batches stage and no file
    // is left to upload (finishing must never discard one).
    if (integration.s3_parameters) return !(await this.deps.hasStagedExports(integration.id));
    return !(await this.deps.history.hasPending(integration));
  }
}
