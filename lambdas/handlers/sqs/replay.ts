import { lambdaPlatform } from '../../functions/parts/platform.ts';
import { createReplayHandler, REPLAY_ENTRY } from '../../functions/replay.ts';
import { parseConfig } from '../../shared/config.ts';

/** Lambda entry of the replay queue consumer. */
export const handler = createReplayHandler(parseConfig(REPLAY_ENTRY, process.env), lambdaPlatform());
