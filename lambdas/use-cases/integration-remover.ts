import type { Integration } from '../domain/integration.ts';
import type { DeliveryStateStore } from '../domain/ports/deliveries.ts';
import type { ExportFlusher } from '../domain/ports/exports.ts';
import type {
  IntegrationLog,
  IntegrationRepository,
  RejectedEventStore,
  SecretStore,
} from '../domain/ports/integrations.ts';
import type { ReplayStore } from '../domain/ports/replays.ts';
import { integrationNotFound } from './integration-lookup.ts';

export interface IntegrationRemoverDeps {
  integrations: Pick<IntegrationRepository, 'get' | 'delete'>;
  logs: Pick<IntegrationLog, 'deleteAll'>;
  rejected: Pick<RejectedEventStore, 'deleteAll'>;
  deliveryState: Pick<DeliveryStateStore, 'delete'>;
  replayJobs: Pick<ReplayStore, 'delete'>;
  secrets: Pick<SecretStore, 'delete'>;
}

/**
 * Deletes an integration with its log, rejected events, delivery state, replay and secret. Export files are
 * the caller's to write first (the registry's delete does); the replay consumer ends temporary webhook
 * integrations with this alone.
 */
export class IntegrationRemover {
  constructor(private readonly deps: IntegrationRemoverDeps) {}

  async remove(integration: Integration): Promise<void> {
    const { deps } = this;
    const { id } = integration;
    // The id may have been deleted and registered again since `integration` was read (a temporary one ending
    // while someone re-registers it): that one is not ours to remove.
    const current = await deps.integrations.get(id);
    if (!current) throw integrationNotFound(id);
    if (current.created_at !== integration.created_at) return;
    // Children first: if anything fails midway the integration still exists and a retry finishes the job.
    await Promise.all([
      deps.logs.deleteAll(id),
      deps.rejected.deleteAll(id),
      deps.deliveryState.delete(id),
      deps.replayJobs.delete(id),
    ]);
    if (integration.has_secrets) await deps.secrets.delete(id);
    if (!(await deps.integrations.delete(id))) throw integrationNotFound(id);
  }
}

/**
 * Deletes an integration the way the API does: an S3 integration's open file is written to the customer's
 * bucket first (while its credentials still exist) and what is left staged dropped, then the integration
 * goes with everything it had.
 */
export const removeWithExportFiles = async (
  integration: Integration,
  deps: {
    exportFiles: Pick<ExportFlusher, 'flush' | 'discard'>;
    remover: Pick<IntegrationRemover, 'remove'>;
  },
): Promise<void> => {
  if (integration.s3_parameters) {
    await deps.exportFiles.flush(integration);
    await deps.exportFiles.discard(integration.id);
  }
  await deps.remover.remove(integration);
};
