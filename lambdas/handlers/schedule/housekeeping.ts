import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import {
  clock,
  config,
  deliveryHistory,
  exportState,
  integrationService,
  integrations,
  replayJobs,
  replays,
} from '../../shared/composition.ts';
import { logger, tracer } from '../../shared/powertools.ts';
import { Housekeeping } from '../../use-cases/housekeeping.ts';

const housekeeping = new Housekeeping({
  integrations,
  replayJobs,
  replays,
  history: deliveryHistory,
  hasStagedExports: async (id) => {
    const files = await exportState.load(id);
    return files.open !== undefined || files.closed.length > 0;
  },
  service: integrationService,
  clock,
  settings: {
    endGraceMs: config.TEMPORARY_END_GRACE_SECONDS * 1000,
    exportGraceMs: config.TEMPORARY_EXPORT_GRACE_SECONDS * 1000,
    replayQuietMs: 15 * 60_000,
  },
});

/** Every minute: finishes temporary integrations whose range is fully delivered. */
export const handler = middy<ScheduledEvent, void>()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const finished = await housekeeping.run();
    if (finished.length > 0) logger.info('Temporary integrations finished', { integration_ids: finished });
  });
