import { createHousekeepingHandler, HOUSEKEEPING_ENTRY } from '../../functions/housekeeping.ts';
import { lambdaPlatform } from '../../functions/parts/platform.ts';
import { parseConfig } from '../../shared/config.ts';

/** Lambda entry of the 1-minute housekeeping. */
export const handler = createHousekeepingHandler(
  parseConfig(HOUSEKEEPING_ENTRY, process.env),
  lambdaPlatform(),
);
