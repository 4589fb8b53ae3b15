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
import { stsAssumeRole } from '../adapters/s3/sts-assume-role.ts';
import { CachedSecretStore } from '../adapters/secrets/cached-secret-store.ts';
import { SecretsManagerStore } from '../adapters/secrets/secrets-manager-store.ts';
import { SqsMessageQueue } from '../adapters/sqs/sqs-message-queue.ts';
import { type Clock, systemClock } from '../domain/ports.ts';
import { DeliveryRouter } from '../use-cases/delivery-router.ts';
import { ExportBatcher } from '../use-cases/export-batcher.ts';
import { ExportFlush } from '../use-cases/export-flush.ts';
import { ExportUpload } from '../use-cases/export-upload.ts';
import { Housekeeping } from '../use-cases/housekeeping.ts';
import { IntegrationLifecycle } from '../use-cases/integration-lifecycle.ts';
import { IntegrationRegistry } from '../use-cases/integration-registry.ts';
import { IntegrationStopper } from '../use-cases/integration-stopper.ts';
import { RejectedEvents } from '../use-cases/rejected-events.ts';
import { ReplayJobs } from '../use-cases/replay-jobs.ts';
import { Replays } from '../use-cases/replays.ts';
import { SigningSecrets } from '../use-cases/signing-secrets.ts';
import { WebhookDispatcher } from '../use-cases/webhook-dispatcher.ts';
import { dynamoDocumentClient, s3Client, secretsManagerClient, sqsClient, stsClient } from './clients.ts';
import { type Config, parseConfig } from './config.ts';
import { logger, metricsPort } from './powertools.ts';
import { USER_AGENT } from './version.ts';

/**
 * The composition root every handler builds from: config parsed once, adapters wired to the module-scope
 * clients. Constructing these does no I/O, so a handler pays nothing at cold start for the ones it
 * does not use.
 */
export const config: Config = parseConfig();
/**
 * The system clock. CLOCK_OFFSET_MS (local runtime and tests only, never set by the stack) shifts it, so
 * the 30-day rules can be tested without waiting 30 days; it is read on every call so a test can move
 * time while the runtime runs.
 */
export const clock: Clock = {
  now: () => {
    const offset = Number(process.env.CLOCK_OFFSET_MS ?? 0);
    return offset ? new Date(Date.now() + offset) : systemClock.now();
  },
};

const stateTable = config.STATE_TABLE_NAME;
export const integrations = new DynamoIntegrationRepository(dynamoDocumentClient, stateTable);
export const integrationLog = new DynamoIntegrationLog(dynamoDocumentClient, stateTable);
export const rejectedEvents = new DynamoRejectedEventStore(dynamoDocumentClient, stateTable);
export const deliveryState = new DynamoDeliveryStateStore(dynamoDocumentClient, stateTable);
export const secrets = new CachedSecretStore(
  new SecretsManagerStore(secretsManagerClient, config.SECRET_NAME_PREFIX),
  clock,
);
export const eventLog = new DynamoEventLog(
  dynamoDocumentClient,
  config.EVENT_LOG_TABLE_NAME,
  config.TENANT,
  config.EVENT_RETENTION_DAYS,
  clock,
);
export const ingestQueue = new SqsMessageQueue(sqsClient, config.INGEST_QUEUE_URL);
export const webhookQueue = new SqsMessageQueue(sqsClient, config.WEBHOOK_QUEUE_URL);
export const exportQueue = new SqsMessageQueue(sqsClient, config.EXPORT_QUEUE_URL);
export const replayQueue = new SqsMessageQueue(sqsClient, config.REPLAY_QUEUE_URL);
export const deliveryHistory = new DynamoDeliveryHistory(
  dynamoDocumentClient,
  config.DELIVERIES_TABLE_NAME,
  config.EVENT_RETENTION_DAYS,
  clock,
);
export const replayJobs = new DynamoReplayStore(dynamoDocumentClient, stateTable);
export const deliveryRouter = new DeliveryRouter({ history: deliveryHistory, webhookQueue, exportQueue });
/** Starts replays (API, housekeeping); the replay consumer pages them with `replays`. */
export const replayJobsService = new ReplayJobs({
  replays: replayJobs,
  replayQueue,
  logs: integrationLog,
  clock,
  settleMs: config.REPLAY_SETTLE_SECONDS * 1000,
});
export const replays = new Replays({
  integrations,
  replays: replayJobs,
  jobs: replayJobsService,
  eventLog,
  router: deliveryRouter,
  logs: integrationLog,
  deliveryState,
  metrics: metricsPort,
  clock,
  settings: {
    pageSize: config.REPLAY_PAGE_SIZE,
    pauseSeconds: config.REPLAY_PAUSE_SECONDS,
  },
});

export const httpSender = new GuardedHttpSender({
  timeoutMs: config.DELIVERY_TIMEOUT_MS,
  allowPrivateNetworks: config.ALLOW_INSECURE_CALLBACKS,
  onRefused: (url, reason) => logger.warn('Refused a receiver address', { url, reason }),
});

export const dispatcher = new WebhookDispatcher({
  secrets,
  sender: httpSender,
  authorizer: new HttpReceiverAuthorizer(httpSender, clock),
  clock,
  userAgent: USER_AGENT,
});

// S3 export: staged chunks in the stack's bucket, file records in the state table, uploads to the customer's.
const HOUR_MS = 3_600_000;
export const exportState = new DynamoExportStateStore(dynamoDocumentClient, stateTable);
export const exportStaging = new S3StagingStore(s3Client, config.EXPORT_STAGING_BUCKET_NAME);

/** Customers' buckets, each reached with its integration's credentials. */
export const exportDestinations = new S3ExportDestinations({
  secrets,
  assumeRole: stsAssumeRole(stsClient),
  clock,
  forcePathStyle: config.S3_FORCE_PATH_STYLE,
});

/** Stops integrations the pipeline gives up on (no flush: the destination is what failed). */
export const integrationStopper = new IntegrationStopper({ integrations, logs: integrationLog, clock });

export const exportBatcher = new ExportBatcher({
  integrations,
  eventLog,
  state: exportState,
  staging: exportStaging,
  deliveryState,
  metrics: metricsPort,
  clock,
  settings: {
    maxFileBytes: config.EXPORT_MAX_FILE_BYTES,
    maxFileAgeMs: config.EXPORT_MAX_FILE_AGE_SECONDS * 1000,
    chunkBytes: config.EXPORT_CHUNK_BYTES,
  },
});

export const exportFlush = new ExportFlush({
  integrations,
  state: exportState,
  staging: exportStaging,
  destinations: exportDestinations,
  upload: new ExportUpload({
    staging: exportStaging,
    state: exportState,
    partBytes: config.EXPORT_PART_BYTES,
  }),
  logs: integrationLog,
  deliveryState,
  stopper: integrationStopper,
  metrics: metricsPort,
  clock,
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

const policy = {
  maxIntegrations: config.MAX_INTEGRATIONS,
  retentionDays: config.EVENT_RETENTION_DAYS,
  allowInsecureCallbacks: config.ALLOW_INSECURE_CALLBACKS,
};

export const integrationRegistry = new IntegrationRegistry({
  integrations,
  logs: integrationLog,
  rejected: rejectedEvents,
  secrets,
  deliveryState,
  replays: replayJobsService,
  replayJobs,
  exportFiles: exportFlush,
  clock,
  policy,
});

export const integrationLifecycle = new IntegrationLifecycle({
  integrations,
  logs: integrationLog,
  stopper: integrationStopper,
  deliveryState,
  eventLog,
  replays: replayJobsService,
  exportFiles: exportFlush,
  clock,
  retentionDays: config.EVENT_RETENTION_DAYS,
});

export const signingSecrets = new SigningSecrets({ integrations, secrets, logs: integrationLog, clock });

export const rejectedEventsService = new RejectedEvents({
  integrations,
  rejected: rejectedEvents,
  dispatcher,
  history: deliveryHistory,
  eventLog,
  clock,
});

/** Temporary integrations' end and stalled replays: the schedule, and the replay consumer at a replay's end. */
export const housekeeping = new Housekeeping({
  integrations,
  replayJobs,
  replays: replayJobsService,
  deliveryState,
  history: deliveryHistory,
  hasStagedExports: async (id) => {
    const files = await exportState.load(id);
    return files.open !== undefined || files.closed.length > 0;
  },
  registry: integrationRegistry,
  clock,
  settings: {
    endGraceMs: config.TEMPORARY_END_GRACE_SECONDS * 1000,
    exportGraceMs: config.TEMPORARY_EXPORT_GRACE_SECONDS * 1000,
    replayQuietMs: 15 * 60_000,
  },
});
