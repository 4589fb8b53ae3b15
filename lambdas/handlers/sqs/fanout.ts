import { createFanoutHandler, FANOUT_ENTRY } from '../../functions/fanout.ts';
import { lambdaPlatform } from '../../functions/parts/platform.ts';
import { parseConfig } from '../../shared/config.ts';

/** Lambda entry of the ingest queue consumer. */
export const handler = createFanoutHandler(parseConfig(FANOUT_ENTRY, process.env), lambdaPlatform());
