import type { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SqsMessageQueue } from '../../lambdas/adapters/sqs/sqs-message-queue.ts';

/** Records the entries of every SendMessageBatch and reports them all sent. */
const recordingClient = () => {
  const batches: string[][] = [];
  const client = {
    send: async (command: SendMessageBatchCommand) => {
      const entries = command.input.Entries ?? [];
      batches.push(entries.map((entry) => entry.MessageBody ?? ''));
      return { Successful: entries.map((entry) => ({ Id: entry.Id })), Failed: [] };
    },
  };
  return { batches, client: client as unknown as SQSClient };
};

describe('SqsMessageQueue', () => {
  it('sends the messages of one tick with each group’s side by side, in the order they were sent', async () => {
    const { batches, client } = recordingClient();
    const queue = new SqsMessageQueue(client, 'https://sqs.example/queue');
    // Event-major, as a fan-out routes ten events to three integrations.
    const sends: Promise<void>[] = [];
    for (let event = 0; event < 10; event++)
      for (const integration of ['c', 'a', 'b'])
        sends.push(queue.send(`${integration}${event}`, integration));
    await Promise.all(sends);
    expect(batches).toHaveLength(3);
    for (const batch of batches) expect(new Set(batch.map((body) => body[0])).size).toBe(1);
    expect(batches.flat()).toEqual(
      ['a', 'b', 'c'].flatMap((integration) => Array.from({ length: 10 }, (_, n) => `${integration}${n}`)),
    );
  });
});
