import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.ts';

/**
 * The typed client of the REST API: openapi-fetch over the types generated from the OpenAPI document
 * (api/schema.ts), so paths, parameters, bodies and answers are checked at compile time against what the
 * API documents. Used by the `event-stream` CLI and the tests; a web console can use it as is.
 */

export type EventStreamClient = Client<paths>;
export type ApiError = components['schemas']['Error'];
export type Integration = components['schemas']['Integration'];

export interface ClientOptions {
  /** The server root, such as `http://127.0.0.1:4000` or the stack's `ApiUrl` output. */
  baseUrl: string;
  /** The bearer token for each request (called per request, so it may refresh); none for no header. */
  token?: () => Promise<string | undefined> | string | undefined;
  /** Further middleware, after the one that sets the token (a test's conformance check, say). */
  middleware?: Middleware[];
  fetch?: typeof fetch;
}

/** A client for one deployment (or the local runtime). */
export const createEventStreamClient = (options: ClientOptions): EventStreamClient => {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch && { fetch: options.fetch }),
  });
  if (options.token) {
    const token = options.token;
    client.use({
      onRequest: async ({ request }) => {
        const value = await token();
        if (value) request.headers.set('authorization', `Bearer ${value}`);
        return request;
      },
    });
  }
  for (const middleware of options.middleware ?? []) client.use(middleware);
  return client;
};
