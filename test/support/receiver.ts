import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request a receiver got, as it arrived. */
export interface ReceivedRequest {
  /** 1 for the first request since start (or `clear()`), 2 for the next... */
  n: number;
  method: string;
  /** Path and query, as sent (`/hook?x=1`). */
  path: string;
  /** Lowercase names, as Node parses them. */
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown;
  /** Date.now() when the body had arrived. */
  receivedAt: number;
  /** How it was answered, once it has been: a status, or `'destroyed'` for a reset connection. */
  answer?: number | 'destroyed';
}

/** How to answer one request. */
export interface ScriptedResponse {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON. */
  body?: string | object;
  /** Wait this long before answering (a receiver slower than the delivery timeout). */
  delayMs?: number;
  /** Reset the connection instead of answering (after `delayMs`, if given). */
  destroy?: true;
}

export type ResponseScript = (
  request: ReceivedRequest,
  n: number,
) => ScriptedResponse | undefined | Promise<ScriptedResponse | undefined>;

export interface WaitOptions {
  /** Default 10 s. */
  timeoutMs?: number;
}

export interface Receiver {
  /** `http://127.0.0.1:<port><path>`. */
  url(path?: string): string;
  /** Everything received so far, oldest first. */
  readonly requests: readonly ReceivedRequest[];
  /** Answers the following requests with `script`; `undefined` from it means 200 with no body. */
  respondWith(script: ResponseScript): void;
  /**
   * Resolves with the recorded requests as soon as `predicate` holds for them (checked now, on each arrival
   * and on each answer); rejects after `timeoutMs` listing what did arrive.
   */
  waitFor(
    predicate: (requests: readonly ReceivedRequest[]) => boolean,
    options?: WaitOptions,
  ): Promise<readonly ReceivedRequest[]>;
  /** Waits for `count` requests matching `filter` (default: any) and returns those. */
  waitForCount(
    count: number,
    filter?: (request: ReceivedRequest) => boolean,
    options?: WaitOptions,
  ): Promise<ReceivedRequest[]>;
  /** Forgets the recorded requests (numbering restarts at 1). */
  clear(): void;
  /** Stops listening (callers get connection refused) while keeping the port and the records. */
  down(): Promise<void>;
  /** Listens again on the same port after `down()`. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on 127.0.0.1 (free port) for end-to-end tests: records every request and answers as
 * scripted (status, headers, body, delay, connection reset).
 */
export const startReceiver = async (script?: ResponseScript): Promise<Receiver> => {
  const requests: ReceivedRequest[] = [];
  const listeners = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();
  let current: ResponseScript = script ?? (() => undefined);
  let count = 0;
  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    count += 1;
    const recorded: ReceivedRequest = {
      n: count,
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      rawBody,
      json: parseJson(rawBody),
      receivedAt: Date.now(),
    };
    requests.push(recorded);
    notify();

    let scripted: ScriptedResponse;
    try {
      scripted = (await current(recorded, recorded.n)) ?? {};
    } catch (error) {
      // A throwing script is a test bug: answer 599 so it shows up as a failed delivery, and say why.
      console.error('receiver script failed:', error);
      scripted = { status: 599 };
    }
    if (scripted.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, scripted.delayMs);
        timers.add(timer);
      });
    }
    if (response.destroyed) return;
    if (scripted.destroy) {
      request.socket.destroy();
      recorded.answer = 'destroyed';
    } else {
      const isJson = typeof scripted.body === 'object';
      const body = isJson ? JSON.stringify(scripted.body) : (scripted.body ?? '');
      response.writeHead(scripted.status ?? 200, {
        ...(isJson ? { 'content-type': 'application/json' } : {}),
        ...scripted.headers,
      });
      response.end(body);
      recorded.answer = scripted.status ?? 200;
    }
    notify();
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('receiver failed:', error);
      response.destroy();
    });
  });
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      // Keep-alive sockets would keep the server (and a "down" receiver) reachable.
      server.closeAllConnections();
    });
  const port = await listen(0);

  const waitFor: Receiver['waitFor'] = (predicate, options = {}) => {
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate(requests)) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve([...requests]);
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(
          new Error(`receiver: condition not met within ${timeoutMs} ms; received ${describe(requests)}`),
        );
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  };

  return {
    url: (path = '/') => `http://127.0.0.1:${port}${path.startsWith('/') ? path : `/${path}`}`,
    requests,
    respondWith: (next) => {
      current = next;
    },
    waitFor,
    waitForCount: async (wanted, filter = () => true, options) => {
      const all = await waitFor((received) => received.filter(filter).length >= wanted, options);
      return all.filter(filter);
    },
    clear: () => {
      requests.length = 0;
      count = 0;
    },
    down: stopListening,
    up: async () => {
      if (!server.listening) await listen(port);
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await stopListening();
    },
  };
};

const parseJson = (text: string): unknown => {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const describe = (requests: readonly ReceivedRequest[]): string =>
  requests.length === 0
    ? 'nothing'
    : `${requests.length}: ${requests.map((r) => `#${r.n} ${r.method} ${r.path} → ${r.answer ?? 'pending'}`).join(', ')}`;

export interface TokenEndpointOptions {
  clientId: string;
  clientSecret: string;
  /** `expires_in` of issued tokens; default 3600. */
  expiresInSeconds?: number;
}

export interface TokenEndpoint {
  /** The token URL to register (`token_url`). */
  url: string;
  /** Every access token issued, oldest first. */
  readonly issued: readonly string[];
  /** Requests to the endpoint, including refused ones. */
  readonly receiver: Receiver;
  /** True for an issued token not revoked since: what the webhook receiver checks a bearer token against. */
  isValid(token: string | undefined): boolean;
  /** Makes tokens invalid (all of them without an argument): the webhook receiver then answers 401. */
  revoke(token?: string): void;
  close(): Promise<void>;
}

/**
 * An OAuth 2.0 token endpoint for the client-credentials grant (RFC 6749 §4.4): checks the client's id and
 * secret (HTTP Basic, or `client_id`/`client_secret` form fields) and answers `{access_token, token_type:
 * 'Bearer', expires_in}`; anything else gets 400/401 with an OAuth error.
 */
export const startTokenEndpoint = async (options: TokenEndpointOptions): Promise<TokenEndpoint> => {
  const issued: string[] = [];
  const revoked = new Set<string>();
  const receiver = await startReceiver();
  receiver.respondWith((request): ScriptedResponse => {
    if (request.method !== 'POST') return { status: 405 };
    const form = new URLSearchParams(request.rawBody);
    if (form.get('grant_type') !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
    const [clientId, clientSecret] = clientCredentials(request.headers.authorization, form);
    if (clientId !== options.clientId || clientSecret !== options.clientSecret) {
      return { status: 401, headers: { 'www-authenticate': 'Basic' }, body: { error: 'invalid_client' } };
    }
    const token = `token-${issued.length + 1}-${randomBytes(8).toString('hex')}`;
    issued.push(token);
    return {
      status: 200,
      headers: { 'cache-control': 'no-store' },
      body: { access_token: token, token_type: 'Bearer', expires_in: options.expiresInSeconds ?? 3600 },
    };
  });
  return {
    url: receiver.url('/oauth/token'),
    issued,
    receiver,
    isValid: (token) => token !== undefined && issued.includes(token) && !revoked.has(token),
    revoke: (token) => {
      for (const t of token ? [token] : issued) revoked.add(t);
    },
    close: () => receiver.close(),
  };
};

const clientCredentials = (authorization: string | undefined, form: URLSearchParams): [string?, string?] => {
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '')?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return [];
    // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
    return [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
  }
  return [form.get('client_id') ?? undefined, form.get('client_secret') ?? undefined];
};

/** The bearer token of a request, if it has one. */
export const bearerToken = (request: ReceivedRequest): string | undefined =>
  /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];

/**
 * Verifies a delivery's Standard Webhooks signature with the reference `standardwebhooks` package, as a
 * receiver would, and returns the parsed payload; throws `WebhookVerificationError` when it does not verify
 * (wrong secret, altered body, missing headers, timestamp more than 5 minutes off).
 */
export const verifyWebhook = (secret: string, request: ReceivedRequest): unknown =>
  new Webhook(secret).verify(request.rawBody, {
    'webhook-id': String(request.headers['webhook-id'] ?? ''),
    'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
    'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
  });
