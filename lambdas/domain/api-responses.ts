import * as z from 'zod';
import { LOG_ACTIONS } from './integration.ts';
import { filterConditionsSchema } from './integration-schema.ts';

/**
 * Response bodies of the REST API as zod schemas: the OpenAPI document is generated from them, the e2e
 * tests check every real response against that document, and the API handler's return types are derived
 * from them (`SuccessBody`), so the code, the document and the answers cannot drift apart.
 */

const instant = z.iso.datetime({ offset: true });
const masked = (what: string) =>
  z.string().describe(`${what}, masked: \`****\` plus its last four characters, or \`****\` alone.`);

const callbackParametersView = z
  .object({
    callback_url: z.string().describe('Where events are POSTed.'),
    api_key: masked('The API key sent as `Authorization: Bearer <api_key>`').optional(),
    oauth: z
      .object({
        token_url: z.string(),
        client_id: z.string(),
        client_secret: masked('The OAuth client secret'),
        scope: z.string().optional(),
      })
      .optional(),
    jwt: z
      .object({
        algorithm: z.enum(['RS256', 'HS256']),
        iss: z.string().optional(),
        sub: z.string().optional(),
        aud: z.string().optional(),
        kid: z.string().optional(),
        private_key: masked('The RS256 private key').optional(),
        secret: masked('The HS256 secret').optional(),
      })
      .optional(),
    rate_limit: z
      .object({ per_second: z.number().int().optional(), max_in_flight: z.number().int().optional() })
      .optional()
      .describe('The limits asked for; `rate_limit_state` shows where the integration is within them.'),
    ordering: z
      .enum(['none', 'entity'])
      .optional()
      .describe('entity: one event at a time per entity_id, in publish order. Absent: none.'),
  })
  .meta({ id: 'CallbackParametersView', description: 'A webhook destination as stored, secrets masked.' });

const s3ParametersView = z
  .object({
    bucket: z.string(),
    key_prefix: z.string(),
    aws_region: z.string(),
    aws_access_key_id: z.string().optional(),
    aws_secret_access_key: masked('The AWS secret access key').optional(),
    role_arn: z.string().optional(),
    external_id: z.string().optional(),
  })
  .meta({ id: 'S3ParametersView', description: 'An S3 export destination as stored, secrets masked.' });

export const integrationViewSchema = z
  .object({
    id: z.string(),
    status: z.enum(['running', 'stopped']),
    integration_type: z.enum(['permanent', 'temporary']),
    starts_at: z.string().optional(),
    ends_at: z.string().optional(),
    callback_parameters: callbackParametersView.optional(),
    s3_parameters: s3ParametersView.optional(),
    filter_conditions: filterConditionsSchema().optional(),
    rate_limit_state: z
      .object({
        current_per_second: z
          .number()
          .int()
          .optional()
          .describe(
            'The rate requests go out at now: the limit, or less after a 429 (halved per 429, 1/s more per second of successes).',
          ),
        in_flight: z.number().int().optional().describe('Request lanes held by delivery batches now.'),
        paused_until: instant
          .optional()
          .describe('After a 429: no request before this time (its Retry-After).'),
      })
      .optional()
      .describe('Only on GET of one integration with a `rate_limit`.'),
  })
  .meta({
    id: 'Integration',
    description: 'An integration: where events go, which ones, and whether it is delivering now.',
  });

const logEntrySchema = z
  .object({
    action: z.enum(LOG_ACTIONS),
    reason: z.string(),
    created_at: instant,
  })
  .meta({ id: 'LogEntry', description: 'One entry of an integration log.' });

/** The event object every receiver gets: the webhook body and each line of an S3 export file. */
export const eventEnvelopeSchema = z
  .object({
    id: z.string().describe('The event id (a UUID); receivers deduplicate on it.'),
    tenant: z.string(),
    name: z.string().describe('`entity.event`, such as `order.created`.'),
    published_at: instant,
    payload: z.record(z.string(), z.unknown()),
    entity_id: z
      .string()
      .optional()
      .describe(
        'Not in webhook bodies (the `event-entity-id` header carries it); in S3 lines. The business object it is about (given, or `payload.id`).',
      ),
  })
  .meta({ id: 'Event', description: 'An event as receivers get it.' });

const loggedEventSchema = z
  .object({
    id: z.string(),
    tenant: z.string(),
    name: z.string(),
    published_at: instant,
    entity_id: z.string().optional().describe('The business object it is about (given, or `payload.id`).'),
    received_at: instant.describe('When the stack took the event: the order of the event log.'),
    position: z
      .number()
      .int()
      .optional()
      .describe(
        'Its index in the publish request that brought it: publish order among events received at one instant (absent for EventBridge events).',
      ),
    payload: z.record(z.string(), z.unknown()).optional().describe('Only with `include_payload=true`.'),
  })
  .meta({ id: 'LoggedEvent', description: 'An event as the event log keeps it (30 days).' });

const deliveryAttemptSchema = z
  .object({
    at: instant,
    status_code: z.number().int().optional().describe("The receiver's HTTP status, when it answered."),
    duration_ms: z.number(),
    error: z.string().optional(),
    file: z
      .string()
      .optional()
      .describe(
        'S3 integrations: the file (`s3://bucket/key`) the event went into, uploaded when it closes.',
      ),
  })
  .meta({ id: 'DeliveryAttempt', description: 'One try to hand an event to a receiver.' });

export const deliveryViewSchema = z
  .object({
    event_id: z.string(),
    name: z.string(),
    entity_id: z.string().optional().describe('The business object it is about (given, or `payload.id`).'),
    status: z.enum(['pending', 'delivered', 'rejected', 'failed']),
    received_at: instant,
    updated_at: instant,
    attempt_count: z.number().int(),
    last_attempt: deliveryAttemptSchema.optional(),
    attempts: z.array(deliveryAttemptSchema).optional().describe('Only with `include_attempts=true`.'),
    event: eventEnvelopeSchema.optional().describe('Only with `include_payload=true`.'),
  })
  .meta({ id: 'Delivery', description: 'The delivery of one event to one integration.' });

export const orgDeliveryViewSchema = z
  .object({
    integration_id: z.string(),
    integration_type: z.enum(['permanent', 'temporary']),
    target: z.enum(['webhook', 's3']),
    status: z.enum(['pending', 'delivered', 'rejected', 'failed']),
    event_id: z.string(),
    event_name: z.string(),
    entity: z.string().describe('The entity type: the part of the event name before the dot.'),
    entity_id: z.string().optional(),
    received_at: instant.describe('When the stack took the event; with `event_id` it names the delivery.'),
    attempted_at: instant.describe('The latest attempt (for S3: when the event was staged into its file).'),
    attempts: z.number().int().describe('How many attempts were made.'),
    status_code: z.number().int().optional().describe("The receiver's HTTP status on the latest attempt."),
    response_time_ms: z.number().optional().describe('How long the latest attempt took (webhooks).'),
    file: z
      .string()
      .optional()
      .describe(
        'S3 integrations: the file (`s3://bucket/key`) the event went into, uploaded when it closes.',
      ),
  })
  .meta({
    id: 'OrgDelivery',
    description: 'The delivery of one event to one integration, with the integration.',
  });

const nextToken = z
  .string()
  .optional()
  .describe('Present when there is more: pass it as `next_token` with the same filters for the next page.');

const retryResultSchema = z
  .object({
    id: z.string(),
    status: z.literal('delivered'),
    status_code: z.number().int().optional(),
  })
  .meta({ id: 'RetryResult', description: 'The receiver accepted the event on this try.' });

const signingSecretSchema = z
  .object({
    signing_secret: z.string().optional().describe('The Standard Webhooks secret (`whsec_...`).'),
    previous_signing_secret: z.string().optional(),
    previous_signing_secret_expires_at: instant.optional(),
  })
  .meta({
    id: 'SigningSecret',
    description:
      'The secret receivers verify `webhook-signature` with; after a rotation the previous one too.',
  });

const testResultSchema = z
  .object({
    ok: z.literal(true),
    status_code: z.number().int().optional().describe("The receiver's HTTP status (webhooks only)."),
    key: z.string().optional().describe('The S3 key written (S3 exports only).'),
    duration_ms: z.number(),
  })
  .meta({ id: 'TestResult', description: 'The destination took the test event or object.' });

/** Every error the API answers with: a stable code, a readable message, the request id for support. */
export const errorSchema = z
  .object({
    error_code: z.string().describe('Stable, machine-readable: `validation_error`, `not_found`, ...'),
    message: z.string(),
    request_id: z.string().describe('Quote it when asking for help: it finds the request in the logs.'),
    field: z
      .string()
      .optional()
      .describe('The request field at fault, dotted (`callback_parameters.callback_url`).'),
  })
  .meta({ id: 'Error', description: 'An error: never a stack trace.' });

/** A 502: the receiver or the destination bucket did not accept what we sent. */
export const destinationErrorSchema = errorSchema
  .extend({
    error_code: z.enum(['receiver_error', 'destination_error']),
    status_code: z.number().int().optional().describe('What the receiver answered, when it answered.'),
    reason: z.string().optional(),
    aws_error_code: z.string().optional().describe("AWS's error code, for an S3 destination."),
  })
  .meta({ id: 'DestinationError', description: 'The receiver or the bucket refused.' });

/**
 * An error API Gateway answers before our code runs (401, 403, 429, 503): deployed it carries `message`
 * only; the local runtime adds `error_code` and `request_id`.
 */
export const gatewayErrorSchema = z
  .object({
    message: z.string(),
    error_code: z.string().optional(),
    request_id: z.string().optional(),
  })
  .meta({ id: 'GatewayError', description: 'An error answered by API Gateway (or the local runtime).' });

const emptySchema = z.object({}).meta({ id: 'Empty', description: 'Done; nothing to return.' });

const eventTypeSchema = z
  .object({
    name: z.string().describe('`entity.event`, such as `order.created`.'),
    entity: z.string().describe('The part of the name before the first dot.'),
    first_seen: instant
      .optional()
      .describe(
        'When an event of this name was first received, since it was last absent for a whole window ' +
          '(accurate to about a minute). Absent for a name with a schema and no event within the window.',
      ),
    last_seen: instant.optional().describe('When one was last received (accurate to about a minute).'),
    has_schema: z.boolean().describe('Whether publishing checks payloads of this name against a schema.'),
    schema_version: z.string().optional().describe("The schema's version, when it has one."),
  })
  .meta({ id: 'EventType', description: 'An event name of the catalog.' });

const eventSchemaSchema = z
  .object({
    name: z.string(),
    schema: z
      .union([z.record(z.string(), z.unknown()), z.boolean()])
      .describe('The JSON Schema (draft 2020-12) payloads of this name must match.'),
    version: z.string().describe("A hash of the schema's text: it changes whenever the schema does."),
    updated_at: instant,
  })
  .meta({ id: 'EventSchema', description: "An event name's payload schema." });

/** No body: `204 No Content`. */
export const NO_CONTENT = z.undefined();

interface SuccessResponse {
  description: string;
  schema: z.ZodType;
}

/**
 * What each route answers when it succeeds, by route name; its status is the route's (`ROUTES` in
 * handlers/api/routes.ts), so the API handler reads it without building these schemas.
 */
export const SUCCESS_RESPONSES = {
  listIntegrations: {
    description: 'Every registered integration.',
    schema: z
      .object({ integrations: z.array(integrationViewSchema) })
      .meta({ id: 'IntegrationList', description: 'Every registered integration.' }),
  },
  registerIntegration: {
    description: 'Registered and running.',
    schema: integrationViewSchema,
  },
  getIntegration: { description: 'The integration.', schema: integrationViewSchema },
  updateIntegration: { description: 'The updated integration.', schema: integrationViewSchema },
  deleteIntegration: { description: 'Deleted.', schema: emptySchema },
  startIntegration: { description: 'Running.', schema: integrationViewSchema },
  stopIntegration: { description: 'Stopped.', schema: integrationViewSchema },
  testIntegration: {
    description: 'The destination accepted the test.',
    schema: testResultSchema,
  },
  getIntegrationLogs: {
    description: 'The newest 50 entries, newest first.',
    schema: z
      .object({ entries: z.array(logEntrySchema) })
      .meta({ id: 'LogEntries', description: 'The newest 50 log entries.' }),
  },
  listRejectedEvents: {
    description: 'The newest 30 rejected events.',
    schema: z
      .object({
        rejected_events: z.array(
          z.object({ id: z.string(), created_at: instant }).meta({ id: 'RejectedEventSummary' }),
        ),
      })
      .meta({ id: 'RejectedEventList', description: 'The newest 30 events the receiver refused with 400.' }),
  },
  getRejectedEvent: { description: 'The rejected event.', schema: eventEnvelopeSchema },
  deleteRejectedEvent: { description: 'Deleted.', schema: emptySchema },
  retryRejectedEvent: {
    description: 'Delivered; it left the rejected list.',
    schema: retryResultSchema,
  },
  getSigningSecret: { description: 'The signing secrets.', schema: signingSecretSchema },
  rotateSigningSecret: {
    description: 'The new secret, and the previous one (valid 24 hours).',
    schema: signingSecretSchema,
  },
  publishEvents: {
    description: 'Accepted: the ids, in request order.',
    schema: z
      .object({ ids: z.array(z.string()) })
      .meta({ id: 'PublishResult', description: 'The ids of the accepted events, in request order.' }),
  },
  queryEvents: {
    description: 'One page of events, oldest first.',
    schema: z
      .object({ events: z.array(loggedEventSchema), next_token: nextToken })
      .meta({ id: 'EventPage', description: 'One page of the event log.' }),
  },
  listDeliveries: {
    description: 'One page of deliveries, newest first.',
    schema: z
      .object({ deliveries: z.array(deliveryViewSchema), next_token: nextToken })
      .meta({ id: 'DeliveryPage', description: 'One page of delivery history.' }),
  },
  retryDelivery: { description: 'Delivered on this try.', schema: retryResultSchema },
  listOrgDeliveries: {
    description: 'One page of deliveries across integrations, newest event first.',
    schema: z
      .object({ deliveries: z.array(orgDeliveryViewSchema), next_token: nextToken })
      .meta({ id: 'OrgDeliveryPage', description: 'One page of deliveries of every integration.' }),
  },
  listEventTypes: {
    description: 'Every event name seen within the window, and every name with a schema, by name.',
    schema: z
      .object({ event_types: z.array(eventTypeSchema) })
      .meta({ id: 'EventTypeList', description: 'The event catalog.' }),
  },
  getEventSchema: { description: 'The schema.', schema: eventSchemaSchema },
  putEventSchema: { description: 'The schema as stored.', schema: eventSchemaSchema },
  deleteEventSchema: {
    description: 'Deleted: payloads are no longer checked.',
    schema: NO_CONTENT,
  },
} as const satisfies Record<string, SuccessResponse>;

export type SuccessRoute = keyof typeof SUCCESS_RESPONSES;

/** The body a route answers with on success: what its handler must return. */
export type SuccessBody<K extends SuccessRoute> = z.input<(typeof SUCCESS_RESPONSES)[K]['schema']>;
export type DeliveryView = z.input<typeof deliveryViewSchema>;
export type LoggedEventView = z.input<typeof loggedEventSchema>;
export type OrgDeliveryView = z.input<typeof orgDeliveryViewSchema>;
