import * as z from 'zod';
import { ENTITY_PATTERN, EVENT_NAME_PATTERN, MAX_NAME_LENGTH } from './event-names.ts';
import { INTEGRATION_ID_PATTERN } from './integration-id.ts';
import { lazy } from './lazy.ts';
import { RATE_LIMIT_BOUNDS } from './rate-limit.ts';

/**
 * Request bodies of the integration API, following NewStore's event stream configuration API
 * (snake_case, unknown fields refused). Time and network rules that need a clock or settings are
 * checked in `integration-rules.ts`, not here. Each schema is built on first use (`lazy`): classic zod
 * schemas are slow to build, and most cold starts of the API (a publish, a listing) need none of these.
 */

const nonEmpty = (max: number) => z.string().min(1).max(max);
const timestamp = /* @__PURE__ */ lazy(() =>
  z.iso.datetime({
    offset: true,
    message: 'must be an RFC 3339 date-time such as 2019-01-17T12:00:00.000Z',
  }),
);

export const integrationIdSchema = /* @__PURE__ */ lazy(() =>
  z
    .string()
    .min(1)
    .max(50)
    .regex(INTEGRATION_ID_PATTERN, 'must be 1..50 lowercase letters, digits or dashes'),
);

const apiKey = /* @__PURE__ */ lazy(() => nonEmpty(4096));

const oauthSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    token_url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2048),
    client_id: nonEmpty(512),
    client_secret: nonEmpty(4096),
    scope: nonEmpty(1024).optional(),
  }),
);

const jwtSchema = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      algorithm: z.enum(['RS256', 'HS256']),
      iss: nonEmpty(512).optional(),
      sub: nonEmpty(512).optional(),
      aud: nonEmpty(512).optional(),
      kid: nonEmpty(256).optional(),
      private_key: z
        .string()
        .max(16_384)
        .regex(
          /^-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----\s*$/,
          'must be a PEM private key',
        )
        .optional(),
      secret: z.string().min(32, 'must be at least 32 characters').max(4096).optional(),
    })
    .superRefine((jwt, ctx) => {
      if (jwt.algorithm === 'RS256' && jwt.private_key === undefined) {
        ctx.addIssue({ code: 'custom', path: ['private_key'], message: 'is required for RS256' });
      }
      if (jwt.algorithm === 'RS256' && jwt.secret !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['secret'], message: 'is only for HS256' });
      }
      if (jwt.algorithm === 'HS256' && jwt.secret === undefined) {
        ctx.addIssue({ code: 'custom', path: ['secret'], message: 'is required for HS256' });
      }
      if (jwt.algorithm === 'HS256' && jwt.private_key !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['private_key'], message: 'is only for RS256' });
      }
    }),
);

const { per_second: perSecond, max_in_flight: maxInFlight } = RATE_LIMIT_BOUNDS;

const rateLimitSchema = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      per_second: z
        .int()
        .min(perSecond.min)
        .max(perSecond.max)
        .optional()
        .describe('Most requests per second to the receiver, across every delivery process.'),
      max_in_flight: z
        .int()
        .min(maxInFlight.min)
        .max(maxInFlight.max)
        .optional()
        .describe('Most requests open at the receiver at once.'),
    })
    .refine((limit) => limit.per_second !== undefined || limit.max_in_flight !== undefined, {
      message: 'give per_second, max_in_flight or both',
    })
    .describe(
      'Held for the integration as a whole. A 429 pauses it for its Retry-After and halves the current rate; successes raise it back by 1/s per second.',
    ),
);

export const callbackParametersSchema = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      callback_url: z.url({ protocol: /^https?$/, message: 'must be an https URL' }).max(2048),
      api_key: apiKey().optional(),
      oauth: oauthSchema().optional(),
      jwt: jwtSchema().optional(),
      rate_limit: rateLimitSchema().optional(),
      ordering: z
        .enum(['none', 'entity'], { message: 'must be none or entity' })
        .optional()
        .describe(
          "entity: events with the same entity_id reach the receiver one at a time, in publish order; the next is sent once the previous was delivered, rejected or failed for good. Each carries its position in its entity's stream (header event-entity-position). Default none.",
        ),
    })
    .superRefine((params, ctx) => {
      const kinds = (['api_key', 'oauth', 'jwt'] as const).filter((kind) => params[kind] !== undefined);
      if (kinds.length > 1) {
        ctx.addIssue({
          code: 'custom',
          path: [kinds[1] as string],
          message: `only one receiver credential may be set (got ${kinds.join(' and ')}): each sets the Authorization header`,
        });
      }
    }),
);

/**
 * Every bucket name S3 has ever allowed: today's rules (3..63 lowercase letters, digits, dots and dashes)
 * and the legacy us-east-1 names (up to 255 characters, capitals and underscores), such as the seed's own
 * `sap_export`. Whether the bucket exists and takes our writes is for `_test` and the first upload to tell.
 */
const bucketName = /* @__PURE__ */ lazy(() =>
  z
    .string()
    .min(3)
    .max(255)
    .regex(/^[A-Za-z0-9._-]+$/, 'must be an S3 bucket name (letters, digits, dots, dashes, underscores)'),
);

export const s3ParametersSchema = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      bucket: bucketName(),
      key_prefix: z
        .string()
        .max(512)
        .regex(/^[^/].*[^/]$|^[^/]$/, 'must not start or end with a slash'),
      aws_region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as us-east-1'),
      // Free-form as in the seed (`some_s3_access_key_id`) and for S3-compatible stores: AWS says whether it
      // is a key at the first write (`InvalidAccessKeyId`), which `_test` makes at once.
      aws_access_key_id: z
        .string()
        .min(1)
        .max(128)
        .regex(/^\S+$/, 'must be 1..128 characters without whitespace')
        .optional(),
      aws_secret_access_key: nonEmpty(256).optional(),
      role_arn: z
        .string()
        .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN')
        .optional(),
      external_id: z
        .string()
        .regex(/^[\w+=,.@:/-]{2,1224}$/, 'must be 2..1224 characters of letters, digits and +=,.@:/-')
        .optional(),
    })
    .superRefine((params, ctx) => {
      const keyId = params.aws_access_key_id !== undefined;
      const secret = params.aws_secret_access_key !== undefined;
      if (keyId !== secret) {
        ctx.addIssue({
          code: 'custom',
          path: [keyId ? 'aws_secret_access_key' : 'aws_access_key_id'],
          message: 'is required with the other half of the access key',
        });
      }
      if (params.role_arn !== undefined && params.external_id === undefined) {
        ctx.addIssue({ code: 'custom', path: ['external_id'], message: 'is required with role_arn' });
      }
      if (params.external_id !== undefined && params.role_arn === undefined) {
        ctx.addIssue({ code: 'custom', path: ['role_arn'], message: 'is required with external_id' });
      }
      if (keyId && params.role_arn !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['role_arn'],
          message: 'cannot be combined with access keys: choose one way to reach the bucket',
        });
      }
    }),
);

const eventName = /* @__PURE__ */ lazy(() =>
  z.string().max(MAX_NAME_LENGTH).regex(EVENT_NAME_PATTERN, 'must be an event name such as order.created'),
);
const entityName = /* @__PURE__ */ lazy(() =>
  z.string().max(MAX_NAME_LENGTH).regex(ENTITY_PATTERN, 'must be an entity name such as fulfillment_request'),
);

export const filterConditionsSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    event_filter: z
      .array(eventName())
      .min(1, 'must list at least one event name; omit it to receive every event')
      .max(200)
      .optional(),
    entity_filter: z
      .array(entityName())
      .min(1, 'must list at least one entity; omit it to receive every entity')
      .max(200)
      .optional(),
  }),
);

export const registerIntegrationSchema = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      id: integrationIdSchema().describe(
        'Unique: 1..50 lowercase letters, digits or dashes, such as `erp-1`.',
      ),
      integration_type: z
        .enum(['permanent', 'temporary'], { message: 'must be permanent or temporary' })
        .describe('`temporary` replays `starts_at`..`ends_at`, then is deleted; neither can be updated.'),
      starts_at: timestamp()
        .optional()
        .describe('Deliver events from this time (not in the future; clamped to the 30-day window).'),
      ends_at: timestamp()
        .optional()
        .describe('Temporary integrations only (required there): the end of the replay.'),
      callback_parameters: callbackParametersSchema().optional().describe('A webhook destination.'),
      s3_parameters: s3ParametersSchema().optional().describe('An S3 export destination.'),
      filter_conditions: filterConditionsSchema()
        .optional()
        .describe('Which events to deliver; an event passes when it matches either list. Omit for all.'),
    })
    .superRefine((body, ctx) => {
      const destinations = [body.callback_parameters, body.s3_parameters].filter(
        (d) => d !== undefined,
      ).length;
      if (destinations !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: [destinations === 0 ? 'callback_parameters' : 's3_parameters'],
          message:
            destinations === 0
              ? 'one of callback_parameters (webhook) or s3_parameters (S3 export) is required'
              : 'give either callback_parameters or s3_parameters, not both',
        });
      }
    }),
);

/** Fields PATCH may carry; the fixed ones are named so the error says they cannot change. */
export const IMMUTABLE_FIELDS = ['id', 'integration_type', 'starts_at', 'ends_at'] as const;

export const updateIntegrationSchema = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      callback_parameters: callbackParametersSchema().optional(),
      s3_parameters: s3ParametersSchema().optional(),
      filter_conditions: filterConditionsSchema().optional(),
    })
    .superRefine((body, ctx) => {
      if (body.callback_parameters !== undefined && body.s3_parameters !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['s3_parameters'],
          message: 'give either callback_parameters or s3_parameters, not both',
        });
      }
    }),
);

export type RegisterIntegrationRequest = z.infer<ReturnType<typeof registerIntegrationSchema>>;
export type UpdateIntegrationRequest = z.infer<ReturnType<typeof updateIntegrationSchema>>;
export type CallbackParameters = z.infer<ReturnType<typeof callbackParametersSchema>>;
export type S3Parameters = z.infer<ReturnType<typeof s3ParametersSchema>>;
export type FilterConditions = z.infer<ReturnType<typeof filterConditionsSchema>>;
