import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Powertools service name (the `service` dimension of every custom metric) and metrics namespace. */
export const SERVICE_NAME = 'event-stream';
export const METRICS_NAMESPACE = 'EventStream';

/** Count metrics the delivery Lambda emits, one per outcome of a delivery attempt. */
export const DELIVERY_METRICS = {
  delivered: 'WebhookDelivered',
  retried: 'WebhookRetried',
  rejected: 'WebhookRejected',
  failed: 'WebhookFailed',
} as const;

/**
 * Share of delivery attempts that did not reach the receiver. FILL(…, 0) matters: during a full outage
 * nothing is delivered, so WebhookDelivered has no datapoint at all, and metric math over a missing series
 * yields nothing, which would keep the alarm quiet exactly when it should fire. When nothing is attempted
 * the denominator is 0, the period has no value and counts as missing (not breaching).
 */
export const FAILURE_RATE_EXPRESSION =
  '(FILL(retried, 0) + FILL(failed, 0)) / ' +
  '(FILL(delivered, 0) + FILL(retried, 0) + FILL(failed, 0) + FILL(rejected, 0))';

/** Alarm when over half the attempts fail for 3 consecutive 5-minute periods: an outage, not a blip. */
export const FAILURE_RATE_THRESHOLD = 0.5;

/** Age of the oldest webhook delivery that raises an alarm: a receiver down (or delivery stuck) that long. */
export const MAX_WEBHOOK_MESSAGE_AGE = Duration.hours(1);

/**
 * Age of the oldest export message that raises an alarm. Healthy ones are staged within seconds; one failed
 * receive returns after the 15-minute visibility, so 30 minutes means records failing twice in a row (or a
 * batcher that cannot keep up), while the files' 5-minute clock has long passed.
 */
export const MAX_EXPORT_MESSAGE_AGE = Duration.minutes(30);

/**
 * Age of the oldest replay message that raises an alarm. A job's message comes back once per page, but
 * SQS leaves messages received three times or more out of this metric, so what it measures is jobs not yet
 * (or barely) started: a new job waiting an hour means the replay consumer is failing or stuck.
 */
export const MAX_REPLAY_MESSAGE_AGE = Duration.hours(1);

const PERIOD = Duration.minutes(5);

/** A queue whose oldest message must not wait longer than `maxAge`. */
export interface QueueAgeLimit {
  /** Used in the alarm id (`{name}AgeAlarm`). */
  name: string;
  queue: IQueue;
  maxAge: Duration;
  /** What an old message means, for whoever gets the alarm. */
  description: string;
}

export interface ObservabilityProps {
  /** Every dead-letter queue of the stack, by a name used in alarm ids and descriptions. */
  deadLetterQueues: ReadonlyArray<{ name: string; queue: IQueue }>;
  /** Queues whose backlog age is watched (webhook deliveries, export staging, replays). */
  queueAgeLimits: readonly QueueAgeLimit[];
  /** When set, alarms (and their recovery) are mailed here through an SNS topic. */
  alarmEmail?: string;
}

/**
 * Alarms on what an operator must act on: any message in a dead-letter queue (an event that could not be
 * processed and waits for a redrive), a high delivery failure rate, and a backlog older than its queue's
 * limit (webhook deliveries, export staging, replays).
 */
export class Observability extends Construct {
  readonly alarms: Alarm[] = [];
  readonly topic?: Topic;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);

    for (const { name, queue } of props.deadLetterQueues) {
      this.alarms.push(
        new Alarm(this, `${name}DepthAlarm`, {
          alarmDescription: `${name} holds messages that could not be processed: inspect, fix, redrive`,
          metric: queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          datapointsToAlarm: 1,
          // SQS stops reporting an idle empty queue; a message arriving makes it report again.
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    const deliveryMetric = (metricName: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICE_NAME },
        statistic: 'Sum',
        period: PERIOD,
      });
    this.alarms.push(
      new Alarm(this, 'DeliveryFailureRateAlarm', {
        alarmDescription: 'Over half of the webhook delivery attempts failed for 15 minutes',
        metric: new MathExpression({
          expression: FAILURE_RATE_EXPRESSION,
          usingMetrics: Object.fromEntries(
            Object.entries(DELIVERY_METRICS).map(([key, metricName]) => [key, deliveryMetric(metricName)]),
          ),
          period: PERIOD,
          label: 'Webhook delivery failure rate',
        }),
        threshold: FAILURE_RATE_THRESHOLD,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    for (const { name, queue, maxAge, description } of props.queueAgeLimits) {
      this.alarms.push(
        new Alarm(this, `${name}AgeAlarm`, {
          alarmDescription: description,
          metric: queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' }),
          threshold: maxAge.toSeconds(),
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          datapointsToAlarm: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    if (props.alarmEmail) {
      // Not encrypted with the AWS-managed SNS key: CloudWatch cannot publish to a topic under that key
      // (its key policy cannot be changed), and alarm notifications carry no customer data.
      const topic = new Topic(this, 'AlarmTopic', { displayName: 'Event stream alarms', enforceSSL: true });
      topic.addSubscription(new EmailSubscription(props.alarmEmail));
      const action = new SnsAction(topic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
      this.topic = topic;
    }
  }
}
