import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, publishMetrics, tracer } from './powertools.ts';

/**
 * An SQS consumer with partial batch responses: `prepare` runs once per batch (shared lookups), then
 * every record is handled in parallel; a record whose handler throws is reported as failed and only it
 * comes back. A batch where every record failed is reported the same way rather than as a Lambda
 * error, so one bad receiver does not show up as function errors.
 */
export const sqsBatchHandler = <Batch>(
  prepare: (records: SQSRecord[]) => Promise<Batch>,
  handleRecord: (record: SQSRecord, batch: Batch) => Promise<void>,
) =>
  middy<SQSEvent, SQSBatchResponse>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics())
    .handler(async (event, context) => {
      const batch = await prepare(event.Records);
      const processor = new BatchProcessor(EventType.SQS);
      return processPartialResponse(event, (record: SQSRecord) => handleRecord(record, batch), processor, {
        context,
        throwOnFullBatchFailure: false,
      });
    });

/** When SQS first accepted the message (the `SentTimestamp` attribute). */
export const sentAt = (record: SQSRecord): Date => new Date(Number(record.attributes.SentTimestamp));

/** How many times SQS has handed the message out, this time included. */
export const receiveCount = (record: SQSRecord): number =>
  Number(record.attributes.ApproximateReceiveCount) || 1;
