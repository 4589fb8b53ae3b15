import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import type { ConfigOf } from '../shared/config.ts';
import { logger, metrics } from '../shared/powertools.ts';
import { exportFlush } from './parts/exports.ts';
import type { Platform } from './parts/platform.ts';

export const EXPORT_FLUSHER_ENTRY = 'lambdas/handlers/schedule/export-flusher.ts';

/** Uploads are not started with less than this left; the next run takes them. */
const SAFETY_MARGIN_MS = 30_000;

/** Every minute: closes export files that have had their 5 minutes and uploads the closed ones. */
export const createExportFlusherHandler = (
  config: ConfigOf<typeof EXPORT_FLUSHER_ENTRY>,
  platform: Platform,
) => {
  const flush = exportFlush(config, platform);
  return middy<ScheduledEvent, void>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (_event, context) => {
      try {
        await flush.flushDue(Date.now() + context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS);
      } finally {
        // Most runs find nothing to do; publishing only when something was counted keeps the logs quiet.
        if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      }
    });
};
