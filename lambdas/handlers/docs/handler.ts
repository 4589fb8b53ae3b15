import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DOCS_PATH, matchPublicRoute, OPENAPI_PATH } from '../api/routes.ts';

/**
 * The published description of the API, served without a token: the OpenAPI document and a reference page
 * that renders it with Scalar's standalone build. Every byte comes from here: the page loads nothing from
 * another host (no CDN, no web fonts, no telemetry), and its Content-Security-Policy makes browsers refuse
 * anything that would.
 */

/** Where the served files are; each is read once, on its first request. */
export interface DocsFiles {
  /** The OpenAPI document (api/openapi.json). */
  documentFile: string;
  /** Scalar's standalone browser bundle. */
  scalarBundleFile: string;
}

type Result = APIGatewayProxyStructuredResultV2;

const SCALAR_SCRIPT = `${DOCS_PATH}/scalar.js`;
const INIT_SCRIPT = `${DOCS_PATH}/init.js`;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Event Stream API reference</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="${SCALAR_SCRIPT}"></script>
    <script src="${INIT_SCRIPT}"></script>
  </body>
</html>
`;

// A separate script rather than an inline one, so the policy can forbid inline scripts. Scalar would
// otherwise fetch its fonts from its own host, send telemetry and offer its hosted AI chat ("Ask AI").
const INIT = `Scalar.createApiReference('#app', ${JSON.stringify({
  url: OPENAPI_PATH,
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: 'never',
  persistAuth: false,
})});
`;

/**
 * Same origin only. Styles may be inline because Scalar injects its stylesheet at run time; nothing may
 * be fetched, framed or connected to elsewhere.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const CACHE = { 'cache-control': 'public, max-age=300' };

/** The docs function's handler: the document, the page, and the page's two scripts. */
export const createDocsHandler = (files: DocsFiles) => {
  let document: string | undefined;
  let bundle: { plain: Buffer; gzipped: Buffer } | undefined;
  const scalarBundle = () => {
    if (!bundle) {
      const plain = readFileSync(files.scalarBundleFile);
      bundle = { plain, gzipped: gzipSync(plain) };
    }
    return bundle;
  };

  return async (event: APIGatewayProxyEventV2): Promise<Result> => {
    const method = event.requestContext.http.method.toUpperCase();
    const route = matchPublicRoute(method, event.rawPath);
    if (route?.name === 'getOpenApiDocument') {
      // Any origin may read the description (API tools and editors load it from the browser).
      document ??= readFileSync(files.documentFile, 'utf8');
      return text(200, document, 'application/json', { ...CACHE, 'access-control-allow-origin': '*' });
    }
    if (route?.name === 'getApiReference') {
      return text(200, PAGE, 'text/html; charset=utf-8', {
        ...CACHE,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      });
    }
    if (event.rawPath === INIT_SCRIPT) return text(200, INIT, 'text/javascript; charset=utf-8', CACHE);
    if (event.rawPath === SCALAR_SCRIPT) {
      const { plain, gzipped } = scalarBundle();
      // About 4.7 MB plain: base64-encoded it would pass Lambda's 6 MB response limit; gzipped it is ~1.3 MB.
      const gzip = /\bgzip\b/i.test(event.headers?.['accept-encoding'] ?? '');
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/javascript; charset=utf-8',
          ...CACHE,
          ...(gzip && { 'content-encoding': 'gzip' }),
          vary: 'accept-encoding',
        },
        body: (gzip ? gzipped : plain).toString('base64'),
        isBase64Encoded: true,
      };
    }
    return text(
      404,
      JSON.stringify({
        error_code: 'route_not_found',
        message: `No route for ${method} ${event.rawPath}.`,
        request_id: event.requestContext.requestId,
      }),
      'application/json',
    );
  };
};

const text = (
  statusCode: number,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
): Result => ({ statusCode, headers: { 'content-type': contentType, ...headers }, body });
