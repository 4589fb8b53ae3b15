import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { housekeeping } from '../../shared/composition.ts';
import { logger, tracer } from '../../shared/powertools.ts';

/** Every minute: finishes temporary integrations whose range is fully delivered. */
export const handler = middy<ScheduledEvent, void>()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const finished = await housekeeping.run();
    if (finished.length > 0) logger.info('Temporary integrations finished', { integration_ids: finished });
  });
