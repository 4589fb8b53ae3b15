import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, type IAspect, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type ILayerVersion, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  NodejsFunction,
  type NodejsFunctionProps,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct, IConstruct } from 'constructs';
import { settingNames } from '../lambdas/shared/config.ts';
import { LAMBDA_BUNDLING, LAMBDA_NODE_OPTIONS } from './bundling.ts';
import { acknowledgeWildcardResource } from './nag.ts';

/** NodejsFunction bundling built from the shared esbuild settings (local esbuild, no Docker needed). */
export const APP_FUNCTION_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: LAMBDA_BUNDLING.target,
  minify: LAMBDA_BUNDLING.minify,
  sourceMap: LAMBDA_BUNDLING.sourcemap,
  sourcesContent: LAMBDA_BUNDLING.sourcesContent,
  mainFields: [...LAMBDA_BUNDLING.mainFields],
  banner: LAMBDA_BUNDLING.banner,
  externalModules: [...LAMBDA_BUNDLING.external],
  bundleAwsSDK: true,
};

/** Retention of every function's log group: long enough to investigate an incident, short enough to stay cheap. */
export const FUNCTION_LOG_RETENTION = RetentionDays.ONE_MONTH;

/** What X-Ray tracing (`Tracing.ACTIVE`) adds to a function's role, on `*`. */
export const XRAY_WRITE_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] as const;

/**
 * The AWS Distro for OpenTelemetry (ADOT) Node.js layer used when OpenTelemetry is on and no layer ARN is given:
 * `aws-otel-nodejs-arm64-ver-{ADOT_NODEJS_LAYER_VERSION}`. It is the arm64 layer AWS publishes for ADOT JavaScript
 * 1.30 in 16 regions (aws-observability/aws-otel-lambda, nodejs/sample-apps/aws-sdk/deploy/wrapper/layer_arm64.tf),
 * the one aws-cdk-lib 2.276 resolves for `AdotLambdaLayerJavaScriptSdkVersion.LATEST`. Newer layers are listed at
 * https://aws-otel.github.io/docs/getting-started/lambda/lambda-js; pick one with `-c openTelemetryLayerArn=...`.
 */
export const ADOT_NODEJS_LAYER_VERSION = '1-30-1:1';

/** The account AWS publishes the ADOT layers from, in every region that has them. */
const ADOT_LAYER_ACCOUNT = '901920570463';

/** The ADOT Node.js arm64 layer of `region` (a token in a stack deployed to whichever region the CLI names). */
export const adotNodejsLayerArn = (region: string): string =>
  `arn:aws:lambda:${region}:${ADOT_LAYER_ACCOUNT}:layer:aws-otel-nodejs-arm64-ver-${ADOT_NODEJS_LAYER_VERSION}`;

/** The layer's wrapper script: it starts OpenTelemetry, then the function's handler. */
export const ADOT_EXEC_WRAPPER = '/opt/otel-handler';

export interface AppFunctionProps extends Omit<NodejsFunctionProps, 'logGroup' | 'logRetention' | 'role'> {
  /** Handler module; it must export `handler`. */
  entry: string;
}

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * The part of the stack's settings the function bundled from `entry` reads (its config schema names them),
 * and the Powertools variables every function reads: a function gets no variable it does not use.
 */
const ownSettings = (entry: string, environment: Record<string, string>): Record<string, string> => {
  // A function that reads no settings (the docs page) is given none.
  if (Object.keys(environment).length === 0) return {};
  const names = new Set(settingNames(relative(REPO_ROOT, entry).split(sep).join('/')));
  return Object.fromEntries(
    Object.entries(environment).filter(([name]) => names.has(name) || name.startsWith('POWERTOOLS_')),
  );
};

/**
 * A Lambda function with the project's defaults, so every function is built and run alike: Node 24 on
 * ARM64 (cheaper per ms), an ESM bundle with the AWS SDK inside, source-mapped stack traces, active tracing
 * (Lambda records each invocation's segment in X-Ray; no tracing SDK in the bundle),
 * and its own log group with a retention instead of the never-expiring one Lambda would create.
 *
 * Its role is its own too, without the AWSLambdaBasicExecutionRole managed policy CDK would attach: that
 * policy lets the function create any log group and write to every one of the account
 * (`arn:aws:logs:*:*:*`); this role may only write to the function's own log group.
 */
export class AppFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: FUNCTION_LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(scope, `${id}ServiceRole`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Role of the ${id} Lambda function`,
    });
    // CreateLogStream and PutLogEvents on the group's streams (its GetAtt Arn ends in `:*`).
    logGroup.grantWrite(role);
    super(scope, id, {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      ...props,
      handler: 'handler',
      logGroup,
      role,
      bundling: { ...APP_FUNCTION_BUNDLING, ...props.bundling },
      environment: {
        POWERTOOLS_SERVICE_NAME: 'event-stream',
        NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
        ...ownSettings(props.entry, props.environment ?? {}),
      },
    });
    acknowledgeWildcardResource(
      role,
      '*',
      `X-Ray tracing: ${XRAY_WRITE_ACTIONS.join(' and ')} support no resource-level permissions, so AWS ` +
        'requires Resource "*" for them; no other action is granted on "*" (asserted by the IAM tests)',
    );
  }
}

/**
 * OpenTelemetry for every AppFunction in scope, the functions added later included: the ADOT layer and the
 * exec wrapper that loads it. Its collector exports to X-Ray, which active tracing already allows.
 */
export class OpenTelemetryInstrumentation implements IAspect {
  constructor(private readonly layer: ILayerVersion) {}

  visit(node: IConstruct): void {
    if (!(node instanceof AppFunction)) return;
    node.addLayers(this.layer);
    node.addEnvironment('AWS_LAMBDA_EXEC_WRAPPER', ADOT_EXEC_WRAPPER);
  }
}
