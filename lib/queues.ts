import { Duration } from 'aws-cdk-lib';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  deadLetterQueueId,
  QUEUES,
  type QueueConsumer,
  type QueueDefinition,
} from './resource-definitions.ts';

/** How long a dead-lettered message waits for someone to look at it and redrive it: the SQS maximum. */
export const DEAD_LETTER_RETENTION_DAYS = 14;

/**
 * AWS's rule for queues feeding Lambda: a visibility timeout of at least six times the function timeout, so
 * a batch that is retried after throttling or a timeout is not handed out again while still being worked on.
 */
export const VISIBILITY_TO_TIMEOUT_RATIO = 6;

/**
 * Limits Lambda puts on an SQS event source mapping of a standard queue, which only CreateEventSourceMapping
 * enforces (cdk synth does not): https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 */
export const SQS_EVENT_SOURCE_LIMITS = {
  maxBatchSize: 10_000,
  /** "When you set BatchSize to a value greater than 10, you must set MaximumBatchingWindowInSeconds to at least 1." */
  maxBatchSizeWithoutWindow: 10,
  maxBatchingWindowSeconds: 300,
  /** ScalingConfig.MaximumConcurrency. */
  minConcurrency: 2,
  maxConcurrency: 1000,
} as const;

/** Throws when `consumer` would be refused by Lambda at deploy time. */
const checkEventSource = (queue: QueueDefinition, consumer: QueueConsumer): void => {
  const limits = SQS_EVENT_SOURCE_LIMITS;
  const { batchSize, maxBatchingWindowSeconds: window, maxConcurrency } = consumer;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > limits.maxBatchSize) {
    throw new Error(`Queue ${queue.id}: batch size ${batchSize} is not from 1 to ${limits.maxBatchSize}`);
  }
  if (!Number.isInteger(window) || window < 0 || window > limits.maxBatchingWindowSeconds) {
    throw new Error(
      `Queue ${queue.id}: batching window ${window} s is not a whole number from 0 to ${limits.maxBatchingWindowSeconds}`,
    );
  }
  if (batchSize > limits.maxBatchSizeWithoutWindow && window < 1) {
    throw new Error(
      `Queue ${queue.id}: batch size ${batchSize} needs a batching window of at least 1 s ` +
        `(Lambda refuses more than ${limits.maxBatchSizeWithoutWindow} without one)`,
    );
  }
  if (
    !Number.isInteger(maxConcurrency) ||
    maxConcurrency < limits.minConcurrency ||
    maxConcurrency > limits.maxConcurrency
  ) {
    throw new Error(
      `Queue ${queue.id}: maximum concurrency ${maxConcurrency} is not from ${limits.minConcurrency} to ${limits.maxConcurrency}`,
    );
  }
};

/** Throws when `queue` breaks an invariant the stack relies on; called before anything is created. */
export const checkQueueDefinition = (queue: QueueDefinition): void => {
  const { consumer } = queue;
  if (consumer) checkEventSource(queue, consumer);
  if (consumer && queue.visibilityTimeoutSeconds < VISIBILITY_TO_TIMEOUT_RATIO * consumer.timeoutSeconds) {
    throw new Error(
      `Queue ${queue.id}: visibility timeout ${queue.visibilityTimeoutSeconds} s is below ` +
        `${VISIBILITY_TO_TIMEOUT_RATIO} x the ${consumer.functionId} timeout (${consumer.timeoutSeconds} s)`,
    );
  }
  if (!Number.isInteger(queue.maxReceiveCount) || queue.maxReceiveCount < 1) {
    throw new Error(`Queue ${queue.id}: maxReceiveCount must be a positive integer`);
  }
  // SQS keeps the original enqueue time when it dead-letters a message: a DLQ keeping messages for less
  // time than its source queue would drop them as soon as they arrive.
  if (queue.retentionDays > DEAD_LETTER_RETENTION_DAYS) {
    throw new Error(`Queue ${queue.id}: retention above ${DEAD_LETTER_RETENTION_DAYS} days (its DLQ's)`);
  }
};

export interface QueuesProps {
  /** Defaults to `QUEUES`; other lists exist for tests only. */
  definitions?: readonly QueueDefinition[];
}

/**
 * The SQS queues of the pipeline, built from `QUEUES` so the local runtime creates the same ones, each
 * behind its own dead-letter queue: a message that keeps failing ends up there (and raises an alarm)
 * instead of being lost or retried forever. Encrypted with SQS-managed keys, which EventBridge and Lambda
 * can use without key policies; HTTPS only.
 */
export class Queues extends Construct {
  readonly definitions: readonly QueueDefinition[];
  private readonly queues = new Map<string, Queue>();
  private readonly deadLetterQueues = new Map<string, Queue>();

  constructor(scope: Construct, id: string, props: QueuesProps = {}) {
    super(scope, id);
    this.definitions = props.definitions ?? QUEUES;
    for (const definition of this.definitions) checkQueueDefinition(definition);

    for (const definition of this.definitions) {
      const deadLetterQueue = new Queue(this, deadLetterQueueId(definition), {
        retentionPeriod: Duration.days(DEAD_LETTER_RETENTION_DAYS),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      const queue = new Queue(this, definition.id, {
        visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(definition.retentionDays),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
      });
      this.queues.set(definition.id, queue);
      this.deadLetterQueues.set(definition.id, deadLetterQueue);
    }
  }

  /** The queue built from `definition`. */
  queue(definition: QueueDefinition): IQueue {
    const queue = this.queues.get(definition.id);
    if (!queue) throw new Error(`No queue ${definition.id}: add it to QUEUES`);
    return queue;
  }

  /** The dead-letter queue behind the queue built from `definition`. */
  deadLetterQueue(definition: QueueDefinition): IQueue {
    const queue = this.deadLetterQueues.get(definition.id);
    if (!queue) throw new Error(`No queue ${definition.id}: add it to QUEUES`);
    return queue;
  }

  /** Environment variables holding every queue's URL, under each definition's `envVar`. */
  queueEnvironment(): Record<string, string> {
    return Object.fromEntries(
      this.definitions.map((definition) => [definition.envVar, this.queue(definition).queueUrl]),
    );
  }
}
