import {
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { QueueConsumer } from '../lib/resource-definitions.ts';
import { LOCAL_REGION } from './emulators/index.ts';
import { lambdaContext, withTimeout } from './lambda.ts';
import type { Worker } from './runtime.ts';

/** What the consumer modules export: an SQS handler reporting partial batch failures. */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface SqsPollerOptions {
  sqs: SQSClient;
  /** The queue's name, for logs and the worker's name. */
  queueName: string;
  queueUrl: string;
  /** The records' `eventSourceARN`. */
  queueArn: string;
  consumer: Pick<
    QueueConsumer,
    'functionId' | 'batchSize' | 'maxBatchingWindowSeconds' | 'timeoutSeconds' | 'maxConcurrency'
  >;
  handler: SqsHandler;
  /**
   * Concurrent invocations at most; default `min(consumer.maxConcurrency, 4)`: Lambda would go higher, but
   * this machine runs the emulators and the receivers too.
   */
  concurrency?: number;
  /**
   * Long poll length. Short (default 1 s) because stop() waits for the poll in progress rather than
   * aborting it: an aborted ReceiveMessage may still take messages server-side, which would then stay
   * invisible for a whole visibility timeout.
   */
  waitTimeSeconds?: number;
  /** Where handler errors and failed deletes go; default console.error. */
  log?: (line: string, error?: unknown) => void;
}

/** Lambda's cap on one ReceiveMessage, which the event source mapping also lives with. */
const MAX_RECEIVE = 10;

/**
 * Stands in for a Lambda SQS event source mapping with `ReportBatchItemFailures`: gathers records up to
 * `batchSize` or until `maxBatchingWindowSeconds` after the first one, invokes the handler with Lambda's
 * `SQSEvent` and a context that times out like the function, then deletes every record not reported in
 * `batchItemFailures`. Failed records are left alone, so they come back when their visibility ends (the
 * queue's timeout, or whatever the handler set with ChangeMessageVisibility) and reach the dead-letter queue
 * after `maxReceiveCount` receives. A throw, a timeout or an invalid response leaves the whole batch.
 */
export const startSqsPoller = (options: SqsPollerOptions): Worker => {
  const { sqs, queueName, queueUrl, consumer, handler } = options;
  const concurrency = Math.max(1, options.concurrency ?? Math.min(consumer.maxConcurrency, 4));
  const waitTimeSeconds = options.waitTimeSeconds ?? 1;
  const log =
    options.log ?? ((line: string, error?: unknown) => console.error(line, ...(error ? [error] : [])));
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let wakeSlotWaiter: (() => void) | undefined;

  const receive = async (max: number, waitSeconds: number): Promise<Message[]> => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(MAX_RECEIVE, max),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return Messages;
  };

  /** One batch: empty only when stopping. */
  const gather = async (): Promise<Message[]> => {
    const batch: Message[] = [];
    let windowEnds = Number.POSITIVE_INFINITY;
    while (batch.length < consumer.batchSize) {
      if (batch.length === 0) {
        if (stopped) break;
        const messages = await receive(consumer.batchSize, waitTimeSeconds);
        if (messages.length === 0) continue;
        batch.push(...messages);
        windowEnds = Date.now() + consumer.maxBatchingWindowSeconds * 1000;
        continue;
      }
      const remainingMs = windowEnds - Date.now();
      // Once stopping, hand over what we hold: messages we would drop stay invisible for a whole timeout.
      if (remainingMs <= 0 || stopped) break;
      // WaitTimeSeconds is whole seconds: long poll while a second or more is left, then short polls.
      const waitSeconds = Math.min(waitTimeSeconds, Math.floor(remainingMs / 1000));
      const messages = await receive(consumer.batchSize - batch.length, waitSeconds);
      batch.push(...messages);
      if (messages.length === 0 && waitSeconds === 0) await sleep(Math.min(remainingMs, 50));
    }
    return batch;
  };

  const invoke = async (messages: Message[]): Promise<void> => {
    const records = messages.map((message) => toRecord(message, options.queueArn));
    const timeoutMs = consumer.timeoutSeconds * 1000;
    const context = lambdaContext(consumer.functionId, timeoutMs);
    let outcome: unknown;
    try {
      outcome = await withTimeout(
        Promise.resolve().then(() => handler({ Records: records }, context)),
        timeoutMs,
      );
    } catch (error) {
      log(
        `${queueName}: ${consumer.functionId} failed; the batch of ${records.length} stays on the queue`,
        error,
      );
      return;
    }
    if (outcome === 'timeout') {
      log(
        `${queueName}: ${consumer.functionId} timed out after ${consumer.timeoutSeconds} s; the batch stays`,
      );
      return;
    }
    const failed = failedMessageIds(outcome, records);
    if (failed === 'invalid') {
      log(
        `${queueName}: ${consumer.functionId} returned an invalid batch response; the batch stays`,
        outcome,
      );
      return;
    }
    await deleteRecords(records.filter((record) => !failed.has(record.messageId)));
  };

  const deleteRecords = async (records: SQSRecord[]): Promise<void> => {
    for (let start = 0; start < records.length; start += MAX_RECEIVE) {
      const chunk = records.slice(start, start + MAX_RECEIVE);
      try {
        const { Failed = [] } = await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((record, index) => ({
              Id: String(index),
              ReceiptHandle: record.receiptHandle,
            })),
          }),
        );
        if (Failed.length) log(`${queueName}: ${Failed.length} deletes failed`, Failed);
      } catch (error) {
        log(`${queueName}: DeleteMessageBatch failed`, error);
      }
    }
  };

  const slotFree = async (): Promise<void> => {
    while (inFlight.size >= concurrency && !stopped) {
      await new Promise<void>((resolve) => {
        wakeSlotWaiter = resolve;
      });
    }
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      await slotFree();
      let batch: Message[];
      try {
        batch = await gather();
      } catch (error) {
        if (stopped) break;
        log(`${queueName}: ReceiveMessage failed; retrying in 1 s`, error);
        await sleep(1000);
        continue;
      }
      if (batch.length === 0) continue;
      const invocation = invoke(batch).finally(() => {
        inFlight.delete(invocation);
        wakeSlotWaiter?.();
      });
      inFlight.add(invocation);
    }
  };

  const running = loop();
  return {
    name: `sqs-poller ${queueName}`,
    stop: async () => {
      stopped = true;
      wakeSlotWaiter?.();
      await running;
      await Promise.all(inFlight);
    },
  };
};

/**
 * `batchItemFailures` as Lambda reads it: no response or no list means all succeeded; a response that is not
 * an object, a list that is not one, or an identifier that is empty or not in the batch fails the batch.
 */
const failedMessageIds = (outcome: unknown, records: SQSRecord[]): Set<string> | 'invalid' => {
  if (outcome === undefined || outcome === null) return new Set();
  if (typeof outcome !== 'object' || Array.isArray(outcome)) return 'invalid';
  const failures = (outcome as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return 'invalid';
  const ids = new Set(records.map((record) => record.messageId));
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !ids.has(id)) return 'invalid';
    failed.add(id);
  }
  return failed;
};

/** A received message in the shape Lambda hands to the function. */
export const toRecord = (message: Message, queueArn: string): SQSRecord => ({
  messageId: message.MessageId ?? '',
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body ?? '',
  attributes: message.Attributes as unknown as SQSRecord['attributes'],
  messageAttributes: toLambdaAttributes(message.MessageAttributes),
  md5OfBody: message.MD5OfBody ?? '',
  ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: queueArn.split(':')[3] ?? LOCAL_REGION,
});

/** `{DataType, StringValue, BinaryValue}` → Lambda's `{dataType, stringValue, binaryValue (base64), ...}`. */
const toLambdaAttributes = (attributes: Record<string, MessageAttributeValue> = {}): SQSMessageAttributes =>
  Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined
          ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }
          : {}),
        stringListValues: [],
        binaryListValues: [],
        dataType: value.DataType ?? 'String',
      },
    ]),
  );

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
