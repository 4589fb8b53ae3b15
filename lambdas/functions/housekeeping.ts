import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import type { ConfigOf } from '../shared/config.ts';
import { logger } from '../shared/powertools.ts';
import { Housekeeping } from '../use-cases/housekeeping.ts';
import { removeWithExportFiles } from '../use-cases/integration-remover.ts';
import { TemporaryEnd } from '../use-cases/temporary-end.ts';
import { exportFlush, exportStateStore } from './parts/exports.ts';
import { integrationRemover } from './parts/integrations.ts';
import type { Platform } from './parts/platform.ts';
import { replayJobs } from './parts/replays.ts';
import { deliveryHistoryStore, deliveryStateStore, integrationStore, replayStore } from './parts/stores.ts';

export const HOUSEKEEPING_ENTRY = 'lambdas/handlers/schedule/housekeeping.ts';

/** Every minute: finishes temporary integrations whose range is fully delivered, and keeps replays moving. */
export const createHousekeepingHandler = (
  config: ConfigOf<typeof HOUSEKEEPING_ENTRY>,
  platform: Platform,
) => {
  const jobs = replayStore(config, platform);
  const history = deliveryHistoryStore(config, platform);
  const exportState = exportStateStore(config, platform);
  const flush = exportFlush(config, platform);
  const remover = integrationRemover(config, platform);
  const temporaryEnd = new TemporaryEnd({
    replayJobs: jobs,
    pending: async (integration) => {
      if (!integration.s3_parameters) return history.hasPending(integration);
      // S3 deliveries are accounted per file: pending while an open file or an unuploaded one is left.
      const files = await exportState.load(integration.id);
      return files.open !== undefined || files.closed.length > 0;
    },
    // As the API's delete: an S3 integration's open file (empty by now) is written first, then dropped.
    finish: (integration) => removeWithExportFiles(integration, { exportFiles: flush, remover }),
    clock: platform.clock,
    settings: {
      endGraceMs: config.TEMPORARY_END_GRACE_SECONDS * 1000,
      exportGraceMs: config.TEMPORARY_EXPORT_GRACE_SECONDS * 1000,
    },
  });
  const housekeeping = new Housekeeping({
    integrations: integrationStore(config, platform),
    replayJobs: jobs,
    replays: replayJobs(config, platform),
    deliveryState: deliveryStateStore(config, platform),
    temporaryEnd,
    clock: platform.clock,
    replayQuietMs: 15 * 60_000,
  });
  return middy<ScheduledEvent, void>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async () => {
      const finished = await housekeeping.run();
      if (finished.length > 0) logger.info('Temporary integrations finished', { integration_ids: finished });
    });
};
