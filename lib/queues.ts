import { Duration } from 'aws-cdk-lib';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueueId, QUEUES, type QueueDefinition } from './resource-definitions.ts';

/** How long a dead-lettered message waits for someone to look at it and redrive it: the SQS maximum. */
export const DEAD_LETTER_RETENTION_DAYS = 14;

/**
 * AWS's rule for queues feeding Lambda: a visibility timeout of at least six times the function timeout, so
 * a batch that is retried after throttling or a timeout is not handed out again while still being worked on.
 */
export const VISIBILITY_TO_TIMEOUT_RATIO = 6;

/** Throws when `queue` breaks an invariant the stack relies on; called before anything is created. */
export const checkQueueDefinition = (queue: QueueDefinition): void => {
  const { consumer } = queue;
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
