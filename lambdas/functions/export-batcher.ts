import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { deliveryMessageSchema } from '../domain/messages.ts';
import type { ConfigOf } from '../shared/config.ts';
import { logger, metricsPort, publishMetrics } from '../shared/powertools.ts';
import { parseRecord, receiveCount, sentAt } from '../shared/sqs-handler.ts';
import { ExportBatcher, type ExportRecord } from '../use-cases/export-batcher.ts';
import { exportFlush, exportStagingStore, exportStateStore } from './parts/exports.ts';
import type { Platform } from './parts/platform.ts';
import { deliveryHistoryStore, deliveryStateStore, eventLogStore, integrationStore } from './parts/stores.ts';

export const EXPORT_BATCHER_ENTRY = 'lambdas/handlers/sqs/export-batcher.ts';

/** Full files are uploaded right away only while this much of the invocation is left; else the flusher does. */
const UPLOAD_NOW_MIN_REMAINING_MS = 60_000;

/** The batcher and the flush it uploads full files with, built on `platform`. */
export const composeExportBatcher = (config: ConfigOf<typeof EXPORT_BATCHER_ENTRY>, platform: Platform) => ({
  batcher: new ExportBatcher({
    integrations: integrationStore(config, platform),
    eventLog: eventLogStore(config, platform),
    state: exportStateStore(config, platform),
    staging: exportStagingStore(config, platform),
    deliveryState: deliveryStateStore(config, platform),
    history: deliveryHistoryStore(config, platform),
    metrics: metricsPort,
    clock: platform.clock,
    settings: {
      maxFileBytes: config.EXPORT_MAX_FILE_BYTES,
      maxFileAgeMs: config.EXPORT_MAX_FILE_AGE_SECONDS * 1000,
      chunkBytes: config.EXPORT_CHUNK_BYTES,
      tenant: config.TENANT,
    },
  }),
  flush: exportFlush(config, platform),
});

/**
 * Export queue consumer: stages a whole batch (up to 1,000 records gathered over the batching window) as
 * chunks of the integrations' open files. Records are reported failed only where their chunk did not
 * become durable. Files the batch filled up are uploaded before returning when time allows.
 */
export const createExportBatcherHandler = (
  config: ConfigOf<typeof EXPORT_BATCHER_ENTRY>,
  platform: Platform,
) => {
  const { batcher, flush } = composeExportBatcher(config, platform);
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics())
    .handler(async (event, context) => {
      const records: ExportRecord[] = [];
      const failed: string[] = [];
      for (const record of event.Records) {
        try {
          records.push({
            recordId: record.messageId,
            message: parseRecord(deliveryMessageSchema(), record),
            receiveCount: receiveCount(record),
            sentAt: sentAt(record),
          });
        } catch {
          failed.push(record.messageId); // logged by parseRecord; the DLQ keeps it for an operator
        }
      }
      const result = await batcher.stage(records);
      failed.push(...result.failedRecordIds);
      for (const error of result.errors) logger.error('Staging export lines failed', { error });
      for (const { integration, fileIds } of result.fullFiles) {
        if (context.getRemainingTimeInMillis() < UPLOAD_NOW_MIN_REMAINING_MS) break;
        // The records are durable already: a failed upload here is the flusher's to retry, not theirs.
        await flush.uploadClosed(integration, fileIds).catch((error: unknown) => {
          logger.warn('Uploading a full export file failed; the flusher retries', {
            integration_id: integration.id,
            error,
          });
        });
      }
      return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
    });
};
