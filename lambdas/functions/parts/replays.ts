import type { Settings } from '../../shared/config.ts';
import { ReplayJobs } from '../../use-cases/replay-jobs.ts';
import type { Platform } from './platform.ts';
import { queue } from './queues.ts';
import { integrationLogStore, replayStore, type State } from './stores.ts';

/** Starts replays and keeps their messages alive. */
export const replayJobs = (
  config: State & Pick<Settings, 'REPLAY_QUEUE_URL' | 'REPLAY_SETTLE_SECONDS'>,
  platform: Platform,
) =>
  new ReplayJobs({
    replays: replayStore(config, platform),
    replayQueue: queue(config.REPLAY_QUEUE_URL, platform),
    logs: integrationLogStore(config, platform),
    clock: platform.clock,
    settleMs: config.REPLAY_SETTLE_SECONDS * 1000,
  });
