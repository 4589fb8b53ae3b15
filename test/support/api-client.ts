import { createEventStreamClient, type EventStreamClient } from '../../api/client.ts';
import type { LocalRuntime } from '../../local/runtime.ts';
import { assertConforms, conformanceMiddleware } from './openapi-conformance.ts';

export const BASE = '/api/v1/org/integrations/eventstream';

export interface ApiResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields freely
  body: any;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** A raw body sent as is (for malformed JSON and size tests). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Bearer token; default a token with every scope. `null` sends no Authorization header. */
  token?: string | null;
}

/**
 * A small client for the local API that always reads the body, JSON or not, and checks every answer
 * against the OpenAPI document (status documented for the route, body matching its schema).
 */
export const apiClient = async (runtime: LocalRuntime) => {
  const defaultToken = await runtime.issueToken();
  return async (method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> => {
    const token = options.token === undefined ? defaultToken : options.token;
    const headers: Record<string, string> = { ...options.headers };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${runtime.apiUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    assertConforms(method, path.split('?')[0] ?? path, response.status, parsed);
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
};

/** The typed client (api/client.ts) on the local runtime, every response checked against the document. */
export const typedApiClient = async (runtime: LocalRuntime): Promise<EventStreamClient> => {
  const token = await runtime.issueToken();
  return createEventStreamClient({
    baseUrl: runtime.apiUrl,
    token: () => token,
    middleware: [conformanceMiddleware],
  });
};

let counter = 0;
/** A unique integration id per call, so tests sharing a runtime never collide. */
export const uniqueId = (prefix = 'it'): string =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`.slice(0, 50);

/** A registration body for a webhook integration on a local receiver URL. */
export const webhookBody = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  integration_type: 'permanent',
  callback_parameters: { callback_url: 'http://127.0.0.1:9/events' },
  ...extra,
});
