import { createExportBatcherHandler, EXPORT_BATCHER_ENTRY } from '../../functions/export-batcher.ts';
import { lambdaPlatform } from '../../functions/parts/platform.ts';
import { parseConfig } from '../../shared/config.ts';

/** Lambda entry of the export queue consumer. */
export const handler = createExportBatcherHandler(
  parseConfig(EXPORT_BATCHER_ENTRY, process.env),
  lambdaPlatform(),
);
