import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { matchPath, matchPublicRoute, routeKey } from '../lambdas/handlers/api/routes.ts';
import { CONSOLE_PATH, isConsolePath } from '../lambdas/handlers/console/routes.ts';
import type { LocalAuth } from './auth.ts';
import { LOCAL_ACCOUNT_ID, lambdaContext, withTimeout } from './lambda.ts';

/**
 * The HTTP API in front of the API Lambda, locally: routes matched and JWTs checked as API Gateway would,
 * each request turned into a payload format 2.0 event, the handler's result turned back into a response.
 */

export type ApiHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

export interface ApiServerOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  handler: ApiHandler;
  /** Serves PUBLIC_ROUTES (the OpenAPI document and the reference page) without a token, like the docs function. */
  publicHandler?: ApiHandler;
  /** Serves the operator console under `/console`, without a token, like the console function. */
  consoleHandler?: ApiHandler;
  auth: Pick<LocalAuth, 'verifyRequest'>;
  /** One line per request; default console.log. */
  log?: (line: string) => void;
  functionName?: string;
  /** API Gateway gives an integration at most 30 s, then answers 503. */
  timeoutMs?: number;
}

export interface ApiServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** API Gateway's payload limit is 10 MB; the handler enforces its own, smaller one. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Types API Gateway passes as text; everything else arrives base64-encoded (form posts included). */
const TEXT_CONTENT_TYPE = /^\s*(text\/|application\/(json|xml|javascript)\b|[\w.-]+\/[\w.-]+\+(json|xml)\b)/i;

/** Starts the local HTTP API on 127.0.0.1. */
export const startApiServer = async (options: ApiServerOptions): Promise<ApiServer> => {
  const server = createServer((request, response) => {
    void serve(options, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: '127.0.0.1' }, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

const serve = async (options: ApiServerOptions, request: IncomingMessage, response: ServerResponse) => {
  const started = performance.now();
  const requestId = randomUUID();
  const method = request.method ?? 'GET';
  const [rawPath = '/', rawQueryString = ''] = splitOnce(request.url ?? '/', '?');
  const finish = (status: number): void =>
    (options.log ?? console.log)(
      `${method} ${rawPath} ${status} ${Math.round(performance.now() - started)}ms`,
    );
  const fail = (status: number, errorCode: string, message: string, headers: Record<string, string> = {}) => {
    sendJson(response, status, { error_code: errorCode, message, request_id: requestId }, requestId, headers);
    finish(status);
  };

  try {
    const body = await readBody(request);
    if (body === undefined) return fail(413, 'payload_too_large', 'Request body too large');

    const consoleHandler = isConsolePath(rawPath) ? options.consoleHandler : undefined;
    const publicRoute = !consoleHandler && options.publicHandler && matchPublicRoute(method, rawPath);
    const match = publicRoute || consoleHandler ? undefined : matchRoute(rawPath, method);
    if (match === 'malformed') return fail(400, 'bad_request', 'Malformed path');
    // A public route has no authorizer: no token is asked for, none is checked.
    const auth =
      publicRoute || consoleHandler
        ? { ok: true as const, claims: {}, scopes: [] as string[] }
        : await options.auth.verifyRequest(request.headers.authorization, match?.route.scope);
    const handler =
      consoleHandler ?? (publicRoute && options.publicHandler ? options.publicHandler : options.handler);
    if (!auth.ok) {
      const challenge: Record<string, string> = auth.status === 401 ? { 'www-authenticate': 'Bearer' } : {};
      return fail(auth.status, auth.errorCode, auth.message, challenge);
    }

    const event = buildEvent({
      request,
      requestId,
      rawPath,
      rawQueryString,
      body,
      routeKey: consoleHandler
        ? `${method} ${CONSOLE_PATH}/{proxy+}`
        : publicRoute
          ? routeKey(publicRoute)
          : match
            ? routeKey(match.route)
            : '$default',
      pathParameters: match?.pathParameters,
      authorizer: { claims: auth.claims, scopes: auth.scopes.length ? auth.scopes : null },
    });
    const timeoutMs = options.timeoutMs ?? 30_000;
    const context = lambdaContext(options.functionName ?? 'event-stream-api', timeoutMs);
    const outcome = await withTimeout(handler(event, context), timeoutMs);
    if (outcome === 'timeout') return fail(503, 'service_unavailable', 'Service Unavailable');
    const status = sendResult(response, outcome, requestId);
    finish(status);
  } catch (error) {
    // The stack goes to the console (CloudWatch, in AWS), never to the client.
    console.error(`request ${requestId} failed:`, error);
    if (response.headersSent) {
      response.destroy();
      finish(500);
    } else {
      fail(500, 'internal_error', 'Internal server error');
    }
  }
};

const matchRoute = (rawPath: string, method: string) => {
  try {
    return matchPath(rawPath).find((candidate) => candidate.route.method === method);
  } catch (error) {
    // A path parameter that is not valid percent-encoding.
    if (error instanceof URIError) return 'malformed' as const;
    throw error;
  }
};

interface EventParts {
  request: IncomingMessage;
  requestId: string;
  rawPath: string;
  rawQueryString: string;
  body: Buffer;
  routeKey: string;
  pathParameters: Record<string, string> | undefined;
  authorizer: APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer']['jwt'];
}

const buildEvent = (parts: EventParts): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const { request } = parts;
  const sourceIp = request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (!values) continue;
    // API Gateway moves cookies out of the headers into their own array.
    if (name === 'cookie') {
      cookies = values.flatMap((value) => value.split(';').map((cookie) => cookie.trim())).filter(Boolean);
      continue;
    }
    headers[name] = values.join(',');
  }
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${sourceIp}`
    : sourceIp;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-port'] = String(request.socket.localPort ?? '');

  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(parts.rawQueryString)) {
    query[name] = name in query ? `${query[name]},${value}` : value;
  }

  const hasBody = parts.body.length > 0;
  const isText = TEXT_CONTENT_TYPE.test(headers['content-type'] ?? '');
  const domainName = (headers.host ?? 'localhost').replace(/:\d+$/, '');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: parts.routeKey,
    rawPath: parts.rawPath,
    rawQueryString: parts.rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'local',
      authorizer: { jwt: parts.authorizer },
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: request.method ?? 'GET',
        path: parts.rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: parts.requestId,
      routeKey: parts.routeKey,
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(parts.pathParameters && Object.keys(parts.pathParameters).length
      ? { pathParameters: parts.pathParameters }
      : {}),
    ...(hasBody ? { body: isText ? parts.body.toString('utf8') : parts.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !isText,
  };
};

/**
 * Payload format 2.0 responses: a structured result (has `statusCode`) is used as given; anything else is
 * a 200 `application/json` whose body is the string itself or the value serialized.
 */
const sendResult = (response: ServerResponse, result: APIGatewayProxyResultV2, requestId: string): number => {
  const structured =
    typeof result === 'object' && result !== null && 'statusCode' in result
      ? (result as APIGatewayProxyStructuredResultV2)
      : undefined;
  if (!structured) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    response.writeHead(200, { 'content-type': 'application/json', 'apigw-requestid': requestId });
    response.end(body);
    return 200;
  }
  const status = structured.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new Error(`Handler returned an invalid statusCode: ${String(status)}`);
  }
  const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId };
  for (const [name, value] of Object.entries(structured.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  const body = structured.body ?? '';
  response.writeHead(status, headers);
  response.end(structured.isBase64Encoded ? Buffer.from(body, 'base64') : body);
  return status;
};

const sendJson = (
  response: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string>,
): void => {
  response.writeHead(status, {
    'content-type': 'application/json',
    'apigw-requestid': requestId,
    ...headers,
  });
  response.end(JSON.stringify(body));
};

/** The body, or undefined when it exceeds the payload limit. */
const readBody = async (request: IncomingMessage): Promise<Buffer | undefined> => {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    request.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      request.resume();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
};

const splitOnce = (value: string, separator: string): [string, string] => {
  const index = value.indexOf(separator);
  return index === -1 ? [value, ''] : [value.slice(0, index), value.slice(index + 1)];
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestContext.time` format: `12/Mar/2020:19:03:58 +0000`. */
const apiGatewayTime = (date: Date): string => {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
};
