import { Aspects, CfnOutput, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import { LayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { CONSOLE_PATH } from '../lambdas/handlers/console/routes.ts';
import { FunctionAccess } from './access.ts';
import { Api } from './api.ts';
import { adotNodejsLayerArn, OpenTelemetryInstrumentation } from './app-function.ts';
import { Auth, type ExternalIssuer } from './auth.ts';
import { Buckets } from './buckets.ts';
import { OperatorConsole } from './console.ts';
import { EventBusIngest } from './event-bus-ingest.ts';
import {
  MAX_EXPORT_MESSAGE_AGE,
  MAX_INGEST_MESSAGE_AGE,
  MAX_REPLAY_MESSAGE_AGE,
  MAX_WEBHOOK_MESSAGE_AGE,
  METRICS_NAMESPACE,
  Observability,
  SERVICE_NAME,
} from './observability.ts';
import { Pipeline } from './pipeline.ts';
import { Queues } from './queues.ts';
import {
  deadLetterQueueId,
  EXPORT_FLUSH_SCHEDULE,
  EXPORT_QUEUE,
  HOUSEKEEPING_SCHEDULE,
  INGEST_QUEUE,
  REPLAY_QUEUE,
  secretNamePrefix,
  WEBHOOK_QUEUE,
} from './resource-definitions.ts';
import { Schedules } from './schedules.ts';
import { Storage } from './storage.ts';

/** Defaults of the delivery settings (context `retryBudgetHours`, `stopWindowHours`). */
export const DEFAULT_RETRY_BUDGET_HOURS = 24;
export const DEFAULT_STOP_WINDOW_HOURS = 24;
/** Time a receiver has to answer one delivery. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * The delivery Lambda's backoff as the issue specifies it (about 10 s, 1 min, 5 min, 15 min, 1 h, then every
 * 2 h), reduced to what bounds the number of receives: the first attempt plus the ramp take
 * RAMP_ATTEMPTS receives over about RAMP_HOURS, then one receive per STEADY_INTERVAL_HOURS.
 */
const RETRY_SCHEDULE = { RAMP_ATTEMPTS: 6, RAMP_HOURS: 1.35, STEADY_INTERVAL_HOURS: 2 } as const;

/** Receives of one webhook message, at most, before its retry budget runs out. */
export const deliveryAttemptsWithin = (budgetHours: number): number =>
  RETRY_SCHEDULE.RAMP_ATTEMPTS +
  Math.ceil(Math.max(0, budgetHours - RETRY_SCHEDULE.RAMP_HOURS) / RETRY_SCHEDULE.STEADY_INTERVAL_HOURS);

/**
 * A retry budget the webhook queue can honour: its messages must outlive the budget (SQS drops them at the
 * end of their retention, silently) and must not reach maxReceiveCount before it ends (they would go to
 * the DLQ instead of being marked failed).
 */
export const checkRetryBudget = (budgetHours: number): void => {
  const retentionHours = WEBHOOK_QUEUE.retentionDays * 24;
  if (!(budgetHours > 0) || budgetHours >= retentionHours) {
    throw new Error(
      `Retry budget must be more than 0 and under the webhook queue's retention (${retentionHours} h), got ${budgetHours}`,
    );
  }
  const attempts = deliveryAttemptsWithin(budgetHours);
  if (attempts >= WEBHOOK_QUEUE.maxReceiveCount) {
    throw new Error(
      `Retry budget ${budgetHours} h takes about ${attempts} receives, not below the webhook queue's ` +
        `maxReceiveCount (${WEBHOOK_QUEUE.maxReceiveCount}): lower the budget or raise maxReceiveCount`,
    );
  }
};

/**
 * What a scheduled function failing for 15 minutes means, for whoever gets its Errors alarm. Every scheduled
 * function has one: a schedule without an entry here fails the synth.
 */
const SCHEDULED_ERRORS: Readonly<Record<string, string>> = {
  [HOUSEKEEPING_SCHEDULE.functionId]:
    'Housekeeping has failed for 15 minutes: temporary integrations past their end are not finished (stopped and deleted)',
  [EXPORT_FLUSH_SCHEDULE.functionId]:
    "The export flusher has failed for 15 minutes: due export files are not closed nor uploaded to the customers' buckets",
};

/** Events of an existing EventBridge bus to ingest, besides POST /events. */
export interface EventBusSource {
  eventBusName: string;
  /** EventBridge event pattern (JSON form); default: every event of the bus. */
  eventPattern?: Record<string, unknown>;
}

export interface EventStreamStackProps extends StackProps {
  /** Tenant name stamped on every event and used in S3 export keys. */
  tenant: string;
  /** How many integrations the deployment accepts (register answers 400 above it). */
  maxIntegrations: number;
  /** Use this IdP instead of creating a Cognito user pool. */
  externalIssuer?: ExternalIssuer;
  /** Days events stay replayable; default 30. */
  eventRetentionDays?: number;
  /** How long a webhook delivery is retried before the event is marked failed; default 24. */
  retryBudgetHours?: number;
  /** An integration with no successful delivery for this long while deliveries fail is stopped; default 24. */
  stopWindowHours?: number;
  eventBus?: EventBusSource;
  /** Where alarms are mailed (through an SNS topic); no topic when unset. */
  alarmEmail?: string;
  /**
   * Keep the entity index, so "what happened to order X" (`entity_id` queries) reads one partition whatever
   * the range: one DynamoDB write unit per event more (about $0.63 per million events); default false.
   */
  entityIndex?: boolean;
  /**
   * Claim every producer-given event id at fan-out, so an id published again in any later request (within the
   * event window) is neither logged nor delivered again: one DynamoDB write unit per event that carries its
   * own id; default false (requests are still deduplicated by key, one write per request).
   */
  dedupEventIds?: boolean;
  /**
   * Customer buckets S3 integrations without credentials may write to with the stack's own role (in this
   * account, or another one whose bucket policy allows the role); default none.
   */
  exportBuckets?: string[];
  /**
   * OpenTelemetry on every function through the ADOT Lambda layer (default layer: `adotNodejsLayerArn` of the
   * stack's region); off when unset, leaving Lambda's active tracing alone.
   */
  openTelemetry?: { layerArn?: string };
}

/**
 * One deployment of the event stream. The stack name names the deployment: secrets live under
 * `secretNamePrefix(stackName)`, so two stacks in one account stay apart.
 */
export class EventStreamStack extends Stack {
  readonly storage: Storage;
  readonly queues: Queues;
  readonly buckets: Buckets;
  readonly auth: Auth;
  readonly api: Api;
  readonly console: OperatorConsole;
  readonly pipeline: Pipeline;
  readonly schedules: Schedules;
  readonly eventBusIngest?: EventBusIngest;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: EventStreamStackProps) {
    super(scope, id, props);
    checkRetryBudget(props.retryBudgetHours ?? DEFAULT_RETRY_BUDGET_HOURS);
    const secretPrefix = secretNamePrefix(this.stackName);

    this.storage = new Storage(this, 'Storage');
    this.queues = new Queues(this, 'Queues');
    this.buckets = new Buckets(this, 'Buckets');
    const environment = this.functionEnvironment(props, secretPrefix);
    const access = new FunctionAccess({
      storage: this.storage,
      queues: this.queues,
      buckets: this.buckets,
      secretNamePrefix: secretPrefix,
      exportBuckets: props.exportBuckets ?? [],
    });

    // Filled as the functions that flush S3 exports are granted; read when the template is written.
    new CfnOutput(this, 'ExportRoleArns', {
      value: Lazy.string({ produce: () => access.exportRoleArns.join(',') }),
      description: 'Roles a customer export role must trust (s3_parameters.role_arn), comma-separated',
    });

    this.auth = new Auth(this, 'Auth', props.externalIssuer ? { external: props.externalIssuer } : {});
    this.api = new Api(this, 'Api', {
      access,
      issuer: this.auth.issuer,
      audience: this.auth.audience,
      environment,
    });
    const consoleUrl = `${this.api.httpApi.apiEndpoint}${CONSOLE_PATH}/`;
    this.console = new OperatorConsole(this, 'Console', {
      httpApi: this.api.httpApi,
      environment,
      signIn: this.auth.addConsoleClient(consoleUrl),
    });
    new CfnOutput(this, 'ConsoleUrl', { value: consoleUrl, description: 'The operator console' });
    this.pipeline = new Pipeline(this, 'Pipeline', { queues: this.queues, access, environment });
    this.schedules = new Schedules(this, 'Schedules', { access, environment });
    if (props.openTelemetry) {
      const layerArn = props.openTelemetry.layerArn ?? adotNodejsLayerArn(this.region);
      const layer = LayerVersion.fromLayerVersionArn(this, 'OpenTelemetryLayer', layerArn);
      Aspects.of(this).add(new OpenTelemetryInstrumentation(layer));
    }
    if (props.eventBus) {
      this.eventBusIngest = new EventBusIngest(this, 'EventBusIngest', {
        eventBusName: props.eventBus.eventBusName,
        ...(props.eventBus.eventPattern ? { eventPattern: props.eventBus.eventPattern } : {}),
        ingestQueue: this.queues.queue(INGEST_QUEUE),
      });
    }

    this.observability = new Observability(this, 'Observability', {
      queues: this.queues.definitions.map((definition) => ({
        name: definition.id,
        queue: this.queues.queue(definition),
      })),
      deadLetterQueues: [
        ...this.queues.definitions.map((definition) => ({
          name: deadLetterQueueId(definition),
          queue: this.queues.deadLetterQueue(definition),
        })),
        ...(this.eventBusIngest
          ? [{ name: 'EventBusRuleDLQ', queue: this.eventBusIngest.deadLetterQueue }]
          : []),
      ],
      queueAgeLimits: [
        {
          name: INGEST_QUEUE.id,
          queue: this.queues.queue(INGEST_QUEUE),
          maxAge: MAX_INGEST_MESSAGE_AGE,
          description:
            'Published events have waited over 15 minutes to be fanned out: the fanout function is failing or falling behind, and every delivery and export waits',
        },
        {
          name: WEBHOOK_QUEUE.id,
          queue: this.queues.queue(WEBHOOK_QUEUE),
          maxAge: MAX_WEBHOOK_MESSAGE_AGE,
          description: 'A webhook delivery has waited over an hour: a receiver is down or delivery is stuck',
        },
        {
          name: EXPORT_QUEUE.id,
          queue: this.queues.queue(EXPORT_QUEUE),
          maxAge: MAX_EXPORT_MESSAGE_AGE,
          description:
            'S3 export lines have waited over 30 minutes to be staged: the export batcher is failing or falling behind',
        },
        {
          name: REPLAY_QUEUE.id,
          queue: this.queues.queue(REPLAY_QUEUE),
          maxAge: MAX_REPLAY_MESSAGE_AGE,
          description: 'A replay has waited over an hour to start: the replay consumer is failing or stuck',
        },
      ],
      functions: [
        { name: 'ApiFunction', fn: this.api.handler },
        { name: 'DocsFunction', fn: this.api.docs.handler },
        { name: 'ConsoleFunction', fn: this.console.handler },
        ...(this.auth.preTokenGeneration
          ? [{ name: 'PreTokenGenerationFunction', fn: this.auth.preTokenGeneration }]
          : []),
        ...[...this.pipeline.consumers.values()].map((fn) => ({ name: fn.node.id, fn })),
        ...[...this.schedules.functions.entries()].map(([functionId, fn]) => {
          const errorsAlarmDescription = SCHEDULED_ERRORS[functionId];
          if (!errorsAlarmDescription) {
            throw new Error(`No Errors alarm for ${functionId}: add it to SCHEDULED_ERRORS`);
          }
          return { name: functionId, fn, errorsAlarmDescription };
        }),
      ],
      httpApi: this.api.httpApi,
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
    });
  }

  /**
   * The one environment of every Lambda (API, consumers and scheduled functions alike): each reads the settings it needs from
   * the same config, and a function added later cannot miss a variable another one was given.
   */
  private functionEnvironment(props: EventStreamStackProps, secretPrefix: string): Record<string, string> {
    return {
      ...this.storage.tableEnvironment(),
      ...this.queues.queueEnvironment(),
      ...this.buckets.bucketEnvironment(),
      // The emulator's addressing is the local runtime's only; set here so the deployed value is explicit.
      S3_FORCE_PATH_STYLE: 'false',
      SECRET_NAME_PREFIX: secretPrefix,
      TENANT: props.tenant,
      MAX_INTEGRATIONS: String(props.maxIntegrations),
      ENTITY_INDEX: String(props.entityIndex ?? false),
      DEDUP_EVENT_IDS: String(props.dedupEventIds ?? false),
      ALLOW_INSECURE_CALLBACKS: 'false',
      EVENT_RETENTION_DAYS: String(props.eventRetentionDays ?? 30),
      RETRY_BUDGET_HOURS: String(props.retryBudgetHours ?? DEFAULT_RETRY_BUDGET_HOURS),
      STOP_WINDOW_HOURS: String(props.stopWindowHours ?? DEFAULT_STOP_WINDOW_HOURS),
      DELIVERY_TIMEOUT_MS: String(DELIVERY_TIMEOUT_MS),
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    };
  }
}
