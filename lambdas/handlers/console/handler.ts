import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { CONSOLE_PATH } from './routes.ts';

/**
 * Serves the operator console from the API's own origin: the page, its script and stylesheet, and
 * `config.json`, which tells the page how to sign in (a pasted token locally, Cognito's managed login
 * deployed). Static files only; the page calls the API with the operator's token like any client.
 */

/** What `config.json` says; the page's `ConsoleConfig` (console/src/config.ts) reads it. */
export type ConsoleConfigBody =
  | { auth: 'token' }
  | { auth: 'cognito'; issuer: string; domain: string; clientId: string; scopes: string[] };

export interface ConsoleHandlerOptions {
  /** File name → contents (index.html, console.js, console.css), read once, on the first request. */
  assets: () => ReadonlyMap<string, Uint8Array>;
  config: ConsoleConfigBody;
}

type Result = APIGatewayProxyStructuredResultV2;

const JSON_TYPE = 'application/json';
const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: JSON_TYPE,
  txt: 'text/plain; charset=utf-8',
};

/**
 * Same origin only, no inline script or style; `connect-src` adds the Cognito domain, where the page
 * exchanges its authorization code for a token.
 */
export const consoleContentSecurityPolicy = (config: ConsoleConfigBody): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${config.auth === 'cognito' ? ` ${config.domain}` : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');

/** The console function's handler. */
export const createConsoleHandler = (options: ConsoleHandlerOptions) => {
  let assets: ReadonlyMap<string, Uint8Array> | undefined;
  const policy = consoleContentSecurityPolicy(options.config);
  const configBody = JSON.stringify(options.config);

  return async (event: APIGatewayProxyEventV2): Promise<Result> => {
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath;
    if (method !== 'GET' && method !== 'HEAD') return notFound(event);
    // Relative URLs in the page (console.js, config.json) resolve against `/console/`, not `/`.
    if (path === CONSOLE_PATH)
      return { statusCode: 308, headers: { location: `${CONSOLE_PATH}/` }, body: '' };
    const name = path.slice(CONSOLE_PATH.length + 1) || 'index.html';
    const headers = {
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      // The page and config change with a deploy; the files are small.
      'cache-control': 'no-cache',
    };
    if (name === 'config.json') {
      return { statusCode: 200, headers: { ...headers, 'content-type': JSON_TYPE }, body: configBody };
    }
    assets ??= options.assets();
    const file = assets.get(name);
    if (!file) return notFound(event);
    const extension = name.split('.').pop() ?? '';
    return {
      statusCode: 200,
      headers: {
        ...headers,
        'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
        ...(extension === 'html' && { 'content-security-policy': policy }),
      },
      body: Buffer.from(file).toString('base64'),
      isBase64Encoded: true,
    };
  };
};

const notFound = (event: APIGatewayProxyEventV2): Result => ({
  statusCode: 404,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    error_code: 'route_not_found',
    message: `No route for ${event.requestContext.http.method} ${event.rawPath}.`,
    request_id: event.requestContext.requestId,
  }),
});
