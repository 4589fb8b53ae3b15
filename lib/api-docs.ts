import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { DOCUMENT_FILE, scalarBundleFile } from '../api/assets.ts';
import { PUBLIC_ROUTES } from '../lambdas/handlers/api/routes.ts';
import { AppFunction } from './app-function.ts';
import { acknowledge } from './nag.ts';

/** Handler module of the docs function. */
export const DOCS_ENTRY = fileURLToPath(new URL('../lambdas/handlers/docs/index.ts', import.meta.url));

export interface ApiDocsProps {
  httpApi: HttpApi;
}

/**
 * The API's published description on the HTTP API, without a token: `GET /api/v1/org/openapi.json` and
 * the reference page `GET /api/v1/org/docs` with its scripts. A function of its own, not the API Lambda:
 * Scalar's bundle alone is 4.7 MB, which would multiply the API Lambda's package and cold start for a
 * page integrators open now and then. It has no access to anything but its own log group.
 */
export class ApiDocs extends Construct {
  readonly handler: AppFunction;

  constructor(scope: Construct, id: string, props: ApiDocsProps) {
    super(scope, id);
    this.handler = new AppFunction(this, 'Handler', {
      entry: DOCS_ENTRY,
      description: 'Event stream API reference: the OpenAPI document and its reference page',
      timeout: Duration.seconds(10),
      bundling: {
        // The served files sit next to the bundle; the handler reads them from its own directory.
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [
            `cp "${DOCUMENT_FILE}" "${outputDir}/openapi.json"`,
            `cp "${scalarBundleFile()}" "${outputDir}/scalar.js"`,
          ],
        },
      },
    });
    const integration = new HttpLambdaIntegration('DocsIntegration', this.handler);
    for (const route of PUBLIC_ROUTES) {
      const httpRoute = new HttpRoute(this, `${route.name[0]?.toUpperCase()}${route.name.slice(1)}Route`, {
        httpApi: props.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration,
      });
      acknowledge(
        httpRoute,
        'APIG4',
        'The published API description (OpenAPI document and reference page) is public by design, as any ' +
          "API's documentation; the route reaches only the docs function, which reads nothing but its own bundle",
      );
    }
  }
}
