import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { DeliveryMessage } from '../../domain/ports.ts';
import { exportBatcher, exportFlush } from '../../shared/composition.ts';
import { logger, publishMetrics } from '../../shared/powertools.ts';
import type { ExportRecord } from '../../use-cases/export-batcher.ts';

/** Full files are uploaded right away only while this much of the invocation is left; else the flusher does. */
const UPLOAD_NOW_MIN_REMAINING_MS = 60_000;

/**
 * Export queue consumer: stages a whole batch (up to 1,000 records gathered over the batching window) as
 * chunks of the integrations' open files. Records are reported failed only where their chunk did not
 * become durable. Files the batch filled up are uploaded before returning when time allows.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics())
  .handler(async (event, context) => {
    const records: ExportRecord[] = [];
    const failed: string[] = [];
    for (const record of event.Records) {
      try {
        records.push({ recordId: record.messageId, message: JSON.parse(record.body) as DeliveryMessage });
      } catch {
        // Only the fan-out writes this queue; a body that is not JSON can never succeed.
        logger.error('Dropped an export message that is not JSON', { message_id: record.messageId });
      }
    }
    const result = await exportBatcher.stage(records);
    failed.push(...result.failedRecordIds);
    for (const error of result.errors) logger.error('Staging export lines failed', { error });
    for (const { integration, fileIds } of result.fullFiles) {
      if (context.getRemainingTimeInMillis() < UPLOAD_NOW_MIN_REMAINING_MS) break;
      // The records are durable already: a failed upload here is the flusher's to retry, not theirs.
      await exportFlush.uploadClosed(integration, fileIds).catch((error: unknown) => {
        logger.warn('Uploading a full export file failed; the flusher retries', {
          integration_id: integration.id,
          error,
        });
      });
    }
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  });
