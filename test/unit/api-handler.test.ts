import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ApiUseCases } from '../../lambdas/handlers/api/handler.ts';
import { createApiHandler } from '../../lambdas/handlers/api/handler.ts';
import { API_BASE } from '../../lambdas/handlers/api/routes.ts';
import type { IntegrationRegistry } from '../../lambdas/use-cases/integration-registry.ts';

const event = (method: string, path: string, routeKey: string): APIGatewayProxyEventV2WithJWTAuthorizer =>
  ({
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1', http: { method, path } },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

/** Only the registry is called in these tests; the other use cases are never reached. */
const useCases = (registry: Partial<IntegrationRegistry> = {}): ApiUseCases =>
  ({ registry }) as unknown as ApiUseCases;

const context = {
  awsRequestId: 'aws-1',
  functionName: 'api',
  getRemainingTimeInMillis: () => 1000,
} as unknown as Context;

describe('API handler error mapping', () => {
  it('answers an unexpected failure with a bare 500 that shows no internals', async () => {
    const service = {
      list: async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.7:8000 at Socket.internal (/var/task/index.mjs:1:2)');
      },
    };
    const handler = createApiHandler(useCases(service as unknown as Partial<IntegrationRegistry>));
    const result = await handler(event('GET', API_BASE, `GET ${API_BASE}`), context);
    expect(result).toMatchObject({ statusCode: 500 });
    expect(JSON.parse(String(result.body))).toEqual({
      error_code: 'internal_error',
      message: 'Internal server error.',
      request_id: 'req-1',
    });
  });

  it('never serves a route through $default, whose authorizer checks no scope', async () => {
    let listed = false;
    const service = {
      list: async () => {
        listed = true;
        return [];
      },
    };
    const handler = createApiHandler(useCases(service as unknown as Partial<IntegrationRegistry>));
    const slash = await handler(event('GET', `${API_BASE}/`, '$default'), context);
    expect(slash).toMatchObject({ statusCode: 404 });
    const exact = await handler(event('GET', API_BASE, '$default'), context);
    expect(exact).toMatchObject({ statusCode: 405 });
    expect(listed).toBe(false);
  });

  it('answers 404 to a path with malformed percent-encoding', async () => {
    const handler = createApiHandler(useCases());
    const result = await handler(event('GET', `${API_BASE}/%E0%A4%A`, '$default'), context);
    expect(result).toMatchObject({ statusCode: 404 });
  });
});
