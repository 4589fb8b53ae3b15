import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import type { ReplayMessage } from '../../domain/ports.ts';
import { sqsClient } from '../../shared/clients.ts';
import { config, housekeeping, replays } from '../../shared/composition.ts';
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
    const step = await replays.step(message, receiveCount(record));
    let againInSeconds = step.againInSeconds;
    if (step.ending) {
      // The replay of a temporary integration is done: end the integration as soon as its last deliveries are.
      const { lookAgainInMs } = await housekeeping.finishIfDone(step.ending);
      againInSeconds = lookAgainInMs === undefined ? undefined : Math.ceil(lookAgainInMs / 1000);
    }
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
