import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QueueConsumer, QueueDefinition } from '../../lib/resource-definitions.ts';
import { type CreatedQueue, createLocalQueue, localQueue, localSqsClient } from '../../local/resources.ts';
import type { Worker } from '../../local/runtime.ts';
import { type SqsHandler, startSqsPoller } from '../../local/sqs-poller.ts';
import { useEmulators } from '../support/local-runtime.ts';
import { eventually } from '../support/poll.ts';

const consumer = (overrides: Partial<QueueConsumer> = {}): QueueConsumer => ({
  entry: 'unused',
  functionId: 'StubFunction',
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  timeoutSeconds: 5,
  maxConcurrency: 1,
  ...overrides,
});

describe('SQS poller (an event source mapping on fauxqs)', () => {
  const emulators = useEmulators({ createResources: false });
  let sqs: SQSClient;
  const workers: Worker[] = [];
  let queueCount = 0;

  beforeAll(() => {
    sqs = localSqsClient(emulators.endpoints);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  });
  afterAll(() => sqs.destroy());

  /** A fresh queue with a DLQ, short visibility so retries show within a test. */
  const newQueue = async (overrides: Partial<QueueDefinition> = {}): Promise<CreatedQueue> => {
    queueCount += 1;
    const definition: QueueDefinition = {
      id: `TestQueue${queueCount}P${process.pid}`,
      envVar: 'UNUSED',
      visibilityTimeoutSeconds: 1,
      retentionDays: 1,
      maxReceiveCount: 5,
      ...overrides,
    };
    return createLocalQueue(sqs, localQueue(definition));
  };

  const poll = (
    queue: CreatedQueue,
    handler: SqsHandler,
    overrides: Partial<QueueConsumer> = {},
    log: (line: string, error?: unknown) => void = () => {},
  ): Worker => {
    const worker = startSqsPoller({
      sqs,
      queueName: queue.url.split('/').pop() ?? '',
      queueUrl: queue.url,
      queueArn: queue.arn,
      consumer: consumer(overrides),
      handler,
      log,
    });
    workers.push(worker);
    return worker;
  };

  const send = async (queue: CreatedQueue, bodies: string[]): Promise<void> => {
    for (let start = 0; start < bodies.length; start += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: bodies
            .slice(start, start + 10)
            .map((body, index) => ({ Id: String(index), MessageBody: body })),
        }),
      );
    }
  };

  const depth = async (url: string): Promise<number> => {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible)
    );
  };

  /** A stub handler that records every invocation and answers with `respond`. */
  const recorder = (
    respond: (event: SQSEvent, call: number) => unknown = () => ({ batchItemFailures: [] }),
  ) => {
    const calls: { event: SQSEvent; at: number; remainingMs: number }[] = [];
    const handler: SqsHandler = async (event, context) => {
      calls.push({ event, at: Date.now(), remainingMs: context.getRemainingTimeInMillis() });
      return (await respond(event, calls.length)) as SQSBatchResponse;
    };
    const bodies = () => calls.flatMap((call) => call.event.Records.map((record) => record.body));
    return { calls, handler, bodies };
  };

  it('hands the handler records in the Lambda shape and deletes them on success', async () => {
    const queue = await newQueue();
    const stub = recorder(() => undefined);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: '{"hello":"world"}',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'order' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from('bytes') },
        },
      }),
    );

    poll(queue, stub.handler, { timeoutSeconds: 30 });

    await eventually(() => expect(stub.calls).toHaveLength(1));
    const [call] = stub.calls;
    const record = call?.event.Records[0];
    expect(call?.event.Records).toHaveLength(1);
    expect(record).toMatchObject({
      messageId: expect.any(String),
      receiptHandle: expect.any(String),
      body: '{"hello":"world"}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d+$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
      },
      messageAttributes: {
        kind: { stringValue: 'order', stringListValues: [], binaryListValues: [], dataType: 'String' },
        blob: {
          binaryValue: Buffer.from('bytes').toString('base64'),
          stringListValues: [],
          binaryListValues: [],
          dataType: 'Binary',
        },
      },
      md5OfBody: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: 'us-east-1',
    });
    expect(call?.remainingMs).toBeGreaterThan(29_000);
    expect(call?.remainingMs).toBeLessThanOrEqual(30_000);
    await eventually(async () => expect(await depth(queue.url)).toBe(0));
  });

  it('gathers up to batchSize records, across receives of at most 10', async () => {
    const queue = await newQueue({ visibilityTimeoutSeconds: 30 });
    const bodies = Array.from({ length: 25 }, (_, index) => `m${index}`);
    await send(queue, bodies);
    const stub = recorder();

    poll(queue, stub.handler, { batchSize: 12, maxBatchingWindowSeconds: 2 });

    await eventually(() => expect(stub.bodies()).toHaveLength(25));
    const sizes = stub.calls.map((call) => call.event.Records.length);
    expect(sizes.every((size) => size <= 12)).toBe(true);
    // Everything was waiting: the first batches fill up rather than going out at the first receive's 10.
    expect(sizes.slice(0, 2)).toEqual([12, 12]);
    expect(new Set(stub.bodies())).toEqual(new Set(bodies));
  });

  it('waits up to the batching window for more records, and no longer', async () => {
    const queue = await newQueue({ visibilityTimeoutSeconds: 30 });
    const stub = recorder();
    poll(queue, stub.handler, { batchSize: 10, maxBatchingWindowSeconds: 2 });

    const sentAt = Date.now();
    await send(queue, ['first']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await send(queue, ['second']);

    await eventually(() => expect(stub.calls).toHaveLength(1), { timeoutMs: 5000 });
    const elapsed = (stub.calls[0]?.at ?? 0) - sentAt;
    expect(stub.bodies()).toEqual(['first', 'second']);
    expect(elapsed).toBeGreaterThanOrEqual(1800);
    expect(elapsed).toBeLessThan(3500);
  });

  it('with no batching window, invokes as soon as a receive returns', async () => {
    const queue = await newQueue();
    const stub = recorder();
    poll(queue, stub.handler, { batchSize: 10, maxBatchingWindowSeconds: 0 });

    const sentAt = Date.now();
    await send(queue, ['now']);

    await eventually(() => expect(stub.calls).toHaveLength(1));
    expect((stub.calls[0]?.at ?? 0) - sentAt).toBeLessThan(1000);
  });

  it('deletes only the records not reported as failures; the failed ones come back after their visibility', async () => {
    const queue = await newQueue({ visibilityTimeoutSeconds: 1 });
    await send(queue, ['ok-1', 'fail', 'ok-2']);
    const stub = recorder((event, call) => ({
      batchItemFailures:
        call === 1
          ? event.Records.filter((record) => record.body === 'fail').map((r) => ({
              itemIdentifier: r.messageId,
            }))
          : [],
    }));

    // No batching window: with a window as long as the visibility, a batch could catch its own messages again.
    poll(queue, stub.handler);

    await eventually(() => expect(stub.calls).toHaveLength(2), { timeoutMs: 6000 });
    expect(stub.calls[0]?.event.Records.map((r) => r.body).sort()).toEqual(['fail', 'ok-1', 'ok-2']);
    const retried = stub.calls[1]?.event.Records ?? [];
    expect(retried.map((r) => r.body)).toEqual(['fail']);
    expect(retried[0]?.attributes.ApproximateReceiveCount).toBe('2');
    expect((stub.calls[1]?.at ?? 0) - (stub.calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    await eventually(async () => expect(await depth(queue.url)).toBe(0));
  });

  it('leaves the whole batch when the handler throws, times out or answers something invalid', async () => {
    const cases: [string, SqsHandler][] = [
      [
        'throws',
        async () => {
          throw new Error('boom');
        },
      ],
      ['times out', () => new Promise((resolve) => setTimeout(() => resolve(undefined), 2500))],
      ['returns a string', async () => 'garbage' as unknown as SQSBatchResponse],
      ['returns a bad list', async () => ({ batchItemFailures: 'x' }) as unknown as SQSBatchResponse],
      ['names an unknown message', async () => ({ batchItemFailures: [{ itemIdentifier: 'nope' }] })],
      ['names an empty id', async () => ({ batchItemFailures: [{ itemIdentifier: '' }] })],
    ];
    await Promise.all(
      cases.map(async ([label, failing]) => {
        const queue = await newQueue({ visibilityTimeoutSeconds: 1 });
        await send(queue, ['a', 'b']);
        const logged: string[] = [];
        const stub = recorder((event, call) => (call === 1 ? failing(event, {} as never) : undefined));

        poll(queue, stub.handler, { timeoutSeconds: 1 }, (line) => logged.push(line));

        await eventually(() => expect(stub.bodies().sort(), label).toEqual(['a', 'a', 'b', 'b']), {
          timeoutMs: 8000,
        });
        const second = stub.calls.slice(1).flatMap((call) => call.event.Records);
        expect(
          second.map((r) => r.attributes.ApproximateReceiveCount),
          label,
        ).toEqual(['2', '2']);
        expect(logged.join('\n'), label).toMatch(/event-stream-test-queue\d+-p\d+: StubFunction/);
        await eventually(async () => expect(await depth(queue.url), label).toBe(0));
      }),
    );
  });

  it('respects a visibility the handler set with ChangeMessageVisibility on a failed record', async () => {
    // The queue would hide the message for 30 s; the handler asks for 1 s, as the delivery handler does
    // to schedule a retry.
    const queue = await newQueue({ visibilityTimeoutSeconds: 30 });
    await send(queue, ['retry me']);
    const stub = recorder(async (event, call) => {
      if (call > 1) return undefined;
      for (const record of event.Records) {
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queue.url,
            ReceiptHandle: record.receiptHandle,
            VisibilityTimeout: 1,
          }),
        );
      }
      return { batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) };
    });

    poll(queue, stub.handler);

    await eventually(() => expect(stub.calls).toHaveLength(2), { timeoutMs: 5000 });
    const gap = (stub.calls[1]?.at ?? 0) - (stub.calls[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(gap).toBeLessThan(4000);
  });

  it('moves a message that failed maxReceiveCount times to the dead-letter queue', async () => {
    const queue = await newQueue({ visibilityTimeoutSeconds: 1, maxReceiveCount: 2 });
    await send(queue, ['poison']);
    const stub = recorder((event) => ({
      batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })),
    }));

    poll(queue, stub.handler);

    await eventually(
      async () => {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queue.deadLetterUrl }),
        );
        expect(Messages.map((message) => message.Body)).toEqual(['poison']);
      },
      { timeoutMs: 8000, intervalMs: 250 },
    );
    expect(stub.bodies()).toEqual(['poison', 'poison']);
    expect(stub.calls.map((call) => call.event.Records[0]?.attributes.ApproximateReceiveCount)).toEqual([
      '1',
      '2',
    ]);
    expect(await depth(queue.url)).toBe(0);
  });

  it('runs at most `concurrency` batches at once', async () => {
    const queue = await newQueue({ visibilityTimeoutSeconds: 30 });
    await send(
      queue,
      Array.from({ length: 6 }, (_, index) => `c${index}`),
    );
    let running = 0;
    let peak = 0;
    const stub = recorder(async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 300));
      running -= 1;
      return undefined;
    });

    poll(queue, stub.handler, { batchSize: 1, maxConcurrency: 3 });

    await eventually(() => expect(stub.bodies()).toHaveLength(6));
    expect(peak).toBe(3);
  });

  it('stop() lets the batch in progress finish (and its records be deleted) and returns promptly', async () => {
    const queue = await newQueue({ visibilityTimeoutSeconds: 30 });
    let finished = false;
    const stub = recorder(async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      finished = true;
      return undefined;
    });
    const worker = poll(queue, stub.handler);
    await send(queue, ['in flight']);
    await eventually(() => expect(stub.calls).toHaveLength(1));

    const stopping = Date.now();
    await worker.stop();

    expect(finished).toBe(true);
    expect(Date.now() - stopping).toBeLessThan(2500);
    expect(await depth(queue.url)).toBe(0);
  });
});
