import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import DataLoader from 'dataloader';
import type { MessageQueue } from '../../domain/ports/platform.ts';

/** SendMessageBatch takes 10 entries and 1 MiB in all; keep a margin for the request's own envelope. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 1024 * 1024 - 16 * 1024;
const MAX_ATTEMPTS = 5;

/**
 * An SQS queue behind the MessageQueue port. `sendAll` packs bodies into as few SendMessageBatch
 * requests as the limits allow and re-sends entries SQS reports as failed; `send` collects the bodies
 * sent in one tick (records processed in parallel) and sends them the same way, those of one group side by
 * side.
 */
export class SqsMessageQueue implements MessageQueue {
  private readonly loader: DataLoader<{ body: string; group?: string }, true, string>;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {
    this.loader = new DataLoader(
      async (sends) => {
        try {
          // A stable sort: each group's messages together, in the order they were sent.
          const grouped = [...sends].sort((a, b) =>
            (a.group ?? '') < (b.group ?? '') ? -1 : (a.group ?? '') > (b.group ?? '') ? 1 : 0,
          );
          await this.sendAll(grouped.map((send) => send.body));
          return sends.map(() => true as const);
        } catch (error) {
          return sends.map(() => error as Error);
        }
      },
      { cache: false, maxBatchSize: 100, cacheKeyFn: () => randomUUID() },
    );
  }

  async send(body: string, group?: string): Promise<void> {
    await this.loader.load({ body, ...(group !== undefined && { group }) });
  }

  async sendDelayed(body: string, delaySeconds: number): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: body,
        DelaySeconds: Math.max(0, Math.min(900, Math.round(delaySeconds))),
      }),
    );
  }

  async retryIn(receiptHandle: string, seconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        // SQS's range: up to 12 hours.
        VisibilityTimeout: Math.max(0, Math.min(43_200, Math.round(seconds))),
      }),
    );
  }

  async sendAll(bodies: string[]): Promise<void> {
    await Promise.all(chunk(bodies).map((group) => this.sendBatch(group)));
  }

  private async sendBatch(bodies: string[]): Promise<void> {
    let entries: SendMessageBatchRequestEntry[] = bodies.map((MessageBody, index) => ({
      Id: String(index),
      MessageBody,
    }));
    for (let attempt = 0; entries.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      const result = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
      );
      const failed = new Set((result.Failed ?? []).map((failure) => failure.Id));
      const senderFault = (result.Failed ?? []).find((failure) => failure.SenderFault);
      if (senderFault)
        throw new Error(`SQS refused a message: ${senderFault.Code} ${senderFault.Message ?? ''}`);
      entries = entries.filter((entry) => failed.has(entry.Id));
      if (entries.length > 0 && attempt + 1 >= MAX_ATTEMPTS) {
        throw new Error(`SQS did not take ${entries.length} messages after ${MAX_ATTEMPTS} attempts`);
      }
    }
  }
}

/** Groups bodies by the entry and byte limits of one SendMessageBatch. */
const chunk = (bodies: string[]): string[][] => {
  const groups: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const body of bodies) {
    const size = Buffer.byteLength(body);
    if (current.length === MAX_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(body);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
};
