import type { Integration } from '../domain/integration.ts';
import type { Clock } from '../domain/ports/platform.ts';
import type { ReplayStore } from '../domain/ports/replays.ts';

export interface TemporaryEndDeps {
  replayJobs: Pick<ReplayStore, 'get'>;
  /**
   * Whether deliveries of the integration are still under way: pending webhook deliveries, or export data
   * staged and not yet uploaded (an S3 integration's deliveries are accounted per file).
   */
  pending: (integration: Integration) => Promise<boolean>;
  /** Deletes the integration with everything it had (an S3 one's open file written first). */
  finish: (integration: Integration) => Promise<void>;
  clock: Clock;
  settings: {
    /** After `ends_at`, time for the last live events to pass ingest and fan-out. */
    endGraceMs: number;
    /**
     * S3 deliveries are accounted per file: wait this long after `ends_at` for the last batch (longer than
     * the export queue's visibility, so a batch that failed once has been retried).
     */
    exportGraceMs: number;
  };
}

/** Longer than a registration takes (the API's timeout is 29 s) to write its replay job. */
const REGISTRATION_MS = 60_000;
/** Longer than a global secondary index takes to show a write, as DynamoDB Local and AWS do it. */
const INDEX_LAG_MS = 5_000;
/** Between two looks at a temporary integration whose last deliveries are under way. */
const PENDING_LOOK_MS = 10_000;
/** Looks further ahead than this are left to the scheduled runs. */
const SOON_MS = 10 * 60_000;

/**
 * The end of a temporary integration, as NewStore's go away once their last event is sent: once `ends_at`
 * and its grace have passed, its replay is complete and nothing is pending, it is deleted.
 */
export class TemporaryEnd {
  constructor(private readonly deps: TemporaryEndDeps) {}

  /**
   * Finishes the integration if its range is delivered; otherwise says when to look again (absent when
   * that is not soon: the scheduled runs will).
   */
  async finishIfDone(integration: Integration): Promise<{ finished: boolean; lookAgainInMs?: number }> {
    const { deps } = this;
    const now = deps.clock.now().getTime();
    const endsAt = Date.parse(integration.ends_at ?? '');
    const grace = integration.s3_parameters ? deps.settings.exportGraceMs : deps.settings.endGraceMs;
    if (Number.isNaN(endsAt)) return { finished: false };
    if (now < endsAt + grace) return notYet(endsAt + grace - now);
    const job = await deps.replayJobs.get(integration.id);
    if (job && !job.completed_at) return { finished: false };
    // Registration writes the integration before its replay job: one without a job yet may be seconds old,
    // its replay not even begun (nothing is pending because nothing was queued).
    const age = now - Date.parse(integration.created_at);
    if (!job && age < REGISTRATION_MS) return notYet(REGISTRATION_MS - age);
    // The pending index is eventually consistent: the records of the replay's last page may not show in
    // it for a moment after they were written. Asked too early, it would say "nothing pending" and the
    // integration would go before its last deliveries.
    const indexedAt = job?.completed_at ? Date.parse(job.completed_at) + INDEX_LAG_MS : 0;
    if (now < indexedAt) return notYet(indexedAt - now);
    if (await deps.pending(integration)) return notYet(PENDING_LOOK_MS);
    await deps.finish(integration);
    return { finished: true };
  }
}

const notYet = (ms: number): { finished: false; lookAgainInMs?: number } =>
  ms <= SOON_MS ? { finished: false, lookAgainInMs: Math.max(ms, 1000) } : { finished: false };
