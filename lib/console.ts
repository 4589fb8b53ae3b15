import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { writeConsoleAssets } from '../console/build.ts';
import { CONSOLE_ROUTE_PATHS } from '../lambdas/handlers/console/routes.ts';
import { AppFunction } from './app-function.ts';
import type { ConsoleSignIn } from './auth.ts';
import { acknowledge } from './nag.ts';

/** Handler module of the console function. */
export const CONSOLE_ENTRY = fileURLToPath(new URL('../lambdas/handlers/console/index.ts', import.meta.url));

export interface OperatorConsoleProps {
  httpApi: HttpApi;
  /** The stack's function environment (each function takes its own part of it). */
  environment: Record<string, string>;
  /** Cognito's managed login for the console; absent with an external issuer (a pasted token then). */
  signIn?: ConsoleSignIn | undefined;
}

/**
 * The operator console on the HTTP API, at `/console/`: the same origin as the API it calls (no CORS, no
 * second domain, no CloudFront distribution or bucket to secure), served by a small function of its own
 * that reads nothing but its bundle, like the docs function. Its routes have no authorizer: the files hold
 * no data, and every API call the page makes carries the operator's token.
 */
export class OperatorConsole extends Construct {
  readonly handler: AppFunction;

  constructor(scope: Construct, id: string, props: OperatorConsoleProps) {
    super(scope, id);
    // Built when the function is bundled (esbuild, a fraction of a second), once, and copied beside its
    // bundle: a synth that skips bundling (the infra tests) builds nothing.
    let built: string | undefined;
    const assets = (): string => {
      if (built === undefined) {
        built = mkdtempSync(join(tmpdir(), 'event-stream-console-'));
        writeConsoleAssets(built);
      }
      return built;
    };
    const { signIn } = props;
    this.handler = new AppFunction(this, 'Handler', {
      entry: CONSOLE_ENTRY,
      description: 'Event stream operator console: its page, script, stylesheet and sign-in settings',
      timeout: Duration.seconds(10),
      environment: {
        ...props.environment,
        ...(signIn && {
          CONSOLE_AUTH_ISSUER: signIn.issuer,
          CONSOLE_AUTH_DOMAIN: signIn.domain,
          CONSOLE_CLIENT_ID: signIn.clientId,
          CONSOLE_SCOPES: signIn.scopes.join(' '),
        }),
      },
      bundling: {
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [`cp "${assets()}"/* "${outputDir}/"`],
        },
      },
    });
    const integration = new HttpLambdaIntegration('ConsoleIntegration', this.handler);
    CONSOLE_ROUTE_PATHS.forEach((path, index) => {
      const route = new HttpRoute(this, index === 0 ? 'ConsoleRoute' : 'ConsoleFilesRoute', {
        httpApi: props.httpApi,
        routeKey: HttpRouteKey.with(path, HttpMethod.GET),
        integration,
      });
      acknowledge(
        route,
        'APIG4',
        "The operator console's static files (page, script, stylesheet, sign-in settings) are public by " +
          'design: they hold no data; every API call the page makes carries the operator token and passes the JWT authorizer',
      );
    });
  }
}
