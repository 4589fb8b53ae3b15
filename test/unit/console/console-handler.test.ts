import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createConsoleHandler } from '../../../lambdas/handlers/console/handler.ts';

const get = (rawPath: string) =>
  ({
    rawPath,
    headers: {},
    requestContext: { http: { method: 'GET' }, requestId: 'r-1' },
  }) as unknown as APIGatewayProxyEventV2;

const handler = createConsoleHandler({
  assets: () =>
    new Map([
      ['index.html', Buffer.from('<!doctype html>')],
      ['console.js', Buffer.from('1')],
    ]),
  config: {
    auth: 'cognito',
    issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/pool',
    domain: 'https://es.auth.eu-west-1.amazoncognito.com',
    clientId: 'abc',
    scopes: ['openid'],
  },
});

describe('the console function', () => {
  it('serves the page at /console/ under a same-origin policy that lets it reach only the Cognito domain', async () => {
    expect(await handler(get('/console'))).toMatchObject({
      statusCode: 308,
      headers: { location: '/console/' },
    });
    const page = await handler(get('/console/'));
    expect(page.statusCode).toBe(200);
    expect(Buffer.from(page.body ?? '', 'base64').toString()).toBe('<!doctype html>');
    expect(page.headers?.['content-security-policy']).toContain(
      "connect-src 'self' https://es.auth.eu-west-1.amazoncognito.com",
    );
    expect(page.headers?.['content-security-policy']).toContain("script-src 'self'");
  });

  it('tells the page how to sign in, and knows no other file', async () => {
    const config = await handler(get('/console/config.json'));
    expect(JSON.parse(config.body ?? '')).toMatchObject({ auth: 'cognito', clientId: 'abc' });
    expect((await handler(get('/console/console.js'))).headers?.['content-type']).toMatch(/javascript/);
    expect((await handler(get('/console/../api/v1/org/openapi.json'))).statusCode).toBe(404);
    expect((await handler(get('/console/secrets.txt'))).statusCode).toBe(404);
  });
});
