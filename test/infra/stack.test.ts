import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_FILE } from '../../api/assets.ts';
import { ALL_FUNCTIONS, stackEnv } from '../../bench/functions.ts';
import { PUBLIC_ROUTES, ROUTES, routeKey, SCOPES } from '../../lambdas/handlers/api/routes.ts';
import { CONSOLE_ROUTE_PATHS } from '../../lambdas/handlers/console/routes.ts';
import { DEFAULT_THROTTLE, SECRET_ACTIONS } from '../../lib/api.ts';
import { appSettingsFromContext } from '../../lib/app-context.ts';
import { checkBucketDefinition } from '../../lib/buckets.ts';
import { ESM_REQUIRE_SHIM } from '../../lib/bundling.ts';
import { checkRetryBudget, deliveryAttemptsWithin } from '../../lib/event-stream-stack.ts';
import { checkQueueDefinition, Queues } from '../../lib/queues.ts';
import {
  BUCKETS,
  DELIVERIES_TABLE,
  EVENT_LOG_TABLE,
  EXPORT_FLUSH_SCHEDULE,
  EXPORT_QUEUE,
  EXPORT_STAGING_BUCKET,
  HOUSEKEEPING_SCHEDULE,
  INGEST_QUEUE,
  QUEUES,
  type QueueDefinition,
  REPLAY_QUEUE,
  SCHEDULES,
  STATE_TABLE,
  TABLES,
  WEBHOOK_QUEUE,
} from '../../lib/resource-definitions.ts';
import { checkScheduleDefinition } from '../../lib/schedules.ts';
import { cdkJsonContext, type Resources, root, type Statement, type Synthesized, synth } from './synth.ts';

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
  deliveriesTable: logicalId(stack.storage.table(DELIVERIES_TABLE)),
  stagingBucket: logicalId(stack.buckets.bucket(EXPORT_STAGING_BUCKET)),
  queue: (definition: QueueDefinition) => logicalId(stack.queues.queue(definition)),
  deadLetterQueue: (definition: QueueDefinition) => logicalId(stack.queues.deadLetterQueue(definition)),
  api: logicalId(stack.api.handler),
  docs: logicalId(stack.api.docs.handler),
  console: logicalId(stack.console.handler),
  /** The Cognito trigger, with the stack's own user pool only. */
  preTokenGeneration: stack.auth.preTokenGeneration ? [logicalId(stack.auth.preTokenGeneration)] : [],
  fanout: logicalId(stack.pipeline.consumer(INGEST_QUEUE)),
  delivery: logicalId(stack.pipeline.consumer(WEBHOOK_QUEUE)),
  exportBatcher: logicalId(stack.pipeline.consumer(EXPORT_QUEUE)),
  replay: logicalId(stack.pipeline.consumer(REPLAY_QUEUE)),
  housekeeping: logicalId(stack.schedules.scheduledFunction(HOUSEKEEPING_SCHEDULE)),
  flusher: logicalId(stack.schedules.scheduledFunction(EXPORT_FLUSH_SCHEDULE)),
  functions: [
    stack.api.handler,
    ...stack.pipeline.consumers.values(),
    ...stack.schedules.functions.values(),
  ].map(logicalId),
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

/** The AWS services a function's role may call, by prefix (`logs`, `xray`, `dynamodb`...). */
const servicesOf = (template: Template, functionId: string): string[] => {
  const actions = roleStatements(template, functionId).flatMap((statement) => asArray(statement.Action));
  return [...new Set(actions.map((action) => String(action).split(':')[0] ?? ''))].sort();
};

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

/** The statements granting anything on exactly `resource`. */
const statementsOn = (statements: Statement[], resource: unknown): Statement[] =>
  statements.filter((statement) =>
    resourcesOf(statement).some((candidate) => JSON.stringify(candidate) === JSON.stringify(resource)),
  );

/** Every action the statements allow on exactly `resource`, sorted. */
const actionsOnResource = (statements: Statement[], resource: unknown): string[] =>
  [
    ...new Set(
      statementsOn(statements, resource).flatMap((statement) => asArray(statement.Action).map(String)),
    ),
  ].sort();

const WRITES = /Put|Update|Delete|Write/;

/** Every object of a bucket of the stack. */
const objectsOf = (bucketId: string) => ({ 'Fn::Join': ['', [getAtt(bucketId), '/*']] });

/** Every object of a customer bucket named in context `exportBuckets`. */
const customerObjects = (bucket: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${bucket}/*`]],
});

const CUSTOMER_ROLES = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/*']] };

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
  const integrationId = onlyLogicalId(template, 'AWS::ApiGatewayV2::Integration', {
    Properties: { IntegrationUri: getAtt(ids.api) },
  });
  const docsIntegrationId = onlyLogicalId(template, 'AWS::ApiGatewayV2::Integration', {
    Properties: { IntegrationUri: getAtt(ids.docs) },
  });

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

  it('serves the OpenAPI document and the reference page without a token, through the docs function only', () => {
    for (const route of PUBLIC_ROUTES) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey(route),
        AuthorizationType: 'NONE',
        AuthorizerId: Match.absent(),
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: docsIntegrationId }]] },
      });
    }
    // It reads its own bundle and writes its own logs, nothing else: no table, queue, secret or bucket.
    expect(servicesOf(template, ids.docs)).toEqual(['logs', 'xray']);
  });

  it('serves the operator console at /console/ without a token, through the console function only', () => {
    const consoleIntegrationId = onlyLogicalId(template, 'AWS::ApiGatewayV2::Integration', {
      Properties: { IntegrationUri: getAtt(ids.console) },
    });
    for (const path of CONSOLE_ROUTE_PATHS) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `GET ${path}`,
        AuthorizationType: 'NONE',
        AuthorizerId: Match.absent(),
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: consoleIntegrationId }]] },
      });
    }
    // Its own files and sign-in settings, nothing else: no table, queue, secret or bucket.
    expect(servicesOf(template, ids.console)).toEqual(['logs', 'xray']);
  });

  it('has no route besides ROUTES, the public docs and console routes and an authenticated $default that reaches the Lambda for its 404/405', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Resources);
    const keys = routes.map((route) => route.Properties.RouteKey).sort();
    expect(keys).toEqual(
      [
        ...ROUTES.map(routeKey),
        ...PUBLIC_ROUTES.map(routeKey),
        ...CONSOLE_ROUTE_PATHS.map((path) => `GET ${path}`),
        '$default',
      ].sort(),
    );

    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$default',
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: authorizerId },
      AuthorizationScopes: Match.absent(),
      Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] },
    });
  });

  it('trusts the Cognito user pool as issuer and its two app clients (API, console) as audience', () => {
    const userPoolId = onlyLogicalId(template, 'AWS::Cognito::UserPool');
    const clientId = onlyLogicalId(template, 'AWS::Cognito::UserPoolClient', {
      Properties: { GenerateSecret: true },
    });
    const consoleClientId = onlyLogicalId(template, 'AWS::Cognito::UserPoolClient', {
      Properties: { AllowedOAuthFlows: ['code'] },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        // ProviderURL is https://cognito-idp.{region}.amazonaws.com/{userPoolId}, the `iss` of Cognito's tokens.
        Issuer: getAtt(userPoolId, 'ProviderURL'),
        Audience: [{ Ref: clientId }, { Ref: consoleClientId }],
      },
    });
  });

  it('signs operators in to the console with managed login: a public client, code with PKCE, back to /console/', () => {
    const userPoolId = onlyLogicalId(template, 'AWS::Cognito::UserPool');
    const apiId = onlyLogicalId(template, 'AWS::ApiGatewayV2::Api');
    const consoleUrl = { 'Fn::Join': ['', [getAtt(apiId, 'ApiEndpoint'), '/console/']] };
    const clients = template.findResources('AWS::Cognito::UserPoolClient', {
      Properties: { AllowedOAuthFlows: ['code'] },
    }) as Resources;
    const [consoleClientId, consoleClient] = Object.entries(clients)[0] ?? [];
    expect(consoleClient?.Properties).toMatchObject({
      UserPoolId: { Ref: userPoolId },
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', SCOPES.read, SCOPES.write],
      CallbackURLs: [consoleUrl],
      LogoutURLs: [consoleUrl],
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(consoleClient?.Properties.GenerateSecret).not.toBe(true);
    template.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'ESSENTIALS' });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      UserPoolId: { Ref: userPoolId },
      ClientId: { Ref: consoleClientId },
      UseCognitoProvidedValues: true,
    });
    // Operators read; the writers group may also change: a version 2 trigger (access token scopes).
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        PreTokenGenerationConfig: {
          LambdaArn: getAtt(ids.preTokenGeneration[0] ?? ''),
          LambdaVersion: 'V2_0',
        },
      },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
      UserPoolId: { Ref: userPoolId },
      GroupName: 'event-stream-writers',
    });
    expect(servicesOf(template, ids.preTokenGeneration[0] ?? '')).toEqual(['logs', 'xray']);
    expect(environmentOf(resources, ids.console)).toMatchObject({
      CONSOLE_AUTH_ISSUER: getAtt(userPoolId, 'ProviderURL'),
      CONSOLE_CLIENT_ID: { Ref: consoleClientId },
      CONSOLE_SCOPES: 'openid eventstream/read eventstream/write',
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

  it('has exactly the API Lambda, one consumer per consumed queue and one function per schedule, all on Node 24, ARM64, traced', () => {
    const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
    const others = [ids.docs, ids.console, ...ids.preTokenGeneration];
    expect(functions.sort()).toEqual([...ids.functions, ...others].sort());
    expect(ids.functions).toHaveLength(1 + CONSUMED.length + SCHEDULES.length);
    for (const id of [...ids.functions, ...others]) {
      expect(resources[id]?.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 512,
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('gives each Lambda only the variables its config reads, naming its tables, queues and bucket', () => {
    const values = {
      STATE_TABLE_NAME: { Ref: ids.stateTable },
      EVENT_LOG_TABLE_NAME: { Ref: ids.eventLogTable },
      DELIVERIES_TABLE_NAME: { Ref: ids.deliveriesTable },
      INGEST_QUEUE_URL: { Ref: ids.queue(INGEST_QUEUE) },
      WEBHOOK_QUEUE_URL: { Ref: ids.queue(WEBHOOK_QUEUE) },
      EXPORT_QUEUE_URL: { Ref: ids.queue(EXPORT_QUEUE) },
      REPLAY_QUEUE_URL: { Ref: ids.queue(REPLAY_QUEUE) },
      EXPORT_STAGING_BUCKET_NAME: { Ref: ids.stagingBucket },
      S3_FORCE_PATH_STYLE: 'false',
      SECRET_NAME_PREFIX: 'EventStream/integrations/',
      TENANT: 'default',
      MAX_INTEGRATIONS: '10',
      ENTITY_INDEX: 'false',
      DEDUP_EVENT_IDS: 'false',
      ALLOW_INSECURE_CALLBACKS: 'false',
      EVENT_RETENTION_DAYS: '30',
      RETRY_BUDGET_HOURS: '24',
      STOP_WINDOW_HOURS: '24',
      DELIVERY_TIMEOUT_MS: '10000',
    };
    type Name = keyof typeof values;
    const events: Name[] = ['EVENT_LOG_TABLE_NAME', 'TENANT', 'EVENT_RETENTION_DAYS'];
    const exportFlush: Name[] = [
      'TENANT',
      'SECRET_NAME_PREFIX',
      'EXPORT_STAGING_BUCKET_NAME',
      'S3_FORCE_PATH_STYLE',
      'STOP_WINDOW_HOURS',
    ];
    const webhookSend: Name[] = ['SECRET_NAME_PREFIX', 'ALLOW_INSECURE_CALLBACKS', 'DELIVERY_TIMEOUT_MS'];
    const expected: Record<string, Name[]> = {
      [ids.api]: [
        'STATE_TABLE_NAME',
        ...events,
        'ENTITY_INDEX',
        'DELIVERIES_TABLE_NAME',
        'INGEST_QUEUE_URL',
        'REPLAY_QUEUE_URL',
        ...webhookSend,
        'MAX_INTEGRATIONS',
        ...exportFlush,
      ],
      [ids.fanout]: [
        'STATE_TABLE_NAME',
        ...events,
        'ENTITY_INDEX',
        'DEDUP_EVENT_IDS',
        'DELIVERIES_TABLE_NAME',
        'WEBHOOK_QUEUE_URL',
        'EXPORT_QUEUE_URL',
        'INGEST_QUEUE_URL',
      ],
      [ids.delivery]: [
        'STATE_TABLE_NAME',
        ...events,
        'DELIVERIES_TABLE_NAME',
        'WEBHOOK_QUEUE_URL',
        ...webhookSend,
        'RETRY_BUDGET_HOURS',
        'STOP_WINDOW_HOURS',
      ],
      [ids.exportBatcher]: ['STATE_TABLE_NAME', ...events, 'DELIVERIES_TABLE_NAME', ...exportFlush],
      [ids.replay]: [
        'STATE_TABLE_NAME',
        ...events,
        'DELIVERIES_TABLE_NAME',
        'WEBHOOK_QUEUE_URL',
        'EXPORT_QUEUE_URL',
        'REPLAY_QUEUE_URL',
        'SECRET_NAME_PREFIX',
      ],
      [ids.housekeeping]: [
        'STATE_TABLE_NAME',
        'EVENT_RETENTION_DAYS',
        'DELIVERIES_TABLE_NAME',
        'REPLAY_QUEUE_URL',
        ...exportFlush,
      ],
      [ids.flusher]: ['STATE_TABLE_NAME', ...exportFlush],
    };
    expect(Object.keys(expected).sort()).toEqual([...ids.functions].sort());
    for (const id of ids.functions) {
      expect(environmentOf(resources, id), id).toEqual({
        ...Object.fromEntries((expected[id] ?? []).map((name) => [name, values[name]])),
        POWERTOOLS_SERVICE_NAME: 'event-stream',
        POWERTOOLS_METRICS_NAMESPACE: 'EventStream',
        NODE_OPTIONS: '--enable-source-maps',
      });
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

  it('keeps every table on demand, recoverable, encrypted, expiring by TTL and retained on delete', () => {
    expect(TABLES.map((table) => table.id)).toEqual(['StateTable', 'EventLogTable', 'DeliveriesTable']);
    for (const id of [ids.stateTable, ids.eventLogTable, ids.deliveriesTable]) {
      expect(template.toJSON().Resources[id], id).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: expect.arrayContaining([
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ]),
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
          SSESpecification: { SSEEnabled: true },
        },
      });
    }
  });

  it('names the roles a customer export role must trust in an output', () => {
    const output = template.findOutputs('ExportRoleArns');
    const value = JSON.stringify(Object.values(output)[0]?.Value);
    // The API, the export batcher, the export flusher and housekeeping can all flush a file.
    expect((value.match(/ServiceRole[A-Za-z0-9]*","Arn"/g) ?? []).length).toBe(4);
  });

  it('gives the deliveries table its sparse, keys-only PendingIndex', () => {
    expect(template.toJSON().Resources[ids.deliveriesTable].Properties).toMatchObject({
      AttributeDefinitions: expect.arrayContaining([{ AttributeName: 'pending_for', AttributeType: 'S' }]),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'PendingIndex',
          KeySchema: [{ AttributeName: 'pending_for', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
    expect(template.toJSON().Resources[ids.stateTable].Properties.GlobalSecondaryIndexes).toBeUndefined();
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
      const tooShort: QueueDefinition = { ...INGEST_QUEUE, visibilityTimeoutSeconds: 89 };
      expect(() => checkQueueDefinition(tooShort)).toThrow(/IngestQueue.*89 s.*6 x.*15 s/);
      expect(() => new Queues(new Stack(), 'Queues', { definitions: [tooShort] })).toThrow(/visibility/);
      expect(() => checkQueueDefinition({ ...INGEST_QUEUE, retentionDays: 15 })).toThrow(/retention/);
    });

    // What CreateEventSourceMapping refuses for a standard queue, checked before the synth gets that far.
    it.each([
      [
        'batch size 100 without a window',
        { batchSize: 100, maxBatchingWindowSeconds: 0 },
        /100 needs a batching window/,
      ],
      ['batch size 0', { batchSize: 0 }, /batch size 0 is not from 1 to 10000/],
      ['batch size 10001', { batchSize: 10_001, maxBatchingWindowSeconds: 1 }, /batch size 10001/],
      ['a 301 s window', { maxBatchingWindowSeconds: 301 }, /window 301 s/],
      ['a 0.5 s window', { maxBatchingWindowSeconds: 0.5 }, /window 0.5 s/],
      ['concurrency 1', { maxConcurrency: 1 }, /concurrency 1 is not from 2 to 1000/],
      ['concurrency 1001', { maxConcurrency: 1001 }, /concurrency 1001/],
    ])('fails the synth for a consumer with %s', (_, change, message) => {
      const consumer = { ...(INGEST_QUEUE.consumer as NonNullable<QueueDefinition['consumer']>), ...change };
      expect(() => checkQueueDefinition({ ...INGEST_QUEUE, consumer })).toThrow(message);
    });

    it('accepts batch sizes above 10 with a window of at least 1 s', () => {
      const consumer = { ...(INGEST_QUEUE.consumer as NonNullable<QueueDefinition['consumer']>) };
      expect(() =>
        checkQueueDefinition({
          ...INGEST_QUEUE,
          consumer: { ...consumer, batchSize: 100, maxBatchingWindowSeconds: 1 },
        }),
      ).not.toThrow();
    });
  });

  describe('buckets', () => {
    it.each(BUCKETS)(
      '$id: private, S3-encrypted, unversioned, access-logged, expiring per its definition and retained on delete',
      (definition) => {
        const id = logicalId(synthesized.stack.buckets.bucket(definition));
        const logBucketId = logicalId(synthesized.stack.buckets.accessLogBucket);
        expect(resources[id]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
        // toEqual: no versioning, no website, no replication, nothing else.
        expect(resources[id]?.Properties).toEqual({
          LoggingConfiguration: {
            DestinationBucketName: { Ref: logBucketId },
            LogFilePrefix: `${definition.id}/`,
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          LifecycleConfiguration: {
            Rules: [
              {
                Id: 'ExpireStagedObjects',
                Status: 'Enabled',
                AbortIncompleteMultipartUpload: {
                  DaysAfterInitiation: definition.abortIncompleteMultipartUploadDays,
                },
                ExpirationInDays: definition.expirationDays,
              },
            ],
          },
        });
      },
    );

    it.each(BUCKETS)(
      '$id: refuses plain HTTP and TLS below 1.2, and allows nobody by policy',
      (definition) => {
        const id = logicalId(synthesized.stack.buckets.bucket(definition));
        const statements = Object.values(template.findResources('AWS::S3::BucketPolicy') as Resources)
          .filter((policy) => JSON.stringify(policy.Properties.Bucket) === JSON.stringify({ Ref: id }))
          .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
        const everything = [getAtt(id), objectsOf(id)];
        expect(statements).toEqual([
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Resource: everything,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Resource: everything,
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          },
        ]);
      },
    );

    it('keeps access logs 90 days in a private, encrypted, TLS-only bucket only the S3 logging service writes to', () => {
      const logBucketId = logicalId(synthesized.stack.buckets.accessLogBucket);
      expect(resources[logBucketId]).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      expect(resources[logBucketId]?.Properties).toEqual({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        // No LogDeliveryWrite ACL: ACLs stay disabled, the bucket policy lets the logging service in.
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: [{ Id: 'ExpireAccessLogs', Status: 'Enabled', ExpirationInDays: 90 }],
        },
      });
      const statements = Object.values(template.findResources('AWS::S3::BucketPolicy') as Resources)
        .filter((policy) => JSON.stringify(policy.Properties.Bucket) === JSON.stringify({ Ref: logBucketId }))
        .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      const allows = statements.filter((statement) => statement.Effect === 'Allow');
      expect(allows).toEqual(
        BUCKETS.map((definition) => ({
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: { 'Fn::Join': ['', [getAtt(logBucketId), `/${definition.id}/*`]] },
          Condition: {
            ArnLike: { 'aws:SourceArn': getAtt(logicalId(synthesized.stack.buckets.bucket(definition))) },
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          },
        })),
      );
      expect(statements.filter((statement) => statement.Effect === 'Deny')).toHaveLength(2);
    });

    it('empties no bucket through a custom resource (no autoDeleteObjects Lambda)', () => {
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    });

    it('fails the synth on a lifecycle S3 would refuse', () => {
      expect(() => checkBucketDefinition({ ...EXPORT_STAGING_BUCKET, expirationDays: 0 })).toThrow(
        /expirationDays/,
      );
      expect(() =>
        checkBucketDefinition({ ...EXPORT_STAGING_BUCKET, abortIncompleteMultipartUploadDays: 0.5 }),
      ).toThrow(/abortIncompleteMultipartUploadDays/);
    });
  });

  describe('schedules', () => {
    const rateExpression = (minutes: number) => `rate(${minutes} minute${minutes === 1 ? '' : 's'})`;

    it.each(SCHEDULES)(
      '$functionId: run by an EventBridge rule at its rate, with its timeout',
      (definition) => {
        const fnId = logicalId(synthesized.stack.schedules.scheduledFunction(definition));
        expect(resources[fnId]?.Properties.Timeout).toBe(definition.timeoutSeconds);
        const rules = Object.values(
          template.findResources('AWS::Events::Rule', {
            Properties: { Targets: [Match.objectLike({ Arn: getAtt(fnId) })] },
          }) as Resources,
        );
        expect(rules).toHaveLength(1);
        expect(rules[0]?.Properties).toMatchObject({
          ScheduleExpression: rateExpression(definition.rateMinutes),
          State: 'ENABLED',
        });
        expect(rules[0]?.Properties.EventBusName).toBeUndefined();
        const ruleId = Object.keys(template.findResources('AWS::Events::Rule')).find(
          (key) => resources[key] === rules[0],
        );
        template.hasResourceProperties('AWS::Lambda::Permission', {
          Action: 'lambda:InvokeFunction',
          FunctionName: getAtt(fnId),
          Principal: 'events.amazonaws.com',
          SourceArn: getAtt(ruleId ?? 'missing'),
        });
      },
    );

    it.each(SCHEDULES)(
      '$functionId: a failed or late run is left to the next one, not retried',
      (definition) => {
        const fnId = logicalId(synthesized.stack.schedules.scheduledFunction(definition));
        template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
          FunctionName: { Ref: fnId },
          MaximumRetryAttempts: 0,
          MaximumEventAgeInSeconds: definition.rateMinutes * 60,
        });
      },
    );

    it('fails the synth on a rate or timeout EventBridge and Lambda cannot take', () => {
      expect(() => checkScheduleDefinition({ ...HOUSEKEEPING_SCHEDULE, rateMinutes: 0.5 })).toThrow(
        /rateMinutes/,
      );
      expect(() => checkScheduleDefinition({ ...HOUSEKEEPING_SCHEDULE, timeoutSeconds: 901 })).toThrow(
        /timeoutSeconds/,
      );
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

    it('consumes the export and replay queues, and maps nothing to any DLQ', () => {
      expect(CONSUMED.map((queue) => queue.id)).toEqual(
        expect.arrayContaining([EXPORT_QUEUE.id, REPLAY_QUEUE.id]),
      );
      const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping') as Resources);
      expect(mappings).toHaveLength(CONSUMED.length);
      const sources = JSON.stringify(mappings.map((mapping) => mapping.Properties.EventSourceArn));
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

    it('grants the API the state table, the event log read-only and the delivery history it lists and resends', () => {
      const statements = roleStatements(template, ids.api);
      expect(actionsOn(statements, ids.stateTable)).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
        ]),
      );
      // GET /api/v1/org/events, payloads, resends and repeated publishes read events: pages and publishes,
      // both Query.
      expect(actionsOn(statements, ids.eventLogTable)).toEqual(['dynamodb:Query']);
      // History pages and records; a resend records its attempt.
      expect(actionsOn(statements, ids.deliveriesTable)).toEqual([
        'dynamodb:BatchWriteItem',
        'dynamodb:Query',
      ]);
      const tables = [ids.stateTable, ids.eventLogTable, ids.deliveriesTable];
      for (const statement of withService(statements, 'dynamodb')) {
        for (const resource of resourcesOf(statement)) {
          expect(tables.some((table) => JSON.stringify(resource).includes(`"${table}"`))).toBe(true);
        }
      }
    });

    it('lets the API send to the ingest queue (publishing) and the replay queue (catch-up), to no other queue', () => {
      const sqs = withService(roleStatements(template, ids.api), 'sqs');
      const allowed = [getAtt(ids.queue(INGEST_QUEUE)), getAtt(ids.queue(REPLAY_QUEUE))].map((arn) =>
        JSON.stringify(arn),
      );
      for (const resource of sqs.flatMap(resourcesOf)) expect(allowed).toContain(JSON.stringify(resource));
      for (const target of [INGEST_QUEUE, REPLAY_QUEUE]) {
        expect(actionsOn(sqs, ids.queue(target))).toContain('sqs:SendMessage');
        expect(actionsOn(sqs, ids.queue(target))).not.toContain('sqs:ReceiveMessage');
      }
    });

    it('lets fanout write (not read) the event log and pending deliveries, read the state table but for catch-up points, and send to the delivery queues', () => {
      const statements = roleStatements(template, ids.fanout);
      // PutItem: the conditional claim of a producer-given id, with `dedupEventIds`.
      expect(actionsOn(statements, ids.eventLogTable)).toEqual([
        'dynamodb:BatchWriteItem',
        'dynamodb:PutItem',
      ]);
      const onState = actionsOn(statements, ids.stateTable);
      expect(onState).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      expect(onState.filter((action) => WRITES.test(action))).toEqual(['dynamodb:UpdateItem']);
      // Pending markers of events routed to temporary integrations, unless their history says delivered.
      expect(actionsOn(statements, ids.deliveriesTable)).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
      for (const target of [WEBHOOK_QUEUE, EXPORT_QUEUE]) {
        expect(actionsOn(statements, ids.queue(target))).toContain('sqs:SendMessage');
      }
      // Consumes its own queue (the event source mapping's grant), never sends to it; no replays.
      expect(actionsOn(statements, ids.queue(INGEST_QUEUE))).toEqual(
        expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
      );
      expect(actionsOn(statements, ids.queue(INGEST_QUEUE))).not.toContain('sqs:SendMessage');
      expect(actionsOn(statements, ids.queue(REPLAY_QUEUE))).toEqual([]);
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
      expect(onEventLog).toEqual(expect.arrayContaining(['dynamodb:BatchGetItem', 'dynamodb:Query']));
      expect(onEventLog.filter((action) => /Put|Update|Delete|Write/.test(action))).toEqual([]);
      expect(actionsOn(statements, ids.stateTable)).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ]),
      );
      // A batch's attempts, one item per publish (and the pending markers they end); a message that may repeat
      // a delivery reads its publish's history first.
      expect(actionsOn(statements, ids.deliveriesTable)).toEqual([
        'dynamodb:BatchWriteItem',
        'dynamodb:Query',
      ]);
    });

    it('lets replay page through the event log, route pages like fanout and pace its own message', () => {
      const statements = roleStatements(template, ids.replay);
      expect(actionsOn(statements, ids.eventLogTable)).toEqual(['dynamodb:Query']);
      expect(actionsOn(statements, ids.stateTable)).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
        ]),
      );
      // Pending markers of the replayed events; which were delivered already; the PendingIndex query (and
      // the deletion of markers whose delivery ended) before it ends a temporary integration.
      expect(actionsOn(statements, ids.deliveriesTable)).toEqual([
        'dynamodb:BatchWriteItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
      ]);
      for (const target of [WEBHOOK_QUEUE, EXPORT_QUEUE]) {
        expect(actionsOn(statements, ids.queue(target))).toContain('sqs:SendMessage');
        expect(actionsOn(statements, ids.queue(target))).not.toContain('sqs:ReceiveMessage');
      }
      // Its own queue: consumed, paced by visibility, and handed over to a fresh message.
      expect(actionsOn(statements, ids.queue(REPLAY_QUEUE))).toEqual(
        expect.arrayContaining([
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:SendMessage',
        ]),
      );
      expect(actionsOn(statements, ids.queue(INGEST_QUEUE))).toEqual([]);
      // Ending a temporary webhook integration deletes its secret; it never reads one.
      expect(withService(statements, 'secretsmanager')).toEqual([
        {
          Effect: 'Allow',
          Action: 'secretsmanager:DeleteSecret',
          Resource: secretArn('EventStream/integrations/'),
        },
      ]);
      for (const service of ['s3', 'sts']) {
        expect(withService(statements, service), service).toEqual([]);
      }
    });

    it('lets the export batcher read events by key, stage chunks and upload the files it fills', () => {
      const statements = roleStatements(template, ids.exportBatcher);
      expect(actionsOn(statements, ids.eventLogTable)).toEqual(['dynamodb:BatchGetItem', 'dynamodb:Query']);
      expect(actionsOn(statements, ids.stateTable)).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ]),
      );
      expect(actionsOn(statements, ids.deliveriesTable)).toEqual([
        'dynamodb:BatchWriteItem',
        'dynamodb:Query',
      ]);
      expect(actionsOnResource(statements, objectsOf(ids.stagingBucket))).toEqual([
        's3:DeleteObject',
        's3:GetObject',
        's3:PutObject',
      ]);
      expect(withService(statements, 'secretsmanager')).toEqual([
        {
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: secretArn('EventStream/integrations/'),
        },
      ]);
      // Consumes the export queue and sends to none.
      const sqs = withService(statements, 'sqs');
      expect(sqs.flatMap(resourcesOf)).toEqual(sqs.map(() => getAtt(ids.queue(EXPORT_QUEUE))));
      expect(actionsOn(sqs, ids.queue(EXPORT_QUEUE))).not.toContain('sqs:SendMessage');
    });

    it('lets housekeeping check pending deliveries and delete finished integrations with their secret', () => {
      const statements = roleStatements(template, ids.housekeeping);
      expect(actionsOn(statements, ids.stateTable)).toEqual(
        expect.arrayContaining([
          'dynamodb:Query',
          'dynamodb:GetItem',
          'dynamodb:DeleteItem',
          'dynamodb:PutItem',
        ]),
      );
      expect(actionsOn(statements, ids.deliveriesTable)).toEqual([
        'dynamodb:BatchWriteItem',
        'dynamodb:Query',
      ]);
      expect(actionsOn(statements, ids.eventLogTable)).toEqual([]);
      expect(withService(statements, 'secretsmanager')).toEqual([
        {
          Effect: 'Allow',
          Action: ['secretsmanager:DeleteSecret', 'secretsmanager:GetSecretValue'],
          Resource: secretArn('EventStream/integrations/'),
        },
      ]);
      // A replay that lost its message gets a new one: send to the replay queue, nothing else in SQS.
      const sqs = withService(statements, 'sqs');
      expect(actionsOn(sqs, ids.queue(REPLAY_QUEUE))).toContain('sqs:SendMessage');
      expect(sqs.flatMap(resourcesOf)).toHaveLength(1);
    });

    it('lets the export flusher keep file records and read secrets, and touch no table but the state table', () => {
      const statements = roleStatements(template, ids.flusher);
      expect(actionsOn(statements, ids.stateTable)).toEqual(
        expect.arrayContaining([
          'dynamodb:Query',
          'dynamodb:GetItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ]),
      );
      for (const table of [ids.eventLogTable, ids.deliveriesTable]) {
        expect(actionsOn(statements, table)).toEqual([]);
      }
      expect(withService(statements, 'secretsmanager')).toEqual([
        {
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: secretArn('EventStream/integrations/'),
        },
      ]);
      expect(withService(statements, 'sqs')).toEqual([]);
    });

    it('lets every function that can flush an export read and delete staged chunks and assume customer roles', () => {
      for (const id of [ids.api, ids.exportBatcher, ids.housekeeping, ids.flusher]) {
        const statements = roleStatements(template, id);
        expect(actionsOnResource(statements, objectsOf(ids.stagingBucket)), id).toEqual(
          expect.arrayContaining(['s3:DeleteObject', 's3:GetObject']),
        );
        // Roles named at runtime, in the customers' accounts: any role, nothing but AssumeRole.
        expect(withService(statements, 'sts'), id).toEqual([
          { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: CUSTOMER_ROLES },
        ]);
        const secrets = withService(statements, 'secretsmanager').flatMap((statement) =>
          asArray(statement.Action),
        );
        expect(secrets, id).toContain('secretsmanager:GetSecretValue');
      }
      for (const id of [ids.fanout, ids.delivery, ids.replay]) {
        const statements = roleStatements(template, id);
        expect([...withService(statements, 's3'), ...withService(statements, 'sts')], id).toEqual([]);
      }
    });

    it('grants S3 on the staging bucket objects only, and only the batcher writes there, without exportBuckets', () => {
      for (const id of ids.functions) {
        const s3 = withService(roleStatements(template, id), 's3');
        for (const resource of s3.flatMap(resourcesOf)) {
          expect(resource, id).toEqual(objectsOf(ids.stagingBucket));
        }
        const actions = s3.flatMap((statement) => asArray(statement.Action));
        if (id !== ids.exportBatcher) expect(actions, id).not.toContain('s3:PutObject');
      }
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

    it.each([
      { definition: INGEST_QUEUE, seconds: 900 },
      { definition: EXPORT_QUEUE, seconds: 1800 },
      { definition: REPLAY_QUEUE, seconds: 3600 },
    ])(
      'alarms when the oldest message of the $definition.id waits over $seconds s',
      ({ definition, seconds }) => {
        const matching = alarms.filter(
          (alarm) =>
            alarm.Properties.MetricName === 'ApproximateAgeOfOldestMessage' &&
            JSON.stringify(alarm.Properties.Dimensions) ===
              JSON.stringify([{ Name: 'QueueName', Value: getAtt(ids.queue(definition), 'QueueName') }]),
        );
        expect(matching).toHaveLength(1);
        expect(matching[0]?.Properties).toMatchObject({
          Namespace: 'AWS/SQS',
          Statistic: 'Maximum',
          Period: 300,
          Threshold: seconds,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
        });
      },
    );

    it('has no SNS topic, no rule on any event bus and no alarm actions without the context', () => {
      template.resourceCountIs('AWS::SNS::Topic', 0);
      const rules = Object.values(template.findResources('AWS::Events::Rule') as Resources);
      // Only the schedules' rules.
      expect(rules).toHaveLength(SCHEDULES.length);
      for (const rule of rules) {
        expect(rule.Properties.ScheduleExpression).toMatch(/^rate\(/);
        expect(rule.Properties.EventPattern).toBeUndefined();
      }
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
    entityIndex: 'true',
    dedupEventIds: 'true',
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
      const environment = environmentOf(resources, id) as Record<string, unknown>;
      if ('TENANT' in environment) expect(environment.TENANT, id).toBe('acme');
      if ('SECRET_NAME_PREFIX' in environment)
        expect(environment.SECRET_NAME_PREFIX, id).toBe('Acme/integrations/');
    }
    expect(environmentOf(resources, ids.api)).toMatchObject({ MAX_INTEGRATIONS: '25', ENTITY_INDEX: 'true' });
    // The fan-out writes the entity index; the API reads it.
    expect(environmentOf(resources, ids.fanout)).toMatchObject({
      ENTITY_INDEX: 'true',
      DEDUP_EVENT_IDS: 'true',
    });
    for (const id of [ids.api, ids.delivery]) {
      const statements = JSON.stringify(roleStatements(template, id));
      expect(statements).toContain(':secret:Acme/integrations/*');
      expect(statements).not.toContain('EventStream/integrations');
    }
  });

  it('routes every event of the bus into the ingest queue as {"event": {id, name, published_at, payload}}', () => {
    const rules = Object.values(
      template.findResources('AWS::Events::Rule', { Properties: { EventBusName: 'orders' } }) as Resources,
    );
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
    const ruleId = onlyLogicalId(template, 'AWS::Events::Rule', { Properties: { EventBusName: 'orders' } });
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
    // One per DLQ (the queues' and the rule's), the failure rate, the ingest, webhook, export and replay
    // queue ages, throttles per function, errors per scheduled function and failing export uploads.
    // (The docs, console and Cognito trigger functions are not in ids.functions, but each has a throttles alarm.)
    const others = 2 + ids.preTokenGeneration.length;
    expect(alarms).toHaveLength(
      QUEUES.length + 1 + 1 + 4 + ids.functions.length + others + SCHEDULES.length + 1,
    );
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

  it('passes the retry budget and stop window to the functions that read them', () => {
    expect(environmentOf(synthesized.resources, ids.delivery)).toMatchObject({
      RETRY_BUDGET_HOURS: '48',
      STOP_WINDOW_HOURS: '12',
    });
    for (const id of [ids.api, ids.exportBatcher, ids.housekeeping, ids.flusher]) {
      expect(environmentOf(synthesized.resources, id), id).toMatchObject({ STOP_WINDOW_HOURS: '12' });
    }
  });
});

describe('EventStreamStack with exportBuckets', () => {
  const synthesized = synth({ exportBuckets: ['bucket-a', 'bucket-b'] });
  const { template } = synthesized;
  const ids = idsOf(synthesized);
  const flushing = [ids.api, ids.exportBatcher, ids.housekeeping, ids.flusher];

  it('lets every function that can flush an export write files to those buckets, and to no other', () => {
    for (const id of flushing) {
      const statements = roleStatements(template, id);
      const onCustomerBuckets = withService(statements, 's3').filter(
        (statement) =>
          !resourcesOf(statement).some((resource) => JSON.stringify(resource).includes(ids.stagingBucket)),
      );
      expect(onCustomerBuckets, id).toEqual([
        {
          Effect: 'Allow',
          Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
          Resource: [customerObjects('bucket-a'), customerObjects('bucket-b')],
        },
      ]);
    }
  });

  it('gives the other functions no S3 access at all', () => {
    for (const id of ids.functions.filter((fn) => !flushing.includes(fn))) {
      expect(withService(roleStatements(template, id), 's3'), id).toEqual([]);
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

  it('grants no customer bucket by default, and takes exportBuckets as a list or a comma-separated string', () => {
    expect(cdkJsonContext.exportBuckets).toEqual([]);
    expect(settings({}).props.exportBuckets).toBeUndefined();
    expect(settings({ exportBuckets: ['bucket-a', 'logs.example.com'] }).props.exportBuckets).toEqual([
      'bucket-a',
      'logs.example.com',
    ]);
    expect(settings({ exportBuckets: 'bucket-a, bucket-b,bucket-a' }).props.exportBuckets).toEqual([
      'bucket-a',
      'bucket-b',
    ]);
  });

  it('refuses anything in exportBuckets that is not a bucket name (patterns, ARNs, paths)', () => {
    for (const bad of [
      '*',
      'bucket-*',
      'arn:aws:s3:::bucket-a',
      'bucket-a/prefix',
      'Bucket',
      'ab',
      '192.168.0.1',
    ]) {
      expect(() => settings({ exportBuckets: [bad] }), bad).toThrow(/exportBuckets/);
    }
  });

  it('keeps the retry budget within what the webhook queue can hold and redeliver', () => {
    // 24 h of the issue's schedule (10 s, 1 min, 5 min, 15 min, 1 h, then every 2 h) is about 18 receives.
    expect(deliveryAttemptsWithin(24)).toBe(18);
    expect(deliveryAttemptsWithin(24)).toBeLessThan(WEBHOOK_QUEUE.maxReceiveCount);
    expect(() => checkRetryBudget(24)).not.toThrow();
    expect(() => checkRetryBudget(WEBHOOK_QUEUE.retentionDays * 24)).toThrow(/retention/);
    expect(() => checkRetryBudget(72)).toThrow(/maxReceiveCount/);
    expect(() => synth({ retryBudgetHours: 72 })).toThrow(/maxReceiveCount/);
  });
});

/** Handler modules the real bundling needs; the consumers' may land after the stack that deploys them. */
const entries = [
  'lambdas/handlers/api/index.ts',
  'lambdas/handlers/docs/index.ts',
  'lambdas/handlers/console/index.ts',
  'lambdas/handlers/auth/pre-token-generation.ts',
  ...CONSUMED.map((queue) => queue.consumer.entry),
  ...SCHEDULES.map((schedule) => schedule.entry),
];

describe('bench/functions.ts', () => {
  it('imports each function with the variables the stack sets on it, with the same literal values', () => {
    const { stack, resources } = synth();
    const deployed = new Map<string, string>([
      ['api', logicalId(stack.api.handler)],
      ['docs', logicalId(stack.api.docs.handler)],
      ['console', logicalId(stack.console.handler)],
      ['pre-token-generation', stack.auth.preTokenGeneration ? logicalId(stack.auth.preTokenGeneration) : ''],
      ...CONSUMED.map((queue): [string, string] => [
        basename(queue.consumer.entry, '.ts'),
        logicalId(stack.pipeline.consumer(queue)),
      ]),
      ...SCHEDULES.map((schedule): [string, string] => [
        basename(schedule.entry, '.ts'),
        logicalId(stack.schedules.scheduledFunction(schedule)),
      ]),
    ]);
    expect([...deployed.keys()].sort()).toEqual(ALL_FUNCTIONS.map((fn) => fn.name).sort());
    for (const fn of ALL_FUNCTIONS) {
      const variables = environmentOf(resources, deployed.get(fn.name) ?? '') as Record<string, unknown>;
      const bench = stackEnv(fn);
      expect(Object.keys(bench).sort(), fn.name).toEqual(Object.keys(variables).sort());
      // Resource names are references in the template: the bench has placeholders; every literal must match.
      const literals = Object.entries(variables).filter(([, value]) => typeof value === 'string');
      expect(literals, fn.name).toEqual(literals.map(([key]) => [key, bench[key]]));
    }
  });

  it('benchmarks every function the stack deploys, under its module name', () => {
    expect(ALL_FUNCTIONS.map((fn) => fn.entry).sort()).toEqual([...entries].sort());
    expect(ALL_FUNCTIONS.map((fn) => fn.name)).toEqual(
      expect.arrayContaining([
        'api',
        'fanout',
        'deliver-webhook',
        'export-batcher',
        'replay',
        'housekeeping',
        'export-flusher',
      ]),
    );
  });
});
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
      // The source map names every module the bundle took code from: none of the X-Ray SDK (see bundles.test.ts).
      const map = JSON.parse(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8')) as { sources: string[] };
      expect(map.sources.filter((source) => source.includes('node_modules/aws-xray-sdk-core/'))).toEqual([]);
      assets.add(s3Key);
    }
    // Each function ships its own bundle, not the API's.
    expect(assets.size).toBe(functions.length);
    // The docs function, and only it, ships the document and Scalar's bundle beside its code.
    const withDocs = [...assets].filter((key) =>
      existsSync(join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'scalar.js')),
    );
    expect(withDocs).toHaveLength(1);
    const docsDir = join(outdir, `asset.${withDocs[0]?.replace(/\.zip$/, '')}`);
    expect(readFileSync(join(docsDir, 'openapi.json'), 'utf8')).toBe(readFileSync(DOCUMENT_FILE, 'utf8'));
  });
});
