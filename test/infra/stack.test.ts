import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, routeKey, SCOPES } from '../../lambdas/handlers/api/routes.ts';
import { DEFAULT_THROTTLE, SECRET_ACTIONS } from '../../lib/api.ts';
import { appSettingsFromContext } from '../../lib/app-context.ts';
import { ESM_REQUIRE_SHIM } from '../../lib/bundling.ts';
import { checkRetryBudget, deliveryAttemptsWithin, EventStreamStack } from '../../lib/event-stream-stack.ts';
import { checkQueueDefinition, Queues } from '../../lib/queues.ts';
import {
  EVENT_LOG_TABLE,
  EXPORT_QUEUE,
  INGEST_QUEUE,
  QUEUES,
  type QueueDefinition,
  STATE_TABLE,
  TABLES,
  WEBHOOK_QUEUE,
} from '../../lib/resource-definitions.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cdkJsonContext = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')).context as Record<
  string,
  unknown
>;

type Resource = { Type: string; Properties: Record<string, unknown> };
type Resources = Record<string, Resource>;
type Statement = Record<string, unknown>;

interface Synthesized {
  template: Template;
  stack: EventStreamStack;
  resources: Resources;
}

/** Synthesizes the stack exactly as bin/app.ts would from this context (without bundling: not under test here). */
const synth = (context: Record<string, unknown> = {}): Synthesized => {
  const app = new App({ context: { ...cdkJsonContext, ...context, 'aws:cdk:bundling-stacks': [] } });
  const { stackName, props } = appSettingsFromContext(app.node);
  const stack = new EventStreamStack(app, stackName, props);
  const template = Template.fromStack(stack);
  return { template, stack, resources: template.toJSON().Resources as Resources };
};

/** Logical id of the CloudFormation resource behind an L2 construct (table, queue, function). */
const logicalId = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

const onlyLogicalId = (template: Template, type: string, props: Record<string, unknown> = {}): string => {
  const ids = Object.keys(template.findResources(type, props));
  expect(ids, `exactly one ${type}`).toHaveLength(1);
  return ids[0] as string;
};

const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });

/** Logical ids of the stack's own resources, by role. */
const idsOf = ({ stack }: Synthesized) => ({
  stateTable: logicalId(stack.storage.table(STATE_TABLE)),
  eventLogTable: logicalId(stack.storage.table(EVENT_LOG_TABLE)),
  queue: (definition: QueueDefinition) => logicalId(stack.queues.queue(definition)),
  deadLetterQueue: (definition: QueueDefinition) => logicalId(stack.queues.deadLetterQueue(definition)),
  api: logicalId(stack.api.handler),
  fanout: logicalId(stack.pipeline.consumer(INGEST_QUEUE)),
  delivery: logicalId(stack.pipeline.consumer(WEBHOOK_QUEUE)),
  functions: [stack.api.handler, ...stack.pipeline.consumers.values()].map(logicalId),
});

/** Statements of every IAM policy attached to the role of the given function. */
const roleStatements = (template: Template, functionId: string): Statement[] => {
  const fn = template.toJSON().Resources[functionId];
  const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
  }) as Resources;
  return Object.values(policies).flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
};

/** A function's environment variables. */
const environmentOf = (resources: Resources, functionId: string): unknown =>
  (resources[functionId]?.Properties.Environment as { Variables?: unknown } | undefined)?.Variables;

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** CDK adds `{ Ref: AWS::NoValue }` for a table's (absent) indexes; it grants nothing. */
const resourcesOf = (statement: Statement): unknown[] =>
  asArray(statement.Resource).filter((resource) => JSON.stringify(resource) !== '{"Ref":"AWS::NoValue"}');

/** Every action the statements allow on resources mentioning `resourceId`. */
const actionsOn = (statements: Statement[], resourceId: string): string[] =>
  [
    ...new Set(
      statements
        .filter((statement) =>
          resourcesOf(statement).some((resource) => JSON.stringify(resource).includes(`"${resourceId}"`)),
        )
        .flatMap((statement) => asArray(statement.Action).map(String)),
    ),
  ].sort();

const withService = (statements: Statement[], service: string): Statement[] =>
  statements.filter((statement) =>
    asArray(statement.Action).some((action) => String(action).startsWith(`${service}:`)),
  );

const secretArn = (prefix: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':secretsmanager:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:secret:${prefix}*`,
    ],
  ],
});

const CONSUMED = QUEUES.filter(
  (queue): queue is QueueDefinition & { consumer: NonNullable<QueueDefinition['consumer']> } =>
    queue.consumer !== undefined,
);

describe('EventStreamStack with the default Cognito issuer', () => {
  const synthesized = synth();
  const { template, resources } = synthesized;
  const ids = idsOf(synthesized);
  const authorizerId = onlyLogicalId(template, 'AWS::ApiGatewayV2::Authorizer');
  const integrationId = onlyLogicalId(template, 'AWS::ApiGatewayV2::Integration');

  it('serves every route of ROUTES, JWT-authorized with its scope, through the API Lambda', () => {
    for (const route of ROUTES) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey(route),
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizerId },
        AuthorizationScopes: [route.scope],
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] },
      });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: getAtt(ids.api),
    });
  });

  it('has no route besides ROUTES and an authenticated $default that reaches the Lambda for its 404/405', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Resources);
    const keys = routes.map((route) => route.Properties.RouteKey).sort();
    expect(keys).toEqual([...ROUTES.map(routeKey), '$default'].sort());

    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$default',
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: authorizerId },
      AuthorizationScopes: Match.absent(),
      Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] },
    });
  });

  it('trusts the Cognito user pool as issuer and its app client as audience', () => {
    const userPoolId = onlyLogicalId(template, 'AWS::Cognito::UserPool');
    const clientId = onlyLogicalId(template, 'AWS::Cognito::UserPoolClient');
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        // ProviderURL is https://cognito-idp.{region}.amazonaws.com/{userPoolId}, the `iss` of Cognito's tokens.
        Issuer: getAtt(userPoolId, 'ProviderURL'),
        Audience: [{ Ref: clientId }],
      },
    });
  });

  it('issues client-credentials tokens carrying the scopes the routes check', () => {
    const userPoolId = onlyLogicalId(template, 'AWS::Cognito::UserPool');
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'eventstream',
      UserPoolId: { Ref: userPoolId },
      Scopes: Match.arrayWith(
        ['read', 'write', 'publish'].map((name) => Match.objectLike({ ScopeName: name })),
      ),
    });
    const clients = template.findResources('AWS::Cognito::UserPoolClient', {
      Properties: {
        GenerateSecret: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthFlowsUserPoolClient: true,
      },
    }) as Resources;
    const client = Object.values(clients)[0];
    expect(client?.Properties.AllowedOAuthScopes).toEqual(expect.arrayContaining(Object.values(SCOPES)));
    expect(client?.Properties.AllowedOAuthScopes).toHaveLength(Object.values(SCOPES).length);
    // The token endpoint exists only with a domain.
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { UserPoolId: { Ref: userPoolId } });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
  });

  it('outputs the API URL, the token URL and the client id', () => {
    const outputs = JSON.stringify(template.findOutputs('*'));
    expect(outputs).toContain('/oauth2/token');
    expect(Object.keys(template.findOutputs('*'))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ApiUrl/),
        expect.stringMatching(/^AuthTokenUrl/),
        expect.stringMatching(/^AuthClientId/),
      ]),
    );
  });

  it('has exactly the API Lambda and one consumer per consumed queue, all on Node 24, ARM64, traced', () => {
    const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
    expect(functions.sort()).toEqual([...ids.functions].sort());
    expect(ids.functions).toHaveLength(1 + CONSUMED.length);
    for (const id of ids.functions) {
      expect(resources[id]?.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 512,
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('gives every Lambda the same environment, naming both tables and all three queues', () => {
    const expected = {
      STATE_TABLE_NAME: { Ref: ids.stateTable },
      EVENT_LOG_TABLE_NAME: { Ref: ids.eventLogTable },
      INGEST_QUEUE_URL: { Ref: ids.queue(INGEST_QUEUE) },
      WEBHOOK_QUEUE_URL: { Ref: ids.queue(WEBHOOK_QUEUE) },
      EXPORT_QUEUE_URL: { Ref: ids.queue(EXPORT_QUEUE) },
      SECRET_NAME_PREFIX: 'EventStream/integrations/',
      TENANT: 'default',
      MAX_INTEGRATIONS: '10',
      ALLOW_INSECURE_CALLBACKS: 'false',
      EVENT_RETENTION_DAYS: '30',
      RETRY_BUDGET_HOURS: '24',
      STOP_WINDOW_HOURS: '24',
      DELIVERY_TIMEOUT_MS: '10000',
      POWERTOOLS_SERVICE_NAME: 'event-stream',
      POWERTOOLS_METRICS_NAMESPACE: 'EventStream',
      NODE_OPTIONS: '--enable-source-maps',
    };
    for (const id of ids.functions) {
      expect(environmentOf(resources, id), id).toEqual(expected);
    }
  });

  it('logs every Lambda to its own log group kept one month', () => {
    const logGroups = new Set<string>();
    for (const id of ids.functions) {
      const loggingConfig = resources[id]?.Properties.LoggingConfig as
        | { LogGroup: { Ref: string } }
        | undefined;
      const logGroupRef = loggingConfig?.LogGroup ?? { Ref: 'missing' };
      const logGroup = resources[logGroupRef.Ref];
      expect(logGroup?.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup?.Properties.RetentionInDays).toBe(30);
      logGroups.add(logGroupRef.Ref);
    }
    expect(logGroups.size).toBe(ids.functions.length);
  });

  it('keeps both tables on demand, recoverable, encrypted, expiring by TTL and retained on delete', () => {
    expect(TABLES).toHaveLength(2);
    for (const id of [ids.stateTable, ids.eventLogTable]) {
      expect(template.toJSON().Resources[id], id).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
          SSESpecification: { SSEEnabled: true },
        },
      });
    }
  });

  it('throttles the auto-deployed stage and writes JSON access logs kept one month', () => {
    const stages = template.findResources('AWS::ApiGatewayV2::Stage', {
      Properties: {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingRateLimit: DEFAULT_THROTTLE.rateLimit,
          ThrottlingBurstLimit: DEFAULT_THROTTLE.burstLimit,
        },
      },
    }) as Resources;
    const stage = Object.values(stages)[0];
    expect(stage, 'the $default stage with throttling').toBeDefined();
    const accessLog = stage?.Properties.AccessLogSettings as {
      DestinationArn: { 'Fn::GetAtt': [string] };
      Format: string;
    };
    expect(JSON.parse(accessLog.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
    });
    const logGroup = resources[accessLog.DestinationArn['Fn::GetAtt'][0]];
    expect(logGroup?.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup?.Properties.RetentionInDays).toBe(30);
  });

  describe('queues', () => {
    it.each(QUEUES)(
      '$id: encrypted, retention from its definition, redriven to its own DLQ',
      (definition) => {
        const dlqId = ids.deadLetterQueue(definition);
        expect(resources[ids.queue(definition)]?.Properties).toEqual({
          VisibilityTimeout: definition.visibilityTimeoutSeconds,
          MessageRetentionPeriod: definition.retentionDays * 86_400,
          SqsManagedSseEnabled: true,
          RedrivePolicy: { deadLetterTargetArn: getAtt(dlqId), maxReceiveCount: definition.maxReceiveCount },
        });
        expect(resources[dlqId]).toMatchObject({
          Type: 'AWS::SQS::Queue',
          Properties: { MessageRetentionPeriod: 14 * 86_400, SqsManagedSseEnabled: true },
        });
        expect(resources[dlqId]?.Properties.RedrivePolicy).toBeUndefined();
      },
    );

    it('gives every queue its own DLQ', () => {
      const dlqs = QUEUES.map((definition) => ids.deadLetterQueue(definition));
      expect(new Set(dlqs).size).toBe(QUEUES.length);
      expect(template.findResources('AWS::SQS::Queue')).toSatisfy(
        (queues: Resources) => Object.keys(queues).length === 2 * QUEUES.length,
      );
    });

    it('refuses plain HTTP on every queue and DLQ', () => {
      const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy') as Resources);
      for (const definition of QUEUES) {
        for (const id of [ids.queue(definition), ids.deadLetterQueue(definition)]) {
          const statements = policies
            .filter((policy) => JSON.stringify(policy.Properties.Queues).includes(`"${id}"`))
            .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
          expect(statements, id).toContainEqual(
            expect.objectContaining({
              Effect: 'Deny',
              Action: 'sqs:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: getAtt(id),
            }),
          );
        }
      }
    });

    it.each(CONSUMED)('$id: visibility timeout at least 6x its consumer timeout', (definition) => {
      const fnId = logicalId(synthesized.stack.pipeline.consumer(definition));
      const timeout = resources[fnId]?.Properties.Timeout as number;
      expect(timeout).toBe(definition.consumer.timeoutSeconds);
      expect(resources[ids.queue(definition)]?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
        6 * timeout,
      );
    });

    it('fails the synth when a visibility timeout is below 6x the consumer timeout', () => {
      const tooShort: QueueDefinition = { ...INGEST_QUEUE, visibilityTimeoutSeconds: 179 };
      expect(() => checkQueueDefinition(tooShort)).toThrow(/IngestQueue.*179 s.*6 x.*30 s/);
      expect(() => new Queues(new Stack(), 'Queues', { definitions: [tooShort] })).toThrow(/visibility/);
      expect(() => checkQueueDefinition({ ...INGEST_QUEUE, retentionDays: 15 })).toThrow(/retention/);
    });
  });

  describe('consumers', () => {
    it.each(CONSUMED)(
      '$id: mapped to its consumer with its batching, partial failures and concurrency',
      (definition) => {
        const fnId = logicalId(synthesized.stack.pipeline.consumer(definition));
        const mappings = Object.values(
          template.findResources('AWS::Lambda::EventSourceMapping', {
            Properties: { EventSourceArn: getAtt(ids.queue(definition)) },
          }) as Resources,
        );
        expect(mappings).toHaveLength(1);
        expect(mappings[0]?.Properties).toEqual({
          FunctionName: { Ref: fnId },
          EventSourceArn: getAtt(ids.queue(definition)),
          BatchSize: definition.consumer.batchSize,
          MaximumBatchingWindowInSeconds: definition.consumer.maxBatchingWindowSeconds,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ScalingConfig: { MaximumConcurrency: definition.consumer.maxConcurrency },
        });
        expect(resources[fnId]?.Properties.Handler).toBe('index.handler');
      },
    );

    it('maps nothing to the export queue nor to any DLQ yet', () => {
      const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping') as Resources);
      expect(mappings).toHaveLength(CONSUMED.length);
      const sources = JSON.stringify(mappings.map((mapping) => mapping.Properties.EventSourceArn));
      expect(sources).not.toContain(`"${ids.queue(EXPORT_QUEUE)}"`);
      for (const definition of QUEUES) expect(sources).not.toContain(`"${ids.deadLetterQueue(definition)}"`);
    });
  });

  describe('least privilege', () => {
    it('lets the API Lambda touch only the secrets under its deployment prefix', () => {
      const secretStatements = withService(roleStatements(template, ids.api), 'secretsmanager');
      expect(secretStatements).toHaveLength(1);
      const [statement] = secretStatements;
      expect(statement?.Effect).toBe('Allow');
      expect([...asArray(statement?.Action)].sort()).toEqual([...SECRET_ACTIONS].sort());
      expect(statement?.Resource).toEqual(secretArn('EventStream/integrations/'));
    });

    it('grants the API DynamoDB access on the state table only', () => {
      const dynamo = withService(roleStatements(template, ids.api), 'dynamodb');
      expect(dynamo.length).toBeGreaterThan(0);
      for (const statement of dynamo) {
        for (const resource of resourcesOf(statement))
          expect(JSON.stringify(resource)).toContain(ids.stateTable);
      }
    });

    it('lets the API send to the ingest queue and to no other queue', () => {
      const sqs = withService(roleStatements(template, ids.api), 'sqs');
      expect(sqs.flatMap(resourcesOf)).toEqual(sqs.map(() => getAtt(ids.queue(INGEST_QUEUE))));
      expect(actionsOn(sqs, ids.queue(INGEST_QUEUE))).toContain('sqs:SendMessage');
      expect(actionsOn(sqs, ids.queue(INGEST_QUEUE))).not.toContain('sqs:ReceiveMessage');
    });

    it('lets fanout write (not read) the event log, read the state table and send to the delivery queues', () => {
      const statements = roleStatements(template, ids.fanout);
      expect(actionsOn(statements, ids.eventLogTable)).toEqual([
        'dynamodb:BatchWriteItem',
        'dynamodb:PutItem',
      ]);
      const onState = actionsOn(statements, ids.stateTable);
      expect(onState).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      expect(onState.filter((action) => /Put|Update|Delete|Write/.test(action))).toEqual([]);
      for (const target of [WEBHOOK_QUEUE, EXPORT_QUEUE]) {
        expect(actionsOn(statements, ids.queue(target))).toContain('sqs:SendMessage');
      }
      // Consumes its own queue (the event source mapping's grant), never sends to it.
      expect(actionsOn(statements, ids.queue(INGEST_QUEUE))).toEqual(
        expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
      );
      expect(actionsOn(statements, ids.queue(INGEST_QUEUE))).not.toContain('sqs:SendMessage');
      expect(withService(statements, 'secretsmanager')).toEqual([]);
    });

    it('lets delivery read secrets under the prefix only, reschedule webhook messages and keep state', () => {
      const statements = roleStatements(template, ids.delivery);
      const secrets = withService(statements, 'secretsmanager');
      expect(secrets).toEqual([
        {
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: secretArn('EventStream/integrations/'),
        },
      ]);
      expect(actionsOn(statements, ids.queue(WEBHOOK_QUEUE))).toEqual(
        expect.arrayContaining(['sqs:ChangeMessageVisibility', 'sqs:ReceiveMessage', 'sqs:DeleteMessage']),
      );
      expect(withService(statements, 'sqs').flatMap(resourcesOf)).toSatisfy((arns: unknown[]) =>
        arns.every((arn) => JSON.stringify(arn) === JSON.stringify(getAtt(ids.queue(WEBHOOK_QUEUE)))),
      );
      const onEventLog = actionsOn(statements, ids.eventLogTable);
      expect(onEventLog).toContain('dynamodb:GetItem');
      expect(onEventLog.filter((action) => /Put|Update|Delete|Write/.test(action))).toEqual([]);
      expect(actionsOn(statements, ids.stateTable)).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ]),
      );
    });

    it('grants no wildcard action to any Lambda', () => {
      for (const id of ids.functions) {
        for (const statement of roleStatements(template, id)) {
          for (const action of asArray(statement.Action)) expect(action, id).not.toMatch(/(^\*$|:\*$)/);
        }
      }
    });
  });

  describe('alarms', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources);

    it.each(QUEUES)('$id: alarms as soon as a message sits in its DLQ', (definition) => {
      const dlqId = ids.deadLetterQueue(definition);
      const matching = alarms.filter(
        (alarm) =>
          alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(alarm.Properties.Dimensions) ===
            JSON.stringify([{ Name: 'QueueName', Value: getAtt(dlqId, 'QueueName') }]),
      );
      expect(matching).toHaveLength(1);
      expect(matching[0]?.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        Statistic: 'Maximum',
        Period: 300,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
      });
    });

    it('alarms when over half the delivery attempts fail for three 5-minute periods in a row', () => {
      const matching = alarms.filter((alarm) => Array.isArray(alarm.Properties.Metrics));
      expect(matching).toHaveLength(1);
      const properties = matching[0]?.Properties as Record<string, unknown> & {
        Metrics: Array<Record<string, unknown>>;
      };
      expect(properties).toMatchObject({
        Threshold: 0.5,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        TreatMissingData: 'notBreaching',
      });
      const expression = properties.Metrics.find((metric) => metric.Expression !== undefined);
      expect(expression).toMatchObject({
        Expression:
          '(FILL(retried, 0) + FILL(failed, 0)) / (FILL(delivered, 0) + FILL(retried, 0) + FILL(failed, 0) + FILL(rejected, 0))',
        ReturnData: true,
      });
      const inputs = properties.Metrics.filter((metric) => metric.MetricStat !== undefined);
      const byId = Object.fromEntries(inputs.map((metric) => [metric.Id, metric]));
      expect(Object.keys(byId).sort()).toEqual(['delivered', 'failed', 'rejected', 'retried']);
      for (const [id, metricName] of [
        ['delivered', 'WebhookDelivered'],
        ['retried', 'WebhookRetried'],
        ['rejected', 'WebhookRejected'],
        ['failed', 'WebhookFailed'],
      ]) {
        expect(byId[id as string]).toEqual({
          Id: id,
          ReturnData: false,
          MetricStat: {
            Metric: {
              Namespace: 'EventStream',
              MetricName: metricName,
              Dimensions: [{ Name: 'service', Value: 'event-stream' }],
            },
            Period: 300,
            Stat: 'Sum',
          },
        });
      }
    });

    it('alarms when a webhook delivery has waited over an hour', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: getAtt(ids.queue(WEBHOOK_QUEUE), 'QueueName') }],
        Threshold: 3600,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    });

    it('has no SNS topic, no EventBridge rule and no alarm actions without the context', () => {
      template.resourceCountIs('AWS::SNS::Topic', 0);
      template.resourceCountIs('AWS::Events::Rule', 0);
      for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toBeUndefined();
    });
  });
});

describe('EventStreamStack with a configured issuer, an event bus and an alarm email', () => {
  const synthesized = synth({
    stackName: 'Acme',
    tenant: 'acme',
    maxIntegrations: 25,
    issuer: 'https://idp.example.com/',
    audience: 'api://eventstream, other-client',
    eventBusName: 'orders',
    alarmEmail: 'ops@example.com',
  });
  const { template, resources } = synthesized;
  const ids = idsOf(synthesized);

  it('creates no Cognito resources and trusts the configured issuer and audiences', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: {
        Issuer: 'https://idp.example.com/',
        Audience: ['api://eventstream', 'other-client'],
      },
    });
    for (const route of ROUTES) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey(route),
        AuthorizationType: 'JWT',
        AuthorizationScopes: [route.scope],
      });
    }
  });

  it('passes tenant, limit and the stack-named secret prefix to every Lambda and its grants', () => {
    for (const id of ids.functions) {
      expect(environmentOf(resources, id)).toMatchObject({
        TENANT: 'acme',
        MAX_INTEGRATIONS: '25',
        SECRET_NAME_PREFIX: 'Acme/integrations/',
      });
    }
    for (const id of [ids.api, ids.delivery]) {
      const statements = JSON.stringify(roleStatements(template, id));
      expect(statements).toContain(':secret:Acme/integrations/*');
      expect(statements).not.toContain('EventStream/integrations');
    }
  });

  it('routes every event of the bus into the ingest queue as {"event": {id, name, published_at, payload}}', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule') as Resources);
    expect(rules).toHaveLength(1);
    const rule = rules[0]?.Properties as {
      EventBusName: string;
      EventPattern: unknown;
      State: string;
      Targets: Array<{
        Arn: unknown;
        InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
        DeadLetterConfig: { Arn: unknown };
      }>;
    };
    expect(rule.EventBusName).toBe('orders');
    expect(rule.EventPattern).toEqual({ source: [{ prefix: '' }] });
    expect(rule.State).toBe('ENABLED');
    expect(rule.Targets).toHaveLength(1);
    const [target] = rule.Targets;
    expect(target?.Arn).toEqual(getAtt(ids.queue(INGEST_QUEUE)));
    // Substituting each placeholder with its JSON path shows exactly what EventBridge will send.
    const { InputPathsMap, InputTemplate } = target?.InputTransformer ?? {
      InputPathsMap: {},
      InputTemplate: '',
    };
    const resolved = InputTemplate.replace(/<([^>]+)>/g, (_, name: string) => `<${InputPathsMap[name]}>`);
    expect(resolved).toBe(
      '{"event":{"id":<$.id>,"name":<$.detail-type>,"published_at":<$.time>,"payload":<$.detail>}}',
    );
    // Failed deliveries to the queue are kept, and alarmed on like every other DLQ.
    const ruleDlqArn = target?.DeadLetterConfig.Arn as { 'Fn::GetAtt': [string] } | undefined;
    const ruleDlqId = ruleDlqArn?.['Fn::GetAtt'][0] ?? 'missing';
    expect(resources[ruleDlqId]?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(ruleDlqId, 'QueueName') }],
      Threshold: 0,
    });
  });

  it('lets EventBridge send to the ingest queue only on behalf of that rule', () => {
    const ruleId = onlyLogicalId(template, 'AWS::Events::Rule');
    const ingestId = ids.queue(INGEST_QUEUE);
    const statements = Object.values(template.findResources('AWS::SQS::QueuePolicy') as Resources)
      .filter((policy) => JSON.stringify(policy.Properties.Queues) === JSON.stringify([{ Ref: ingestId }]))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: getAtt(ingestId),
        Condition: { ArnEquals: { 'aws:SourceArn': getAtt(ruleId) } },
      },
    ]);
  });

  it('mails every alarm and its recovery to the configured address', () => {
    const topicId = onlyLogicalId(template, 'AWS::SNS::Topic');
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topicId },
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources);
    // One per DLQ (the three queues' and the rule's), the failure rate and the webhook queue age.
    expect(alarms).toHaveLength(QUEUES.length + 1 + 2);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
  });
});

describe('EventStreamStack with an event pattern and delivery settings', () => {
  const pattern = { source: ['shop.orders'], 'detail-type': [{ prefix: 'order.' }] };
  const synthesized = synth({
    eventBusName: 'orders',
    eventPattern: JSON.stringify(pattern),
    retryBudgetHours: '48',
    stopWindowHours: 12,
  });
  const ids = idsOf(synthesized);

  it('filters the bus with the given pattern, unchanged', () => {
    synthesized.template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'orders',
      EventPattern: pattern,
    });
  });

  it('passes the retry budget and stop window to every Lambda', () => {
    for (const id of ids.functions) {
      expect(environmentOf(synthesized.resources, id)).toMatchObject({
        RETRY_BUDGET_HOURS: '48',
        STOP_WINDOW_HOURS: '12',
      });
    }
  });
});

describe('context', () => {
  const settings = (context: Record<string, unknown>) =>
    appSettingsFromContext(new App({ context: { ...cdkJsonContext, ...context } }).node);

  it('defaults to EventStream with Cognito, tenant "default", 10 integrations, 24 h budgets, no bus, no email', () => {
    const { stackName, props } = settings({});
    expect(stackName).toBe('EventStream');
    expect(props).toMatchObject({ tenant: 'default', maxIntegrations: 10 });
    expect(props.externalIssuer).toBeUndefined();
    expect(props.eventBus).toBeUndefined();
    expect(props.alarmEmail).toBeUndefined();
    // cdk.json spells out the delivery defaults so they are easy to find and change.
    expect(props).toMatchObject({ retryBudgetHours: 24, stopWindowHours: 24 });
  });

  it('accepts values given on the command line as strings', () => {
    const { props } = settings({
      maxIntegrations: '3',
      issuer: 'https://idp.example.com',
      audience: 'a,b',
      retryBudgetHours: '12',
      stopWindowHours: '6',
      eventBusName: 'orders',
      eventPattern: '{"source":["shop"]}',
    });
    expect(props.maxIntegrations).toBe(3);
    expect(props.externalIssuer).toEqual({ issuer: 'https://idp.example.com', audience: ['a', 'b'] });
    expect(props).toMatchObject({ retryBudgetHours: 12, stopWindowHours: 6 });
    expect(props.eventBus).toEqual({ eventBusName: 'orders', eventPattern: { source: ['shop'] } });
  });

  it('refuses an issuer without audience, a non-https issuer and a bad limit', () => {
    expect(() => settings({ issuer: 'https://idp.example.com' })).toThrow(/issuer.*audience/);
    expect(() => settings({ issuer: 'http://idp.example.com', audience: 'a' })).toThrow(/https/);
    expect(() => settings({ maxIntegrations: 'ten' })).toThrow(/maxIntegrations/);
    expect(() => settings({ maxIntegrations: 0 })).toThrow(/maxIntegrations/);
  });

  it('refuses bad delivery settings, a pattern without a bus, a bad pattern and a bad email', () => {
    expect(() => settings({ retryBudgetHours: 0 })).toThrow(/retryBudgetHours/);
    expect(() => settings({ stopWindowHours: '1.5' })).toThrow(/stopWindowHours/);
    expect(() => settings({ eventPattern: '{"source":["shop"]}' })).toThrow(/eventBusName/);
    expect(() => settings({ eventBusName: 'b', eventPattern: '{source' })).toThrow(/JSON/);
    expect(() => settings({ eventBusName: 'b', eventPattern: '[]' })).toThrow(/object/);
    expect(() => settings({ alarmEmail: 'ops' })).toThrow(/alarmEmail/);
  });

  it('keeps the retry budget within what the webhook queue can hold and redeliver', () => {
    // 24 h of the schedule (10 s, 1 min, 5 min, 15 min, 1 h, then every 2 h) is about 18 receives.
    expect(deliveryAttemptsWithin(24)).toBe(18);
    expect(deliveryAttemptsWithin(24)).toBeLessThan(WEBHOOK_QUEUE.maxReceiveCount);
    expect(() => checkRetryBudget(24)).not.toThrow();
    expect(() => checkRetryBudget(WEBHOOK_QUEUE.retentionDays * 24)).toThrow(/retention/);
    expect(() => checkRetryBudget(72)).toThrow(/maxReceiveCount/);
    expect(() => synth({ retryBudgetHours: 72 })).toThrow(/maxReceiveCount/);
  });
});

/** Handler modules the real bundling needs; the consumers' may land after the stack that deploys them. */
const entries = ['lambdas/handlers/api/index.ts', ...CONSUMED.map((queue) => queue.consumer.entry)];
const missingEntries = entries.filter((entry) => !existsSync(join(root, entry)));
if (missingEntries.length > 0) {
  console.warn(`bin/app.ts synth test skipped: missing ${missingEntries.join(', ')}`);
}

describe.skipIf(missingEntries.length > 0)('bin/app.ts run the way the CDK CLI runs it', () => {
  let outdir: string;
  let manifest: { artifacts: Record<string, { type: string; properties?: { templateFile?: string } }> };

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    await promisify(execFile)(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'bin/app.ts'], {
      cwd: root,
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(cdkJsonContext) },
      timeout: 180_000,
    });
    manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  }, 240_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles every function as ESM with the require shim and a source map', () => {
    const stack = manifest.artifacts.EventStream;
    expect(stack?.type).toBe('aws:cloudformation:stack');
    const template = JSON.parse(readFileSync(join(outdir, stack?.properties?.templateFile ?? ''), 'utf8'));
    const functions = Object.values(template.Resources as Resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties.Runtime === 'nodejs24.x',
    );
    expect(functions).toHaveLength(entries.length);
    const assets = new Set<string>();
    for (const fn of functions) {
      // The code's S3 key is `{asset hash}.zip`; the CLI uploads it from `asset.{asset hash}/`.
      const s3Key = (fn.Properties.Code as { S3Key: string }).S3Key;
      const assetDir = join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
      const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
      expect(bundle.startsWith(ESM_REQUIRE_SHIM)).toBe(true);
      expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
      assets.add(s3Key);
    }
    // Each function ships its own bundle, not the API's.
    expect(assets.size).toBe(functions.length);
  });
});
