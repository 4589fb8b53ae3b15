/**
 * Tables, queues and buckets as plain data: the CDK stack builds its resources from these and the local
 * runtime creates the same ones in the emulators, so the two cannot drift apart.
 */

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface TableDefinition {
  /** Construct id in the stack; the local runtime names the table after it (`event-stream-state-table`). */
  id: string;
  /** Environment variable through which the Lambdas learn the table's name. */
  envVar: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  timeToLiveAttribute?: string;
  /** Keys-only global secondary indexes. */
  globalSecondaryIndexes?: { indexName: string; partitionKey: KeyAttribute; sortKey?: KeyAttribute }[];
}

/**
 * One table for the management state, keyed `pk`/`sk`:
 * - `INTEGRATION` / `{id}`: an integration (all of them in one partition: there are at most a few dozen,
 *   and listing them is one Query); `INTEGRATION` / `#COUNT` holds the count the limit is checked against.
 * - `LOG#{id}` / `{created_at}#{random}`: log entries, newest read first, trimmed to the last 50.
 * - `REJECTED#{id}` / `{event_id}`: rejected events, trimmed to the newest 30.
 */
export const STATE_TABLE: TableDefinition = {
  id: 'StateTable',
  envVar: 'STATE_TABLE_NAME',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expires_at',
};

/**
 * The event log: every event once, for 30 days (TTL; reads also filter expired items, since TTL deletes
 * late). Keyed `pk = {tenant}#{shard}`, `sk = {received_at}#{event id}`: a tenant's events are spread
 * over EVENT_LOG_SHARDS partition keys (1,000 events/s stays far below a partition's write limit) and a
 * time range is read in order by querying each shard's sort-key range and merging.
 */
export const EVENT_LOG_TABLE: TableDefinition = {
  id: 'EventLogTable',
  envVar: 'EVENT_LOG_TABLE_NAME',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expires_at',
};

/**
 * Delivery history: one item per (integration, event), with its status and attempts, for 30 days.
 * Keyed `pk = {integration id}#{shard}`, `sk = {received_at}#{event id}`, sharded like the event log so
 * one busy integration does not make a hot partition, and listed newest first by merging the shards.
 * `PendingIndex` is sparse: only a temporary integration's deliveries carry `pending_for` while pending,
 * so "is anything still pending?" is one small query however long the history.
 */
export const DELIVERIES_TABLE: TableDefinition = {
  id: 'DeliveriesTable',
  envVar: 'DELIVERIES_TABLE_NAME',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expires_at',
  globalSecondaryIndexes: [{ indexName: 'PendingIndex', partitionKey: { name: 'pending_for', type: 'S' } }],
};

export const TABLES: readonly TableDefinition[] = [STATE_TABLE, EVENT_LOG_TABLE, DELIVERIES_TABLE];

/** How an SQS queue is consumed: the event source mapping in the stack, the poller in the local runtime. */
export interface QueueConsumer {
  /** Handler module, relative to the repository root. */
  entry: string;
  /** Construct id of the consuming function. */
  functionId: string;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** Lambda timeout; the queue's visibility timeout is at least 6 times this. */
  timeoutSeconds: number;
  /** Most concurrent invocations the mapping may start (protects receivers and DynamoDB). */
  maxConcurrency: number;
}

export interface QueueDefinition {
  /** Construct id in the stack; the local runtime names the queue after it. */
  id: string;
  /** Environment variable through which the Lambdas learn the queue's URL. */
  envVar: string;
  visibilityTimeoutSeconds: number;
  retentionDays: number;
  /** Receives before a message moves to the queue's dead-letter queue. */
  maxReceiveCount: number;
  consumer?: QueueConsumer;
}

/** Producers' events, waiting to be logged and fanned out. */
export const INGEST_QUEUE: QueueDefinition = {
  id: 'IngestQueue',
  envVar: 'INGEST_QUEUE_URL',
  visibilityTimeoutSeconds: 190,
  retentionDays: 14,
  maxReceiveCount: 10,
  consumer: {
    entry: 'lambdas/handlers/sqs/fanout.ts',
    functionId: 'FanoutFunction',
    // Real time: no batching window, and Lambda refuses a batch size above 10 without one (of at least 1 s).
    // Measured with `BENCH_ONLY=latency,cost npm run bench`: 100 with a 1 s window adds ~0.6 s at p50 and
    // ~1 s at p95 to an event published alone, and saves ~$0.04 per million events published 100 per
    // request (most traffic), ~$1.3 published one per request (more fan-out invocations and SQS calls).
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    // A catch-up waits this long (REPLAY_SETTLE_SECONDS) for fan-outs that saw the integration stopped.
    timeoutSeconds: 15,
    maxConcurrency: 20,
  },
};

/**
 * One message per (event, webhook integration). Retries are scheduled by changing the message's
 * visibility (10 s, 1 min, 5 min, 15 min, 1 h, then every 2 h for the 24 h budget: about 16 receives), so
 * maxReceiveCount sits well above that; retention outlasts the budget.
 */
export const WEBHOOK_QUEUE: QueueDefinition = {
  id: 'WebhookQueue',
  envVar: 'WEBHOOK_QUEUE_URL',
  visibilityTimeoutSeconds: 360,
  retentionDays: 4,
  maxReceiveCount: 40,
  consumer: {
    entry: 'lambdas/handlers/sqs/deliver-webhook.ts',
    functionId: 'WebhookDeliveryFunction',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    timeoutSeconds: 60,
    maxConcurrency: 50,
  },
};

/**
 * One message per (event, S3 integration); consumed by the S3 export batcher, which stages a whole batch per
 * integration as one chunk: large batches mean few, large chunks. The window is short because files close
 * on their own 5-minute clock anyway, and a longer one would only delay staging (and the local tests);
 * under load batches fill to 1,000 long before it ends. Visibility is 7.5 times the timeout.
 */
export const EXPORT_QUEUE: QueueDefinition = {
  id: 'ExportQueue',
  envVar: 'EXPORT_QUEUE_URL',
  visibilityTimeoutSeconds: 900,
  retentionDays: 14,
  maxReceiveCount: 20,
  consumer: {
    entry: 'lambdas/handlers/sqs/export-batcher.ts',
    functionId: 'ExportBatcherFunction',
    batchSize: 1000,
    maxBatchingWindowSeconds: 5,
    timeoutSeconds: 120,
    maxConcurrency: 5,
  },
};

/**
 * Replay jobs (catch-up after a start, temporary integrations): a job's message comes back once per page
 * of the event log (its visibility sets the pace) and is deleted when the job is done; it hands over to a
 * fresh message every 100 receives, so only a job crashing ~100 times in a row reaches the DLQ. One
 * record per invocation and a low concurrency keep replays from crowding out live deliveries.
 */
export const REPLAY_QUEUE: QueueDefinition = {
  id: 'ReplayQueue',
  envVar: 'REPLAY_QUEUE_URL',
  visibilityTimeoutSeconds: 540,
  retentionDays: 14,
  maxReceiveCount: 200,
  consumer: {
    entry: 'lambdas/handlers/sqs/replay.ts',
    functionId: 'ReplayFunction',
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    timeoutSeconds: 90,
    maxConcurrency: 2,
  },
};

export const QUEUES: readonly QueueDefinition[] = [INGEST_QUEUE, WEBHOOK_QUEUE, EXPORT_QUEUE, REPLAY_QUEUE];

/** A function the stack runs on a schedule (EventBridge), and the local runtime on its timer. */
export interface ScheduleDefinition {
  /** Construct id of the function. */
  functionId: string;
  /** Handler module, relative to the repository root; exports `handler(event: ScheduledEvent)`. */
  entry: string;
  rateMinutes: number;
  timeoutSeconds: number;
}

/** Temporary integrations that ran past `ends_at` and finished: stop, log, delete. */
export const HOUSEKEEPING_SCHEDULE: ScheduleDefinition = {
  functionId: 'HousekeepingFunction',
  entry: 'lambdas/handlers/schedule/housekeeping.ts',
  rateMinutes: 1,
  timeoutSeconds: 60,
};

/** S3 export: closes files that have had their 5 minutes and uploads closed files to the customers' buckets. */
export const EXPORT_FLUSH_SCHEDULE: ScheduleDefinition = {
  functionId: 'ExportFlusherFunction',
  entry: 'lambdas/handlers/schedule/export-flusher.ts',
  rateMinutes: 1,
  timeoutSeconds: 120,
};

export const SCHEDULES: readonly ScheduleDefinition[] = [HOUSEKEEPING_SCHEDULE, EXPORT_FLUSH_SCHEDULE];

/** An S3 bucket of the stack's own (encrypted, private, TLS only), with its lifecycle. */
export interface BucketDefinition {
  /** Construct id in the stack; the local runtime names the bucket after it. */
  id: string;
  /** Environment variable through which the Lambdas learn the bucket's name. */
  envVar: string;
  /** Incomplete multipart uploads are aborted this many days after they started. */
  abortIncompleteMultipartUploadDays: number;
  /** Objects are deleted this many days after they were written. */
  expirationDays: number;
}

/**
 * Staged export chunks (`chunks/{integration id}/{uuid}.ndjson`), deleted by the flusher once their file is
 * in the customer's bucket. Expiry only removes what a crash left behind (a chunk written but never listed),
 * so it must outlast the longest a listed chunk can wait: the stop window (at most 30 days) plus backoff.
 */
export const EXPORT_STAGING_BUCKET: BucketDefinition = {
  id: 'ExportStagingBucket',
  envVar: 'EXPORT_STAGING_BUCKET_NAME',
  abortIncompleteMultipartUploadDays: 1,
  expirationDays: 35,
};

export const BUCKETS: readonly BucketDefinition[] = [EXPORT_STAGING_BUCKET];

/** Name of a queue's dead-letter queue. */
export const deadLetterQueueId = (queue: QueueDefinition): string => `${queue.id}DLQ`;

/**
 * Name prefix every integration secret of a deployment is created under; IAM grants are limited to it,
 * so two stacks in one account never read each other's secrets.
 */
export const secretNamePrefix = (deploymentName: string): string => `${deploymentName}/integrations/`;
