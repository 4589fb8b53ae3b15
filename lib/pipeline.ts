import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { EXPORT_FLUSH_SECRET_ACTIONS, type FunctionAccess, grantStagingObjects } from './access.ts';
import { AppFunction } from './app-function.ts';
import type { Queues } from './queues.ts';
import {
  DELIVERIES_TABLE,
  EVENT_LOG_TABLE,
  EXPORT_QUEUE,
  EXPORT_STAGING_BUCKET,
  INGEST_QUEUE,
  type QueueConsumer,
  type QueueDefinition,
  REPLAY_QUEUE,
  STATE_TABLE,
  WEBHOOK_QUEUE,
} from './resource-definitions.ts';

/** A consumer's handler module, from its repository-relative `entry`. */
export const consumerEntry = (consumer: QueueConsumer): string =>
  fileURLToPath(new URL(`../${consumer.entry}`, import.meta.url));

export interface PipelineProps {
  queues: Queues;
  /** The stack's tables, queues and buckets, and the secret prefix, for the consumers' grants. */
  access: FunctionAccess;
  /** Lambda environment, the same for every function of the stack. */
  environment: Record<string, string>;
}

type GrantConsumer = (fn: AppFunction, access: FunctionAccess) => void;

/**
 * What each consumer may do besides receiving and deleting its own queue's messages (the event source
 * mapping grants that). Listed per queue so a new consumer cannot be deployed with borrowed or broad
 * rights: a queue with a consumer and no entry here fails the synth.
 */
const CONSUMER_GRANTS: Readonly<Record<string, GrantConsumer>> = {
  // fanout (FanOut → event log, integrations, DeliveryRouter, delivery state): logs each event once and
  // enqueues one delivery per matching integration.
  [INGEST_QUEUE.id]: (fn, access) => {
    // Write-only on the event log: a batch's events of one publish are one chunk item (BatchWriteItem), keyed
    // by their ids so a second run overwrites it; it never reads the log.
    // With `dedupEventIds`, each producer-given id is claimed first by a conditional PutItem in the same table.
    access.table(EVENT_LOG_TABLE).grant(fn, 'dynamodb:BatchWriteItem', 'dynamodb:PutItem');
    // Reads the integrations; its only write is a catch-up point (UpdateItem) for a stopped integration.
    const stateTable = access.table(STATE_TABLE);
    stateTable.grantReadData(fn);
    stateTable.grant(fn, 'dynamodb:UpdateItem');
    // A pending marker per event routed to a temporary integration (PutItem), unless its publish's history
    // (Query) says it was delivered.
    access.table(DELIVERIES_TABLE).grant(fn, 'dynamodb:Query', 'dynamodb:PutItem');
    access.queue(WEBHOOK_QUEUE).grantSendMessages(fn);
    access.queue(EXPORT_QUEUE).grantSendMessages(fn);
  },
  // webhook delivery: the consume grant of its event source includes sqs:ChangeMessageVisibility, which
  // is how retries are scheduled (the message comes back after the backoff delay).
  [WEBHOOK_QUEUE.id]: (fn, access) => {
    access.table(EVENT_LOG_TABLE).grantReadData(fn);
    // Delivery state, rejected events, log entries, stopping an integration (a webhook one: no flush).
    access.table(STATE_TABLE).grantReadWriteData(fn);
    // A batch's attempts are one item per publish, with the pending markers they end deleted in the same
    // BatchWriteItem; a message that may repeat a delivery first reads its publish's history (Query).
    access.table(DELIVERIES_TABLE).grant(fn, 'dynamodb:Query', 'dynamodb:BatchWriteItem');
    // Receiver credentials and signing secrets: read only, and only this deployment's.
    access.grantSecrets(fn, ['secretsmanager:GetSecretValue']);
  },
  // export batcher (ExportBatcher, then ExportFlush.uploadClosed for the files a batch filled): stages
  // each batch's lines as chunks of the integrations' open files.
  [EXPORT_QUEUE.id]: (fn, access) => {
    // The events' payloads: their chunks by key (BatchGetItem), or every chunk of their publish (Query) for a
    // message without a chunk id (a replay's); messages carry references only.
    access.table(EVENT_LOG_TABLE).grant(fn, 'dynamodb:BatchGetItem', 'dynamodb:Query');
    // New chunks; reading and deleting them is part of the flush grant below.
    grantStagingObjects(fn, access.bucket(EXPORT_STAGING_BUCKET), ['s3:PutObject']);
    access.grantSecrets(fn, EXPORT_FLUSH_SECRET_ACTIONS);
    // File records (open, append, close), integrations, missed ranges; and the upload of full files.
    access.grantExportFlush(fn);
    // Staged events noted per publish (BatchWriteItem); a message that may repeat one reads its publish's
    // history first (Query).
    access.table(DELIVERIES_TABLE).grant(fn, 'dynamodb:Query', 'dynamodb:BatchWriteItem');
  },
  // replay (Replays.step → event log, DeliveryRouter, replay store; Housekeeping.finishIfDone at the end of a
  // temporary integration's replay): one page of a job per receive. The
  // consume grant includes sqs:ChangeMessageVisibility, which paces the job's message between pages.
  [REPLAY_QUEUE.id]: (fn, access) => {
    // Pages of the event log, shard by shard; it never reads single events nor writes.
    access.table(EVENT_LOG_TABLE).grant(fn, 'dynamodb:Query');
    // Replay jobs (get, conditional advance, delete), integrations, catch-up points, log entries.
    access.table(STATE_TABLE).grantReadWriteData(fn);
    // Pending markers of the replayed events, like the fanout's (PutItem); which of a page were delivered
    // already (a Query per publish), so a webhook does not get them twice.
    access.table(DELIVERIES_TABLE).grant(fn, 'dynamodb:Query', 'dynamodb:PutItem');
    access.queue(WEBHOOK_QUEUE).grantSendMessages(fn);
    access.queue(EXPORT_QUEUE).grantSendMessages(fn);
    // Every HANDOFF_RECEIVES receives a job continues on a fresh message, below maxReceiveCount.
    access.queue(REPLAY_QUEUE).grantSendMessages(fn);
    // At the end of a temporary webhook integration's replay it finishes the integration as housekeeping
    // does: "is anything pending?" on the PendingIndex (markers whose delivery ended are deleted, with
    // BatchWriteItem), then the delete with its secret. (S3 ones, which wait for their last file, are left
    // to housekeeping: no S3 access here.)
    access.table(DELIVERIES_TABLE).grant(fn, 'dynamodb:Query', 'dynamodb:BatchWriteItem');
    access.grantSecrets(fn, ['secretsmanager:DeleteSecret']);
  },
};

/**
 * The event pipeline's consumers: one function per queue that has a `consumer` in `QUEUES`, fed by an
 * SQS event source mapping with the definition's batching and concurrency, and partial batch responses
 * so one failed record is retried alone instead of its whole batch.
 */
export class Pipeline extends Construct {
  /** Consumer functions by their queue's `id`. */
  readonly consumers: ReadonlyMap<string, AppFunction>;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    const consumers = new Map<string, AppFunction>();
    for (const definition of props.queues.definitions) {
      if (!definition.consumer) continue;
      consumers.set(definition.id, this.createConsumer(definition, definition.consumer, props));
    }
    this.consumers = consumers;
  }

  /** The function consuming the queue built from `definition`. */
  consumer(definition: QueueDefinition): AppFunction {
    const fn = this.consumers.get(definition.id);
    if (!fn) throw new Error(`Queue ${definition.id} has no consumer`);
    return fn;
  }

  private createConsumer(definition: QueueDefinition, consumer: QueueConsumer, props: PipelineProps) {
    const grant = CONSUMER_GRANTS[definition.id];
    if (!grant) {
      throw new Error(`No grants for the consumer of ${definition.id}: add them to CONSUMER_GRANTS`);
    }
    const fn = new AppFunction(this, consumer.functionId, {
      entry: consumerEntry(consumer),
      description: `Consumes the ${definition.id}`,
      timeout: Duration.seconds(consumer.timeoutSeconds),
      environment: props.environment,
    });
    fn.addEventSource(
      new SqsEventSource(props.queues.queue(definition), {
        batchSize: consumer.batchSize,
        maxBatchingWindow: Duration.seconds(consumer.maxBatchingWindowSeconds),
        reportBatchItemFailures: true,
        maxConcurrency: consumer.maxConcurrency,
      }),
    );
    grant(fn, props.access);
    props.access.acknowledgeTableIndexes(fn);
    return fn;
  }
}
