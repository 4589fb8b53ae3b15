import { App, type PolicyValidationPluginReport, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { PUBLIC_ROUTES } from '../../lambdas/handlers/api/routes.ts';
import { XRAY_WRITE_ACTIONS } from '../../lib/app-function.ts';
import { AwsSolutionsErrorsOnly, flattenReference } from '../../lib/nag.ts';
import { FULL_CONTEXT, type Resources, type Statement, type Synthesized, synth } from './synth.ts';

/**
 * cdk-nag's AwsSolutions pack over the stack, in the default context (Cognito) and with every option that
 * adds resources or grants (FULL_CONTEXT), plus what the pack does not check well enough on its own:
 * encryption at rest and TLS on every table, queue, bucket and topic, and every wildcard resource in IAM.
 */

const CONTEXTS = [
  { name: 'default context (Cognito)', context: {} },
  {
    name: 'every option (issuer, event bus, alarm email, export buckets, OpenTelemetry)',
    context: FULL_CONTEXT,
  },
] as const;

const synthesized = CONTEXTS.map(({ name, context }) => ({
  name,
  withExportBuckets: 'exportBuckets' in context,
  ...synth(context),
}));

const nag = (app: App): PolicyValidationPluginReport => new AwsSolutionsErrorsOnly().validateScope(app);

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

const describeViolations = (report: PolicyValidationPluginReport, severity: string): string[] =>
  report.violations
    .filter((violation) => violation.severity === severity)
    .flatMap((violation) =>
      violation.violatingResources.map(
        (resource) => `${violation.ruleName} at ${resource.constructPath}: ${violation.description}`,
      ),
    );

/** Every acknowledgement under `scope`: where it is made, the rule (or finding) and the reason. */
const acknowledgementsUnder = (scope: IConstruct) =>
  scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );

describe.each(synthesized)('cdk-nag AwsSolutions, $name', ({ app, stack }) => {
  const report = nag(app);

  it('reports no unacknowledged error, and lists its warnings', () => {
    const warnings = describeViolations(report, 'warning');
    console.log(
      warnings.length > 0
        ? `cdk-nag warnings (${warnings.length}):\n${warnings.join('\n')}`
        : 'cdk-nag: no warnings',
    );
    expect(describeViolations(report, 'error')).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges only reviewed findings, each with a reason, on the construct concerned and never stack-wide', () => {
    const acknowledgements = acknowledgementsUnder(app);
    // Grouped by finding and reason: the same grant is acknowledged on every role that has it.
    const grouped = new Map<string, string[]>();
    for (const { path, id, reason } of acknowledgements) {
      const key = `${id}: ${reason}`;
      grouped.set(key, [...(grouped.get(key) ?? []), path.split('/').slice(1).join('/')]);
    }
    console.log(
      `cdk-nag acknowledgements (${acknowledgements.length}):\n${[...grouped]
        .map(([finding, paths]) => `${finding}\n    on ${paths.join(', ')}`)
        .join('\n')}`,
    );
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledgements) {
      expect(id, path).toMatch(/^AwsSolutions-/);
      expect(reason.length, `${id} at ${path}`).toBeGreaterThan(40);
      // Below a construct of the stack (Buckets/AccessLogBucket, Api/HandlerServiceRole, ...).
      expect(path.split('/').length, `${id} at ${path}`).toBeGreaterThanOrEqual(3);
    }
    // The whole list of what is acknowledged, by rule: anything new must be reviewed here.
    const rules = [...new Set(acknowledgements.map(({ id }) => id.replace(/\[.*$/, '')))].sort();
    const expected = ['AwsSolutions-APIG4', 'AwsSolutions-IAM5', 'AwsSolutions-S1'];
    if (stack.auth.userPool) expected.push('AwsSolutions-COG2', 'AwsSolutions-COG8');
    if (stack.eventBusIngest) expected.push('AwsSolutions-SQS3');
    expect(rules).toEqual(expected.sort());
    // An unauthorized route only for the published API description and the console's files, route by route.
    const unauthorized = acknowledgements.filter(({ id }) => id === 'AwsSolutions-APIG4');
    expect(unauthorized.map(({ path }) => path.split('/').slice(1, 3).join('/'))).toEqual([
      ...PUBLIC_ROUTES.map(() => 'Api/Docs'),
      'Console/ConsoleRoute',
      'Console/ConsoleFilesRoute',
    ]);
    // IAM5 only ever for a named resource, never the rule as a whole.
    for (const { id } of acknowledgements.filter(({ id }) => id.startsWith('AwsSolutions-IAM5'))) {
      expect(id).toMatch(/^AwsSolutions-IAM5\[Resource::.+\]$/);
    }
  });
});

describe('the acknowledgements stay narrow', () => {
  it('still reports a wildcard resource nobody acknowledged, on a function that has acknowledged ones', () => {
    const { app, stack } = synth();
    stack.api.handler.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::somebody-else/*'] }),
    );
    const errors = describeViolations(nag(app), 'error');
    expect(errors).toEqual([
      expect.stringMatching(
        /^AwsSolutions-IAM5\[Resource::arn:aws:s3:::somebody-else\/\*\] at EventStream\/Api\/HandlerServiceRole\//,
      ),
    ]);
  });

  it('still reports a bucket without access logs elsewhere in the stack', () => {
    const { app, stack } = synth();
    new Bucket(stack, 'Unlogged', { enforceSSL: true });
    expect(describeViolations(nag(app), 'error')).toEqual([
      expect.stringMatching(/^AwsSolutions-S1 at EventStream\/Unlogged\//),
    ]);
  });

  it('fails a synth through bin/app.ts-style registration on an unacknowledged error', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    new Bucket(new Stack(app, 'Other'), 'Unlogged', { enforceSSL: true });
    Validations.of(app).addPlugins(new AwsSolutionsErrorsOnly(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});

/** Every resource of the given type in a template. */
const ofType = ({ resources }: Synthesized, type: string): Resources =>
  Object.fromEntries(Object.entries(resources).filter(([, resource]) => resource.Type === type));

const policyStatements = (policies: Resources, target: string, id: string): Statement[] =>
  Object.values(policies)
    .filter((policy) => JSON.stringify(policy.Properties[target]).includes(`"${id}"`))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);

const DENY_PLAIN_HTTP = { Bool: { 'aws:SecureTransport': 'false' } };

describe.each(synthesized)('encryption at rest and TLS in transit, $name', (synthesizedStack) => {
  it('encrypts every DynamoDB table with KMS (AWS-managed key)', () => {
    const tables = Object.entries(ofType(synthesizedStack, 'AWS::DynamoDB::Table'));
    expect(tables.length).toBeGreaterThan(0);
    for (const [id, table] of tables) {
      expect(table.Properties.SSESpecification, id).toEqual({ SSEEnabled: true });
    }
  });

  it('encrypts every queue and DLQ and refuses plain HTTP on each', () => {
    const queues = Object.entries(ofType(synthesizedStack, 'AWS::SQS::Queue'));
    const policies = ofType(synthesizedStack, 'AWS::SQS::QueuePolicy');
    expect(queues.length).toBeGreaterThan(0);
    for (const [id, queue] of queues) {
      expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
      expect(policyStatements(policies, 'Queues', id), id).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: DENY_PLAIN_HTTP }),
      );
    }
  });

  it('encrypts every bucket and refuses plain HTTP and TLS below 1.2 on each', () => {
    const buckets = Object.entries(ofType(synthesizedStack, 'AWS::S3::Bucket'));
    const policies = ofType(synthesizedStack, 'AWS::S3::BucketPolicy');
    expect(buckets.length).toBeGreaterThan(1);
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties.BucketEncryption, id).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      const denies = policyStatements(policies, 'Bucket', id).filter((s) => s.Effect === 'Deny');
      expect(
        denies.map((statement) => statement.Condition),
        id,
      ).toEqual([DENY_PLAIN_HTTP, { NumericLessThan: { 's3:TlsVersion': 1.2 } }]);
    }
  });

  it('refuses plain HTTP publishing on the alarm topic, when there is one', () => {
    const topics = Object.keys(ofType(synthesizedStack, 'AWS::SNS::Topic'));
    expect(topics).toHaveLength(synthesizedStack.stack.observability.topic ? 1 : 0);
    for (const id of topics) {
      const statements = policyStatements(ofType(synthesizedStack, 'AWS::SNS::TopicPolicy'), 'Topics', id);
      expect(statements, id).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: DENY_PLAIN_HTTP }),
      );
    }
  });
});

/**
 * The only wildcard resources any IAM policy of the stack may name, each with the actions it may carry and
 * why AWS or the design needs it. A `*` anywhere else (or these with another action) fails the test,
 * including under the acknowledgements cdk-nag accepts: IAM5[Resource::*] on a role covers any action.
 */
const ALLOWED_WILDCARDS: ReadonlyArray<{
  resource: RegExp;
  actions: readonly string[];
  why: string;
  /** When the stack must have it: always, with context exportBuckets, or whenever a table has indexes. */
  present: 'always' | 'withExportBuckets' | 'optional';
}> = [
  {
    resource: /^\*$/,
    actions: XRAY_WRITE_ACTIONS,
    why: 'X-Ray (active tracing on every function) has no resource-level permissions',
    present: 'always',
  },
  {
    resource: /^arn:<AWS::Partition>:iam::\*:role\/\*$/,
    actions: ['sts:AssumeRole'],
    why: "customers' role_arn values are given at runtime through the API, in their accounts",
    present: 'always',
  },
  {
    resource:
      /^arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:[A-Za-z0-9-]+\/integrations\/\*$/,
    actions: [
      'secretsmanager:CreateSecret',
      'secretsmanager:DeleteSecret',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
      'secretsmanager:TagResource',
    ],
    why: 'integration secrets are created at runtime under the deployment prefix (and ARNs get a random suffix)',
    present: 'always',
  },
  {
    resource: /^<BucketsExportStagingBucket[0-9A-F]{8}\.Arn>\/\*$/,
    actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
    why: 'staged chunks are objects created at runtime in the stack staging bucket',
    present: 'always',
  },
  {
    resource: /^<Storage[A-Za-z]+Table[0-9A-F]{8}\.Arn>\/index\/\*$/,
    actions: [
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:DescribeTable',
      'dynamodb:GetItem',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'dynamodb:UpdateItem',
    ],
    why: "CDK's table grants add the indexes of the granted table (one table, its own indexes)",
    present: 'optional',
  },
  {
    resource: /^arn:<AWS::Partition>:s3:::(bucket-a|logs\.example\.com)\/\*$/,
    actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
    why: 'export files go to keys chosen at runtime in the buckets of context exportBuckets',
    present: 'withExportBuckets',
  },
];

/** Allow statements of every identity policy of the stack (AWS::IAM::Policy, roles' inline policies). */
const allowStatements = ({ resources }: Synthesized): Array<{ policy: string; statement: Statement }> =>
  Object.entries(resources).flatMap(([policy, resource]) => {
    const documents =
      resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy'
        ? [resource.Properties.PolicyDocument]
        : resource.Type === 'AWS::IAM::Role'
          ? ((resource.Properties.Policies as Array<{ PolicyDocument: unknown }> | undefined) ?? []).map(
              (inline) => inline.PolicyDocument,
            )
          : [];
    return documents
      .flatMap((document) => (document as { Statement: Statement[] }).Statement)
      .filter((statement) => statement.Effect === 'Allow')
      .map((statement) => ({ policy, statement }));
  });

describe.each(synthesized)('IAM wildcards, $name', (synthesizedStack) => {
  const statements = allowStatements(synthesizedStack);

  it('names `*` in a resource only where AWS or the design requires it, with only the actions that need it', () => {
    expect(statements.length).toBeGreaterThan(0);
    const seen = new Set<RegExp>();
    for (const { policy, statement } of statements) {
      const actions = asArray(statement.Action).map(String);
      for (const resource of asArray(statement.Resource).map(flattenReference)) {
        if (!resource.includes('*')) continue;
        const allowed = ALLOWED_WILDCARDS.find((wildcard) => wildcard.resource.test(resource));
        expect(allowed, `${policy}: ${resource} is not an allowed wildcard`).toBeDefined();
        if (!allowed) continue;
        seen.add(allowed.resource);
        for (const action of actions) {
          expect(allowed.actions, `${policy}: ${action} on ${resource} (${allowed.why})`).toContain(action);
        }
      }
    }
    for (const wildcard of ALLOWED_WILDCARDS) {
      const expected =
        wildcard.present === 'always' ||
        (wildcard.present === 'withExportBuckets' && synthesizedStack.withExportBuckets);
      if (wildcard.present !== 'optional') expect(seen.has(wildcard.resource), wildcard.why).toBe(expected);
    }
  });

  it('grants no wildcard action', () => {
    for (const { policy, statement } of statements) {
      for (const action of asArray(statement.Action).map(String)) {
        expect(action, policy).not.toMatch(/\*/);
      }
    }
  });

  it('attaches no AWS managed policy: each function writes only to its own log group', () => {
    for (const [id, role] of Object.entries(ofType(synthesizedStack, 'AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
    const functions = Object.entries(ofType(synthesizedStack, 'AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThan(0);
    for (const [id, fn] of functions) {
      const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const logs = allowStatements(synthesizedStack)
        .filter(({ policy }) =>
          JSON.stringify(synthesizedStack.resources[policy]?.Properties.Roles ?? []).includes(`"${roleId}"`),
        )
        .map(({ statement }) => statement)
        .filter((statement) =>
          asArray(statement.Action).some((action) => String(action).startsWith('logs:')),
        );
      expect(logs, id).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        },
      ]);
    }
  });

  it('traces every Lambda function with X-Ray', () => {
    for (const [id, fn] of Object.entries(ofType(synthesizedStack, 'AWS::Lambda::Function'))) {
      expect(fn.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
    }
  });
});

describe('flattenReference spells values as cdk-nag findings do', () => {
  it('joins, and writes Ref and GetAtt in angle brackets', () => {
    expect(
      flattenReference({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/*']] }),
    ).toBe('arn:<AWS::Partition>:iam::*:role/*');
    expect(flattenReference({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/*']] })).toBe(
      '<Bucket.Arn>/*',
    );
    expect(flattenReference('*')).toBe('*');
  });
});
