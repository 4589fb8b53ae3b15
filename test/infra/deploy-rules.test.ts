import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { INGEST_QUEUE } from '../../lib/resource-definitions.ts';
import { DEPLOY_RULES, type DeployRule, resource, scheduleExpressionProblem } from './deploy-rules.ts';
import { FULL_CONTEXT, type Resources, synth } from './synth.ts';

/** The rule whose name starts with `prefix`. */
const rule = (prefix: string): DeployRule => {
  const found = DEPLOY_RULES.filter((candidate) => candidate.name.startsWith(prefix));
  if (found.length !== 1) throw new Error(`${found.length} rules start with ${prefix}`);
  return found[0] as DeployRule;
};

describe.each([
  ['default context', {}],
  ['every option', FULL_CONTEXT],
])('the synthesized stack (%s) passes what a deploy checks', (_, context) => {
  const { resources } = synth(context);

  it.each(DEPLOY_RULES.map((deployRule) => ({ ...deployRule })))('$name ($source)', ({ check }) => {
    expect(check(resources)).toEqual([]);
  });
});

/** The stack's template with every resource of `type` changed by `change`. */
const mutated = (
  resources: Resources,
  type: string,
  change: (properties: Record<string, unknown>) => void,
) => {
  const copy = structuredClone(resources);
  for (const resource of Object.values(copy)) if (resource.Type === type) change(resource.Properties);
  return copy;
};

// The rules read the stack's real resources (not only hand-made ones): break each kind in the synthesized
// template and count the refusals.
describe('the rules see the synthesized resources', () => {
  const { resources } = synth(FULL_CONTEXT);
  const count = (type: string) => Object.values(resources).filter((r) => r.Type === type).length;

  it.each([
    [
      'Lambda SQS event source: BatchSize above 10',
      'AWS::Lambda::EventSourceMapping',
      (p: Record<string, unknown>) => Object.assign(p, { BatchSize: 100, MaximumBatchingWindowInSeconds: 0 }),
    ],
    [
      'SQS event source: the queue',
      'AWS::SQS::Queue',
      (p: Record<string, unknown>) => Object.assign(p, { VisibilityTimeout: 1 }),
    ],
    [
      'CloudWatch Logs: RetentionInDays',
      'AWS::Logs::LogGroup',
      (p: Record<string, unknown>) => Object.assign(p, { RetentionInDays: 31 }),
    ],
    [
      'EventBridge schedules',
      'AWS::Events::Rule',
      (p: Record<string, unknown>) =>
        p.ScheduleExpression && Object.assign(p, { ScheduleExpression: 'rate(1 minutes)' }),
    ],
    [
      'Lambda function: Timeout',
      'AWS::Lambda::Function',
      (p: Record<string, unknown>) => Object.assign(p, { Timeout: 901 }),
    ],
  ] as const)('%s', (prefix, type, change) => {
    const expected =
      type === 'AWS::SQS::Queue'
        ? count('AWS::Lambda::EventSourceMapping')
        : type === 'AWS::Events::Rule'
          ? 2
          : count(type);
    expect(expected).toBeGreaterThan(0);
    expect(rule(prefix).check(mutated(resources, type, change))).toHaveLength(expected);
  });

  it('DynamoDB: an index key missing from AttributeDefinitions', () => {
    const broken = mutated(resources, 'AWS::DynamoDB::Table', (p) => {
      p.AttributeDefinitions = (p.AttributeDefinitions as { AttributeName: string }[]).filter(
        (definition) => definition.AttributeName !== 'pending_for',
      );
    });
    expect(rule('DynamoDB table: every key attribute').check(broken)).toEqual([
      expect.stringMatching(/GlobalSecondaryIndexes PendingIndex key pending_for is not defined/),
    ]);
  });
});

it('every rule cites AWS documentation', () => {
  for (const { name, source } of DEPLOY_RULES) {
    expect(source, name).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  }
});

const queue = (properties: Record<string, unknown> = {}) => resource('AWS::SQS::Queue', properties);
const fifo = (properties: Record<string, unknown> = {}) => queue({ FifoQueue: true, ...properties });
const fn = (properties: Record<string, unknown> = {}) => resource('AWS::Lambda::Function', properties);
const mapping = (properties: Record<string, unknown>) =>
  resource('AWS::Lambda::EventSourceMapping', {
    EventSourceArn: { 'Fn::GetAtt': ['Q', 'Arn'] },
    FunctionName: { Ref: 'F' },
    ...properties,
  });
const table = (properties: Record<string, unknown>) =>
  resource('AWS::DynamoDB::Table', {
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    ...properties,
  });
const pendingIndex = {
  IndexName: 'PendingIndex',
  KeySchema: [{ AttributeName: 'pending_for', KeyType: 'HASH' }],
  Projection: { ProjectionType: 'KEYS_ONLY' },
};
const route = (RouteKey: string) => resource('AWS::ApiGatewayV2::Route', { ApiId: { Ref: 'Api' }, RouteKey });

// Each rule against hand-made resources that a deploy would refuse: proof that the rule can fail at all.
const REFUSED: readonly [rule: string, resources: Resources, message: RegExp][] = [
  [
    'Lambda SQS event source: BatchSize 1..10000',
    { Q: queue(), M: mapping({ BatchSize: 10_001, MaximumBatchingWindowInSeconds: 1 }) },
    /M: BatchSize 10001 is not from 1 to 10000/,
  ],
  [
    'Lambda SQS event source: BatchSize 1..10000',
    { Q: fifo(), M: mapping({ BatchSize: 11 }) },
    /M: BatchSize 11 is not from 1 to 10 \(Q is FIFO\)/,
  ],
  [
    'Lambda SQS event source: BatchSize above 10',
    { Q: queue(), M: mapping({ BatchSize: 100, MaximumBatchingWindowInSeconds: 0 }) },
    /M: BatchSize 100 with MaximumBatchingWindowInSeconds 0/,
  ],
  [
    'Lambda SQS event source: BatchSize above 10',
    { Q: queue(), M: mapping({ BatchSize: 11 }) },
    /M: BatchSize 11 with MaximumBatchingWindowInSeconds 0/,
  ],
  [
    'Lambda SQS event source: MaximumBatchingWindowInSeconds',
    { Q: queue(), M: mapping({ MaximumBatchingWindowInSeconds: 301 }) },
    /M: MaximumBatchingWindowInSeconds 301/,
  ],
  [
    'Lambda SQS event source: MaximumBatchingWindowInSeconds',
    { Q: fifo(), M: mapping({ MaximumBatchingWindowInSeconds: 1 }) },
    /set on FIFO queue Q/,
  ],
  [
    'Lambda SQS event source: ScalingConfig',
    { M: mapping({ ScalingConfig: { MaximumConcurrency: 1 } }) },
    /M: ScalingConfig.MaximumConcurrency 1/,
  ],
  [
    'Lambda SQS event source: ScalingConfig',
    { M: mapping({ ScalingConfig: { MaximumConcurrency: 1001 } }) },
    /MaximumConcurrency 1001/,
  ],
  [
    'SQS event source: the queue',
    { Q: queue({ VisibilityTimeout: 30 }), F: fn({ Timeout: 31 }), M: mapping({}) },
    /M: Q VisibilityTimeout 30 s is below F Timeout 31 s/,
  ],
  [
    'SQS event source: the queue',
    { Q: queue(), F: fn({ Timeout: 60 }), M: mapping({}) },
    /VisibilityTimeout 30 s is below F Timeout 60 s/,
  ],
  ['Lambda function: Timeout', { F: fn({ Timeout: 901 }) }, /F: Timeout 901/],
  ['Lambda function: Timeout', { F: fn({ Timeout: 0 }) }, /F: Timeout 0/],
  ['Lambda function: MemorySize', { F: fn({ MemorySize: 64 }) }, /F: MemorySize 64/],
  ['Lambda function: MemorySize', { F: fn({ MemorySize: 10_241 }) }, /F: MemorySize 10241/],
  [
    'Lambda function: ReservedConcurrentExecutions',
    { F: fn({ ReservedConcurrentExecutions: -1 }) },
    /F: ReservedConcurrentExecutions -1/,
  ],
  ['Lambda function: Description', { F: fn({ Description: 'x'.repeat(257) }) }, /F: Description of 257/],
  [
    'Lambda function: environment',
    { F: fn({ Environment: { Variables: { BIG: 'x'.repeat(4094) } } }) },
    /F: environment variables of up to 4097 bytes/,
  ],
  [
    'Lambda function: environment',
    {
      F: fn({
        Environment: {
          Variables: Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`V${i}`, { Ref: 'T' }])),
        },
      }),
    },
    /up to 4182 bytes/,
  ],
  [
    'Lambda asynchronous invocation',
    { C: resource('AWS::Lambda::EventInvokeConfig', { MaximumEventAgeInSeconds: 59 }) },
    /C: MaximumEventAgeInSeconds 59/,
  ],
  [
    'Lambda asynchronous invocation',
    { C: resource('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 3 }) },
    /C: MaximumRetryAttempts 3/,
  ],
  [
    'CloudWatch Logs: RetentionInDays',
    { L: resource('AWS::Logs::LogGroup', { RetentionInDays: 31 }) },
    /L: RetentionInDays 31/,
  ],
  [
    'EventBridge schedules',
    { R: resource('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minutes)' }) },
    /R: ScheduleExpression rate\(1 minutes\): the unit must be singular/,
  ],
  [
    'EventBridge schedules',
    { R: resource('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minute)' }) },
    /singular for 1 and plural otherwise/,
  ],
  [
    'EventBridge schedules',
    { R: resource('AWS::Events::Rule', { ScheduleExpression: 'cron(0 12 * * *)' }) },
    /not rate\(\) or cron\(\) with 6 fields/,
  ],
  [
    'EventBridge schedules',
    { R: resource('AWS::Events::Rule', { ScheduleExpression: 'at(2030-01-01T00:00:00)' }) },
    /not rate\(\) or cron\(\)/,
  ],
  [
    'EventBridge rule: a schedule',
    { R: resource('AWS::Events::Rule', { Targets: [] }) },
    /R: neither ScheduleExpression nor EventPattern/,
  ],
  [
    'EventBridge rule: a schedule',
    {
      R: resource('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 hour)',
        Targets: Array.from({ length: 6 }, (_, i) => ({ Id: `T${i}` })),
      }),
    },
    /R: 6 targets/,
  ],
  [
    'SQS queue: MessageRetentionPeriod',
    { Q: queue({ MessageRetentionPeriod: 1_209_601 }) },
    /Q: MessageRetentionPeriod 1209601/,
  ],
  ['SQS queue: VisibilityTimeout', { Q: queue({ VisibilityTimeout: 43_201 }) }, /Q: VisibilityTimeout 43201/],
  ['SQS queue: DelaySeconds', { Q: queue({ DelaySeconds: 901 }) }, /Q: DelaySeconds 901/],
  ['SQS queue: MaximumMessageSize', { Q: queue({ MaximumMessageSize: 1023 }) }, /Q: MaximumMessageSize 1023/],
  [
    'SQS queue: MaximumMessageSize',
    { Q: queue({ MaximumMessageSize: 1_048_577 }) },
    /Q: MaximumMessageSize 1048577/,
  ],
  [
    'SQS queue: ReceiveMessageWaitTimeSeconds',
    { Q: queue({ ReceiveMessageWaitTimeSeconds: 21 }) },
    /Q: ReceiveMessageWaitTimeSeconds 21/,
  ],
  [
    'SQS queue: KmsDataKeyReusePeriodSeconds',
    { Q: queue({ KmsDataKeyReusePeriodSeconds: 59 }) },
    /Q: KmsDataKeyReusePeriodSeconds 59/,
  ],
  [
    'SQS queue: RedrivePolicy',
    { Q: queue({ RedrivePolicy: { deadLetterTargetArn: 'arn', maxReceiveCount: 1001 } }) },
    /Q: maxReceiveCount 1001/,
  ],
  [
    'SQS queue: RedrivePolicy',
    { Q: queue({ RedrivePolicy: { deadLetterTargetArn: 'arn', maxReceiveCount: 0 } }) },
    /Q: maxReceiveCount 0/,
  ],
  [
    'SQS queue: a set QueueName',
    { Q: fifo({ QueueName: 'orders' }) },
    /Q: QueueName orders lacks the .fifo suffix/,
  ],
  [
    'SQS queue: a set QueueName',
    { Q: queue({ QueueName: 'orders.fifo' }) },
    /Q: QueueName orders.fifo has the .fifo suffix/,
  ],
  ['SQS queue: a set QueueName', { Q: queue({ QueueName: 'a'.repeat(81) }) }, /is invalid/],
  [
    'SQS queue: the dead-letter queue',
    {
      D: queue(),
      Q: fifo({ RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['D', 'Arn'] }, maxReceiveCount: 5 } }),
    },
    /Q is FIFO but its dead-letter queue D is not/,
  ],
  [
    'SQS queue: the dead-letter queue',
    {
      D: fifo(),
      Q: queue({
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['D', 'Arn'] }, maxReceiveCount: 5 },
      }),
    },
    /Q is standard but its dead-letter queue D is not/,
  ],
  [
    'DynamoDB table: every key attribute',
    { T: table({ GlobalSecondaryIndexes: [pendingIndex] }) },
    /T: GlobalSecondaryIndexes PendingIndex key pending_for is not defined/,
  ],
  [
    'DynamoDB table: every key attribute',
    {
      T: table({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    },
    /T: KeySchema key sk is not defined/,
  ],
  [
    'DynamoDB table: AttributeDefinitions',
    {
      T: table({
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'expires_at', AttributeType: 'N' },
        ],
      }),
    },
    /T: attribute expires_at is defined but no key uses it/,
  ],
  [
    'DynamoDB table: index names',
    {
      T: table({
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'pending_for', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [{ ...pendingIndex, IndexName: 'PI' }],
      }),
    },
    /T: index name PI is invalid/,
  ],
  [
    'DynamoDB table: index names',
    { T: table({ TimeToLiveSpecification: { Enabled: true } }) },
    /T: TTL enabled without a valid AttributeName/,
  ],
  [
    'DynamoDB table: PAY_PER_REQUEST',
    { T: table({ ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }) },
    /T: on-demand with ProvisionedThroughput/,
  ],
  [
    'DynamoDB table: PAY_PER_REQUEST',
    { T: table({ BillingMode: 'PROVISIONED' }) },
    /T: provisioned without ProvisionedThroughput/,
  ],
  [
    'API Gateway HTTP API',
    { A: route('GET /x'), B: route('GET /x') },
    /B: route key GET \/x already used by A/,
  ],
  ['API Gateway HTTP API', { A: route('FETCH /x') }, /A: route key FETCH \/x is malformed/],
  [
    'IAM role: RoleName',
    { R: resource('AWS::IAM::Role', { RoleName: 'r'.repeat(65) }) },
    /R: RoleName of 65 characters/,
  ],
  [
    'IAM role: RoleName',
    { R: resource('AWS::IAM::Role', { Description: 'Role of the fan-out → webhooks' }) },
    /R: Description too long or with characters IAM refuses/,
  ],
  [
    'IAM role: inline policies',
    {
      R: resource('AWS::IAM::Role', {}),
      P: resource('AWS::IAM::Policy', {
        Roles: [{ Ref: 'R' }],
        PolicyDocument: {
          Statement: Array.from({ length: 60 }, () => ({
            Effect: 'Allow',
            Action: 'dynamodb:GetItem',
            Resource: { 'Fn::GetAtt': ['T', 'Arn'] },
          })),
        },
      }),
    },
    /R: inline policies of up to \d+ characters/,
  ],
  [
    'CloudWatch alarm',
    { A: resource('AWS::CloudWatch::Alarm', { Period: 45, EvaluationPeriods: 1 }) },
    /A: Period 45/,
  ],
  [
    'CloudWatch alarm',
    { A: resource('AWS::CloudWatch::Alarm', { Period: 3600, EvaluationPeriods: 25 }) },
    /A: 25 periods of 3600 s exceed a day/,
  ],
  [
    'CloudWatch alarm',
    { A: resource('AWS::CloudWatch::Alarm', { Period: 60, EvaluationPeriods: 2, DatapointsToAlarm: 3 }) },
    /A: DatapointsToAlarm 3 of 2 periods/,
  ],
  [
    'S3 bucket lifecycle',
    {
      B: resource('AWS::S3::Bucket', {
        LifecycleConfiguration: { Rules: [{ Id: 'r', Status: 'Enabled', ExpirationInDays: 0 }] },
      }),
    },
    /B: rule r ExpirationInDays 0/,
  ],
];

describe('each rule refuses what a deploy would refuse', () => {
  it.each(
    REFUSED.map(([prefix, resources, message]) => ({ prefix, resources, message, says: message.source })),
  )('$prefix: $says', ({ prefix, resources, message }) => {
    const problems = rule(prefix).check(resources);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('covers every rule with at least one refusal', () => {
    const covered = new Set(REFUSED.map(([prefix]) => rule(prefix).name));
    expect(DEPLOY_RULES.map((deployRule) => deployRule.name).filter((name) => !covered.has(name))).toEqual(
      [],
    );
  });

  it('accepts the edges of each range', () => {
    const edges: Resources = {
      Q: queue({
        VisibilityTimeout: 900,
        MessageRetentionPeriod: 60,
        MaximumMessageSize: 1_048_576,
        DelaySeconds: 900,
      }),
      F: fn({ Timeout: 900, MemorySize: 10_240, ReservedConcurrentExecutions: 0 }),
      M: mapping({
        BatchSize: 10_000,
        MaximumBatchingWindowInSeconds: 300,
        ScalingConfig: { MaximumConcurrency: 2 },
      }),
      M10: mapping({
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 0,
        ScalingConfig: { MaximumConcurrency: 1000 },
      }),
      L: resource('AWS::Logs::LogGroup', { RetentionInDays: 3653 }),
      C: resource('AWS::Lambda::EventInvokeConfig', {
        MaximumEventAgeInSeconds: 21_600,
        MaximumRetryAttempts: 2,
      }),
      A: resource('AWS::CloudWatch::Alarm', { Period: 3600, EvaluationPeriods: 24, DatapointsToAlarm: 24 }),
    };
    expect(DEPLOY_RULES.flatMap((deployRule) => deployRule.check(edges))).toEqual([]);
  });
});

describe('schedule expressions', () => {
  it.each([
    ['rate(1 minute)', false],
    ['rate(5 minutes)', false],
    ['rate(1 day)', false],
    ['cron(0 12 * * ? *)', false],
    ['cron(15 10 ? * MON-FRI *)', false],
    ['at(2030-01-01T00:00:00)', true],
  ])('accepts %s', (expression, allowAt) => {
    expect(scheduleExpressionProblem(expression, allowAt)).toBeUndefined();
  });

  it.each([
    ['rate(0 minutes)', /positive/],
    ['rate(1 minutes)', /singular/],
    ['rate(2 hour)', /plural/],
    ['rate(1 second)', /not rate/],
    ['cron(0 12 1 * MON *)', /`\?`/],
    ['cron(0 12 * * ?)', /6 fields/],
  ])('refuses %s', (expression, message) => {
    expect(scheduleExpressionProblem(expression, true)).toMatch(message);
  });
});

describe('the fan-out batching that cdk synth let through', () => {
  it('the rule refuses BatchSize 100 with window 0, as the ingest queue had it', () => {
    const stack = new Stack();
    const ingest = new Queue(stack, 'Ingest', { visibilityTimeout: Duration.seconds(190) });
    const fanout = new LambdaFunction(stack, 'Fanout', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => {};'),
      timeout: Duration.seconds(30),
    });
    // The configuration before this fix: synthesizes without a word, CloudFormation would fail the mapping.
    fanout.addEventSource(
      new SqsEventSource(ingest, {
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(0),
        maxConcurrency: 20,
      }),
    );
    const resources = Template.fromStack(stack).toJSON().Resources as Resources;
    expect(rule('Lambda SQS event source: BatchSize above 10').check(resources)).toEqual([
      expect.stringMatching(/BatchSize 100 with MaximumBatchingWindowInSeconds 0$/),
    ]);
  });

  it('the ingest queue now consumes in a way the rule accepts', () => {
    const consumer = INGEST_QUEUE.consumer;
    expect(consumer && (consumer.batchSize <= 10 || consumer.maxBatchingWindowSeconds >= 1)).toBe(true);
  });
});
