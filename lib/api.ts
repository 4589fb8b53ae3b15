import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES } from '../lambdas/handlers/api/routes.ts';
import { EXPORT_FLUSH_SECRET_ACTIONS, type FunctionAccess } from './access.ts';
import { ApiDocs } from './api-docs.ts';
import { AppFunction } from './app-function.ts';
import {
  DELIVERIES_TABLE,
  EVENT_LOG_TABLE,
  INGEST_QUEUE,
  REPLAY_QUEUE,
  STATE_TABLE,
} from './resource-definitions.ts';

/** Handler module of the REST API; `lib/` knows entry paths only. */
export const API_ENTRY = fileURLToPath(new URL('../lambdas/handlers/api/index.ts', import.meta.url));

/** What the API Lambda needs from the stack; everything else it reads from `environment`. */
export interface ApiProps {
  /** The stack's tables, queues and buckets, and the secret prefix, for the API Lambda's grants. */
  access: FunctionAccess;
  issuer: string;
  audience: string[];
  /** Lambda environment (config.ts), the same for every function of the stack. */
  environment: Record<string, string>;
  /** Stage-wide throttling; API Gateway answers 429 above it, before the Lambda is invoked. */
  throttle?: { rateLimit: number; burstLimit: number };
}

/** Generous for management calls and batched publishing, low enough to cap a runaway client's cost. */
export const DEFAULT_THROTTLE = { rateLimit: 100, burstLimit: 200 };

/** Actions the API Lambda performs on integration secrets (create on register, rotate on update, delete). */
export const SECRET_ACTIONS = [
  'secretsmanager:CreateSecret',
  'secretsmanager:GetSecretValue',
  'secretsmanager:PutSecretValue',
  'secretsmanager:DeleteSecret',
  'secretsmanager:DescribeSecret',
  'secretsmanager:TagResource',
];

/**
 * What the API Lambda may do, from its code path (handler → IntegrationService, PublishEvents,
 * HistoryQueries → adapters).
 */
const grantApi = (fn: AppFunction, access: FunctionAccess): void => {
  // Integrations, their logs and rejected events, delivery state, replay jobs, keyed publish requests
  // (a conditional PutItem each): read and written.
  access.table(STATE_TABLE).grantReadWriteData(fn);
  // GET /api/v1/org/events, payloads in delivery lists and resends, a repeated publish (which of its events
  // are logged already): event pages and the chunks of one publish (Query). Never written here.
  access.table(EVENT_LOG_TABLE).grant(fn, 'dynamodb:Query');
  // Delivery history pages and records (Query); a resend records its attempt (BatchWriteItem).
  access.table(DELIVERIES_TABLE).grant(fn, 'dynamodb:Query', 'dynamodb:BatchWriteItem');
  // Create on register, rotate on update, delete; an S3 flush reads access keys (in SECRET_ACTIONS).
  access.grantSecrets(fn, SECRET_ACTIONS, EXPORT_FLUSH_SECRET_ACTIONS);
  // POST /events hands accepted events to the ingest queue (SendMessageBatch is authorized as SendMessage).
  access.queue(INGEST_QUEUE).grantSendMessages(fn);
  // A start (catch-up) or a temporary integration's registration begins a replay job.
  access.queue(REPLAY_QUEUE).grantSendMessages(fn);
  // Stopping or deleting an S3 integration flushes its open file to the customer's bucket.
  access.grantExportFlush(fn);
};

/**
 * The REST API: an HTTP API whose JWT authorizer checks each route's scope from `ROUTES` before the one
 * API Lambda runs, so a token without the scope never reaches our code. A `$default` route (authenticated,
 * no scope) sends every other method and path to the same Lambda, which answers with its JSON 404/405
 * instead of API Gateway's bare `{"message":"Not Found"}`.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly handler: AppFunction;
  /** The OpenAPI document and the reference page, served without a token by a function of their own. */
  readonly docs: ApiDocs;
  /** Base URL of the API, ending in `/`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.handler = new AppFunction(this, 'Handler', {
      entry: API_ENTRY,
      description: 'Event stream REST API',
      // Just under API Gateway's 30 s: a stop or delete of an S3 integration flushes its open file (up to
      // 15 s of uploads), and a resend may wait on an OAuth token and the receiver (10 s each).
      timeout: Duration.seconds(29),
      environment: props.environment,
    });
    grantApi(this.handler, props.access);
    props.access.acknowledgeTableIndexes(this.handler);

    const authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.issuer, {
      jwtAudience: props.audience,
    });
    const integration = new HttpLambdaIntegration('ApiIntegration', this.handler);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Event stream REST API',
      createDefaultStage: false,
    });
    // Each route's full path comes from ROUTES: routes do not share one base (POST /api/v1/org/events sits
    // outside the integrations base), so nothing here may prefix or strip one.
    for (const route of ROUTES) {
      new HttpRoute(this, `${route.name[0]?.toUpperCase()}${route.name.slice(1)}Route`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration,
        authorizer,
        authorizationScopes: [route.scope],
      });
    }
    this.docs = new ApiDocs(this, 'Docs', { httpApi: this.httpApi });
    new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration,
      authorizer,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? DEFAULT_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            clientId: '$context.authorizer.claims.client_id',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.url = stage.url;

    new CfnOutput(this, 'Url', { value: this.url, description: 'REST API base URL' });
  }
}
