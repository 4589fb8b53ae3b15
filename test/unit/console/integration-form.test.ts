import { describe, expect, it } from 'vitest';
import {
  EMPTY_FORM,
  formFieldForApiField,
  formFromIntegration,
  type IntegrationFormValues,
  toRegisterBody,
  toUpdateBody,
} from '../../../console/src/form-model.ts';
import { currentRateText, orderingText, rateLimitText } from '../../../console/src/integration-view.ts';
import { ValidationError } from '../../../lambdas/domain/errors.ts';
import {
  registerIntegrationSchema,
  updateIntegrationSchema,
} from '../../../lambdas/domain/integration-schema.ts';
import { parseRequest } from '../../../lambdas/domain/validate.ts';

const form = (values: Partial<IntegrationFormValues>): IntegrationFormValues => ({
  ...EMPTY_FORM,
  ...values,
});

/** The field the API's own validation names for a body, mapped to the console's form. */
const fieldAtFault = (body: unknown): string | undefined => {
  try {
    parseRequest(registerIntegrationSchema(), body);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return formFieldForApiField((error as ValidationError).field);
  }
  throw new Error('expected a ValidationError');
};

describe('the integration form', () => {
  it('makes bodies the API accepts, as it opens: a permanent webhook integration', () => {
    const body = toRegisterBody(
      form({ id: 'erp-1', callback_url: 'https://erp.example.com/events', api_key: 'key-0001' }),
    );
    expect(body).toEqual({
      id: 'erp-1',
      integration_type: 'permanent',
      callback_parameters: { callback_url: 'https://erp.example.com/events', api_key: 'key-0001' },
    });
    expect(() => parseRequest(registerIntegrationSchema(), body)).not.toThrow();
  });

  it('sends OAuth, JWT and S3 settings in the API shape, and filters as lists', () => {
    const oauth = toRegisterBody(
      form({
        id: 'erp-2',
        callback_url: 'https://erp.example.com/events',
        receiver_auth: 'oauth',
        oauth_token_url: 'https://idp.example.com/token',
        oauth_client_id: 'client',
        oauth_client_secret: 'secret',
        event_filter: 'order.created, order.cancelled',
        entity_filter: 'return',
      }),
    );
    expect(oauth.callback_parameters?.oauth).toEqual({
      token_url: 'https://idp.example.com/token',
      client_id: 'client',
      client_secret: 'secret',
    });
    expect(oauth.filter_conditions).toEqual({
      event_filter: ['order.created', 'order.cancelled'],
      entity_filter: ['return'],
    });
    expect(() => parseRequest(registerIntegrationSchema(), oauth)).not.toThrow();

    const jwt = toRegisterBody(
      form({
        id: 'erp-3',
        callback_url: 'https://x.example.com',
        receiver_auth: 'jwt',
        jwt_algorithm: 'HS256',
      }),
    );
    expect(jwt.callback_parameters?.jwt).toEqual({ algorithm: 'HS256', secret: '' });

    const s3 = toRegisterBody(
      form({
        id: 'lake',
        destination: 's3',
        bucket: 'erp-exports',
        key_prefix: 'events',
        aws_region: 'eu-west-1',
      }),
    );
    expect(s3).toEqual({
      id: 'lake',
      integration_type: 'permanent',
      s3_parameters: { bucket: 'erp-exports', key_prefix: 'events', aws_region: 'eu-west-1' },
    });
    expect(() => parseRequest(registerIntegrationSchema(), s3)).not.toThrow();
  });

  it('sends a datetime-local value as UTC and anything else as typed, for the API to judge', () => {
    const local = '2026-11-01T10:30';
    const body = toRegisterBody(form({ starts_at: local, ends_at: 'yesterday' }));
    expect(body.starts_at).toBe(new Date(local).toISOString());
    expect(body.ends_at).toBe('yesterday');
  });

  it("puts the API's validation message beside the field it names", () => {
    expect(
      fieldAtFault(toRegisterBody(form({ id: 'Not Valid', callback_url: 'https://x.example.com' }))),
    ).toBe('id');
    expect(fieldAtFault(toRegisterBody(form({ id: 'ok', callback_url: 'ftp://x' })))).toBe('callback_url');
    expect(
      fieldAtFault(
        toRegisterBody(
          form({ id: 'ok', destination: 's3', bucket: 'b-1', key_prefix: 'p', aws_region: 'not a region' }),
        ),
      ),
    ).toBe('aws_region');
    expect(
      fieldAtFault(
        toRegisterBody(form({ id: 'ok', callback_url: 'https://x.example.com', event_filter: 'BAD NAME' })),
      ),
    ).toBe('event_filter');
    expect(formFieldForApiField('callback_parameters.oauth.client_secret')).toBe('oauth_client_secret');
    expect(formFieldForApiField('filter_conditions.entity_filter[3]')).toBe('entity_filter');
    expect(formFieldForApiField('callback_parameters.jwt.unknown')).toBe('receiver_auth');
    expect(formFieldForApiField('something_else')).toBeUndefined();
  });

  it('fills an edit from the stored integration; masked secrets go back as they are, and the API keeps them', () => {
    const values = formFromIntegration({
      id: 'erp-1',
      status: 'stopped',
      integration_type: 'permanent',
      callback_parameters: { callback_url: 'https://erp.example.com/events', api_key: '****0001' },
      filter_conditions: { entity_filter: ['order', 'return'] },
    });
    expect(values).toMatchObject({
      receiver_auth: 'api_key',
      api_key: '****0001',
      entity_filter: 'order, return',
    });
    const body = toUpdateBody(values);
    expect(body).toEqual({
      callback_parameters: { callback_url: 'https://erp.example.com/events', api_key: '****0001' },
      filter_conditions: { entity_filter: ['order', 'return'] },
    });
    expect(() => parseRequest(updateIntegrationSchema(), body)).not.toThrow();
  });

  it('sends ordering when not the default and the rate limit when a field holds something', () => {
    const webhook = { id: 'erp-4', callback_url: 'https://erp.example.com/events' };
    const limited = toRegisterBody(
      form({ ...webhook, ordering: 'entity', rate_per_second: ' 5 ', max_in_flight: '2' }),
    );
    expect(limited.callback_parameters).toEqual({
      callback_url: 'https://erp.example.com/events',
      rate_limit: { per_second: 5, max_in_flight: 2 },
      ordering: 'entity',
    });
    expect(() => parseRequest(registerIntegrationSchema(), limited)).not.toThrow();
    expect(toRegisterBody(form({ ...webhook, max_in_flight: '3' })).callback_parameters).toEqual({
      callback_url: 'https://erp.example.com/events',
      rate_limit: { max_in_flight: 3 },
    });
    expect(toRegisterBody(form(webhook)).callback_parameters).toEqual({
      callback_url: 'https://erp.example.com/events',
    });
    // What is not a number goes as typed: the API names it, beside its field.
    expect(
      toRegisterBody(form({ ...webhook, rate_per_second: 'fast' })).callback_parameters?.rate_limit,
    ).toEqual({ per_second: 'fast' });
  });

  it("puts the API's rate limit and ordering messages beside their fields", () => {
    const webhook = { id: 'erp-5', callback_url: 'https://erp.example.com/events' };
    expect(fieldAtFault(toRegisterBody(form({ ...webhook, rate_per_second: '5000' })))).toBe(
      'rate_per_second',
    );
    expect(fieldAtFault(toRegisterBody(form({ ...webhook, rate_per_second: 'fast' })))).toBe(
      'rate_per_second',
    );
    expect(fieldAtFault(toRegisterBody(form({ ...webhook, max_in_flight: '0' })))).toBe('max_in_flight');
    expect(formFieldForApiField('callback_parameters.ordering')).toBe('ordering');
    expect(formFieldForApiField('callback_parameters.rate_limit')).toBe('rate_per_second');
  });

  it('fills ordering and the rate limit into an edit; emptied, the PATCH leaves the rate limit out', () => {
    const values = formFromIntegration({
      id: 'erp-6',
      status: 'stopped',
      integration_type: 'permanent',
      callback_parameters: {
        callback_url: 'https://erp.example.com/events',
        ordering: 'entity',
        rate_limit: { per_second: 5, max_in_flight: 2 },
      },
    });
    expect(values).toMatchObject({ ordering: 'entity', rate_per_second: '5', max_in_flight: '2' });
    expect(toUpdateBody(values).callback_parameters).toMatchObject({
      ordering: 'entity',
      rate_limit: { per_second: 5, max_in_flight: 2 },
    });
    // PATCH replaces callback_parameters as a whole: without rate_limit, the stored one is removed.
    const body = toUpdateBody({ ...values, ordering: 'none', rate_per_second: '', max_in_flight: '' });
    expect(body.callback_parameters).toEqual({ callback_url: 'https://erp.example.com/events' });
    expect(() => parseRequest(updateIntegrationSchema(), body)).not.toThrow();
  });
});

describe('an integration page', () => {
  it('reads ordering, the rate limit and where the integration stands within it', () => {
    const callback = {
      callback_url: 'https://erp.example.com/events',
      ordering: 'entity' as const,
      rate_limit: { per_second: 5, max_in_flight: 2 },
    };
    expect(orderingText(callback)).toBe('Per entity');
    expect(orderingText({ callback_url: callback.callback_url })).toBe('None');
    expect(rateLimitText(callback)).toBe('5 requests per second, 2 in flight');
    expect(rateLimitText({ callback_url: callback.callback_url, rate_limit: { max_in_flight: 1 } })).toBe(
      '1 in flight',
    );
    expect(rateLimitText({ callback_url: callback.callback_url })).toBe('None');
    expect(currentRateText({ current_per_second: 2, in_flight: 0 })).toBe(
      '2 requests per second, 0 in flight',
    );
  });
});
