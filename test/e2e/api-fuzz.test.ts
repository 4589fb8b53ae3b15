import fc from 'fast-check';
import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerIntegrationSchema } from '../../lambdas/domain/integration-schema.ts';
import { type ApiResponse, apiClient, BASE } from '../support/api-client.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';

/**
 * Property-based tests over every route: whatever arrives, the API answers 2xx or 4xx with the error
 * shape, never a 5xx or a stack, and what it stored stays valid.
 */
const runtime = useLocalRuntime({ env: { MAX_INTEGRATIONS: '25' } });
let api: Awaited<ReturnType<typeof apiClient>>;

beforeAll(async () => {
  api = await apiClient(runtime);
});

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

const expectWellFormed = (response: ApiResponse, context: unknown) => {
  const where = JSON.stringify(context).slice(0, 300);
  expect(response.status, where).toBeGreaterThanOrEqual(200);
  expect(response.status, `${where} → ${response.text.slice(0, 300)}`).toBeLessThan(500);
  expect(response.text, where).not.toMatch(/\n\s+at .+:\d+:\d+|node_modules|\.ts:\d+/);
  if (response.status >= 400) {
    expect(response.body, where).toMatchObject({
      error_code: expect.any(String),
      message: expect.any(String),
      request_id: expect.any(String),
    });
  }
};

const ids = fc.oneof(
  fc.constantFrom('fuzz-a', 'fuzz-b', 'fuzz-c'),
  fc.string({ maxLength: 60 }),
  fc.stringMatching(/^[a-z0-9-]{1,50}$/),
);
const segment = fc.oneof(
  ids,
  fc.constantFrom(
    '_start',
    '_stop',
    'logs',
    'rejected_events',
    'deliveries',
    'signing_secret',
    '_retry',
    '_rotate',
  ),
);
const paths = fc.oneof(
  fc.constant(BASE),
  fc
    .array(segment, { minLength: 1, maxLength: 4 })
    .map((parts) => `${BASE}/${parts.map(encodeURIComponent).join('/')}`),
  fc.constantFrom(
    '/api/v1/org/events',
    '/api/v1/org/deliveries',
    '/api/v1/org/event_types',
    '/api/v1/org',
    '/',
    '/api/v1/org/integrations',
  ),
  fc
    .tuple(
      fc.oneof(fc.constantFrom('order.created', 'Order Created', 'order.'), fc.string({ maxLength: 40 })),
      fc.constantFrom('schema', 'x', ''),
    )
    .map(([name, rest]) => `/api/v1/org/event_types/${encodeURIComponent(name)}/${rest}`),
);
const methods = fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT');

const nearlyValidBody = fc.record(
  {
    id: ids,
    integration_type: fc.oneof(fc.constantFrom('permanent', 'temporary'), fc.string()),
    starts_at: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.string(),
      fc.integer(),
    ),
    ends_at: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.string(),
    ),
    callback_parameters: fc.oneof(
      fc.record(
        { callback_url: fc.oneof(fc.webUrl(), fc.constant('http://127.0.0.1:9/hook'), fc.string()) },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
    ),
    s3_parameters: fc.record(
      { bucket: fc.string(), key_prefix: fc.string(), aws_region: fc.string(), role_arn: fc.string() },
      { requiredKeys: [] },
    ),
    filter_conditions: fc.record(
      { event_filter: fc.array(fc.string()), entity_filter: fc.oneof(fc.array(fc.string()), fc.jsonValue()) },
      { requiredKeys: [] },
    ),
    extra: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

/** Valid registrations with unicode, bounds and optional parts, so the happy path is fuzzed too. */
const validBody = fc.record({
  id: fc.stringMatching(/^[a-z0-9-]{1,50}$/),
  integration_type: fc.constant('permanent'),
  callback_parameters: fc.record(
    {
      callback_url: fc.webUrl({ validSchemes: ['https'], withQueryParameters: true, withFragments: true }),
      api_key: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
    },
    { requiredKeys: ['callback_url'] },
  ),
  filter_conditions: fc.record(
    {
      event_filter: fc.array(fc.stringMatching(/^[a-z][a-z0-9_]{0,20}\.[a-z][a-z0-9_]{0,20}$/), {
        minLength: 1,
        maxLength: 5,
      }),
      entity_filter: fc.array(fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/), { minLength: 1, maxLength: 5 }),
    },
    { requiredKeys: [] },
  ),
});

const bodies = fc.oneof(
  nearlyValidBody.map((body) => ({ json: body })),
  fc.jsonValue().map((value) => ({ json: value })),
  fc.string({ unit: 'binary', maxLength: 300 }).map((raw) => ({ raw })),
  fc.constantFrom(
    { raw: '' },
    { raw: '{' },
    { raw: 'null' },
    { raw: '[]' },
    { raw: '"x"' },
    { raw: '{"id": 1e400}' },
  ),
);
const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/vnd.api+json',
  '',
);
const queries = fc.dictionary(
  fc.constantFrom(
    'limit',
    'from',
    'to',
    'status',
    'name',
    'entity',
    'include_payload',
    'include_attempts',
    'next_token',
    'entity_id',
    'event_name',
    'integration_id',
    'x',
  ),
  fc.oneof(
    fc.string(),
    fc.integer().map(String),
    fc.constantFrom('0', '-1', '501', '9007199254740993', 'true', '1e3'),
  ),
  { maxKeys: 4 },
);

describe('any request', () => {
  it('gets a 2xx or a 4xx with the error shape, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        methods,
        paths,
        bodies,
        contentTypes,
        queries,
        async (method, path, body, contentType, query) => {
          const search = new URLSearchParams(query).toString();
          // fetch cannot send a body with GET; API Gateway would pass one, and the handlers ignore it there.
          const rawBody =
            method === 'GET' ? undefined : 'json' in body ? JSON.stringify(body.json) : body.raw;
          const response = await api(method, `${path}${search ? `?${search}` : ''}`, {
            ...(rawBody !== undefined && { rawBody }),
            headers: contentType ? { 'content-type': contentType } : {},
          });
          expectWellFormed(response, { method, path, body, contentType, query });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('registers only valid integrations, and everything stored stays valid', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearlyValidBody, validBody), async (body) => {
        const response = await api('POST', BASE, { body });
        expectWellFormed(response, body);
        if (registerIntegrationSchema().safeParse(body).success && !('extra' in body)) {
          // Valid: registered, unless that id exists or the limit is reached.
          expect([200, 409, 400], JSON.stringify(response.body)).toContain(response.status);
          if (response.status === 400) expect(response.body.error_code).toBe('limit_exceeded');
        }
        if (response.status === 200) {
          expect(registerIntegrationSchema().safeParse(body).success).toBe(true);
          const apiKey = (body as { callback_parameters?: { api_key?: unknown } }).callback_parameters
            ?.api_key;
          if (typeof apiKey === 'string' && apiKey.length >= 16) expect(response.text).not.toContain(apiKey);
          await api('DELETE', `${BASE}/${encodeURIComponent(response.body.id)}`);
        }
      }),
      { numRuns: RUNS },
    );
    const list = await api('GET', BASE);
    expect(list.status).toBe(200);
    for (const integration of list.body.integrations) {
      expect(['running', 'stopped']).toContain(integration.status);
      expect(integration.id).toMatch(/^[a-z0-9-]{1,50}$/);
      expect(Boolean(integration.callback_parameters) !== Boolean(integration.s3_parameters)).toBe(true);
    }
    expect(list.body.integrations.length).toBeLessThanOrEqual(25);
  });

  it('publishes only valid events, all or nothing', async () => {
    const events = fc.array(
      fc.record(
        {
          name: fc.oneof(fc.constantFrom('order.created', 'stock.changed'), fc.string()),
          payload: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue()),
          id: fc.oneof(fc.uuid(), fc.string()),
          published_at: fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            fc.string(),
          ),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 105 },
    );
    await fc.assert(
      fc.asyncProperty(events, async (batch) => {
        const response = await api('POST', '/api/v1/org/events', { body: { events: batch } });
        expectWellFormed(response, batch);
        if (response.status === 202) expect(response.body.ids).toHaveLength(batch.length);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('auth', () => {
  it('answers 401 or 403 with the error shape to every bad token', async () => {
    const foreign = await generateKeyPair('ES256');
    const bad: [string, string | null][] = [
      ['no token', null],
      ['garbage', 'not.a.jwt'],
      ['empty', ''],
      [
        'alg none',
        `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: 'local-issuer', aud: 'event-stream-local', scope: 'eventstream/read', exp: 9_999_999_999 })).toString('base64url')}.`,
      ],
      [
        'another key',
        await new SignJWT({ scope: 'eventstream/read eventstream/write eventstream/publish' })
          .setProtectedHeader({ alg: 'ES256' })
          .setIssuer('local-issuer')
          .setAudience('event-stream-local')
          .setExpirationTime('1h')
          .sign(foreign.privateKey),
      ],
      ['expired', await runtime.issueToken({ expiresIn: -60 })],
    ];
    for (const [what, token] of bad) {
      const response = await api('GET', BASE, { token });
      expect(response.status, what).toBe(401);
      expectWellFormed(response, what);
    }
    const publishOnly = await runtime.issueToken({ scopes: ['eventstream/publish'] });
    const forbidden = await api('GET', BASE, { token: publishOnly });
    expect(forbidden.status).toBe(403);
    expectWellFormed(forbidden, 'scope');
  });
});
