import { earliest } from '../domain/catch-up.ts';
import { EVENT_LOG_SHARDS } from '../domain/event.ts';
import type { Integration } from '../domain/integration.ts';
import type { ReplayMessage } from '../domain/messages.ts';
import type { DeliveryHistory, DeliveryStateStore } from '../domain/ports/deliveries.ts';
import type { EventLogStore } from '../domain/ports/events.ts';
import type { IntegrationLog, IntegrationRepository } from '../domain/ports/integrations.ts';
import type { Clock, Metrics } from '../domain/ports/platform.ts';
import type { ReplayJob, ReplayStore } from '../domain/ports/replays.ts';
import { type DeliveryRouter, wants } from './delivery-router.ts';
import type { ReplayJobs } from './replay-jobs.ts';

/** Receives after which a job's message passes the job on to a new message (redrive is at 200). */
export const HANDOFF_RECEIVES = 100;

/**
 * How long after its replay a temporary integration's message keeps looking whether it can finish (a
 * look every few seconds, well below the redrive count); housekeeping finishes what is left later.
 */
const ENDING_WATCH_MS = 10 * 60_000;

export interface ReplaysDeps {
  integrations: IntegrationRepository;
  replays: ReplayStore;
  /** Which events of a page a webhook integration already got. */
  history: Pick<DeliveryHistory, 'deliveredAmong'>;
  /** Hands a job over to a fresh message. */
  jobs: Pick<ReplayJobs, 'send'>;
  eventLog: EventLogStore;
  router: DeliveryRouter;
  logs: IntegrationLog;
  deliveryState: DeliveryStateStore;
  metrics: Metrics;
  clock: Clock;
  settings: {
    /** Events read per page (one replay message). */
    pageSize: number;
    /** Seconds between pages: paces a large replay behind live traffic. */
    pauseSeconds: number;
  };
}

/** What one receive of a replay message asks of its consumer. */
export interface ReplayStepResult {
  /** Receive the message again after this many seconds (the next page, or the end of the settle time). */
  againInSeconds?: number;
  /**
   * The replay of this temporary integration is complete: finish it once nothing is pending (and receive
   * the message again to look once more while something is).
   */
  ending?: Integration;
}

/** S3 ones wait for their last file to be uploaded: housekeeping ends those. */
const endingTemporary = (integration: Integration): boolean =>
  integration.integration_type === 'temporary' &&
  integration.status === 'running' &&
  integration.callback_parameters !== undefined;

/**
 * Replays a range of the event log to one integration in the background, a page per receive of the
 * job's replay-queue message, never holding more than a page in memory. The job's state (shard and sort
 * key reached) is in DynamoDB and advanced conditionally, so a crash resumes at the last page; a page
 * replayed twice only yields duplicates, which receivers drop by event id.
 */
export class Replays {
  constructor(private readonly deps: ReplaysDeps) {}

  /**
   * Processes one page of a job. The job's message stays on the queue for the whole replay: it comes
   * back (after the returned delay) for each page and is deleted only when the job is done, so no crash
   * can lose the job and no duplicate can fork it (two copies race for the same conditional advance;
   * the loser stops). After `HANDOFF_RECEIVES` the message hands over to a fresh one, below SQS's
   * redrive count.
   */
  async step(message: ReplayMessage, receiveCount = 1): Promise<ReplayStepResult> {
    const { deps } = this;
    const job = await deps.replays.get(message.integration_id);
    if (!job || job.job_id !== message.job_id) return {};
    const integration = await deps.integrations.get(job.integration_id);
    if (!integration) return {};
    // A temporary integration's message outlives its replay for a while, to end the integration promptly.
    if (job.completed_at) {
      const watching = deps.clock.now().getTime() - Date.parse(job.completed_at) < ENDING_WATCH_MS;
      return watching && endingTemporary(integration) ? { ending: integration } : {};
    }
    if (integration.status !== 'running') {
      // Stopped mid-replay: what is left of the range becomes part of the catch-up of the next start. A pass
      // that took over a late catch-up point may have begun before the range (and cleared that point).
      const missedFrom = earliest(job.from, job.range_from) ?? job.range_from;
      await deps.deliveryState.recordMissed(integration.id, missedFrom);
      await deps.replays.deleteIf(integration.id, job.job_id);
      return {};
    }
    const next: ReplayJob = { ...job, step: job.step + 1, advanced_at: deps.clock.now().toISOString() };
    delete next.clears_catch_up;
    let delay = deps.settings.pauseSeconds;
    if (job.shard < EVENT_LOG_SHARDS) {
      // Consistent: an event logged before the integration's start is seen (see FanOut).
      const page = await deps.eventLog.readShard(
        job.shard,
        { from: job.from, to: job.to, consistent: true },
        job.after_sk,
        deps.settings.pageSize,
      );
      const wanted = page.items.filter(({ item }) => wants(integration, item)).map(({ item }) => item);
      // What an integration already got is not sent again: a catch-up often starts before events that were
      // delivered (from a message dropped at the stop), and receivers that cannot deduplicate would book
      // them twice; an S3 integration would get them in a second file.
      // An ordered integration's rejected and failed events are finished too: sent again now, they would come
      // after newer events of their entity (a resend by API is the way to send one again).
      const delivered =
        wanted.length > 0
          ? await deps.history.deliveredAmong(
              integration,
              wanted,
              integration.callback_parameters?.ordering === 'entity',
            )
          : new Set<string>();
      const toSend = wanted.filter((event) => !delivered.has(event.id));
      await Promise.all(toSend.map((event) => deps.router.route(integration, event)));
      next.queued = job.queued + toSend.length;
      if (delivered.size > 0) next.skipped = (job.skipped ?? 0) + delivered.size;
      deps.metrics.count('ReplayEventsQueued', toSend.length);
      if (page.lastEvaluatedSk) {
        next.after_sk = page.lastEvaluatedSk;
      } else {
        next.shard = job.shard + 1;
        delete next.after_sk;
      }
    } else {
      const now = deps.clock.now();
      const settleMs = Date.parse(job.settle_until) - now.getTime();
      if (settleMs > 0) {
        delay = Math.ceil(settleMs / 1000);
      } else {
        // A fan-out or delivery that read the integration as stopped just before the start may have noted
        // a catch-up point since: this replay covers it too.
        const missed = (await deps.deliveryState.get(integration.id)).catch_up_from;
        if (missed) {
          next.clears_catch_up = missed;
          Object.assign(next, { from: missed, to: missed > job.to ? now.toISOString() : job.to, shard: 0 });
          delete next.after_sk;
        } else {
          next.completed_at = now.toISOString();
        }
      }
    }
    if (!(await deps.replays.advance(next, job.step))) return {};
    // Only now that the job covers it may the catch-up point go (if nothing earlier was noted meanwhile).
    if (next.clears_catch_up) await deps.deliveryState.clearCatchUp(integration.id, next.clears_catch_up);
    if (next.completed_at) {
      await deps.logs.append(integration.id, [
        {
          action: 'replay_completed',
          reason: `Replay of events received from ${job.range_from} to ${job.to} completed: ${next.queued} events queued${next.skipped ? `, ${next.skipped} already delivered not sent again` : ''}.`,
          created_at: next.completed_at,
        },
      ]);
      return endingTemporary(integration) ? { ending: integration } : {};
    }
    if (receiveCount >= HANDOFF_RECEIVES) {
      await deps.jobs.send(next, delay);
      return {};
    }
    return { againInSeconds: delay };
  }
}
