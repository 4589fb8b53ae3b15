import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { exportFlush } from '../../shared/composition.ts';
import { logger, metrics } from '../../shared/powertools.ts';

/** Uploads are not started with less than this left; the next run takes them. */
const SAFETY_MARGIN_MS = 30_000;

/** Every minute: closes export files that have had their 5 minutes and uploads the closed ones. */
export const handler = middy<ScheduledEvent, void>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (_event, context) => {
    try {
      await exportFlush.flushDue(Date.now() + context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS);
    } finally {
      // Most runs find nothing to do; publishing only when something was counted keeps the logs quiet.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  });
