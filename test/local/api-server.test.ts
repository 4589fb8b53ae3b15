import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API_BASE, SCOPES } from '../../lambdas/handlers/api/routes.ts';
import { type ApiServer, startApiServer } from '../../local/api-server.ts';
import { createLocalAuth, type LocalAuth } from '../../local/auth.ts';

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;

describe('local HTTP API', () => {
  let auth: LocalAuth;
  let server: ApiServer;
  let token: string;
  const seen: { event: Event; context: Context }[] = [];
  const logLines: string[] = [];
  let respond: (event: Event) => Promise<APIGatewayProxyResultV2> = async () => ({ statusCode: 204 });

  beforeAll(async () => {
    auth = await createLocalAuth();
    token = await auth.issueToken();
    server = await startApiServer({
      auth,
      log: (line) => logLines.push(line),
      handler: async (event, context) => {
        seen.push({ event, context });
        return respond(event);
      },
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  beforeEach(() => {
    seen.length = 0;
    logLines.length = 0;
    respond = async () => ({ statusCode: 204 });
  });

  const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    const bearer = init.token === undefined ? token : init.token;
    if (bearer !== null) headers.set('authorization', `Bearer ${bearer}`);
    return fetch(`${server.url}${path}`, { ...init, headers });
  };

  it('hands the handler a payload 2.0 event for the matched route', async () => {
    await call(`${API_BASE}/my-int/rejected_events/ev%2D1?limit=5&tag=a&tag=b`, {
      method: 'GET',
      headers: { 'x-custom': 'one', cookie: 'a=1; b=2', 'user-agent': 'test-agent' },
    });

    expect(seen).toHaveLength(1);
    const { event, context } = seen[0] ?? ({} as never);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: `GET ${API_BASE}/{integration_id}/rejected_events/{event_id}`,
      rawPath: `${API_BASE}/my-int/rejected_events/ev%2D1`,
      rawQueryString: 'limit=5&tag=a&tag=b',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { limit: '5', tag: 'a,b' },
      pathParameters: { integration_id: 'my-int', event_id: 'ev-1' },
      isBase64Encoded: false,
      requestContext: {
        routeKey: `GET ${API_BASE}/{integration_id}/rejected_events/{event_id}`,
        stage: '$default',
        http: { method: 'GET', path: `${API_BASE}/my-int/rejected_events/ev%2D1`, sourceIp: '127.0.0.1' },
        authorizer: { jwt: { scopes: [SCOPES.read, SCOPES.write, SCOPES.publish] } },
      },
    });
    expect(event.headers['x-custom']).toBe('one');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext.http.userAgent).toBe('test-agent');
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(event.requestContext.authorizer.jwt.claims).toMatchObject({
      iss: 'local-issuer',
      sub: 'local-client',
    });
    expect(event.body).toBeUndefined();
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('passes JSON bodies as text and other bodies base64-encoded', async () => {
    await call(API_BASE, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"id":"x"}',
    });
    await call(API_BASE, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0, 255, 1]),
    });

    expect(seen.map(({ event }) => [event.routeKey, event.body, event.isBase64Encoded])).toEqual([
      [`POST ${API_BASE}`, '{"id":"x"}', false],
      [`POST ${API_BASE}`, Buffer.from([0, 255, 1]).toString('base64'), true],
    ]);
  });

  it('routes unknown paths and other methods to $default, still behind the token', async () => {
    await call('/nowhere');
    await call(API_BASE, { method: 'PUT' });
    const anonymous = await call('/nowhere', { token: null });

    expect(seen.map(({ event }) => event.routeKey)).toEqual(['$default', '$default']);
    expect(seen[0]?.event.pathParameters).toBeUndefined();
    expect(anonymous.status).toBe(401);
  });

  it('answers 401 without a valid token and 403 without the route scope, before the handler runs', async () => {
    const readOnly = await auth.issueToken({ scopes: [SCOPES.read] });

    const missing = await call(API_BASE, { token: null });
    const invalid = await call(API_BASE, { token: 'abc.def.ghi' });
    const forbidden = await call(API_BASE, { method: 'POST', token: readOnly, body: '{}' });
    const allowed = await call(API_BASE, { token: readOnly });

    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      error_code: 'unauthorized',
      request_id: expect.any(String),
    });
    expect(invalid.status).toBe(401);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error_code: 'forbidden', request_id: expect.any(String) });
    expect(allowed.status).toBe(204);
    expect(seen).toHaveLength(1);
  });

  it('turns structured results into responses, base64 bodies decoded', async () => {
    respond = async () => ({
      statusCode: 201,
      headers: { 'Content-Type': 'application/octet-stream', 'x-count': 3 },
      cookies: ['session=1; HttpOnly'],
      body: Buffer.from([1, 2, 3]).toString('base64'),
      isBase64Encoded: true,
    });

    const response = await call(API_BASE);

    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('x-count')).toBe('3');
    expect(response.headers.get('set-cookie')).toBe('session=1; HttpOnly');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('answers a plain string result with 200 application/json, as API Gateway does', async () => {
    respond = async () => '{"hello":"world"}';

    const response = await call(API_BASE);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ hello: 'world' });
  });

  it('answers a thrown error with a 500 JSON body that carries no stack', async () => {
    respond = async () => {
      throw new Error('secret detail at /work/main/lambdas');
    };

    const response = await call(API_BASE);
    const text = await response.text();

    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({
      error_code: 'internal_error',
      message: 'Internal server error',
      request_id: seen[0]?.event.requestContext.requestId,
    });
    expect(text).not.toContain('secret detail');
    expect(text).not.toContain('lambdas');
  });

  it('logs one line per request with method, path, status and duration', async () => {
    await call(`${API_BASE}?x=1`);
    await call(API_BASE, { token: null });

    expect(logLines).toEqual([
      expect.stringMatching(new RegExp(`^GET ${API_BASE} 204 \\d+ms$`)),
      expect.stringMatching(new RegExp(`^GET ${API_BASE} 401 \\d+ms$`)),
    ]);
  });
});
