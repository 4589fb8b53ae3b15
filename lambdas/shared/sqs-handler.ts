import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod/mini';
import { MalformedMessage, parseMessage } from '../domain/messages.ts';
import { logger, publishMetrics } from './powertools.ts';

/**
 * An SQS consumer with partial batch responses: `prepare` runs once per batch (shared lookups), then
 * every record is handled in parallel; a record whose handler throws is reported as failed and only it
 * comes back. A batch where every record failed is reported the same way rather than as a Lambda
 * error, so one bad receiver does not show up as function errors. `finish` runs after every record, before
 * the answer that lets SQS delete them (writes the records' work shares); if it throws, the invocation
 * fails and the whole batch comes back.
 */
export const sqsBatchHandler = <Batch>(
  prepare: (records: SQSRecord[]) => Promise<Batch>,
  handleRecord: (record: SQSRecord, batch: Batch) => Promise<void>,
  finish?: (batch: Batch) => Promise<void>,
) =>
  middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics())
    .handler(async (event, context) => {
      const batch = await prepare(event.Records);
      const processor = new BatchProcessor(EventType.SQS);
      const response = await processPartialResponse(
        event,
        (record: SQSRecord) => handleRecord(record, batch),
        processor,
        { context, throwOnFullBatchFailure: false },
      );
      await finish?.(batch);
      return response;
    });

/** When SQS first accepted the message (the `SentTimestamp` attribute). */
export const sentAt = (record: SQSRecord): Date => new Date(Number(record.attributes.SentTimestamp));

/** How many times SQS has handed the message out, this time included. */
export const receiveCount = (record: SQSRecord): number =>
  Number(record.attributes.ApproximateReceiveCount) || 1;

/**
 * A record's body parsed with its queue's schema. One that does not fit is logged and thrown, so the record
 * is reported failed alone and, after the queue's `maxReceiveCount`, lands in its DLQ for an operator.
 */
export const parseRecord = <T>(schema: z.ZodMiniType<T>, record: SQSRecord): T => {
  try {
    return parseMessage(schema, record.body);
  } catch (error) {
    if (error instanceof MalformedMessage) {
      logger.error('Malformed queue message; it goes to the DLQ after its retries', {
        message_id: record.messageId,
        event_source: record.eventSourceARN,
        reason: error.message,
      });
    }
    throw error;
  }
};
