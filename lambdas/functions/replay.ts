import { replayMessageSchema } from '../domain/messages.ts';
import type { ConfigOf } from '../shared/config.ts';
import { logger, metricsPort } from '../shared/powertools.ts';
import { parseRecord, receiveCount, sqsBatchHandler } from '../shared/sqs-handler.ts';
import { Replays } from '../use-cases/replays.ts';
import { TemporaryEnd } from '../use-cases/temporary-end.ts';
import { integrationRemover } from './parts/integrations.ts';
import type { Platform } from './parts/platform.ts';
import { deliveryRouter, queue } from './parts/queues.ts';
import { replayJobs } from './parts/replays.ts';
import {
  deliveryHistoryStore,
  deliveryStateStore,
  eventLogStore,
  integrationLogStore,
  integrationStore,
  replayStore,
} from './parts/stores.ts';

export const REPLAY_ENTRY = 'lambdas/handlers/sqs/replay.ts';

/** Thrown to keep the job's message on the queue until its next page is due. */
class NextPageScheduled extends Error {}

/** Replay queue consumer: one page of one replay per receive; the message returns for the next page. */
export const createReplayHandler = (config: ConfigOf<typeof REPLAY_ENTRY>, platform: Platform) => {
  const jobs = replayStore(config, platform);
  const history = deliveryHistoryStore(config, platform);
  const replays = new Replays({
    integrations: integrationStore(config, platform),
    replays: jobs,
    history,
    jobs: replayJobs(config, platform),
    eventLog: eventLogStore(config, platform),
    router: deliveryRouter(config, platform),
    logs: integrationLogStore(config, platform),
    deliveryState: deliveryStateStore(config, platform),
    metrics: metricsPort,
    clock: platform.clock,
    settings: { pageSize: config.REPLAY_PAGE_SIZE, pauseSeconds: config.REPLAY_PAUSE_SECONDS },
  });
  // Only temporary webhook integrations end from here (their replay's message); S3 ones wait for their last
  // file in housekeeping. So "pending" is the delivery history's, and ending one needs no export access.
  const remover = integrationRemover(config, platform);
  const temporaryEnd = new TemporaryEnd({
    replayJobs: jobs,
    pending: (integration) => history.hasPending(integration),
    finish: (integration) => remover.remove(integration),
    clock: platform.clock,
    settings: {
      endGraceMs: config.TEMPORARY_END_GRACE_SECONDS * 1000,
      exportGraceMs: config.TEMPORARY_EXPORT_GRACE_SECONDS * 1000,
    },
  });
  const replayQueue = queue(config.REPLAY_QUEUE_URL, platform);
  return sqsBatchHandler(
    async () => undefined,
    async (record) => {
      const message = parseRecord(replayMessageSchema(), record);
      logger.appendKeys({ integration_id: message.integration_id, replay_job: message.job_id });
      const step = await replays.step(message, receiveCount(record));
      let againInSeconds = step.againInSeconds;
      if (step.ending) {
        // The replay of a temporary integration is done: end it as soon as its last deliveries are.
        const { lookAgainInMs } = await temporaryEnd.finishIfDone(step.ending);
        againInSeconds = lookAgainInMs === undefined ? undefined : Math.ceil(lookAgainInMs / 1000);
      }
      if (againInSeconds === undefined) return;
      await replayQueue.retryIn(record.receiptHandle, againInSeconds);
      throw new NextPageScheduled(`next page in ${againInSeconds} s`);
    },
  );
};
