import { createExportFlusherHandler, EXPORT_FLUSHER_ENTRY } from '../../functions/export-flusher.ts';
import { lambdaPlatform } from '../../functions/parts/platform.ts';
import { parseConfig } from '../../shared/config.ts';

/** Lambda entry of the 1-minute export flusher. */
export const handler = createExportFlusherHandler(
  parseConfig(EXPORT_FLUSHER_ENTRY, process.env),
  lambdaPlatform(),
);
