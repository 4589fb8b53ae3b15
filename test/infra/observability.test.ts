import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { FAILURE_RATE_EXPRESSION, PIPELINE_METRICS } from '../../lib/observability.ts';
import { INGEST_QUEUE, SCHEDULES } from '../../lib/resource-definitions.ts';
import { FULL_CONTEXT, type Resource, type Resources, root, type Synthesized, synth } from './synth.ts';

/** A metric line of a dashboard graph: namespace, name, dimension pairs, then its options. */
type MetricLine = unknown[];
interface Widget {
  type: string;
  properties: { title?: string; metrics?: MetricLine[]; alarms?: string[] };
}

const logicalId = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

const ofType = (resources: Resources, type: string): Array<[string, Resource]> =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);

/** A `Fn::Join` of strings and references as text, references written `<Id>` and `<Id.Attribute>`. */
const joined = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(joined).join(delimiter);
  }
  if (node['Fn::GetAtt']) return `<${(node['Fn::GetAtt'] as string[]).join('.')}>`;
  if (node.Ref) return `<${node.Ref as string}>`;
  throw new Error(`Unexpected ${JSON.stringify(value)}`);
};

/** The dashboard body as JSON: references sit inside JSON strings, so the joined text parses. */
const dashboardOf = (resources: Resources): { name: string; widgets: Widget[] } => {
  const dashboards = ofType(resources, 'AWS::CloudWatch::Dashboard');
  expect(dashboards).toHaveLength(1);
  const properties = dashboards[0]?.[1].Properties ?? {};
  const body = JSON.parse(joined(properties.DashboardBody)) as { widgets: Widget[] };
  return { name: joined(properties.DashboardName), widgets: body.widgets };
};

/** Options of a metric line (its last item). */
const optionsOf = (line: MetricLine) =>
  line.at(-1) as { stat?: string; visible?: boolean; expression?: string };

/** The lines drawn (a math expression's inputs are hidden lines of its graph). */
const metricLines = (widgets: Widget[]): MetricLine[] =>
  widgets.flatMap((w) => w.properties.metrics ?? []).filter((line) => optionsOf(line).visible !== false);

/** Every math expression drawn. */
const expressionsOf = (widgets: Widget[]): string[] =>
  widgets
    .flatMap((w) => w.properties.metrics ?? [])
    .map((line) => optionsOf(line).expression)
    .filter((expression): expression is string => expression !== undefined);

/** The metric lines of `namespace`/`metricName` whose dimensions include `dimension`=`value`. */
const linesOf = (lines: MetricLine[], namespace: string, metricName: string, dimension?: [string, string]) =>
  lines.filter((line) => {
    if (line[0] !== namespace || line[1] !== metricName) return false;
    if (!dimension) return true;
    const pairs = line.slice(2).filter((item) => typeof item === 'string');
    return pairs.some((item, i) => i % 2 === 0 && item === dimension[0] && pairs[i + 1] === dimension[1]);
  });

const statOf = (line: MetricLine): unknown => optionsOf(line).stat;

/** Every metric name the Lambdas emit through the Metrics port (`count('…')`, `duration('…')`). */
const emittedMetricNames = (): string[] => {
  const names = new Set<string>();
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/\.(?:count|duration)\('([A-Za-z]+)'/g)) {
          names.add(match[1] as string);
        }
      }
    }
  };
  walk(join(root, 'lambdas'));
  return [...names].sort();
};

describe.each([
  { name: 'default context', context: {} },
  { name: 'every option', context: FULL_CONTEXT },
])('dashboard, $name', ({ context }) => {
  const synthesized: Synthesized = synth(context);
  const { resources, stack } = synthesized;
  const { name, widgets } = dashboardOf(resources);
  const lines = metricLines(widgets);

  it('is one dashboard named after the stack and its region', () => {
    expect(name).toBe(`${stack.stackName}-<AWS::Region>`);
  });

  it('shows every metric the Lambdas emit, and only those, under the Powertools namespace and service', () => {
    const shown = [
      ...PIPELINE_METRICS.ingest,
      ...PIPELINE_METRICS.webhook,
      PIPELINE_METRICS.latency,
      ...PIPELINE_METRICS.export,
      ...PIPELINE_METRICS.exportProblems,
      ...PIPELINE_METRICS.replay,
    ].sort();
    expect(shown).toEqual(emittedMetricNames());
    for (const metricName of shown) {
      expect(linesOf(lines, 'EventStream', metricName, ['service', 'event-stream']), metricName).not.toEqual(
        [],
      );
    }
    for (const metricName of [
      'EventsIngested',
      'WebhookDelivered',
      'WebhookRejected',
      'WebhookFailed',
      'WebhookRetried',
      'ExportFilesUploaded',
      'ExportEventsUploaded',
      'ExportUploadFailed',
    ]) {
      expect(linesOf(lines, 'EventStream', metricName).map(statOf), metricName).toEqual(['Sum']);
    }
  });

  it('shows the webhook delivery failure rate the alarm watches', () => {
    expect(expressionsOf(widgets)).toEqual([FAILURE_RATE_EXPRESSION]);
  });

  it('shows delivery latency as p50 and p95', () => {
    expect(linesOf(lines, 'EventStream', 'DeliveryLatency').map(statOf).sort()).toEqual(['p50', 'p95']);
  });

  it('shows the depth and oldest-message age of every queue and DLQ', () => {
    const queues = ofType(resources, 'AWS::SQS::Queue').map(([id]) => id);
    expect(queues.length).toBeGreaterThanOrEqual(8);
    for (const id of queues) {
      const dimension: [string, string] = ['QueueName', `<${id}.QueueName>`];
      expect(linesOf(lines, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', dimension), id).toHaveLength(1);
      expect(linesOf(lines, 'AWS/SQS', 'ApproximateAgeOfOldestMessage', dimension), id).toHaveLength(1);
    }
  });

  it('shows errors, throttles and p95 duration of every function', () => {
    const functions = ofType(resources, 'AWS::Lambda::Function').map(([id]) => id);
    // The API, the docs and console functions, the queue consumers... every function, and the Cognito trigger
    // where the stack has its own user pool.
    expect(functions).toHaveLength(stack.auth.userPool ? 10 : 9);
    for (const id of functions) {
      const dimension: [string, string] = ['FunctionName', `<${id}>`];
      expect(linesOf(lines, 'AWS/Lambda', 'Errors', dimension).map(statOf), id).toEqual(['Sum']);
      expect(linesOf(lines, 'AWS/Lambda', 'Throttles', dimension).map(statOf), id).toEqual(['Sum']);
      expect(linesOf(lines, 'AWS/Lambda', 'Duration', dimension).map(statOf), id).toEqual(['p95']);
    }
  });

  it('shows the API requests, 4xx, 5xx and latency', () => {
    const [apiId] = ofType(resources, 'AWS::ApiGatewayV2::Api').map(([id]) => id);
    const dimension: [string, string] = ['ApiId', `<${apiId}>`];
    expect(linesOf(lines, 'AWS/ApiGateway', 'Count', dimension).map(statOf)).toEqual(['Sum']);
    expect(linesOf(lines, 'AWS/ApiGateway', '4xx', dimension).map(statOf)).toEqual(['Sum']);
    expect(linesOf(lines, 'AWS/ApiGateway', '5xx', dimension).map(statOf)).toEqual(['Sum']);
    expect(linesOf(lines, 'AWS/ApiGateway', 'Latency', dimension).map(statOf).sort()).toEqual(['p50', 'p95']);
  });

  it('shows the state of every alarm', () => {
    const alarms = ofType(resources, 'AWS::CloudWatch::Alarm').map(([id]) => `<${id}.Arn>`);
    const shown = widgets.filter((w) => w.type === 'alarm').flatMap((w) => w.properties.alarms ?? []);
    expect(shown.sort()).toEqual(alarms.sort());
  });
});

describe('alarms added for operations', () => {
  const { resources, stack } = synth(FULL_CONTEXT);
  const alarms = ofType(resources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
  const topicId = ofType(resources, 'AWS::SNS::Topic').map(([id]) => id)[0];
  const functionIds = ofType(resources, 'AWS::Lambda::Function').map(([id]) => id);
  const on = (metricName: string, dimensions?: unknown) =>
    alarms.filter(
      (alarm) =>
        alarm.MetricName === metricName &&
        (dimensions === undefined || JSON.stringify(alarm.Dimensions) === JSON.stringify(dimensions)),
    );

  it.each(functionIds)('%s: throttled in 2 of 3 five-minute periods', (id) => {
    const matching = on('Throttles', [{ Name: 'FunctionName', Value: { Ref: id } }]);
    expect(matching).toHaveLength(1);
    expect(matching[0]).toMatchObject({
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
  });

  it('alarms on Errors of each scheduled function (and no other) failing 3 five-minute periods in a row', () => {
    const scheduled = [...stack.schedules.functions.values()].map(logicalId);
    expect(scheduled).toHaveLength(SCHEDULES.length);
    expect(on('Errors')).toHaveLength(SCHEDULES.length);
    for (const id of scheduled) {
      const matching = on('Errors', [{ Name: 'FunctionName', Value: { Ref: id } }]);
      expect(matching, id).toHaveLength(1);
      expect(matching[0]).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topicId }],
      });
      expect(matching[0]?.AlarmDescription).toMatch(/failed for 15 minutes/);
    }
  });

  it('alarms when export uploads fail in 3 five-minute periods in a row', () => {
    const matching = on('ExportUploadFailed');
    expect(matching).toHaveLength(1);
    expect(matching[0]).toEqual({
      AlarmDescription: expect.stringMatching(/failed to upload/),
      Namespace: 'EventStream',
      MetricName: 'ExportUploadFailed',
      Dimensions: [{ Name: 'service', Value: 'event-stream' }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
  });

  it('alarms when a published event has waited over 15 minutes to be fanned out', () => {
    const ingestId = logicalId(stack.queues.queue(INGEST_QUEUE));
    const matching = on('ApproximateAgeOfOldestMessage', [
      { Name: 'QueueName', Value: { 'Fn::GetAtt': [ingestId, 'QueueName'] } },
    ]);
    expect(matching).toHaveLength(1);
    expect(matching[0]).toMatchObject({
      Threshold: 900,
      Statistic: 'Maximum',
      AlarmActions: [{ Ref: topicId }],
    });
  });
});
