import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import type { ReplayMessage } from '../../domain/ports.ts';
import { sqsClient } from '../../shared/clients.ts';
import { config, replays } from '../../shared/composition.ts';
import { logger } from '../../shared/powertools.ts';
import { receiveCount, sqsBatchHandler } from '../../shared/sqs-handler.ts';

/** Thrown to keep the job's message on the queue until its next page is due. */
class NextPageScheduled extends Error {}

/** Replay queue consumer: one page of one replay per receive; the message returns for the next page. */
export const handler = sqsBatchHandler(
  async () => undefined,
  async (record) => {
    const message = JSON.parse(record.body) as ReplayMessage;
    logger.appendKeys({ integration_id: message.integration_id, replay_job: message.job_id });
    const { againInSeconds } = await replays.step(message, receiveCount(record));
    if (againInSeconds === undefined) return;
    await sqsClient.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: config.REPLAY_QUEUE_URL,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: againInSeconds,
      }),
    );
    throw new NextPageScheduled(`next page in ${againInSeconds} s`);
  },
);
