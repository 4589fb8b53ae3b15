import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lambdas/domain/errors.ts';
import { checkCallbackTarget, checkRegistrationTimes } from '../../lambdas/domain/integration-rules.ts';
import {
  registerIntegrationSchema,
  updateIntegrationSchema,
} from '../../lambdas/domain/integration-schema.ts';
import { parseRequest } from '../../lambdas/domain/validate.ts';

const webhook = (overrides: Record<string, unknown> = {}) => ({
  id: 'erp-1',
  integration_type: 'permanent',
  callback_parameters: { callback_url: 'https://erp.example.com/events' },
  ...overrides,
});

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain((error as ValidationError).field ?? '');
    return (error as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
};

const register = (body: unknown) => parseRequest(registerIntegrationSchema(), body);

describe('registration body', () => {
  it('accepts every request sample of the seed', () => {
    const samples = [
      webhook({
        starts_at: '2019-01-17T12:00:00.000Z',
        callback_parameters: {
          callback_url: 'https://sap01.example.com/two/events',
          api_key: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
        },
      }),
      {
        id: 's3-integration-01',
        integration_type: 'temporary',
        s3_parameters: {
          aws_access_key_id: 'EXAMPLEACCESSKEYID1',
          aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
          aws_region: 'us-west-2',
          bucket: 'company_bucket',
          key_prefix: 'mycompany-integration-1',
        },
      },
      webhook({
        filter_conditions: {
          event_filter: ['order.created', 'refund_request.issued'],
          entity_filter: ['fulfillment_request', 'return'],
        },
      }),
    ];
    for (const sample of samples) expect(register(sample).id).toBe(sample.id);
  });

  it.each([
    [{ id: '' }, 'id'],
    [{ id: 'UPPER' }, 'id'],
    [{ id: 'a'.repeat(51) }, 'id'],
    [{ id: 'has_underscore' }, 'id'],
    [{ integration_type: 'forever' }, 'integration_type'],
    [{ starts_at: 'yesterday' }, 'starts_at'],
    [{ callback_parameters: { callback_url: 'ftp://x.example.com' } }, 'callback_parameters.callback_url'],
    [{ callback_parameters: { callback_url: 'not a url' } }, 'callback_parameters.callback_url'],
    [
      { callback_parameters: { callback_url: 'https://x.example.com', extra: 1 } },
      'callback_parameters.extra',
    ],
    [{ filter_conditions: { event_filter: ['Order.Created'] } }, 'filter_conditions.event_filter.0'],
    [{ filter_conditions: { event_filter: ['order'] } }, 'filter_conditions.event_filter.0'],
    [{ filter_conditions: { entity_filter: ['order.created'] } }, 'filter_conditions.entity_filter.0'],
    [{ filter_conditions: { event_filter: [] } }, 'filter_conditions.event_filter'],
    [{ filter_conditions: { other: ['x'] } }, 'filter_conditions.other'],
    [{ unknown: true }, 'unknown'],
  ])('refuses %j naming %s', (overrides, field) => {
    expect(fieldOf(() => register(webhook(overrides)))).toBe(field);
  });

  it('requires exactly one destination', () => {
    const { callback_parameters: _, ...none } = webhook();
    expect(fieldOf(() => register(none))).toBe('callback_parameters');
    const both = webhook({ s3_parameters: { bucket: 'abc', key_prefix: 'p', aws_region: 'us-east-1' } });
    expect(fieldOf(() => register(both))).toBe('s3_parameters');
  });

  it('allows one receiver credential at a time', () => {
    const body = webhook({
      callback_parameters: {
        callback_url: 'https://x.example.com',
        api_key: 'k',
        oauth: { token_url: 'https://auth.example.com/token', client_id: 'c', client_secret: 's' },
      },
    });
    expect(fieldOf(() => register(body))).toBe('callback_parameters.oauth');
  });

  it('checks the JWT key material per algorithm', () => {
    const jwt = (value: Record<string, unknown>) =>
      webhook({ callback_parameters: { callback_url: 'https://x.example.com', jwt: value } });
    expect(fieldOf(() => register(jwt({ algorithm: 'RS256' })))).toBe('callback_parameters.jwt.private_key');
    expect(fieldOf(() => register(jwt({ algorithm: 'HS256' })))).toBe('callback_parameters.jwt.secret');
    expect(fieldOf(() => register(jwt({ algorithm: 'HS256', secret: 'short' })))).toBe(
      'callback_parameters.jwt.secret',
    );
    expect(fieldOf(() => register(jwt({ algorithm: 'ES256', secret: 'x'.repeat(40) })))).toBe(
      'callback_parameters.jwt.algorithm',
    );
    expect(register(jwt({ algorithm: 'HS256', secret: 'x'.repeat(40), iss: 'es', aud: 'erp' })).id).toBe(
      'erp-1',
    );
  });

  it('checks S3 credential combinations', () => {
    const s3 = (params: Record<string, unknown>) => {
      const { callback_parameters: _, ...rest } = webhook({
        s3_parameters: { bucket: 'exports', key_prefix: 'erp', aws_region: 'eu-west-1', ...params },
      });
      return rest;
    };
    expect(fieldOf(() => register(s3({ aws_access_key_id: 'AKIAEXAMPLE12345' })))).toBe(
      's3_parameters.aws_secret_access_key',
    );
    expect(fieldOf(() => register(s3({ role_arn: 'arn:aws:iam::123456789012:role/Writer' })))).toBe(
      's3_parameters.external_id',
    );
    expect(fieldOf(() => register(s3({ aws_region: 'moon' })))).toBe('s3_parameters.aws_region');
    expect(
      register(s3({ role_arn: 'arn:aws:iam::123456789012:role/Writer', external_id: 'ext-123' }))
        .s3_parameters?.role_arn,
    ).toBe('arn:aws:iam::123456789012:role/Writer');
  });

  it('refuses a body that is not an object', () => {
    expect(() => register([1, 2])).toThrow(/JSON object/);
    expect(() => register(undefined)).toThrow(/JSON object/);
  });
});

describe('update body', () => {
  it('refuses both destinations and unknown fields', () => {
    expect(
      fieldOf(() =>
        parseRequest(updateIntegrationSchema(), {
          callback_parameters: { callback_url: 'https://x.example.com' },
          s3_parameters: { bucket: 'abc', key_prefix: 'p', aws_region: 'us-east-1' },
        }),
      ),
    ).toBe('s3_parameters');
    expect(fieldOf(() => parseRequest(updateIntegrationSchema(), { status: 'running' }))).toBe('status');
  });
});

describe('registration times', () => {
  const now = new Date('2026-11-22T12:00:00.000Z');
  const policy = { retentionDays: 30 };
  const times = (body: Record<string, unknown>) =>
    checkRegistrationTimes(register(webhook(body)), now, policy);

  it('refuses a starts_at in the future', () => {
    expect(fieldOf(() => times({ starts_at: '2026-11-23T12:00:00.000Z' }))).toBe('starts_at');
  });

  it('tolerates a minute of client clock skew', () => {
    expect(times({ starts_at: '2026-11-22T12:00:30.000Z' }).notes).toEqual([]);
  });

  it('refuses ends_at on a permanent integration', () => {
    expect(fieldOf(() => times({ starts_at: '2026-11-20T00:00:00Z', ends_at: '2026-11-21T00:00:00Z' }))).toBe(
      'ends_at',
    );
  });

  it('requires both ends of a temporary range, in order', () => {
    expect(fieldOf(() => times({ integration_type: 'temporary', ends_at: '2026-11-21T00:00:00Z' }))).toBe(
      'starts_at',
    );
    expect(fieldOf(() => times({ integration_type: 'temporary', starts_at: '2026-11-21T00:00:00Z' }))).toBe(
      'ends_at',
    );
    expect(
      fieldOf(() =>
        times({
          integration_type: 'temporary',
          starts_at: '2026-11-21T00:00:00Z',
          ends_at: '2026-11-20T00:00:00Z',
        }),
      ),
    ).toBe('ends_at');
  });

  it('refuses a temporary range wholly outside the 30-day window', () => {
    expect(
      fieldOf(() =>
        times({
          integration_type: 'temporary',
          starts_at: '2019-01-17T12:00:00Z',
          ends_at: '2019-02-21T23:59:00Z',
        }),
      ),
    ).toBe('ends_at');
  });

  it('clamps an old starts_at to the window and says so', () => {
    const { notes } = times({ starts_at: '2019-01-17T12:00:00.000Z' });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('2026-10-23T12:00:00.000Z');
    const temporary = times({
      integration_type: 'temporary',
      starts_at: '2026-09-01T00:00:00Z',
      ends_at: '2026-12-01T00:00:00Z',
    });
    expect(temporary.notes[0]).toMatch(/older than the 30-day event window/);
  });
});

describe('callback targets', () => {
  const deployed = { allowInsecureCallbacks: false };
  const target =
    (url: string, policy = deployed) =>
    () =>
      checkCallbackTarget({ callback_url: url }, policy);

  it.each([
    'http://erp.example.com/events',
    'https://127.0.0.1/events',
    'https://localhost:8443/events',
    'https://10.1.2.3/',
    'https://172.16.0.1/',
    'https://192.168.1.1/',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
    'https://224.0.0.1/',
    'https://[::1]/',
    'https://[fd00::1]/',
    'https://[fe80::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[64:ff9b::a9fe:a9fe]/',
    'https://[2002:a00:1::1]/',
    'https://[::7f00:1]/',
    'https://0x7f.0.0.1/',
    'https://user:pass@erp.example.com/',
  ])('refuses %s when deployed', (url) => {
    expect(fieldOf(target(url))).toBe('callback_parameters.callback_url');
  });

  it('accepts public https hosts, and anything where the setting allows it', () => {
    expect(target('https://erp.example.com/events')).not.toThrow();
    expect(target('https://8.8.8.8/')).not.toThrow();
    expect(target('http://127.0.0.1:9000/hook', { allowInsecureCallbacks: true })).not.toThrow();
  });

  it('checks the OAuth token URL too', () => {
    expect(
      fieldOf(() =>
        checkCallbackTarget(
          {
            callback_url: 'https://erp.example.com',
            oauth: { token_url: 'http://169.254.169.254/token', client_id: 'c', client_secret: 's' },
          },
          deployed,
        ),
      ),
    ).toBe('callback_parameters.oauth.token_url');
  });
});
