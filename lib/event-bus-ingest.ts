import { Duration } from 'aws-cdk-lib';
import { EventBus, EventField, type EventPattern, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';
import { DEAD_LETTER_RETENTION_DAYS } from './queues.ts';

/** Every event of the bus: each EventBridge event has a `source`, and every string starts with "". */
export const MATCH_ALL_PATTERN = { source: [{ prefix: '' }] } as const;

/**
 * The ingest queue's message for one EventBridge event: the same `{ "event": … }` shape POST /events
 * enqueues, so the fanout Lambda cannot tell the two apart. `detail-type` is the event name and `detail`
 * its payload; `id` and `time` are EventBridge's own.
 */
export const EVENT_BUS_MESSAGE = RuleTargetInput.fromObject({
  event: {
    id: EventField.eventId,
    name: EventField.detailType,
    published_at: EventField.time,
    payload: EventField.fromPath('$.detail'),
  },
});

export interface EventBusIngestProps {
  /** An existing bus of the account and region (not created nor deleted by this stack). */
  eventBusName: string;
  /** EventBridge event pattern, in its JSON form (`detail-type`, not `detailType`); default: every event. */
  eventPattern?: Record<string, unknown>;
  ingestQueue: IQueue;
}

/**
 * Optional second way in: a rule on an existing EventBridge bus sending matching events to the ingest
 * queue. The SqsQueue target adds a statement to the queue policy allowing events.amazonaws.com to send
 * only when the source ARN is this rule. Events EventBridge fails to deliver (policy or throttling, after
 * its retries) land in a dead-letter queue of their own, as EventBridge sends them, instead of being lost.
 */
export class EventBusIngest extends Construct {
  readonly rule: Rule;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: EventBusIngestProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(DEAD_LETTER_RETENTION_DAYS),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledge(
      this.deadLetterQueue,
      'SQS3',
      "This queue is a dead-letter queue: the rule target's, which EventBridge writes to directly, so no " +
        'SQS redrive policy names it and cdk-nag cannot tell; it is alarmed on like the other DLQs',
    );
    this.rule = new Rule(this, 'Rule', {
      description: `Events of the ${props.eventBusName} bus into the event stream's ingest queue`,
      eventBus: EventBus.fromEventBusName(this, 'Bus', props.eventBusName),
      // The pattern is passed through as EventBridge JSON; CDK renders its keys unchanged.
      eventPattern: (props.eventPattern ?? MATCH_ALL_PATTERN) as EventPattern,
      targets: [
        new SqsQueue(props.ingestQueue, {
          message: EVENT_BUS_MESSAGE,
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });
  }
}
