import { DynamoDeliveryHistory } from '../adapters/dynamodb/delivery-history.ts';
import { DynamoDeliveryStateStore } from '../adapters/dynamodb/delivery-state-store.ts';
import { DynamoEventLog } from '../adapters/dynamodb/event-log.ts';
import { DynamoExportStateStore } from '../adapters/dynamodb/export-state-store.ts';
import { DynamoIntegrationLog } from '../adapters/dynamodb/integration-log.ts';
import { DynamoIntegrationRepository } from '../adapters/dynamodb/integration-repository.ts';
import { DynamoRejectedEventStore } from '../adapters/dynamodb/rejected-event-store.ts';
import { DynamoReplayStore } from '../adapters/dynamodb/replay-store.ts';
import { GuardedHttpSender } from '../adapters/http/guarded-http-sender.ts';
import { HttpReceiverAuthorizer } from '../adapters/http/receiver-authorizer.ts';
import { S3ExportDestinations } from '../adapters/s3/s3-export-destinations.ts';
import { S3StagingStore } from '../adapters/s3/s3-staging-store.ts';
import { CachedSecretStore } from '../adapters/secrets/cached-secret-store.ts';
import { SecretsManagerStore } from '../adapters/secrets/secrets-manager-store.ts';
import { SqsMessageQueue } from '../adapters/sqs/sqs-message-queue.ts';
import { type Clock, systemClock } from '../domain/ports/platform.ts';
import { dynamoDocumentClient } from '../shared/clients/dynamodb.ts';
import { customerS3Client, stagingS3Client } from '../shared/clients/s3.ts';
import { secretsManagerClient } from '../shared/clients/secrets-manager.ts';
import { sqsClient } from '../shared/clients/sqs.ts';
import { type AwsClientOptions, clientConfig } from '../shared/clients.ts';
import type { Settings } from '../shared/config.ts';
import { logger, metricsPort } from '../shared/powertools.ts';
import { USER_AGENT } from '../shared/version.ts';
import { DeliveryRouter } from '../use-cases/delivery-router.ts';
import { ExportFlush } from '../use-cases/export-flush.ts';
import { ExportUpload } from '../use-cases/export-upload.ts';
import { IntegrationRemover } from '../use-cases/integration-remover.ts';
import { IntegrationStopper } from '../use-cases/integration-stopper.ts';
import { ReplayJobs } from '../use-cases/replay-jobs.ts';
import { WebhookDispatcher } from '../use-cases/webhook-dispatcher.ts';

/**
 * What a function is composed on: where its AWS clients go (each made on first use, see shared/clients.ts)
 * and its clock. Lambda's is `lambdaPlatform()`; the local runtime gives the emulators' endpoints and a
 * clock tests can move.
 */
export interface Platform {
  aws: AwsClientOptions;
  clock: Clock;
}

/*
 * Builders of the adapters and use cases several functions share, each from only the settings it reads.
 * Every function's factory calls the ones it needs; nothing is built that a function does not use.
 */

const HOUR_MS = 3_600_000;

type State = Pick<Settings, 'STATE_TABLE_NAME'>;

export const integrationStore = (config: State, { aws }: Platform) =>
  new DynamoIntegrationRepository(dynamoDocumentClient(aws), config.STATE_TABLE_NAME);

export const integrationLogStore = (config: State, { aws }: Platform) =>
  new DynamoIntegrationLog(dynamoDocumentClient(aws), config.STATE_TABLE_NAME);

export const rejectedEventStore = (config: State, { aws }: Platform) =>
  new DynamoRejectedEventStore(dynamoDocumentClient(aws), config.STATE_TABLE_NAME);

export const deliveryStateStore = (config: State, { aws }: Platform) =>
  new DynamoDeliveryStateStore(dynamoDocumentClient(aws), config.STATE_TABLE_NAME);

export const replayStore = (config: State, { aws }: Platform) =>
  new DynamoReplayStore(dynamoDocumentClient(aws), config.STATE_TABLE_NAME);

export const eventLogStore = (
  config: Pick<Settings, 'EVENT_LOG_TABLE_NAME' | 'TENANT' | 'EVENT_RETENTION_DAYS'>,
  { aws, clock }: Platform,
) =>
  new DynamoEventLog(
    dynamoDocumentClient(aws),
    config.EVENT_LOG_TABLE_NAME,
    config.TENANT,
    config.EVENT_RETENTION_DAYS,
    clock,
  );

export const deliveryHistoryStore = (
  config: Pick<Settings, 'DELIVERIES_TABLE_NAME' | 'EVENT_RETENTION_DAYS'>,
  { aws, clock }: Platform,
) =>
  new DynamoDeliveryHistory(
    dynamoDocumentClient(aws),
    config.DELIVERIES_TABLE_NAME,
    config.EVENT_RETENTION_DAYS,
    clock,
  );

export const queue = (url: string, { aws }: Platform) => new SqsMessageQueue(sqsClient(aws), url);

/** One message per (event, integration) on the webhook or export queue, with its pending delivery record. */
export const deliveryRouter = (
  config: Pick<
    Settings,
    'DELIVERIES_TABLE_NAME' | 'EVENT_RETENTION_DAYS' | 'WEBHOOK_QUEUE_URL' | 'EXPORT_QUEUE_URL'
  >,
  platform: Platform,
) =>
  new DeliveryRouter({
    history: deliveryHistoryStore(config, platform),
    webhookQueue: queue(config.WEBHOOK_QUEUE_URL, platform),
    exportQueue: queue(config.EXPORT_QUEUE_URL, platform),
  });

/** Integration secrets, cached (revision-checked) for the life of the execution environment. */
export const secretStore = (config: Pick<Settings, 'SECRET_NAME_PREFIX'>, { aws, clock }: Platform) =>
  new CachedSecretStore(new SecretsManagerStore(secretsManagerClient(aws), config.SECRET_NAME_PREFIX), clock);

/** Sends one signed event to a webhook, through the SSRF guard. */
export const webhookDispatcher = (
  config: Pick<Settings, 'SECRET_NAME_PREFIX' | 'ALLOW_INSECURE_CALLBACKS' | 'DELIVERY_TIMEOUT_MS'>,
  platform: Platform,
) => {
  const sender = new GuardedHttpSender({
    timeoutMs: config.DELIVERY_TIMEOUT_MS,
    allowPrivateNetworks: config.ALLOW_INSECURE_CALLBACKS,
    onRefused: (url, reason) => logger.warn('Refused a receiver address', { url, reason }),
  });
  return new WebhookDispatcher({
    secrets: secretStore(config, platform),
    sender,
    authorizer: new HttpReceiverAuthorizer(sender, platform.clock),
    clock: platform.clock,
    userAgent: USER_AGENT,
  });
};

/** Stops integrations the pipeline gives up on (no flush: the destination is what failed). */
export const integrationStopper = (config: State, platform: Platform) =>
  new IntegrationStopper({
    integrations: integrationStore(config, platform),
    logs: integrationLogStore(config, platform),
    clock: platform.clock,
  });

/** Deletes an integration's state and secret (export files are the caller's). */
export const integrationRemover = (
  config: State & Pick<Settings, 'SECRET_NAME_PREFIX'>,
  platform: Platform,
) =>
  new IntegrationRemover({
    integrations: integrationStore(config, platform),
    logs: integrationLogStore(config, platform),
    rejected: rejectedEventStore(config, platform),
    deliveryState: deliveryStateStore(config, platform),
    replayJobs: replayStore(config, platform),
    secrets: new SecretsManagerStore(secretsManagerClient(platform.aws), config.SECRET_NAME_PREFIX),
  });

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

/** Lambda's platform: clients by the SDK's standard resolution (the function's region and role). */
export const lambdaPlatform = (): Platform => ({ aws: {}, clock: systemClock });
