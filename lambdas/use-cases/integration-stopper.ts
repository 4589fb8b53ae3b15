import { ConflictError, NotFoundError } from '../domain/errors.ts';
import type { Integration } from '../domain/integration.ts';
import type { IntegrationLog, IntegrationRepository } from '../domain/ports/integrations.ts';
import type { Clock } from '../domain/ports/platform.ts';
import { appendLog, loadIntegration } from './integration-lookup.ts';

export interface IntegrationStopperDeps {
  integrations: Pick<IntegrationRepository, 'get' | 'update'>;
  logs: Pick<IntegrationLog, 'append'>;
  clock: Clock;
}

/**
 * Marks an integration stopped and logs why: what the API's stop does before it flushes an S3 file, and all
 * the pipeline does when it gives up on a destination (a 410, the stop window). The pipeline's stop never
 * flushes: the destination is what failed.
 */
export class IntegrationStopper {
  constructor(private readonly deps: IntegrationStopperDeps) {}

  /** Idempotent: stopping a stopped integration changes nothing, logs nothing, and says so. */
  async stop(id: string, reason: string): Promise<{ integration: Integration; changed: boolean }> {
    const current = await loadIntegration(this.deps.integrations, id);
    if (current.status === 'stopped') return { integration: current, changed: false };
    const now = this.deps.clock.now();
    const next: Integration = {
      ...current,
      status: 'stopped',
      stopped_at: now.toISOString(),
      updated_at: now.toISOString(),
      version: current.version + 1,
    };
    await this.deps.integrations.update(next);
    await appendLog(this.deps.logs, id, now, [['integration_stopped', reason]]);
    return { integration: next, changed: true };
  }

  /**
   * A stop decided by the pipeline: an integration deleted or changed meanwhile is left as it is; the next
   * message or run finds out again.
   */
  async stopIfStill(id: string, reason: string): Promise<void> {
    try {
      await this.stop(id, reason);
    } catch (error) {
      if (error instanceof NotFoundError) return;
      if (error instanceof ConflictError && error.errorCode === 'concurrent_modification') return;
      throw error;
    }
  }
}
