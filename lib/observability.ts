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

const PERIOD = Duration.minutes(5);

export interface ObservabilityProps {
  /** Every dead-letter queue of the stack, by a name used in alarm ids and descriptions. */
  deadLetterQueues: ReadonlyArray<{ name: string; queue: IQueue }>;
  webhookQueue: IQueue;
  /** When set, alarms (and their recovery) are mailed here through an SNS topic. */
  alarmEmail?: string;
}

/**
 * Alarms on what an operator must act on: any message in a dead-letter queue (an event that could not be
 * processed and waits for a redrive), a high delivery failure rate, and a webhook backlog older than an hour.
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

    this.alarms.push(
      new Alarm(this, 'WebhookQueueAgeAlarm', {
        alarmDescription:
          'A webhook delivery has waited over an hour: a receiver is down or delivery is stuck',
        metric: props.webhookQueue.metricApproximateAgeOfOldestMessage({
          period: PERIOD,
          statistic: 'Maximum',
        }),
        threshold: MAX_WEBHOOK_MESSAGE_AGE.toSeconds(),
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

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
