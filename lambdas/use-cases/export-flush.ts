import { retryDelaySeconds } from '../domain/delivery-rules.ts';
import {
  type ClosedExportFile,
  DestinationError,
  describeUploadFailure,
  type ExportFile,
  exportObjectKey,
  firstReceivedAt,
  isDue,
} from '../domain/export-file.ts';
import type { Integration } from '../domain/integration.ts';
import type { DeliveryStateStore } from '../domain/ports/deliveries.ts';
import type {
  ExportDestinations,
  ExportFlusher,
  ExportStateStore,
  StagingStore,
} from '../domain/ports/exports.ts';
import type { IntegrationLog, IntegrationRepository } from '../domain/ports/integrations.ts';
import type { Clock, Metrics } from '../domain/ports/platform.ts';
import type { ExportUpload } from './export-upload.ts';
import type { IntegrationStopper } from './integration-stopper.ts';

export interface ExportFlushDeps {
  integrations: IntegrationRepository;
  state: ExportStateStore;
  staging: StagingStore;
  destinations: ExportDestinations;
  upload: ExportUpload;
  logs: IntegrationLog;
  deliveryState: DeliveryStateStore;
  /** Stops an integration whose uploads keep failing (without a flush: the bucket is what fails). */
  stopper: Pick<IntegrationStopper, 'stopIfStill'>;
  metrics: Metrics;
  clock: Clock;
  settings: {
    tenant: string;
    maxFileAgeMs: number;
    stopWindowMs: number;
    retryScheduleSeconds: readonly number[];
    /** How long one flusher holds a file's upload: longer than the function may run. */
    leaseMs: number;
    /** Integrations flushed side by side. */
    concurrency: number;
  };
}

type UploadOutcome = 'uploaded' | 'busy' | 'failed' | 'gave-up';

/** How long a flush on stop or delete may upload before leaving the rest to the schedule. */
const FLUSH_NOW_BUDGET_MS = 15_000;

/** Attempts at closing the open file while batchers keep appending to it. */
const MAX_CLOSE_ATTEMPTS = 5;

/**
 * The second half of S3 export: closes files that have had their 5 minutes and writes closed files to the
 * customer's bucket (see ExportUpload), then logs `file_uploaded` and deletes the staged chunks. Runs every
 * minute, and at once for an integration being stopped or deleted. A failed upload is logged with AWS's
 * error code and tried again with backoff on later runs; an integration whose uploads fail for the whole
 * stop window is stopped, its staged events given up and its catch-up point set to the earliest of them, so
 * a start replays them from the event log, as for webhooks.
 */
export class ExportFlush implements ExportFlusher {
  constructor(private readonly deps: ExportFlushDeps) {}

  /** The scheduled run; stops starting uploads at `deadline` (epoch ms), leaving the rest to the next run. */
  async flushDue(deadline = Number.POSITIVE_INFINITY): Promise<void> {
    const targets = (await this.deps.integrations.list()).filter((integration) => integration.s3_parameters);
    const errors: unknown[] = [];
    let next = 0;
    const worker = async () => {
      while (next < targets.length && Date.now() < deadline) {
        const integration = targets[next++] as Integration;
        await this.flushIntegration(integration, { force: false, deadline }).catch((error: unknown) => {
          errors.push(error);
        });
      }
    };
    await Promise.all(Array.from({ length: this.deps.settings.concurrency }, worker));
    if (errors.length > 0)
      throw new AggregateError(errors, `Export flush failed for ${errors.length} integrations`);
  }

  /**
   * Closes the open file now and uploads the closed ones (stop and delete), within `budgetMs` so an API
   * request stays inside the API function's 29 s (and API Gateway's 30 s): files left over are the scheduled run's. Upload failures
   * are logged, not thrown.
   */
  async flush(integration: Integration, budgetMs = FLUSH_NOW_BUDGET_MS): Promise<void> {
    await this.flushIntegration(integration, { force: true, deadline: Date.now() + budgetMs });
  }

  /**
   * Forgets whatever a deleted integration still had staged (files whose upload failed): without this a
   * new integration registered under the same id would inherit them. Call after the last flush.
   */
  async discard(integrationId: string): Promise<void> {
    const { deps } = this;
    const files = await deps.state.load(integrationId);
    for (const file of files.closed) {
      await deps.staging.deleteAll(file.chunks.map((chunk) => chunk.key));
      await deps.state.remove(integrationId, file.file_id);
    }
    if (files.open) {
      await deps.state.discardOpen(integrationId, files.open.file_id);
      await deps.staging.deleteAll(files.open.chunks.map((chunk) => chunk.key));
    }
  }

  /** Uploads files the batcher just closed, without waiting for the schedule. */
  async uploadClosed(integration: Integration, fileIds: readonly string[]): Promise<void> {
    for (const fileId of fileIds) {
      if ((await this.uploadFile(integration, fileId)) !== 'uploaded') return;
    }
  }

  private async flushIntegration(
    integration: Integration,
    options: { force: boolean; deadline: number },
  ): Promise<void> {
    const { deps } = this;
    const files = await deps.state.load(integration.id);
    const now = deps.clock.now();
    if (files.open && (options.force || isDue(files.open, now, deps.settings.maxFileAgeMs))) {
      const closed = await this.close(integration.id, files.open, options.force);
      if (closed) files.closed.push({ ...closed, attempts: 0 });
    }
    for (const file of files.closed) {
      if (Date.now() >= options.deadline) return;
      if (!options.force && file.next_attempt_at !== undefined && file.next_attempt_at > now.getTime())
        continue;
      const outcome = await this.uploadFile(integration, file.file_id);
      // A bucket that refused one file refuses the next: wait for the backoff rather than hammer it.
      if (outcome === 'failed' || outcome === 'gave-up') return;
    }
  }

  /** Closes the open file; with `force`, reads it again while batchers keep appending. */
  private async close(
    integrationId: string,
    open: ExportFile,
    force: boolean,
  ): Promise<ExportFile | undefined> {
    let current: ExportFile | undefined = open;
    for (let attempt = 0; current && attempt < MAX_CLOSE_ATTEMPTS; attempt++) {
      if (await this.deps.state.close(integrationId, current)) return current;
      if (!force) return undefined; // the next run closes it
      current = await this.deps.state.openFile(integrationId);
    }
    return undefined;
  }

  private async uploadFile(integration: Integration, fileId: string): Promise<UploadOutcome> {
    const { deps } = this;
    const id = integration.id;
    const started = deps.clock.now().getTime();
    const file = await deps.state.lease(id, fileId, started, started + deps.settings.leaseMs);
    if (!file) return 'busy'; // another flusher has it, or it is done
    const params = integration.s3_parameters;
    if (!params) return 'busy';
    const key = exportObjectKey(params.key_prefix, deps.settings.tenant, file);
    try {
      if (!file.uploaded_at) {
        const destination = await deps.destinations.forIntegration(integration);
        const result = await deps.upload.upload(id, file, destination, key);
        const now = deps.clock.now();
        deps.metrics.count('ExportFilesUploaded');
        deps.metrics.count('ExportEventsUploaded', result.events);
        deps.metrics.count('ExportBytesUploaded', result.bytes);
        await deps.deliveryState.recordSuccess(id, now);
        await deps.logs.append(id, [
          {
            action: 'file_uploaded',
            reason: `Uploaded s3://${params.bucket}/${key} (${result.events} events, ${result.bytes} bytes).`,
            created_at: now.toISOString(),
          },
        ]);
        await deps.state.update(id, fileId, { uploaded_at: now.toISOString(), upload: null });
      }
      await deps.staging.deleteAll(file.chunks.map((chunk) => chunk.key));
      await deps.state.remove(id, fileId);
      return 'uploaded';
    } catch (error) {
      if (error instanceof DestinationError) return this.failed(integration, file, key, error);
      // Our own storage failed: let the next run (or the lease's end, after a crash) try again.
      await deps.state.update(id, fileId, { lease_until: null }).catch(() => {});
      throw error;
    }
  }

  private async failed(
    integration: Integration,
    file: ClosedExportFile,
    key: string,
    error: DestinationError,
  ): Promise<UploadOutcome> {
    const { deps } = this;
    const bucket = integration.s3_parameters?.bucket ?? '';
    const reason = describeUploadFailure(bucket, key, error);
    const now = deps.clock.now();
    deps.metrics.count('ExportUploadFailed');
    const health = await deps.deliveryState.recordFailure(integration.id, now);
    const failingSince = health.failing_since ? Date.parse(health.failing_since) : now.getTime();
    if (now.getTime() - failingSince >= deps.settings.stopWindowMs) {
      await this.giveUp(integration, reason, failingSince);
      return 'gave-up';
    }
    const attempts = file.attempts + 1;
    const delaySeconds = retryDelaySeconds(attempts, undefined, deps.settings.retryScheduleSeconds);
    await deps.state.update(integration.id, file.file_id, {
      attempts,
      next_attempt_at: now.getTime() + delaySeconds * 1000,
      lease_until: null,
    });
    if (await deps.deliveryState.claimRetryLogSlot(integration.id, now)) {
      await deps.logs.append(integration.id, [
        {
          action: 'retry_triggered',
          reason: `${reason} ${file.events} events wait in staging; attempt ${attempts}, next in about ${delaySeconds} s.`,
          created_at: now.toISOString(),
        },
      ]);
    }
    return 'failed';
  }

  /**
   * No upload worked for the stop window: note where a start must catch up from, drop the staged files
   * (the event log still has their events) and stop the integration, as webhooks do.
   */
  private async giveUp(integration: Integration, reason: string, failingSince: number): Promise<void> {
    const { deps } = this;
    const files = await deps.state.load(integration.id);
    const all: ExportFile[] = [...files.closed, ...(files.open ? [files.open] : [])];
    const earliest = all
      .map(firstReceivedAt)
      .filter((at): at is string => at !== undefined)
      .sort()[0];
    // First the catch-up point, then the drop: a crash in between loses nothing.
    if (earliest) await deps.deliveryState.recordMissed(integration.id, earliest);
    await this.discard(integration.id);
    deps.metrics.count('ExportIntegrationStopped');
    const hours = Math.round(deps.settings.stopWindowMs / 3_600_000);
    await deps.stopper.stopIfStill(
      integration.id,
      `No file could be written to s3://${integration.s3_parameters?.bucket} since ${new Date(failingSince).toISOString()} (stop window ${hours} h); integration stopped. Last failure: ${reason} Start it again to catch up.`,
    );
  }
}
