import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { SuccessBody } from '../../domain/api-responses.ts';
import { DomainError, MethodNotAllowedError } from '../../domain/errors.ts';
import { MAX_INGEST_BODY_BYTES } from '../../domain/event.ts';
import { IDEMPOTENCY_KEY_HEADER } from '../../domain/idempotency.ts';
import { errorResponses, json, readJsonBody } from '../../shared/http.ts';
import { logger } from '../../shared/powertools.ts';
import type { EventCatalog } from '../../use-cases/event-catalog.ts';
import type { HistoryQueries } from '../../use-cases/history-queries.ts';
import type { IntegrationLifecycle } from '../../use-cases/integration-lifecycle.ts';
import type { IntegrationRegistry } from '../../use-cases/integration-registry.ts';
import type { IntegrationTest } from '../../use-cases/integration-test.ts';
import type { OrgDeliveries } from '../../use-cases/org-deliveries.ts';
import type { PublishEvents } from '../../use-cases/publish-events.ts';
import type { RejectedEvents } from '../../use-cases/rejected-events.ts';
import type { SigningSecrets } from '../../use-cases/signing-secrets.ts';
import { matchPath, ROUTES, type RouteName, routeKey } from './routes.ts';

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
type Result = APIGatewayProxyStructuredResultV2;
/** A route's code: returns the success body its response schema describes (the status comes from there too). */
type RouteHandlers = {
  [K in RouteName]: (event: Event, params: Record<string, string>) => Promise<SuccessBody<K>>;
};

const routeByKey = new Map(ROUTES.map((route) => [routeKey(route), route]));

/** The use cases behind the routes. */
export interface ApiUseCases {
  registry: IntegrationRegistry;
  lifecycle: IntegrationLifecycle;
  signing: SigningSecrets;
  rejected: RejectedEvents;
  publisher: PublishEvents;
  queries: HistoryQueries;
  deliveries: OrgDeliveries;
  tester: IntegrationTest;
  catalog: EventCatalog;
}

const routeHandlers = ({
  registry,
  lifecycle,
  signing,
  rejected,
  publisher,
  queries,
  deliveries,
  tester,
  catalog,
}: ApiUseCases): RouteHandlers => ({
  listIntegrations: async () => ({ integrations: await registry.list() }),
  registerIntegration: async (event) => registry.register(readJsonBody(event)),
  getIntegration: async (_, p) => registry.get(id(p)),
  updateIntegration: async (event, p) => registry.update(id(p), readJsonBody(event)),
  deleteIntegration: async (_, p) => {
    await registry.delete(id(p));
    return {};
  },
  startIntegration: async (_, p) => lifecycle.start(id(p)),
  stopIntegration: async (_, p) => lifecycle.stop(id(p)),
  testIntegration: async (_, p) => tester.run(id(p)),
  getIntegrationLogs: async (_, p) => ({ entries: await registry.logs(id(p)) }),
  listRejectedEvents: async (_, p) => ({ rejected_events: await rejected.list(id(p)) }),
  getRejectedEvent: async (_, p) => rejected.get(id(p), p.event_id ?? ''),
  deleteRejectedEvent: async (_, p) => {
    await rejected.delete(id(p), p.event_id ?? '');
    return {};
  },
  retryRejectedEvent: async (_, p) => rejected.retry(id(p), p.event_id ?? ''),
  getSigningSecret: async (_, p) => signing.get(id(p)),
  rotateSigningSecret: async (_, p) => signing.rotate(id(p)),
  queryEvents: async (event) => queries.events(query(event)),
  listDeliveries: async (event, p) => queries.deliveries(id(p), query(event)),
  retryDelivery: async (event, p) => queries.retryDelivery(id(p), p.event_id ?? '', query(event)),
  listOrgDeliveries: async (event) => deliveries.list(query(event)),
  publishEvents: async (event) => ({
    ids: await publisher.publish(readJsonBody(event, MAX_INGEST_BODY_BYTES), {
      idempotencyKey: header(event, IDEMPOTENCY_KEY_HEADER),
    }),
  }),
  listEventTypes: async () => ({ event_types: await catalog.list() }),
  getEventSchema: async (_, p) => catalog.getSchema(p.name ?? ''),
  putEventSchema: async (event, p) => catalog.putSchema(p.name ?? '', readJsonBody(event)),
  deleteEventSchema: async (_, p) => {
    await catalog.deleteSchema(p.name ?? '');
    return undefined;
  },
});

const id = (params: Record<string, string>): string => params.integration_id ?? '';
// API Gateway (payload 2.0) and the local runtime hand headers over with lowercase names.
const header = (event: Event, name: string): string | undefined => event.headers?.[name.toLowerCase()];
const query = (event: Event): Record<string, string | undefined> => event.queryStringParameters ?? {};

/**
 * The API Lambda: dispatches on API Gateway's route key, so each route's JWT scope is checked by the
 * authorizer before the code runs; the `$default` route lands here too and answers 404 or 405.
 */
export const createApiHandler = (useCases: ApiUseCases) => {
  const handlers = routeHandlers(useCases);
  const dispatch = async (event: Event): Promise<Result> => {
    const route = routeByKey.get(event.routeKey);
    if (route) {
      logger.appendKeys({ route: route.name, integration_id: event.pathParameters?.integration_id });
      const body = await handlers[route.name](event, (event.pathParameters ?? {}) as Record<string, string>);
      const { status } = route;
      return status === 204 ? { statusCode: 204 } : json(status, body);
    }
    const method = event.requestContext.http.method.toUpperCase();
    // Only the exact routes run code: `$default` has no scope of its own, so serving a route through it (a
    // trailing slash, say) would skip that route's scope check.
    const allowed = matchPath(event.rawPath).map((match) => match.route.method);
    if (allowed.length > 0) throw new MethodNotAllowedError(method, allowed);
    throw new DomainError(404, 'route_not_found', `No route for ${method} ${event.rawPath}.`);
  };
  return middy<Event, Result>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(errorResponses())
    .handler(dispatch);
};
