import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { INGEST_QUEUE, QUEUES, type QueueDefinition, WEBHOOK_QUEUE } from '../../lib/resource-definitions.ts';
import { localSqsClient } from '../../local/resources.ts';
import type { SqsHandler } from '../../local/sqs-poller.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';
import { eventually } from '../support/poll.ts';

describe('local runtime workers', () => {
  const invoked: { queue: string; event: SQSEvent }[] = [];
  const loaded: string[] = [];
  const stub =
    (queue: QueueDefinition): SqsHandler =>
    async (event) => {
      invoked.push({ queue: queue.id, event });
      return { batchItemFailures: [] };
    };
  const before = process.env.RETRY_SCHEDULE_SECONDS;
  const runtime = useLocalRuntime({
    env: { RETRY_SCHEDULE_SECONDS: '1,1,1' },
    loadApiHandler: async () => async () => ({ statusCode: 204 }),
    loadQueueHandler: async (queue) => {
      loaded.push(queue.id);
      return stub(queue);
    },
  });
  it('polls every queue that has a consumer and invokes it like an event source mapping', async () => {
    const sqs = localSqsClient(runtime.endpoints);
    try {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: runtime.env.INGEST_QUEUE_URL, MessageBody: 'to fanout' }),
      );
      await sqs.send(
        new SendMessageCommand({ QueueUrl: runtime.env.WEBHOOK_QUEUE_URL, MessageBody: 'to deliver' }),
      );

      await eventually(() => expect(invoked).toHaveLength(2), { timeoutMs: 10_000 });
    } finally {
      sqs.destroy();
    }

    expect(loaded.sort()).toEqual(
      QUEUES.filter((queue) => queue.consumer)
        .map((queue) => queue.id)
        .sort(),
    );
    const byQueue = Object.fromEntries(invoked.map((call) => [call.queue, call]));
    expect(byQueue[INGEST_QUEUE.id]?.event.Records[0]).toMatchObject({
      body: 'to fanout',
      eventSourceARN: runtime.queues[INGEST_QUEUE.id]?.arn,
    });
    expect(byQueue[WEBHOOK_QUEUE.id]?.event.Records[0]?.body).toBe('to deliver');
    // Settings go to the functions that read them, never through process.env.
    expect(runtime.env.RETRY_SCHEDULE_SECONDS).toBe('1,1,1');
    expect(before).toBeUndefined();
    expect(process.env.RETRY_SCHEDULE_SECONDS).toBeUndefined();
  });

  it('builds each function from its own settings, failing as its cold start would on a bad one', async () => {
    const { buildFunction } = await import('../../local/functions.ts');
    const built = await buildFunction('lambdas/handlers/sqs/fanout.ts', runtime.env, runtime.platform);
    expect(typeof built).toBe('function');
    const { INGEST_QUEUE_URL: _, ...withoutQueue } = runtime.env;
    await expect(
      buildFunction(
        'lambdas/handlers/sqs/fanout.ts',
        { ...withoutQueue, WEBHOOK_QUEUE_URL: 'not a url' },
        runtime.platform,
      ),
    ).rejects.toThrow(/Invalid configuration of lambdas\/handlers\/sqs\/fanout\.ts: WEBHOOK_QUEUE_URL/);
  });
});
