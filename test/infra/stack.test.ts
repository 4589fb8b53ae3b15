import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, routeKey, SCOPES } from '../../lambdas/handlers/api/routes.ts';
import { DEFAULT_THROTTLE, SECRET_ACTIONS } from '../../lib/api.ts';
import { appSettingsFromContext } from '../../lib/app-context.ts';
import { ESM_REQUIRE_SHIM } from '../../lib/bundling.ts';
import { EventStreamStack } from '../../lib/event-stream-stack.ts';
import { STATE_TABLE } from '../../lib/resource-definitions.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cdkJsonContext = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')).context as Record<
  string,
  unknown
>;

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** Synthesizes the stack exactly as bin/app.ts would from this context (without bundling: not under test here). */
const synth = (context: Record<string, unknown> = {}): Template => {
  const app = new App({ context: { ...cdkJsonContext, ...context, 'aws:cdk:bundling-stacks': [] } });
  const { stackName, props } = appSettingsFromContext(app.node);
  return Template.fromStack(new EventStreamStack(app, stackName, props));
};

const onlyLogicalId = (template: Template, type: string, props: Record<string, unknown> = {}): string => {
  const ids = Object.keys(template.findResources(type, props));
  expect(ids, `exactly one ${type}`).toHaveLength(1);
  return ids[0] as string;
};

const apiFunctionLogicalId = (template: Template): string =>
  onlyLogicalId(template, 'AWS::Lambda::Function', {
    Properties: { Environment: { Variables: Match.objectLike({ STATE_TABLE_NAME: Match.anyValue() }) } },
  });

/** Statements of every IAM policy attached to the role of the given function. */
const roleStatements = (template: Template, functionId: string): Array<Record<string, unknown>> => {
  const fn = template.toJSON().Resources[functionId];
  const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
  }) as Resources;
  return Object.values(policies).flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement,
  );
};

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

describe('EventStreamStack with the default Cognito issuer', () => {
  const template = synth();
  const authorizerId = onlyLogicalId(template, 'AWS::ApiGatewayV2::Authorizer');
  const functionId = apiFunctionLogicalId(template);
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
      IntegrationUri: { 'Fn::GetAtt': [functionId, 'Arn'] },
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
        Issuer: { 'Fn::GetAtt': [userPoolId, 'ProviderURL'] },
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

  it('runs the API Lambda on Node 24, ARM64, traced, with the configuration config.ts reads', () => {
    const tableId = onlyLogicalId(template, 'AWS::DynamoDB::Table');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: {
          [STATE_TABLE.envVar]: { Ref: tableId },
          SECRET_NAME_PREFIX: 'EventStream/integrations/',
          TENANT: 'default',
          MAX_INTEGRATIONS: '10',
          ALLOW_INSECURE_CALLBACKS: 'false',
          EVENT_RETENTION_DAYS: '30',
          POWERTOOLS_SERVICE_NAME: 'event-stream',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });

  it('logs the Lambda to its own log group kept one month', () => {
    const fn = template.toJSON().Resources[functionId];
    const logGroupRef = fn.Properties.LoggingConfig.LogGroup as { Ref: string };
    const logGroup = template.toJSON().Resources[logGroupRef.Ref];
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(30);
  });

  it('keeps the state table on demand, recoverable, encrypted, expiring by TTL and retained on delete', () => {
    template.hasResource('AWS::DynamoDB::Table', {
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
  });

  it('lets the API Lambda touch only the secrets under its deployment prefix', () => {
    const statements = roleStatements(template, functionId);
    const secretStatements = statements.filter((statement) =>
      asArray(statement.Action).some((action) => String(action).startsWith('secretsmanager:')),
    );
    expect(secretStatements).toHaveLength(1);
    const [statement] = secretStatements;
    expect(statement?.Effect).toBe('Allow');
    expect([...asArray(statement?.Action)].sort()).toEqual([...SECRET_ACTIONS].sort());
    expect(statement?.Resource).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':secretsmanager:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':secret:EventStream/integrations/*',
        ],
      ],
    });
  });

  it('grants DynamoDB access on the state table only, and no wildcard actions', () => {
    const tableId = onlyLogicalId(template, 'AWS::DynamoDB::Table');
    const statements = roleStatements(template, functionId);
    const dynamo = statements.filter((statement) =>
      asArray(statement.Action).some((action) => String(action).startsWith('dynamodb:')),
    );
    expect(dynamo.length).toBeGreaterThan(0);
    for (const statement of dynamo) {
      for (const resource of asArray(statement.Resource)) {
        expect(JSON.stringify(resource)).toContain(tableId);
      }
    }
    for (const statement of statements) {
      for (const action of asArray(statement.Action)) expect(action).not.toMatch(/(^\*$|:\*$)/);
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
    const logGroup = template.toJSON().Resources[accessLog.DestinationArn['Fn::GetAtt'][0]];
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(30);
  });
});

describe('EventStreamStack with a configured issuer', () => {
  const template = synth({
    stackName: 'Acme',
    tenant: 'acme',
    maxIntegrations: 25,
    issuer: 'https://idp.example.com/',
    audience: 'api://eventstream, other-client',
  });

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

  it('passes tenant, limit and the stack-named secret prefix to the Lambda and its grants', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          TENANT: 'acme',
          MAX_INTEGRATIONS: '25',
          SECRET_NAME_PREFIX: 'Acme/integrations/',
        }),
      },
    });
    const statements = roleStatements(template, apiFunctionLogicalId(template));
    expect(JSON.stringify(statements)).toContain(':secret:Acme/integrations/*');
    expect(JSON.stringify(statements)).not.toContain('EventStream/integrations');
  });
});

describe('context', () => {
  const settings = (context: Record<string, unknown>) =>
    appSettingsFromContext(new App({ context: { ...cdkJsonContext, ...context } }).node);

  it('defaults to the EventStream stack with Cognito, tenant "default" and 10 integrations', () => {
    const { stackName, props } = settings({});
    expect(stackName).toBe('EventStream');
    expect(props).toMatchObject({ tenant: 'default', maxIntegrations: 10 });
    expect(props.externalIssuer).toBeUndefined();
  });

  it('accepts values given on the command line as strings', () => {
    const { props } = settings({ maxIntegrations: '3', issuer: 'https://idp.example.com', audience: 'a,b' });
    expect(props.maxIntegrations).toBe(3);
    expect(props.externalIssuer).toEqual({ issuer: 'https://idp.example.com', audience: ['a', 'b'] });
  });

  it('refuses an issuer without audience, a non-https issuer and a bad limit', () => {
    expect(() => settings({ issuer: 'https://idp.example.com' })).toThrow(/issuer.*audience/);
    expect(() => settings({ issuer: 'http://idp.example.com', audience: 'a' })).toThrow(/https/);
    expect(() => settings({ maxIntegrations: 'ten' })).toThrow(/maxIntegrations/);
    expect(() => settings({ maxIntegrations: 0 })).toThrow(/maxIntegrations/);
  });
});

describe('bin/app.ts run the way the CDK CLI runs it', () => {
  let outdir: string;
  let manifest: { artifacts: Record<string, { type: string; properties?: { templateFile?: string } }> };

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    await promisify(execFile)(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'bin/app.ts'], {
      cwd: root,
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(cdkJsonContext) },
      timeout: 90_000,
    });
    manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  }, 120_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes the EventStream stack with an ESM bundle that has the require shim and a source map', () => {
    const stack = manifest.artifacts.EventStream;
    expect(stack?.type).toBe('aws:cloudformation:stack');
    const template = JSON.parse(readFileSync(join(outdir, stack?.properties?.templateFile ?? ''), 'utf8'));
    const fn = Object.values(template.Resources as Resources).find(
      (resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties.Runtime === 'nodejs24.x',
    );
    if (!fn) throw new Error('no nodejs24.x function in the synthesized template');
    // The code's S3 key is `{asset hash}.zip`; the CLI uploads it from `asset.{asset hash}/`.
    const s3Key = (fn.Properties.Code as { S3Key: string }).S3Key;
    const assetDir = join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
    const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(bundle.startsWith(ESM_REQUIRE_SHIM)).toBe(true);
    expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
  });
});
