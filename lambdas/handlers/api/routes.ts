/**
 * The REST API's routes: one table read by the API handler (dispatch), the CDK stack (HTTP API routes
 * and their JWT scopes) and the local runtime (matching and authorizing like API Gateway would).
 * Pure data: no AWS imports, so `lib/` and `local/` may import it.
 */

export const API_BASE = '/api/v1/org/integrations/eventstream';
/** Where producers publish events. */
export const EVENTS_PATH = '/api/v1/org/events';
/** Every integration's deliveries in one list. */
export const ORG_DELIVERIES_PATH = '/api/v1/org/deliveries';
/** The event catalog: names seen, and a JSON Schema per name. */
export const EVENT_TYPES_PATH = '/api/v1/org/event_types';

/** OAuth scopes the JWT authorizer checks per route. */
export const SCOPES = {
  read: 'eventstream/read',
  write: 'eventstream/write',
  publish: 'eventstream/publish',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

export type RouteName =
  | 'listIntegrations'
  | 'registerIntegration'
  | 'getIntegration'
  | 'updateIntegration'
  | 'deleteIntegration'
  | 'startIntegration'
  | 'stopIntegration'
  | 'testIntegration'
  | 'getIntegrationLogs'
  | 'listRejectedEvents'
  | 'getRejectedEvent'
  | 'deleteRejectedEvent'
  | 'retryRejectedEvent'
  | 'getSigningSecret'
  | 'rotateSigningSecret'
  | 'publishEvents'
  | 'queryEvents'
  | 'listDeliveries'
  | 'retryDelivery'
  | 'listOrgDeliveries'
  | 'listEventTypes'
  | 'getEventSchema'
  | 'putEventSchema'
  | 'deleteEventSchema';

export interface RouteDefinition {
  name: RouteName;
  method: HttpMethod;
  /** Path template in API Gateway syntax (`{integration_id}`). */
  path: string;
  scope: Scope;
  /** What it answers with when it succeeds (its body: `SUCCESS_RESPONSES` in domain/api-responses.ts). */
  status: 200 | 202 | 204;
}

const byId = `${API_BASE}/{integration_id}`;
const rejected = `${byId}/rejected_events`;
const eventSchema = `${EVENT_TYPES_PATH}/{name}/schema`;

export const ROUTES: readonly RouteDefinition[] = [
  { name: 'listIntegrations', method: 'GET', path: API_BASE, scope: SCOPES.read, status: 200 },
  { name: 'registerIntegration', method: 'POST', path: API_BASE, scope: SCOPES.write, status: 200 },
  { name: 'getIntegration', method: 'GET', path: byId, scope: SCOPES.read, status: 200 },
  { name: 'updateIntegration', method: 'PATCH', path: byId, scope: SCOPES.write, status: 200 },
  { name: 'deleteIntegration', method: 'DELETE', path: byId, scope: SCOPES.write, status: 200 },
  { name: 'startIntegration', method: 'POST', path: `${byId}/_start`, scope: SCOPES.write, status: 200 },
  { name: 'stopIntegration', method: 'POST', path: `${byId}/_stop`, scope: SCOPES.write, status: 200 },
  { name: 'testIntegration', method: 'POST', path: `${byId}/_test`, scope: SCOPES.write, status: 200 },
  { name: 'getIntegrationLogs', method: 'GET', path: `${byId}/logs`, scope: SCOPES.read, status: 200 },
  { name: 'listRejectedEvents', method: 'GET', path: rejected, scope: SCOPES.read, status: 200 },
  {
    name: 'getRejectedEvent',
    method: 'GET',
    path: `${rejected}/{event_id}`,
    scope: SCOPES.read,
    status: 200,
  },
  {
    name: 'deleteRejectedEvent',
    method: 'DELETE',
    path: `${rejected}/{event_id}`,
    scope: SCOPES.write,
    status: 200,
  },
  {
    name: 'retryRejectedEvent',
    method: 'POST',
    path: `${rejected}/{event_id}/_retry`,
    scope: SCOPES.write,
    status: 200,
  },
  // The signing secret lets its holder forge deliveries: write scope, not read.
  {
    name: 'getSigningSecret',
    method: 'GET',
    path: `${byId}/signing_secret`,
    scope: SCOPES.write,
    status: 200,
  },
  {
    name: 'rotateSigningSecret',
    method: 'POST',
    path: `${byId}/signing_secret/_rotate`,
    scope: SCOPES.write,
    status: 200,
  },
  { name: 'publishEvents', method: 'POST', path: EVENTS_PATH, scope: SCOPES.publish, status: 202 },
  { name: 'queryEvents', method: 'GET', path: EVENTS_PATH, scope: SCOPES.read, status: 200 },
  { name: 'listDeliveries', method: 'GET', path: `${byId}/deliveries`, scope: SCOPES.read, status: 200 },
  {
    name: 'retryDelivery',
    method: 'POST',
    path: `${byId}/deliveries/{event_id}/_retry`,
    scope: SCOPES.write,
    status: 200,
  },
  { name: 'listOrgDeliveries', method: 'GET', path: ORG_DELIVERIES_PATH, scope: SCOPES.read, status: 200 },
  { name: 'listEventTypes', method: 'GET', path: EVENT_TYPES_PATH, scope: SCOPES.read, status: 200 },
  { name: 'getEventSchema', method: 'GET', path: eventSchema, scope: SCOPES.read, status: 200 },
  { name: 'putEventSchema', method: 'PUT', path: eventSchema, scope: SCOPES.write, status: 200 },
  { name: 'deleteEventSchema', method: 'DELETE', path: eventSchema, scope: SCOPES.write, status: 204 },
];

/** Where the OpenAPI document is served, without a token. */
export const OPENAPI_PATH = '/api/v1/org/openapi.json';
/** Where the API reference page is served, without a token; its scripts sit under it. */
export const DOCS_PATH = '/api/v1/org/docs';

export type PublicRouteName = 'getOpenApiDocument' | 'getApiReference' | 'getApiReferenceAsset';

/** A route anyone may call: the published description of the API, nothing else. */
export interface PublicRouteDefinition {
  name: PublicRouteName;
  method: 'GET';
  path: string;
}

/** Served by the docs function without an authorizer (and by the local runtime without a token check). */
export const PUBLIC_ROUTES: readonly PublicRouteDefinition[] = [
  { name: 'getOpenApiDocument', method: 'GET', path: OPENAPI_PATH },
  { name: 'getApiReference', method: 'GET', path: DOCS_PATH },
  { name: 'getApiReferenceAsset', method: 'GET', path: `${DOCS_PATH}/{asset}` },
];

/** API Gateway's route key for a route, e.g. `GET /api/v1/.../{integration_id}`. */
export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;

export interface PathMatch {
  route: RouteDefinition;
  pathParameters: Record<string, string>;
}

// Exact paths, as API Gateway matches them (no trailing slash).
const templateToRegExp = (path: string): RegExp =>
  new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([a-z_]+)\}/g, '(?<$1>[^/]+)')}$`);

const compiled = ROUTES.map((route) => ({ route, pattern: templateToRegExp(route.path) }));
const compiledPublic = PUBLIC_ROUTES.map((route) => ({ route, pattern: templateToRegExp(route.path) }));

/** The public route serving `method` and `rawPath`, if any (no percent-decoding: asset names are plain). */
export const matchPublicRoute = (method: string, rawPath: string): PublicRouteDefinition | undefined =>
  compiledPublic.find(({ route, pattern }) => route.method === method && pattern.test(rawPath))?.route;

/**
 * Every route whose path template matches `rawPath`, whatever its method: the caller tells a 404
 * (none) from a 405 (some, other methods).
 */
export const matchPath = (rawPath: string): PathMatch[] =>
  compiled.flatMap(({ route, pattern }) => {
    const match = pattern.exec(rawPath);
    if (!match) return [];
    const pathParameters: Record<string, string> = {};
    for (const [key, value] of Object.entries(match.groups ?? {})) {
      try {
        pathParameters[key] = decodeURIComponent(value);
      } catch {
        return []; // malformed percent-encoding names no resource
      }
    }
    return [{ route, pathParameters }];
  });
