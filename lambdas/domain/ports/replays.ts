/** Replay jobs: a range of the event log being queued for one integration, page by page. */

/** A replay in progress: a range of the event log being queued for one integration, page by page. */
export interface ReplayJob {
  integration_id: string;
  job_id: string;
  /** Incremented by each page; every advance is conditional on it. */
  step: number;
  /** The range as asked for (`from` moves when a pass starts over). */
  range_from: string;
  from: string;
  to: string;
  /** A catch-up point this step took over, to be cleared once the step is recorded. */
  clears_catch_up?: string;
  /** Shard being read, and the last sort key read in it. */
  shard: number;
  after_sk?: string;
  /**
   * Not completed before this instant: a catch-up waits for catch-up points noted by fan-outs and
   * deliveries that read the integration as stopped just before its start (they land within a
   * function timeout); a registration's replay has nothing to wait for.
   */
  settle_until: string;
  queued: number;
  /** Events of the range the webhook had already got, so not sent again. */
  skipped?: number;
  started_at: string;
  /** When the job last moved (created or advanced): a job quiet for long has lost its message. */
  advanced_at?: string;
  reason: string;
  completed_at?: string;
}

export interface ReplayStore {
  get(integrationId: string): Promise<ReplayJob | undefined>;
  /** Creates the integration's job, replacing (and so cancelling) any earlier one. */
  put(job: ReplayJob): Promise<void>;
  /** Deletes the job if it is still `jobId` (a newer one is left alone). */
  deleteIf(integrationId: string, jobId: string): Promise<void>;
  /** Writes the job's next state if its step is still `expectedStep`; false when another run got there first. */
  advance(job: ReplayJob, expectedStep: number): Promise<boolean>;
  delete(integrationId: string): Promise<void>;
}
