import { Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
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
 * Every custom metric the Lambdas emit (Powertools EMF, namespace METRICS_NAMESPACE, dimension `service`),
 * as the dashboard groups them. A metric renamed in `lambdas/` and not here shows as an empty line; the
 * infra test checks these names against the handlers' code.
 */
export const PIPELINE_METRICS = {
  /** Fanout: events logged and routed, and invalid ingest messages (sent on to the DLQ). */
  ingest: ['EventsIngested', 'EventsInvalid', 'EventIdRepeated'],
  /** Delivery Lambda, one per attempt outcome, and its side effects. */
  webhook: [
    'WebhookDelivered',
    'WebhookRetried',
    'WebhookRejected',
    'WebhookFailed',
    'WebhookGone',
    'WebhookEventExpired',
    'WebhookIntegrationStopped',
    // A message handed out again after its delivery, not sent twice.
    'WebhookAlreadyDelivered',
    // Circuit breakers: openings, and messages put back without a request while one was open.
    'WebhookBreakerOpened',
    'WebhookParked',
    // Rate limits: messages put back without a request by their integration's limit, and 429s that paused one.
    'WebhookRateLimited',
    'WebhookThrottled',
    // Ordered integrations: messages put back (as fresh copies) while an older event of their entity is on its way,
    // and keys of events that never reached the log (a publish that failed after placing them), dropped.
    'WebhookHeldForOrder',
    'OrderKeyDropped',
    // An entity queue at MAX_PENDING_KEYS: the event went unordered.
    'OrderQueueFull',
  ],
  /** Milliseconds from an event's receipt to its successful delivery (shown as p50 and p95). */
  latency: 'DeliveryLatency',
  /** S3 export: what reached the customers' buckets, and what was staged on the way. */
  export: [
    'ExportFilesUploaded',
    'ExportEventsUploaded',
    'ExportBytesUploaded',
    'ExportEventsStaged',
    // Events of repeated messages that were staged before, not put into another file.
    'ExportAlreadyStaged',
  ],
  /** Replays: events queued page by page (the replay queue's depth and age show jobs waiting). */
  replay: ['ReplayEventsQueued'],
  /** S3 export trouble: failed uploads, events expired before staging, integrations stopped by failures. */
  exportProblems: ['ExportUploadFailed', 'ExportEventExpired', 'ExportIntegrationStopped'],
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

/**
 * Age of the oldest ingest message that raises an alarm. Fanout takes events within seconds; a failed
 * receive returns after the ~3-minute visibility, so 15 minutes means batches failing again and again (or
 * a fanout that cannot keep up), and every delivery and export of those events waits behind them.
 */
export const MAX_INGEST_MESSAGE_AGE = Duration.minutes(15);

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

/** A custom metric of the pipeline (Powertools: namespace EventStream, dimension service=event-stream). */
const pipelineMetric = (metricName: string, statistic = 'Sum', label?: string): Metric =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic,
    period: PERIOD,
    ...(label ? { label } : {}),
  });

/**
 * A scheduled function (every minute) failing in each of 3 consecutive 5-minute periods: not one bad run,
 * which the next run repeats anyway, but work (finishing temporary integrations, uploading export files)
 * that has not been done for 15 minutes.
 */
export const SCHEDULED_ERROR_PERIODS = 3;

/**
 * Throttles in 2 of 3 consecutive 5-minute periods: recurring, not one burst. SQS-fed functions retry a
 * throttled batch (it comes back after its visibility timeout), the API answers 5xx and schedules drop runs;
 * recurring throttles mean the account's concurrency is exhausted or reserved elsewhere.
 */
export const THROTTLE_ALARM = { evaluationPeriods: 3, datapointsToAlarm: 2 } as const;

/**
 * Uploads to a customer bucket failing in each of 3 consecutive 5-minute periods: the flush retries with
 * backoff and stops the integration after its stop window, so this is the warning before that happens.
 */
export const EXPORT_UPLOAD_FAILED_PERIODS = 3;

/** A queue whose oldest message must not wait longer than `maxAge`. */
export interface QueueAgeLimit {
  /** Used in the alarm id (`{name}AgeAlarm`). */
  name: string;
  queue: IQueue;
  maxAge: Duration;
  /** What an old message means, for whoever gets the alarm. */
  description: string;
}

/** A queue shown on the dashboard, by a name used in labels. */
export interface ObservedQueue {
  name: string;
  queue: IQueue;
}

/** A Lambda function on the dashboard and under the throttle alarm. */
export interface ObservedFunction {
  /** Used in alarm ids (`{name}ThrottlesAlarm`) and labels. */
  name: string;
  fn: IFunction;
  /**
   * When set, an alarm on its Errors in SCHEDULED_ERROR_PERIODS periods in a row, with this description
   * (for the scheduled functions, whose failures nobody sees otherwise).
   */
  errorsAlarmDescription?: string;
}

export interface ObservabilityProps {
  /** Every queue of the pipeline (not the DLQs), for the dashboard. */
  queues: readonly ObservedQueue[];
  /** Every dead-letter queue of the stack, by a name used in alarm ids and descriptions. */
  deadLetterQueues: readonly ObservedQueue[];
  /** Queues whose backlog age is watched. */
  queueAgeLimits: readonly QueueAgeLimit[];
  /** Every Lambda function of the stack. */
  functions: readonly ObservedFunction[];
  /** The REST API, for its request, error and latency metrics. */
  httpApi: IHttpApi;
  /** When set, alarms (and their recovery) are mailed here through an SNS topic. */
  alarmEmail?: string;
}

/**
 * What an operator watches and must act on. Alarms: any message in a dead-letter queue (an event that could
 * not be processed and waits for a redrive), a high delivery failure rate, a backlog older than its queue's
 * limit, recurring throttles of any function, failing scheduled functions and failing export uploads; all
 * mailed (with their recovery) when `alarmEmail` is set. One dashboard shows the pipeline end to end:
 * events in, deliveries and their latency, exports, queues and DLQs, functions and the API.
 */
export class Observability extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
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

    const failureRate = new MathExpression({
      expression: FAILURE_RATE_EXPRESSION,
      usingMetrics: Object.fromEntries(
        Object.entries(DELIVERY_METRICS).map(([key, metricName]) => [key, pipelineMetric(metricName)]),
      ),
      period: PERIOD,
      label: 'Webhook delivery failure rate',
    });
    this.alarms.push(
      new Alarm(this, 'DeliveryFailureRateAlarm', {
        alarmDescription: 'Over half of the webhook delivery attempts failed for 15 minutes',
        metric: failureRate,
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

    for (const { name, fn, errorsAlarmDescription } of props.functions) {
      this.alarms.push(
        new Alarm(this, `${name}ThrottlesAlarm`, {
          alarmDescription: `${name} was throttled in two of the last three 5-minute periods: its invocations are delayed or dropped; check the account's concurrency`,
          metric: fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          ...THROTTLE_ALARM,
          // Lambda reports nothing for a function that is not invoked.
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
      if (errorsAlarmDescription) {
        this.alarms.push(
          new Alarm(this, `${name}ErrorsAlarm`, {
            alarmDescription: errorsAlarmDescription,
            metric: fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
            threshold: 0,
            comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: SCHEDULED_ERROR_PERIODS,
            datapointsToAlarm: SCHEDULED_ERROR_PERIODS,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
        );
      }
    }

    this.alarms.push(
      new Alarm(this, 'ExportUploadFailedAlarm', {
        alarmDescription:
          "Export files failed to upload to a customer's bucket for 15 minutes: check the integration's log " +
          '(credentials, role trust, bucket policy); it is stopped when failures outlast its stop window',
        metric: pipelineMetric('ExportUploadFailed'),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: EXPORT_UPLOAD_FAILED_PERIODS,
        datapointsToAlarm: EXPORT_UPLOAD_FAILED_PERIODS,
        // Emitted only when an upload fails: no datapoint is a period without failures.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    this.dashboard = this.createDashboard(props, failureRate);

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

  private createDashboard(props: ObservabilityProps, failureRate: MathExpression): Dashboard {
    const stack = Stack.of(this);
    const graph = (title: string, left: IMetric[], width = 8, right?: IMetric[]) =>
      new GraphWidget({ title, left, ...(right ? { right } : {}), width, height: 6 });
    const sums = (names: readonly string[]) => names.map((name) => pipelineMetric(name));
    const latency = (statistic: string) =>
      pipelineMetric(PIPELINE_METRICS.latency, statistic, `Delivery latency ${statistic} (ms)`);
    const queues = props.queues;
    const deadLetterQueues = props.deadLetterQueues;
    const functions = props.functions;
    const api = props.httpApi;

    return new Dashboard(this, 'Dashboard', {
      // Named after the stack (unique per region) and region, so it is easy to find and never collides.
      dashboardName: `${stack.stackName}-${stack.region}`,
      defaultInterval: Duration.hours(3),
      widgets: [
        [new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 })],
        [
          graph('Events ingested and invalid', sums(PIPELINE_METRICS.ingest)),
          graph('Webhook attempts by outcome', sums(PIPELINE_METRICS.webhook)),
          graph('Webhook delivery failure rate', [failureRate]),
        ],
        [
          graph('Delivery latency (ms)', [latency('p50'), latency('p95')]),
          graph('S3 export: files and events', sums(PIPELINE_METRICS.export)),
          graph('S3 export: failures', sums(PIPELINE_METRICS.exportProblems)),
        ],
        [graph('Replays: events queued', sums(PIPELINE_METRICS.replay), 24)],
        [
          graph(
            'Queue depth (visible, in flight)',
            queues.flatMap(({ name, queue }) => [
              queue.metricApproximateNumberOfMessagesVisible({
                statistic: 'Maximum',
                label: `${name} visible`,
              }),
              queue.metricApproximateNumberOfMessagesNotVisible({
                statistic: 'Maximum',
                label: `${name} in flight`,
              }),
            ]),
            12,
          ),
          graph(
            'Dead-letter queue depth',
            deadLetterQueues.map(({ name, queue }) =>
              queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', label: name }),
            ),
            12,
          ),
        ],
        [
          graph(
            'Oldest message age (s)',
            queues.map(({ name, queue }) =>
              queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', label: name }),
            ),
            12,
          ),
          graph(
            'Dead-letter queue oldest message age (s)',
            deadLetterQueues.map(({ name, queue }) =>
              queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', label: name }),
            ),
            12,
          ),
        ],
        [
          graph(
            'Lambda errors',
            functions.map(({ name, fn }) => fn.metricErrors({ statistic: 'Sum', label: name })),
          ),
          graph(
            'Lambda throttles',
            functions.map(({ name, fn }) => fn.metricThrottles({ statistic: 'Sum', label: name })),
          ),
          graph(
            'Lambda duration p95 (ms)',
            functions.map(({ name, fn }) => fn.metricDuration({ statistic: 'p95', label: name })),
          ),
        ],
        [
          graph('API requests, 4xx and 5xx', [api.metricCount({ statistic: 'Sum', label: 'Requests' })], 12, [
            api.metricClientError({ statistic: 'Sum', label: '4xx' }),
            api.metricServerError({ statistic: 'Sum', label: '5xx' }),
          ]),
          graph(
            'API latency (ms)',
            [
              api.metricLatency({ statistic: 'p50', label: 'Latency p50' }),
              api.metricLatency({ statistic: 'p95', label: 'Latency p95' }),
              api.metricIntegrationLatency({ statistic: 'p95', label: 'Lambda integration p95' }),
            ],
            12,
          ),
        ],
      ],
    });
  }
}
