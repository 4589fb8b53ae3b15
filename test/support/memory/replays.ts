import type { ReplayJob, ReplayStore } from '../../../lambdas/domain/ports/replays.ts';

/** One job per integration; `advance` only from the step it read, `deleteIf` only the same job. */
export class MemoryReplayStore implements ReplayStore {
  private readonly jobs = new Map<string, ReplayJob>();

  async get(integrationId: string): Promise<ReplayJob | undefined> {
    const job = this.jobs.get(integrationId);
    return job && structuredClone(job);
  }

  async put(job: ReplayJob): Promise<void> {
    this.jobs.set(job.integration_id, structuredClone(job));
  }

  async deleteIf(integrationId: string, jobId: string): Promise<void> {
    if (this.jobs.get(integrationId)?.job_id === jobId) this.jobs.delete(integrationId);
  }

  async advance(job: ReplayJob, expectedStep: number): Promise<boolean> {
    const stored = this.jobs.get(job.integration_id);
    if (stored?.job_id !== job.job_id || stored.step !== expectedStep) return false;
    this.jobs.set(job.integration_id, structuredClone(job));
    return true;
  }

  async delete(integrationId: string): Promise<void> {
    this.jobs.delete(integrationId);
  }
}
