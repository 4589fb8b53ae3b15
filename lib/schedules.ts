import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { EXPORT_FLUSH_SECRET_ACTIONS, type FunctionAccess } from './access.ts';
import { AppFunction } from './app-function.ts';
import {
  DELIVERIES_TABLE,
  EXPORT_FLUSH_SCHEDULE,
  HOUSEKEEPING_SCHEDULE,
  REPLAY_QUEUE,
  SCHEDULES,
  type ScheduleDefinition,
  STATE_TABLE,
} from './resource-definitions.ts';

/** A scheduled function's handler module, from its repository-relative `entry`. */
export const scheduleEntry = (schedule: ScheduleDefinition): string =>
  fileURLToPath(new URL(`../${schedule.entry}`, import.meta.url));

/** Throws when `schedule` cannot be expressed as an EventBridge rate or would outrun its own timeout. */
export const checkScheduleDefinition = (schedule: ScheduleDefinition): void => {
  if (!Number.isInteger(schedule.rateMinutes) || schedule.rateMinutes < 1) {
    throw new Error(
      `Schedule ${schedule.functionId}: rateMinutes must be a whole number of minutes, at least 1`,
    );
  }
  if (
    !Number.isInteger(schedule.timeoutSeconds) ||
    schedule.timeoutSeconds < 1 ||
    schedule.timeoutSeconds > 900
  ) {
    throw new Error(
      `Schedule ${schedule.functionId}: timeoutSeconds must be from 1 to 900 (Lambda's maximum)`,
    );
  }
};

type GrantSchedule = (fn: AppFunction, access: FunctionAccess) => void;

/**
 * What each scheduled function may do, from its handler's code path. Listed per function, like the
 * consumers' grants: a schedule without an entry here fails the synth instead of running with borrowed
 * or broad rights.
 */
const SCHEDULE_GRANTS: Readonly<Record<string, GrantSchedule>> = {
  // housekeeping (Housekeeping → IntegrationService.finish = stop + delete): finishes temporary integrations,
  // and re-arms stalled replays.
  [HOUSEKEEPING_SCHEDULE.functionId]: (fn, access) => {
    // Integrations, replay jobs, log entries, rejected events and delivery state: read, then deleted.
    access.table(STATE_TABLE).grantReadWriteData(fn);
    // "Is anything still pending?": a Query of the sparse PendingIndex, and of a marker's publish history;
    // markers whose delivery ended are deleted (BatchWriteItem).
    access.table(DELIVERIES_TABLE).grant(fn, 'dynamodb:Query', 'dynamodb:BatchWriteItem');
    // A replay that lost its message gets a new one.
    access.queue(REPLAY_QUEUE).grantSendMessages(fn);
    // A finished integration's secret is deleted with it; a stop flush may read S3 access keys.
    access.grantSecrets(fn, ['secretsmanager:DeleteSecret'], EXPORT_FLUSH_SECRET_ACTIONS);
    // Stopping a finished S3 integration flushes its open file first.
    access.grantExportFlush(fn);
  },
  // export flusher (ExportFlush.flushDue): closes due files and uploads closed ones.
  [EXPORT_FLUSH_SCHEDULE.functionId]: (fn, access) => {
    access.grantSecrets(fn, EXPORT_FLUSH_SECRET_ACTIONS);
    access.grantExportFlush(fn);
  },
};

export interface SchedulesProps {
  access: FunctionAccess;
  /** Lambda environment, the same for every function of the stack. */
  environment: Record<string, string>;
  /** Defaults to `SCHEDULES`; other lists exist for tests only. */
  definitions?: readonly ScheduleDefinition[];
}

/**
 * The scheduled functions: one per `SCHEDULES` entry, invoked by an EventBridge rule `rate(N minutes)`.
 * A run that fails is not retried by Lambda and a run that waited (throttling) longer than one period is
 * dropped: the next scheduled run does the same work, so retries would only overlap with it.
 */
export class Schedules extends Construct {
  /** Scheduled functions by their definition's `functionId`. */
  readonly functions: ReadonlyMap<string, AppFunction>;
  readonly rules: ReadonlyMap<string, Rule>;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const definitions = props.definitions ?? SCHEDULES;
    for (const definition of definitions) checkScheduleDefinition(definition);
    const functions = new Map<string, AppFunction>();
    const rules = new Map<string, Rule>();
    for (const definition of definitions) {
      const grant = SCHEDULE_GRANTS[definition.functionId];
      if (!grant) {
        throw new Error(`No grants for ${definition.functionId}: add them to SCHEDULE_GRANTS`);
      }
      const fn = new AppFunction(this, definition.functionId, {
        entry: scheduleEntry(definition),
        description: `Runs every ${definition.rateMinutes} min: ${definition.entry}`,
        timeout: Duration.seconds(definition.timeoutSeconds),
        environment: props.environment,
      });
      const period = Duration.minutes(definition.rateMinutes);
      fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: period });
      grant(fn, props.access);
      props.access.acknowledgeTableIndexes(fn);
      rules.set(
        definition.functionId,
        new Rule(this, `${definition.functionId}Schedule`, {
          description: `Runs ${definition.functionId} every ${definition.rateMinutes} min`,
          schedule: Schedule.rate(period),
          targets: [new LambdaFunction(fn)],
        }),
      );
      functions.set(definition.functionId, fn);
    }
    this.functions = functions;
    this.rules = rules;
  }

  /** The function built from `definition`. */
  scheduledFunction(definition: ScheduleDefinition): AppFunction {
    const fn = this.functions.get(definition.functionId);
    if (!fn) throw new Error(`No scheduled function ${definition.functionId}: add it to SCHEDULES`);
    return fn;
  }
}
