import { randomUUID } from 'node:crypto';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { LoggedEvent } from '../lambdas/domain/event.ts';
import type { DeliveryMessage } from '../lambdas/domain/messages.ts';
import { WEBHOOK_QUEUE } from '../lib/resource-definitions.ts';

/** Records per invocation: the delivery queue's event source mapping batch size. */
export const SQS_BATCH_SIZE = WEBHOOK_QUEUE.consumer?.batchSize ?? 10;

/** An order event of about 1 KiB, a typical commerce webhook body. */
export const benchEvent = (tenant: string, receivedAt: Date): LoggedEvent => ({
  id: randomUUID(),
  tenant,
  name: 'order.created',
  published_at: receivedAt.toISOString(),
  received_at: receivedAt.toISOString(),
  payload: {
    order_id: randomUUID(),
    channel: 'web',
    currency: 'EUR',
    customer: { id: randomUUID(), email: 'jane.doe@example.com', locale: 'de-DE' },
    shipping_address: { line1: 'Hauptstrasse 1', city: 'Berlin', postcode: '10115', country: 'DE' },
    items: Array.from({ length: 5 }, (_, i) => ({
      sku: `SKU-${100_000 + i}`,
      name: `Cotton T-shirt, size ${['S', 'M', 'L', 'XL', 'XXL'][i]}`,
      quantity: 1 + i,
      price: { amount: 19.99 + i, tax: 3.8, currency: 'EUR' },
    })),
    totals: { subtotal: 149.9, shipping: 4.95, tax: 28.49, grand_total: 154.85 },
  },
});

/** The body the dispatcher sends for an event (the envelope, without received_at). */
export const webhookBody = (event: LoggedEvent): string =>
  JSON.stringify({
    id: event.id,
    tenant: event.tenant,
    name: event.name,
    published_at: event.published_at,
    payload: event.payload,
  });

/** SQS records in Lambda's shape, cut into invocation batches; `SentTimestamp` now, first receive. */
export const sqsBatches = (messages: readonly DeliveryMessage[]): SQSEvent[] => {
  const now = String(Date.now());
  const records = messages.map(
    (message): SQSRecord => ({
      messageId: randomUUID(),
      receiptHandle: `bench-${randomUUID()}`,
      body: JSON.stringify(message),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: now,
        SenderId: 'AIDABENCH',
        ApproximateFirstReceiveTimestamp: now,
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:event-stream-webhook-queue',
      awsRegion: 'us-east-1',
    }),
  );
  const batches: SQSEvent[] = [];
  for (let i = 0; i < records.length; i += SQS_BATCH_SIZE)
    batches.push({ Records: records.slice(i, i + SQS_BATCH_SIZE) });
  return batches;
};

/** A context for one invocation; the handler only reads names and the request id (for its logs). */
export const invocationContext = (): Context =>
  ({
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'event-stream-deliver-webhook',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:event-stream-deliver-webhook',
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/event-stream-deliver-webhook',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => 60_000,
  }) as Context;

/** Runs `task` for indexes 0..count-1 with at most `concurrency` in flight; resolves when all are done. */
export const runPool = async (
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
};
