import { randomUUID } from 'node:crypto';
import { earliest } from '../domain/catch-up.ts';
import type { Integration } from '../domain/integration.ts';
import type { ReplayMessage } from '../domain/messages.ts';
import type { IntegrationLog } from '../domain/ports/integrations.ts';
import type { Clock, MessageQueue } from '../domain/ports/platform.ts';
import type { ReplayJob, ReplayStore } from '../domain/ports/replays.ts';

export interface ReplayJobsDeps {
  replays: ReplayStore;
  replayQueue: MessageQueue;
  logs: Pick<IntegrationLog, 'append'>;
  clock: Clock;
  /**
   * How long a catch-up waits before completing, for catch-up points noted by fan-outs and deliveries
   * that read the integration as stopped just before the start: at least their functions' timeout.
   */
  settleMs: number;
}

/**
 * Starts replays and keeps their messages alive: what the API (registration, start) and housekeeping need,
 * without the paging (`Replays`), which only the replay consumer runs.
 */
export class ReplayJobs {
  constructor(private readonly deps: ReplayJobsDeps) {}

  /**
   * Starts replaying `[from, to]` to the integration. A replay it had not finished is taken over: the new
   * one starts no later than where that one's range began, so nothing of it is dropped. `settle` (a
   * catch-up after a stop) waits before completing for catch-up points noted just before the start; a
   * registration's replay needs no wait.
   */
  async begin(
    integration: Integration,
    from: string,
    to: string,
    reason: string,
    { settle }: { settle: boolean },
  ): Promise<ReplayJob> {
    const now = this.deps.clock.now();
    const unfinished = await this.deps.replays.get(integration.id);
    if (unfinished && !unfinished.completed_at) {
      // Its current pass may have begun before its range, at a late catch-up point it has already cleared.
      const unfinishedFrom = earliest(unfinished.from, unfinished.range_from) ?? unfinished.range_from;
      if (unfinishedFrom < from) from = unfinishedFrom;
    }
    const job: ReplayJob = {
      integration_id: integration.id,
      job_id: randomUUID(),
      step: 0,
      range_from: from,
      from,
      to,
      shard: 0,
      settle_until: new Date(now.getTime() + (settle ? this.deps.settleMs : 0)).toISOString(),
      queued: 0,
      started_at: now.toISOString(),
      advanced_at: now.toISOString(),
      reason,
    };
    await this.deps.replays.put(job);
    await this.deps.logs.append(integration.id, [
      {
        action: 'replay_started',
        reason: `Replaying events received from ${from} to ${to} (${reason}).`,
        created_at: job.started_at,
      },
    ]);
    await this.send(job, 0);
    return job;
  }

  /**
   * Gives an unfinished job whose message was lost (a crash between writing the job and sending its
   * message, or a message gone to the DLQ) a new one. A job still driven by its message is left alone; a
   * second message would only race the first for each conditional advance, never fork the job.
   */
  async rearmIfStalled(integrationId: string, quietMs: number): Promise<boolean> {
    const job = await this.deps.replays.get(integrationId);
    if (!job || job.completed_at) return false;
    const last = Date.parse(job.advanced_at ?? job.started_at);
    const settling = Date.parse(job.settle_until) - this.deps.clock.now().getTime();
    if (this.deps.clock.now().getTime() - last < quietMs + Math.max(0, settling)) return false;
    await this.send(job, 0);
    return true;
  }

  /** Puts the job's message on the replay queue, after `delaySeconds`. */
  async send(job: ReplayJob, delaySeconds: number): Promise<void> {
    const message: ReplayMessage = { integration_id: job.integration_id, job_id: job.job_id };
    if (delaySeconds > 0) await this.deps.replayQueue.sendDelayed(JSON.stringify(message), delaySeconds);
    else await this.deps.replayQueue.send(JSON.stringify(message));
  }
}
