import { DynamoExportStateStore } from '../../adapters/dynamodb/export-state-store.ts';
import { S3ExportDestinations } from '../../adapters/s3/s3-export-destinations.ts';
import { S3StagingStore } from '../../adapters/s3/s3-staging-store.ts';
import { dynamoDocumentClient } from '../../shared/clients/dynamodb.ts';
import { customerS3Client, stagingS3Client } from '../../shared/clients/s3.ts';
import { clientConfig } from '../../shared/clients.ts';
import type { Settings } from '../../shared/config.ts';
import { metricsPort } from '../../shared/powertools.ts';
import { ExportFlush } from '../../use-cases/export-flush.ts';
import { ExportUpload } from '../../use-cases/export-upload.ts';
import { integrationStopper } from './integrations.ts';
import type { Platform } from './platform.ts';
import { secretStore } from './secrets.ts';
import { deliveryStateStore, integrationLogStore, integrationStore, type State } from './stores.ts';

const HOUR_MS = 3_600_000;

type ExportFlushSettings = Pick<
  Settings,
  | 'STATE_TABLE_NAME'
  | 'SECRET_NAME_PREFIX'
  | 'EXPORT_STAGING_BUCKET_NAME'
  | 'TENANT'
  | 'EXPORT_MAX_FILE_AGE_SECONDS'
  | 'EXPORT_PART_BYTES'
  | 'STOP_WINDOW_HOURS'
  | 'RETRY_SCHEDULE_SECONDS'
>;

export const exportStateStore = (config: State, { aws }: Platform) =>
  new DynamoExportStateStore(dynamoDocumentClient(aws), config.STATE_TABLE_NAME);

export const exportStagingStore = (config: Pick<Settings, 'EXPORT_STAGING_BUCKET_NAME'>, { aws }: Platform) =>
  new S3StagingStore(stagingS3Client(aws), config.EXPORT_STAGING_BUCKET_NAME);

/** Customers' buckets, each reached with its integration's credentials. */
export const exportDestinations = (config: Pick<Settings, 'SECRET_NAME_PREFIX'>, platform: Platform) =>
  new S3ExportDestinations({
    secrets: secretStore(config, platform),
    newClient: (config) => customerS3Client(platform.aws, config),
    stsClientConfig: clientConfig(platform.aws, 'sts'),
  });

/** Closes export files and uploads them to the customers' buckets. */
export const exportFlush = (config: ExportFlushSettings, platform: Platform) => {
  const state = exportStateStore(config, platform);
  const staging = exportStagingStore(config, platform);
  return new ExportFlush({
    integrations: integrationStore(config, platform),
    state,
    staging,
    destinations: exportDestinations(config, platform),
    upload: new ExportUpload({ staging, state, partBytes: config.EXPORT_PART_BYTES }),
    logs: integrationLogStore(config, platform),
    deliveryState: deliveryStateStore(config, platform),
    stopper: integrationStopper(config, platform),
    metrics: metricsPort,
    clock: platform.clock,
    settings: {
      tenant: config.TENANT,
      maxFileAgeMs: config.EXPORT_MAX_FILE_AGE_SECONDS * 1000,
      stopWindowMs: config.STOP_WINDOW_HOURS * HOUR_MS,
      retryScheduleSeconds: config.RETRY_SCHEDULE_SECONDS,
      // Longer than the flusher or batcher may run, so a crashed upload is retried only after it surely died.
      leaseMs: 5 * 60_000,
      concurrency: 4,
    },
  });
};
