import type { components } from '../../api/schema.ts';

/**
 * The integration form as plain data: the values its fields hold, the request body they make, and which
 * field an API validation error names. Pure, so unit tests run it without a browser.
 */

type RegisterBody = components['schemas']['RegisterIntegration'];
type UpdateBody = components['schemas']['UpdateIntegration'];
type Integration = components['schemas']['Integration'];
type CallbackParameters = NonNullable<RegisterBody['callback_parameters']>;

export type Destination = 'webhook' | 's3';
export type ReceiverAuth = 'api_key' | 'oauth' | 'jwt' | 'none';
export type Ordering = NonNullable<CallbackParameters['ordering']>;

/** Every field of the form, as text (what inputs hold). */
export interface IntegrationFormValues {
  id: string;
  integration_type: 'permanent' | 'temporary';
  destination: Destination;
  callback_url: string;
  receiver_auth: ReceiverAuth;
  api_key: string;
  oauth_token_url: string;
  oauth_client_id: string;
  oauth_client_secret: string;
  oauth_scope: string;
  jwt_algorithm: 'RS256' | 'HS256';
  jwt_iss: string;
  jwt_sub: string;
  jwt_aud: string;
  jwt_kid: string;
  /** The RS256 private key or the HS256 secret, by `jwt_algorithm`. */
  jwt_key: string;
  ordering: Ordering;
  /** `rate_limit.per_second` and `rate_limit.max_in_flight`; both empty: no rate limit. */
  rate_per_second: string;
  max_in_flight: string;
  bucket: string;
  key_prefix: string;
  aws_region: string;
  aws_access_key_id: string;
  aws_secret_access_key: string;
  role_arn: string;
  external_id: string;
  event_filter: string;
  entity_filter: string;
  /** `datetime-local` values (the browser's time zone), or an RFC 3339 time typed by hand. */
  starts_at: string;
  ends_at: string;
}

export type FormField = keyof IntegrationFormValues;

/** The form as it opens: a permanent webhook integration. */
export const EMPTY_FORM: IntegrationFormValues = {
  id: '',
  integration_type: 'permanent',
  destination: 'webhook',
  callback_url: '',
  receiver_auth: 'api_key',
  api_key: '',
  oauth_token_url: '',
  oauth_client_id: '',
  oauth_client_secret: '',
  oauth_scope: '',
  jwt_algorithm: 'RS256',
  jwt_iss: '',
  jwt_sub: '',
  jwt_aud: '',
  jwt_kid: '',
  jwt_key: '',
  ordering: 'none',
  rate_per_second: '',
  max_in_flight: '',
  bucket: '',
  key_prefix: '',
  aws_region: '',
  aws_access_key_id: '',
  aws_secret_access_key: '',
  role_arn: '',
  external_id: '',
  event_filter: '',
  entity_filter: '',
  starts_at: '',
  ends_at: '',
};

/** `a, b  c` → `['a', 'b', 'c']`. */
export const splitList = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/** Only the fields that hold something: the API names what is missing, beside its field. */
const present = <T extends Record<string, string | undefined>>(values: T): Partial<T> =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value?.trim())) as Partial<T>;

/**
 * A `datetime-local` value is the browser's local time without a zone: send it as UTC. Anything else
 * (an RFC 3339 time, a typo) goes as typed, for the API to accept or name.
 */
export const toApiTime = (value: string): string => {
  const trimmed = value.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(trimmed)) {
    const date = new Date(trimmed);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  return trimmed;
};

/** A number as typed: `'5'` → 5; anything else goes as typed, for the API to name. */
const typedNumber = (text: string): number => {
  const trimmed = text.trim();
  const value = Number(trimmed);
  return (Number.isFinite(value) ? value : trimmed) as number;
};

/**
 * Ordering (only when not the default) and the rate limit (only when a field holds something: both empty
 * means none, and as PATCH replaces callback_parameters as a whole, an edit that empties them removes it).
 */
const deliveryParameters = (values: IntegrationFormValues): Partial<CallbackParameters> => {
  const rateLimit = {
    ...(values.rate_per_second.trim() && { per_second: typedNumber(values.rate_per_second) }),
    ...(values.max_in_flight.trim() && { max_in_flight: typedNumber(values.max_in_flight) }),
  };
  return {
    ...(Object.keys(rateLimit).length > 0 && { rate_limit: rateLimit }),
    ...(values.ordering !== 'none' && { ordering: values.ordering }),
  };
};

const receiverParameters = (values: IntegrationFormValues): CallbackParameters => {
  const base = { callback_url: values.callback_url.trim() };
  switch (values.receiver_auth) {
    case 'api_key':
      return { ...base, ...present({ api_key: values.api_key }) };
    case 'oauth':
      return {
        ...base,
        oauth: {
          token_url: values.oauth_token_url.trim(),
          client_id: values.oauth_client_id.trim(),
          client_secret: values.oauth_client_secret,
          ...present({ scope: values.oauth_scope }),
        },
      };
    case 'jwt':
      return {
        ...base,
        jwt: {
          algorithm: values.jwt_algorithm,
          ...present({ iss: values.jwt_iss, sub: values.jwt_sub, aud: values.jwt_aud, kid: values.jwt_kid }),
          ...(values.jwt_algorithm === 'RS256'
            ? { private_key: values.jwt_key }
            : { secret: values.jwt_key }),
        },
      };
    case 'none':
      return base;
  }
};

/** The webhook destination: its receiver and credential, then how deliveries reach it. */
const callbackParameters = (values: IntegrationFormValues): CallbackParameters => ({
  ...receiverParameters(values),
  ...deliveryParameters(values),
});

const s3Parameters = (values: IntegrationFormValues): RegisterBody['s3_parameters'] => ({
  bucket: values.bucket.trim(),
  key_prefix: values.key_prefix.trim(),
  aws_region: values.aws_region.trim(),
  ...present({
    aws_access_key_id: values.aws_access_key_id,
    aws_secret_access_key: values.aws_secret_access_key,
    role_arn: values.role_arn,
    external_id: values.external_id,
  }),
});

const filterConditions = (values: IntegrationFormValues): UpdateBody['filter_conditions'] => {
  const event_filter = splitList(values.event_filter);
  const entity_filter = splitList(values.entity_filter);
  return {
    ...(event_filter.length && { event_filter }),
    ...(entity_filter.length && { entity_filter }),
  };
};

/** What PATCH sends: the destination and the filters (each section replaces the stored one as a whole). */
export const toUpdateBody = (values: IntegrationFormValues): UpdateBody => ({
  ...(values.destination === 'webhook'
    ? { callback_parameters: callbackParameters(values) }
    : { s3_parameters: s3Parameters(values) }),
  filter_conditions: filterConditions(values),
});

/** What POST sends to register the integration. */
export const toRegisterBody = (values: IntegrationFormValues): RegisterBody => {
  const filters = filterConditions(values);
  return {
    id: values.id.trim(),
    integration_type: values.integration_type,
    ...(values.starts_at.trim() && { starts_at: toApiTime(values.starts_at) }),
    ...(values.ends_at.trim() && { ends_at: toApiTime(values.ends_at) }),
    ...(values.destination === 'webhook'
      ? { callback_parameters: callbackParameters(values) }
      : { s3_parameters: s3Parameters(values) }),
    ...(filters && Object.keys(filters).length && { filter_conditions: filters }),
  };
};

/**
 * The form filled from a stored integration, for an edit. Secrets come masked (`****VCJ9`): sent back as
 * they are, the API keeps the stored value.
 */
export const formFromIntegration = (integration: Integration): IntegrationFormValues => {
  const callback = integration.callback_parameters;
  const s3 = integration.s3_parameters;
  const jwt = callback?.jwt;
  const receiver_auth: ReceiverAuth = callback?.oauth
    ? 'oauth'
    : jwt
      ? 'jwt'
      : callback?.api_key
        ? 'api_key'
        : 'none';
  return {
    ...EMPTY_FORM,
    id: integration.id,
    integration_type: integration.integration_type,
    destination: s3 ? 's3' : 'webhook',
    callback_url: callback?.callback_url ?? '',
    receiver_auth,
    api_key: callback?.api_key ?? '',
    oauth_token_url: callback?.oauth?.token_url ?? '',
    oauth_client_id: callback?.oauth?.client_id ?? '',
    oauth_client_secret: callback?.oauth?.client_secret ?? '',
    oauth_scope: callback?.oauth?.scope ?? '',
    jwt_algorithm: jwt?.algorithm ?? 'RS256',
    jwt_iss: jwt?.iss ?? '',
    jwt_sub: jwt?.sub ?? '',
    jwt_aud: jwt?.aud ?? '',
    jwt_kid: jwt?.kid ?? '',
    jwt_key: jwt?.private_key ?? jwt?.secret ?? '',
    ordering: callback?.ordering ?? 'none',
    rate_per_second: callback?.rate_limit?.per_second?.toString() ?? '',
    max_in_flight: callback?.rate_limit?.max_in_flight?.toString() ?? '',
    bucket: s3?.bucket ?? '',
    key_prefix: s3?.key_prefix ?? '',
    aws_region: s3?.aws_region ?? '',
    aws_access_key_id: s3?.aws_access_key_id ?? '',
    aws_secret_access_key: s3?.aws_secret_access_key ?? '',
    role_arn: s3?.role_arn ?? '',
    external_id: s3?.external_id ?? '',
    event_filter: integration.filter_conditions?.event_filter?.join(', ') ?? '',
    entity_filter: integration.filter_conditions?.entity_filter?.join(', ') ?? '',
    starts_at: integration.starts_at ?? '',
    ends_at: integration.ends_at ?? '',
  };
};

/** API field paths (after the section) that name a form field of another name. */
const NESTED_FIELDS: Record<string, FormField> = {
  'callback_parameters.callback_url': 'callback_url',
  'callback_parameters.api_key': 'api_key',
  'callback_parameters.oauth.token_url': 'oauth_token_url',
  'callback_parameters.oauth.client_id': 'oauth_client_id',
  'callback_parameters.oauth.client_secret': 'oauth_client_secret',
  'callback_parameters.oauth.scope': 'oauth_scope',
  'callback_parameters.oauth': 'receiver_auth',
  'callback_parameters.jwt.algorithm': 'jwt_algorithm',
  'callback_parameters.jwt.iss': 'jwt_iss',
  'callback_parameters.jwt.sub': 'jwt_sub',
  'callback_parameters.jwt.aud': 'jwt_aud',
  'callback_parameters.jwt.kid': 'jwt_kid',
  'callback_parameters.jwt.private_key': 'jwt_key',
  'callback_parameters.jwt.secret': 'jwt_key',
  'callback_parameters.jwt': 'receiver_auth',
  'callback_parameters.ordering': 'ordering',
  'callback_parameters.rate_limit.per_second': 'rate_per_second',
  'callback_parameters.rate_limit.max_in_flight': 'max_in_flight',
  'callback_parameters.rate_limit': 'rate_per_second',
  callback_parameters: 'destination',
  s3_parameters: 'destination',
  's3_parameters.bucket': 'bucket',
  's3_parameters.key_prefix': 'key_prefix',
  's3_parameters.aws_region': 'aws_region',
  's3_parameters.aws_access_key_id': 'aws_access_key_id',
  's3_parameters.aws_secret_access_key': 'aws_secret_access_key',
  's3_parameters.role_arn': 'role_arn',
  's3_parameters.external_id': 'external_id',
  'filter_conditions.event_filter': 'event_filter',
  'filter_conditions.entity_filter': 'entity_filter',
  filter_conditions: 'event_filter',
  integration_type: 'integration_type',
  id: 'id',
  starts_at: 'starts_at',
  ends_at: 'ends_at',
};

/**
 * The form field an API error's `field` names (`callback_parameters.callback_url` → `callback_url`,
 * `filter_conditions.event_filter[2]` → `event_filter`); the nearest enclosing section when the exact path
 * has no field; undefined when nothing matches (the form shows the message above its fields).
 */
export const formFieldForApiField = (apiField: string | undefined): FormField | undefined => {
  if (!apiField) return undefined;
  let path = apiField.replace(/\[\d+\]/g, '');
  while (path) {
    const field = NESTED_FIELDS[path];
    if (field) return field;
    const dot = path.lastIndexOf('.');
    path = dot === -1 ? '' : path.slice(0, dot);
  }
  return undefined;
};
