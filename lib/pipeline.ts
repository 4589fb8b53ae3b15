import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { AppFunction } from './app-function.ts';
import { integrationSecretsArn } from './integration-secrets.ts';
import type { Queues } from './queues.ts';
import {
  EXPORT_QUEUE,
  INGEST_QUEUE,
  type QueueConsumer,
  type QueueDefinition,
  WEBHOOK_QUEUE,
} from './resource-definitions.ts';

/** A consumer's handler module, from its repository-relative `entry`. */
export const consumerEntry = (consumer: QueueConsumer): string =>
  fileURLToPath(new URL(`../${consumer.entry}`, import.meta.url));

export interface PipelineProps {
  queues: Queues;
  stateTable: ITable;
  eventLogTable: ITable;
  /** Every integration secret is named under this prefix. */
  secretNamePrefix: string;
  /** Lambda environment, the same for every function of the stack. */
  environment: Record<string, string>;
}

type GrantConsumer = (fn: AppFunction, props: PipelineProps) => void;

/**
 * What each consumer may do besides receiving and deleting its own queue's messages (the event source
 * mapping grants that). Listed per queue so a new consumer cannot be deployed with borrowed or broad
 * rights: a queue with a consumer and no entry here fails the synth.
 */
const CONSUMER_GRANTS: Readonly<Record<string, GrantConsumer>> = {
  // fanout: logs each event once and enqueues one delivery per matching integration.
  [INGEST_QUEUE.id]: (fn, { queues, stateTable, eventLogTable }) => {
    // Write-only on the event log: conditional puts keep it idempotent per event id; it never reads it.
    eventLogTable.grant(fn, 'dynamodb:PutItem', 'dynamodb:BatchWriteItem');
    stateTable.grantReadData(fn);
    queues.queue(WEBHOOK_QUEUE).grantSendMessages(fn);
    queues.queue(EXPORT_QUEUE).grantSendMessages(fn);
  },
  // webhook delivery: the consume grant of its event source includes sqs:ChangeMessageVisibility, which
  // is how retries are scheduled (the message comes back after the backoff delay).
  [WEBHOOK_QUEUE.id]: (fn, { stateTable, eventLogTable, secretNamePrefix }) => {
    eventLogTable.grantReadData(fn);
    // Delivery state, rejected events, log entries, stopping an integration.
    stateTable.grantReadWriteData(fn);
    // Receiver credentials and signing secrets: read only, and only this deployment's.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [integrationSecretsArn(fn, secretNamePrefix)],
      }),
    );
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
    grant(fn, props);
    return fn;
  }
}
