import * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import {
  destinationErrorSchema,
  errorSchema,
  gatewayErrorSchema,
  SUCCESS_RESPONSES,
} from '../lambdas/domain/api-responses.ts';
import { MAX_EVENTS_PER_REQUEST } from '../lambdas/domain/event.ts';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeySchema } from '../lambdas/domain/idempotency.ts';
import {
  integrationIdSchema,
  registerIntegrationSchema,
  updateIntegrationSchema,
} from '../lambdas/domain/integration-schema.ts';
import {
  deliveryQuerySchema,
  eventQuerySchema,
  orgDeliveryQuerySchema,
  retryDeliveryQuerySchema,
} from '../lambdas/domain/list-queries.ts';
import { MAX_SCHEMA_BYTES, putEventSchemaBodySchema } from '../lambdas/domain/payload-schema.ts';
import { publishedEventSchema } from '../lambdas/domain/published-event.ts';
import { ROUTES, type RouteDefinition, type RouteName, SCOPES } from '../lambdas/handlers/api/routes.ts';
import * as examples from './examples.ts';

/**
 * The OpenAPI 3.1 document of the REST API, built from the code it describes: one operation per entry
 * of ROUTES (path, method, scope), request parameters and bodies from the zod schemas the handler
 * validates with, success bodies from SUCCESS_RESPONSES (which type the handler's returns). Only the
 * prose, the examples and the list of error statuses per route live here.
 */

type ErrorStatus = 400 | 404 | 409 | 413 | 415 | 422 | 502;

interface OperationDoc {
  summary: string;
  description: string;
  tag: 'Integrations' | 'Operation' | 'Rejected events' | 'Signing' | 'Events' | 'Event types' | 'Deliveries';
  /** Statuses this route answers besides its success and the ones every route may answer. */
  errors: readonly ErrorStatus[];
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: { schema: z.ZodType; examples?: Record<string, { summary: string; value: unknown }> };
  example?: unknown;
}

const JSON_BODY = 'application/json';
const eventIdParam = z
  .string()
  .meta({ description: 'The event id (a UUID).', example: examples.eventExample.id });
const eventNameParam = z.string().meta({
  description: 'An event name, `entity.event` in lowercase snake case.',
  example: 'order.created',
});
const integrationIdParam = integrationIdSchema().meta({
  description: 'The integration id: 1..50 lowercase letters, digits or dashes.',
  example: 'erp-netsuite-integration-002',
});

/** A body of up to 100 events; PublishEvents checks this shape by hand to name the event at fault. */
const publishBodySchema = z.union([
  publishedEventSchema().meta({
    id: 'PublishedEvent',
    description: 'One event; `id` and `published_at` are filled when absent.',
  }),
  z
    .strictObject({ events: z.array(publishedEventSchema()).min(1).max(MAX_EVENTS_PER_REQUEST) })
    .meta({ id: 'PublishBatch', description: `Up to ${MAX_EVENTS_PER_REQUEST} events in one request.` }),
]);

const registerBody = registerIntegrationSchema().meta({
  id: 'RegisterIntegration',
  description:
    'Exactly one destination: `callback_parameters` (a webhook) or `s3_parameters` (files in S3). ' +
    'At most one receiver credential (`api_key`, `oauth` or `jwt`).',
});
const updateBody = updateIntegrationSchema().meta({
  id: 'UpdateIntegration',
  description: '`id`, `integration_type`, `starts_at` and `ends_at` cannot change.',
});

const schemaBody = putEventSchemaBodySchema().meta({
  id: 'PutEventSchema',
  description: `The schema (draft 2020-12) under \`schema\`; the request body at most ${MAX_SCHEMA_BYTES / 1024} KiB.`,
});

/** The prose of every route: a route without an entry here does not compile. */
const OPERATIONS: Record<RouteName, OperationDoc> = {
  listIntegrations: {
    summary: 'List integrations',
    description: 'Every registered integration, running or stopped, with its secrets masked.',
    tag: 'Integrations',
    errors: [],
    example: examples.integrationListExample,
  },
  registerIntegration: {
    summary: 'Register an integration',
    description:
      'Registers an integration and starts it. A webhook gets each event as a POST in real time; an S3 ' +
      'export writes newline-delimited JSON files `{bucket}/{key_prefix}/{tenant}/{timestamp}-data-{random}.export` ' +
      'every 5 minutes or 50 MiB. `filter_conditions` narrows which events go out (an event passes when it ' +
      'matches either filter). A `temporary` integration replays the events between `starts_at` and ' +
      '`ends_at`, then stops and is deleted. At most 10 integrations (400 `limit_exceeded`).',
    tag: 'Integrations',
    errors: [400, 409, 413, 415],
    body: { schema: registerBody, examples: examples.registerExamples },
    example: examples.integrationExample,
  },
  getIntegration: {
    summary: 'Get an integration',
    description: 'One integration, secrets masked.',
    tag: 'Integrations',
    errors: [404],
    example: examples.integrationExample,
  },
  updateIntegration: {
    summary: 'Update an integration',
    description:
      'Changes the destination or the filters of a stopped integration (409 while it runs: stop, update, ' +
      'start). A masked secret sent back as shown keeps the stored secret.',
    tag: 'Integrations',
    errors: [400, 404, 409, 413, 415],
    body: {
      schema: updateBody,
      examples: { webhook: { summary: 'A new callback URL', value: examples.updateExample } },
    },
    example: examples.integrationExample,
  },
  deleteIntegration: {
    summary: 'Delete an integration',
    description:
      'Deletes the integration with its log, rejected events and secrets; an S3 export flushes its open file first.',
    tag: 'Integrations',
    errors: [404, 409],
  },
  startIntegration: {
    summary: 'Start an integration',
    description:
      'Starts delivering. Within 30 days of a stop, every event published meanwhile is delivered; after ' +
      'that only new events (the log says so). Idempotent.',
    tag: 'Operation',
    errors: [404, 409],
    example: { ...examples.stoppedExample, status: 'running' },
  },
  stopIntegration: {
    summary: 'Stop an integration',
    description: 'Stops delivering; an S3 export uploads its open file. Idempotent.',
    tag: 'Operation',
    errors: [404, 409],
    example: examples.stoppedExample,
  },
  testIntegration: {
    summary: 'Test an integration',
    description:
      'Checks the destination now: a webhook gets a signed `event_stream.test` event; an S3 export writes a ' +
      'small object under `{key_prefix}/_event_stream_test/` (the answer names its `key`). Nothing is logged or ' +
      'counted as a delivery; works on a stopped integration too. 502 carries what the receiver answered ' +
      '(`receiver_error`, `status_code`, `reason`) or AWS (`destination_error`, `aws_error_code`).',
    tag: 'Operation',
    errors: [404, 502],
    example: { ok: true, status_code: 200, duration_ms: 84 },
  },
  getIntegrationLogs: {
    summary: 'Get the integration log',
    description: 'The last 50 log entries, newest first: starts, stops, retries, rejections, uploaded files.',
    tag: 'Operation',
    errors: [404],
    example: examples.logsExample,
  },
  listRejectedEvents: {
    summary: 'List rejected events',
    description:
      'The last 30 events the receiver refused with HTTP 400 (older ones stay in the delivery history).',
    tag: 'Rejected events',
    errors: [404],
    example: examples.rejectedListExample,
  },
  getRejectedEvent: {
    summary: 'Get a rejected event',
    description: 'The rejected event as the receiver got it.',
    tag: 'Rejected events',
    errors: [404],
    example: examples.eventExample,
  },
  deleteRejectedEvent: {
    summary: 'Delete a rejected event',
    description: 'Removes a handled event from the rejected list.',
    tag: 'Rejected events',
    errors: [404],
  },
  retryRejectedEvent: {
    summary: 'Retry a rejected event',
    description:
      'Sends the event to the receiver again now. Accepted: it leaves the list. Refused: 502 with what the ' +
      'receiver answered. Webhook integrations only (400 otherwise).',
    tag: 'Rejected events',
    errors: [400, 404, 502],
    example: { id: examples.eventExample.id, status: 'delivered', status_code: 200 },
  },
  getSigningSecret: {
    summary: 'Get the signing secret',
    description:
      'The Standard Webhooks secret receivers verify `webhook-signature` with. Write scope: whoever holds it ' +
      'can forge deliveries. Webhook integrations only.',
    tag: 'Signing',
    errors: [400, 404],
    example: { signing_secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
  },
  rotateSigningSecret: {
    summary: 'Rotate the signing secret',
    description: 'Makes a new secret; deliveries carry signatures with both for 24 hours.',
    tag: 'Signing',
    errors: [400, 404, 409],
  },
  publishEvents: {
    summary: 'Publish events',
    description:
      'Takes one event or `{"events": [...]}` of up to 100 and answers 202 with their ids, in order. `id` ' +
      '(a UUID) and `published_at` are filled when absent; `entity_id` (1..256 characters) names the object ' +
      'the event is about, `payload.id` when absent and a string. A payload is checked against its ' +
      "name's JSON Schema when it has one. The whole request is refused when one event is invalid " +
      '(`field` names it, such as `events[3].name`), ' +
      'or when two of its events have one id.\n\n' +
      'Retrying safely: send an `Idempotency-Key`. A repeat of the key within 24 hours is answered 202 with ' +
      "the first answer's ids and delivers nothing twice (events the first request may have lost to a crash " +
      'are queued again under the same ids); the same key with another body is refused with 422. Without ' +
      'a key, a request in which every event carries its `id` is keyed by those ids: sent again it is ' +
      'answered the same way, and sent again with other contents its events are not delivered again. An id ' +
      'repeated in a request composed differently is published again, unless the deployment deduplicates ' +
      'event ids (`dedupEventIds`): then an id another request published within 30 days is not delivered ' +
      'again and is listed once (see the README, Publishing safely).',
    tag: 'Events',
    errors: [400, 413, 415, 422],
    headers: z.object({ [IDEMPOTENCY_KEY_HEADER]: idempotencyKeySchema().optional() }),
    body: { schema: publishBodySchema, examples: examples.publishExamples },
    example: { ids: ['1a8a5052-8741-4daf-982e-e0a12990335a'] },
  },
  queryEvents: {
    summary: 'Query the event log',
    description: 'Events of the last 30 days, oldest first, filtered and paginated.',
    tag: 'Events',
    errors: [400],
    query: eventQuerySchema(),
  },
  listDeliveries: {
    summary: 'List deliveries',
    description: "An integration's delivery history (30 days), newest first, with each delivery's attempts.",
    tag: 'Deliveries',
    errors: [400, 404],
    query: deliveryQuerySchema(),
  },
  retryDelivery: {
    summary: 'Resend a delivery',
    description:
      'Sends one event to the webhook again now, whatever its status. 502 when refused. The delivery is ' +
      'named by its event id and `received_at`, both as the delivery list shows them.',
    tag: 'Deliveries',
    errors: [400, 404, 502],
    query: retryDeliveryQuerySchema(),
  },
  listOrgDeliveries: {
    summary: 'List deliveries across integrations',
    description:
      'Every integration\'s deliveries in one list, newest event first: "did the ERP get everything for order ' +
      '1234?" is `?entity_id=1234`. With the entity index (deployment setting `entityIndex`) an `entity_id` ' +
      "query reads only that entity's events whatever the range; without it the history is read and filtered, " +
      'so a page may come back short with a `next_token`. S3 deliveries name the file the event went into.',
    tag: 'Deliveries',
    errors: [400, 404],
    query: orgDeliveryQuerySchema(),
  },
  listEventTypes: {
    summary: 'List event types',
    description:
      'Every event name received within the 30-day window (`first_seen` and `last_seen` accurate to about ' +
      'a minute), and every name with a schema, even one not seen yet. Sorted by name.',
    tag: 'Event types',
    errors: [],
    example: examples.eventTypesExample,
  },
  getEventSchema: {
    summary: 'Get an event schema',
    description: 'The JSON Schema that payloads of this event name are checked against; 404 when none.',
    tag: 'Event types',
    errors: [400, 404],
    example: examples.eventSchemaExample,
  },
  putEventSchema: {
    summary: 'Set an event schema',
    description:
      'Sets or replaces the JSON Schema (draft 2020-12) of an event name, seen or not. From the next ' +
      'publish on, `POST /events` refuses a request with 400 when a payload of this name does not match, ' +
      'naming the value and the rule (`events[2].payload.items[0].sku: must be a string`). A schema that ' +
      'is not valid 2020-12, has a `$ref` outside itself or an invalid `pattern` is refused with 400. ' +
      '`format` is an annotation: not checked.',
    tag: 'Event types',
    errors: [400, 413, 415],
    body: {
      schema: schemaBody,
      examples: { order: { summary: 'Orders need an id and SKUs', value: { schema: examples.orderSchema } } },
    },
    example: examples.eventSchemaExample,
  },
  deleteEventSchema: {
    summary: 'Delete an event schema',
    description: 'Payloads of this name are no longer checked, from the next publish on.',
    tag: 'Event types',
    errors: [400, 404],
  },
};

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'The request is invalid (`validation_error`, `field` names the field) or over a limit (`limit_exceeded`).',
  404: 'No such integration, event or schema.',
  409: 'Conflict: the id is taken, the integration is running (update), or it changed concurrently.',
  413: 'The body is too large.',
  415: 'The body is not JSON.',
  422: 'The `Idempotency-Key` was used within 24 hours for a request with another body (`idempotency_key_reused`).',
  502: 'The receiver or the bucket did not accept what was sent.',
};

/** What every route may answer, whatever it does. */
const COMMON_ERRORS = {
  '401': { description: 'No token, or an invalid or expired one.', schema: gatewayErrorSchema },
  '403': { description: "The token lacks this route's scope.", schema: gatewayErrorSchema },
  '429': { description: 'Throttled: retry with backoff.', schema: gatewayErrorSchema },
  '500': {
    description: 'Internal error: nothing about it is disclosed; quote `request_id`.',
    schema: errorSchema,
  },
  '503': { description: 'The API did not answer in time; retry.', schema: gatewayErrorSchema },
} as const;

const jsonContent = (schema: z.ZodType, example?: unknown) => ({
  [JSON_BODY]: { schema, ...(example !== undefined && { example }) },
});

const operation = (route: RouteDefinition): ZodOpenApiOperationObject => {
  const doc = OPERATIONS[route.name];
  const success = SUCCESS_RESPONSES[route.name];
  const pathParams = {
    ...(route.path.includes('{integration_id}') && { integration_id: integrationIdParam }),
    ...(route.path.includes('{event_id}') && { event_id: eventIdParam }),
    ...(route.path.includes('{name}') && { name: eventNameParam }),
  };
  const errors = Object.fromEntries(
    doc.errors.map((status) => [
      String(status),
      {
        description: ERROR_DESCRIPTIONS[status],
        content: jsonContent(
          status === 502 ? destinationErrorSchema : errorSchema,
          status === 400 ? examples.validationErrorExample : undefined,
        ),
      },
    ]),
  );
  const common = Object.fromEntries(
    Object.entries(COMMON_ERRORS).map(([status, { description, schema }]) => [
      status,
      { description, content: jsonContent(schema) },
    ]),
  );
  return {
    operationId: route.name,
    summary: doc.summary,
    description: `${doc.description}\n\nScope: \`${route.scope}\`.`,
    tags: [doc.tag],
    security: [{ bearerJwt: [route.scope] }],
    ...((Object.keys(pathParams).length > 0 || doc.query || doc.headers) && {
      requestParams: {
        ...(Object.keys(pathParams).length > 0 && { path: z.object(pathParams) }),
        ...(doc.query && { query: doc.query }),
        ...(doc.headers && { header: doc.headers }),
      },
    }),
    ...(doc.body && {
      requestBody: {
        required: true,
        content: {
          [JSON_BODY]: { schema: doc.body.schema, ...(doc.body.examples && { examples: doc.body.examples }) },
        },
      },
    }),
    responses: {
      [String(route.status)]: {
        description: success.description,
        ...(route.status !== 204 && { content: jsonContent(success.schema, doc.example) }),
      },
      ...errors,
      ...common,
    },
  };
};

/** The OpenAPI 3.1 document of every route in ROUTES. */
export const buildOpenApiDocument = () => {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    const item = paths[route.path] as NonNullable<ZodOpenApiPathsObject[string]>;
    item[route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete' | 'put'] = operation(route);
  }
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Event Stream API',
        version: '1.0.0',
        description:
          'Manage the integrations that deliver business events to a webhook or to files in S3, publish ' +
          'events, and look into the event log and delivery history.\n\n' +
          'Every route needs an OAuth access token (a JWT, client-credentials grant from the Cognito user pool ' +
          "of the deployment) with the route's scope: `eventstream/read`, `eventstream/write` or " +
          '`eventstream/publish`. Bodies are JSON, snake_case; unknown fields are refused. Errors are ' +
          '`{error_code, message, request_id, field?}`. Delivery is at least once and unordered: receivers ' +
          'deduplicate on the `webhook-id` header (the event id).',
        license: { name: 'Apache 2.0', identifier: 'Apache-2.0' },
      },
      servers: [
        { url: '/', description: 'This deployment (the host serving this document)' },
        { url: 'http://127.0.0.1:4000', description: 'The local runtime (`npm start`)' },
      ],
      tags: [
        { name: 'Integrations', description: 'Register, read, change and delete integrations.' },
        { name: 'Operation', description: 'Start, stop, test an integration and read its log.' },
        { name: 'Rejected events', description: 'Events a receiver refused with HTTP 400.' },
        { name: 'Signing', description: 'The Standard Webhooks secret receivers verify deliveries with.' },
        { name: 'Events', description: 'Publish events and query the 30-day event log.' },
        {
          name: 'Event types',
          description: 'The event names seen, and a JSON Schema per name that payloads are checked against.',
        },
        { name: 'Deliveries', description: 'Delivery history per integration, and resending.' },
      ],
      components: {
        securitySchemes: {
          bearerJwt: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: `An access token whose \`scope\` claim holds the route's scope (${Object.values(SCOPES).join(', ')}).`,
          },
        },
      },
      paths,
    },
    { outputIdSuffix: 'Response' },
  );
};
