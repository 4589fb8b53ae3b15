import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../lambdas/handlers/api/routes.ts';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.ts';
import { type ApiResponse, apiClient, BASE, uniqueId, webhookBody } from '../support/api-client.ts';
import { awsClients } from '../support/aws-clients.ts';

let runtime: LocalRuntime;
let api: Awaited<ReturnType<typeof apiClient>>;
let aws: ReturnType<typeof awsClients>;

beforeAll(async () => {
  // Many tests share this runtime; the limit itself is tested in its own file.
  process.env.MAX_INTEGRATIONS = '100';
  runtime = await startLocalRuntime({ log: () => {} });
  api = await apiClient(runtime);
  aws = awsClients(runtime);
});

afterAll(async () => {
  await runtime?.stop();
});

const expectError = (
  response: ApiResponse,
  status: number,
  errorCode: string,
  messagePart?: string | RegExp,
) => {
  expect(response.status).toBe(status);
  expect(response.body).toMatchObject({ error_code: errorCode, request_id: expect.any(String) });
  expect(typeof response.body.message).toBe('string');
  if (messagePart) expect(response.body.message).toMatch(messagePart);
  expect(response.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
};

const register = async (body: Record<string, unknown>) => {
  const response = await api('POST', BASE, { body });
  expect(response.status, response.text).toBe(200);
  return response.body;
};

const scanTable = async (): Promise<string> => {
  const { Items = [] } = await aws.dynamodb.send(
    new ScanCommand({ TableName: runtime.env.STATE_TABLE_NAME as string }),
  );
  return JSON.stringify(Items);
};

describe('register, get, list', () => {
  it('registers a running webhook integration and answers as the seed does, secrets masked', async () => {
    const id = uniqueId('erp');
    const apiKey = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';
    const body = webhookBody(id, {
      callback_parameters: { callback_url: 'https://sap01.example.com/two/events', api_key: apiKey },
      filter_conditions: { event_filter: ['order.created'], entity_filter: ['return'] },
    });
    const created = await register(body);
    expect(created).toEqual({
      id,
      status: 'running',
      integration_type: 'permanent',
      callback_parameters: { callback_url: 'https://sap01.example.com/two/events', api_key: '****VCJ9' },
      filter_conditions: { event_filter: ['order.created'], entity_filter: ['return'] },
    });

    const fetched = await api('GET', `${BASE}/${id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created);

    const listed = await api('GET', BASE);
    expect(listed.status).toBe(200);
    expect(listed.body.integrations).toContainEqual(created);
  });

  it('keeps every secret value out of responses and the table, and in Secrets Manager', async () => {
    const id = uniqueId('sec');
    const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const created = await register({
      id,
      integration_type: 'permanent',
      s3_parameters: {
        aws_access_key_id: 'EXAMPLEACCESSKEYID1',
        aws_secret_access_key: secretKey,
        aws_region: 'us-west-2',
        bucket: 'company-bucket',
        key_prefix: 'mycompany-integration-1',
      },
    });
    expect(created.s3_parameters.aws_secret_access_key).toBe('****EKEY');
    expect(created.s3_parameters.aws_access_key_id).toBe('EXAMPLEACCESSKEYID1');
    expect(JSON.stringify((await api('GET', BASE)).body)).not.toContain(secretKey);
    expect(await scanTable()).not.toContain(secretKey);

    const secret = await aws.secrets.send(
      new GetSecretValueCommand({ SecretId: `${runtime.env.SECRET_NAME_PREFIX}${id}` }),
    );
    expect(JSON.parse(secret.SecretString ?? '{}')).toEqual({
      's3_parameters.aws_secret_access_key': secretKey,
    });
  });

  it('answers 409 for a duplicate id and leaves the first one as it was', async () => {
    const id = uniqueId('dup');
    const first = await register(
      webhookBody(id, {
        callback_parameters: { callback_url: 'http://127.0.0.1:1/a', api_key: 'first-key-0000000001' },
      }),
    );
    const again = await api('POST', BASE, {
      body: webhookBody(id, {
        callback_parameters: { callback_url: 'http://127.0.0.1:1/b', api_key: 'second-key-000000002' },
      }),
    });
    expectError(again, 409, 'integration_exists', id);
    expect((await api('GET', `${BASE}/${id}`)).body).toEqual(first);
    const secret = await aws.secrets.send(
      new GetSecretValueCommand({ SecretId: `${runtime.env.SECRET_NAME_PREFIX}${id}` }),
    );
    expect(secret.SecretString).toContain('first-key-0000000001');
  });

  it('accepts a starts_at older than the window, keeps it as given, and logs the clamp', async () => {
    const id = uniqueId('old');
    const created = await register(webhookBody(id, { starts_at: '2019-01-17T12:00:00.000Z' }));
    expect(created.starts_at).toBe('2019-01-17T12:00:00.000Z');
    const logs = await api('GET', `${BASE}/${id}/logs`);
    expect(logs.body.entries.map((entry: { action: string }) => entry.action)).toEqual([
      'replay_started',
      'integration_started',
      'starts_at_clamped',
      'integration_created',
    ]);
    expect(logs.body.entries[2].reason).toMatch(/older than the 30-day event window/);
  });

  it('registers a temporary integration over a range inside the window', async () => {
    const id = uniqueId('tmp');
    const startsAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const endsAt = new Date(Date.now() - 86_400_000).toISOString();
    const created = await register(
      webhookBody(id, { integration_type: 'temporary', starts_at: startsAt, ends_at: endsAt }),
    );
    expect(created).toMatchObject({
      integration_type: 'temporary',
      starts_at: startsAt,
      ends_at: endsAt,
      status: 'running',
    });
  });
});

describe('bad input', () => {
  it.each([
    ['an id with capitals', webhookBody('Bad-Id'), 'id'],
    ['no destination', { id: 'x-1', integration_type: 'permanent' }, 'callback_parameters'],
    ['an unknown field', { ...webhookBody('x-2'), colour: 'blue' }, 'colour'],
    [
      'a permanent integration with ends_at',
      webhookBody('x-3', { ends_at: '2026-01-01T00:00:00Z' }),
      'ends_at',
    ],
    [
      'a temporary integration without ends_at',
      webhookBody('x-4', { integration_type: 'temporary', starts_at: '2026-11-01T00:00:00Z' }),
      'ends_at',
    ],
    ['a starts_at in the future', webhookBody('x-5', { starts_at: '2999-01-01T00:00:00Z' }), 'starts_at'],
    [
      'a malformed event filter',
      webhookBody('x-6', { filter_conditions: { event_filter: ['ORDER'] } }),
      'filter_conditions.event_filter.0',
    ],
    [
      'a non-URL callback',
      webhookBody('x-7', { callback_parameters: { callback_url: 'nope' } }),
      'callback_parameters.callback_url',
    ],
  ])('answers 400 naming the field for %s', async (_, body, field) => {
    const response = await api('POST', BASE, { body });
    expectError(response, 400, 'validation_error', field);
    expect(response.body.field).toBe(field);
  });

  it('answers 400 for malformed JSON and for a body that is not an object', async () => {
    expectError(
      await api('POST', BASE, { rawBody: '{"id": "x",', headers: { 'content-type': 'application/json' } }),
      400,
      'validation_error',
      /not valid JSON/,
    );
    expectError(await api('POST', BASE, { body: ['x'] }), 400, 'validation_error', /JSON object/);
    expectError(await api('POST', BASE), 400, 'validation_error', /JSON object/);
  });

  it('answers 413 above 64 KiB and 415 for a non-JSON content type', async () => {
    const big = webhookBody('big-1', {
      callback_parameters: { callback_url: 'https://x.example.com', api_key: 'k'.repeat(70_000) },
    });
    expectError(await api('POST', BASE, { body: big }), 413, 'payload_too_large');
    expectError(
      await api('POST', BASE, {
        rawBody: 'id=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'unsupported_media_type',
    );
  });
});

describe('update', () => {
  it('refuses to update a running integration with 409, then updates it once stopped', async () => {
    const id = uniqueId('upd');
    await register(
      webhookBody(id, {
        callback_parameters: { callback_url: 'http://127.0.0.1:1/a', api_key: 'original-key-00000001' },
      }),
    );
    const patch = {
      callback_parameters: { callback_url: 'http://127.0.0.1:1/v0/events', api_key: 'replaced-key-00000002' },
    };
    expectError(
      await api('PATCH', `${BASE}/${id}`, { body: patch }),
      409,
      'integration_running',
      /stop it first/,
    );

    expect((await api('POST', `${BASE}/${id}/_stop`)).body.status).toBe('stopped');
    const updated = await api('PATCH', `${BASE}/${id}`, { body: patch });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({
      id,
      status: 'stopped',
      callback_parameters: { callback_url: 'http://127.0.0.1:1/v0/events', api_key: '****0002' },
    });
    const secret = await aws.secrets.send(
      new GetSecretValueCommand({ SecretId: `${runtime.env.SECRET_NAME_PREFIX}${id}` }),
    );
    expect(secret.SecretString).toContain('replaced-key-00000002');
    const logs = await api('GET', `${BASE}/${id}/logs`);
    expect(logs.body.entries[0]).toMatchObject({ action: 'integration_updated' });
  });

  it('keeps the stored secret when the masked value is sent back unchanged', async () => {
    const id = uniqueId('mask');
    const created = await register(
      webhookBody(id, {
        callback_parameters: { callback_url: 'http://127.0.0.1:1/a', api_key: 'kept-secret-value-777' },
      }),
    );
    await api('POST', `${BASE}/${id}/_stop`);
    const updated = await api('PATCH', `${BASE}/${id}`, {
      body: { callback_parameters: { ...created.callback_parameters, callback_url: 'http://127.0.0.1:1/b' } },
    });
    expect(updated.status, updated.text).toBe(200);
    const secret = await aws.secrets.send(
      new GetSecretValueCommand({ SecretId: `${runtime.env.SECRET_NAME_PREFIX}${id}` }),
    );
    expect(secret.SecretString).toContain('kept-secret-value-777');
  });

  it('refuses fields fixed at registration and updates of temporary integrations', async () => {
    const id = uniqueId('fix');
    await register(webhookBody(id));
    await api('POST', `${BASE}/${id}/_stop`);
    for (const field of ['integration_type', 'starts_at', 'ends_at']) {
      const response = await api('PATCH', `${BASE}/${id}`, { body: { [field]: 'x' } });
      expectError(response, 400, 'validation_error', /cannot be updated/);
      expect(response.body.field).toBe(field);
    }
    expectError(
      await api('PATCH', `${BASE}/${id}`, { body: {} }),
      400,
      'validation_error',
      /Nothing to update/,
    );

    const tmp = uniqueId('tmpu');
    await register(
      webhookBody(tmp, {
        integration_type: 'temporary',
        starts_at: new Date(Date.now() - 7_200_000).toISOString(),
        ends_at: new Date(Date.now() - 3_600_000).toISOString(),
      }),
    );
    await api('POST', `${BASE}/${tmp}/_stop`);
    expectError(
      await api('PATCH', `${BASE}/${tmp}`, { body: { filter_conditions: { entity_filter: ['order'] } } }),
      400,
      'validation_error',
      /Temporary integrations cannot be updated/,
    );
  });
});

describe('start and stop', () => {
  it('are idempotent: repeating one changes nothing and logs nothing', async () => {
    const id = uniqueId('ss');
    await register(webhookBody(id));
    const start = await api('POST', `${BASE}/${id}/_start`);
    expect(start.status).toBe(200);
    expect(start.body.status).toBe('running');
    const stops = [await api('POST', `${BASE}/${id}/_stop`), await api('POST', `${BASE}/${id}/_stop`)];
    expect(stops.map((response) => [response.status, response.body.status])).toEqual([
      [200, 'stopped'],
      [200, 'stopped'],
    ]);
    const logs = await api('GET', `${BASE}/${id}/logs`);
    expect(logs.body.entries.map((entry: { action: string }) => entry.action)).toEqual([
      'integration_stopped',
      'integration_started',
      'integration_created',
    ]);
    expect(logs.body.entries[0]).toMatchObject({
      reason: 'Stopped via API.',
      created_at: expect.any(String),
    });
  });

  it('keeps only the last 50 log entries, newest first', async () => {
    const id = uniqueId('cap');
    await register(webhookBody(id));
    for (let i = 0; i < 26; i++) {
      expect((await api('POST', `${BASE}/${id}/_stop`)).status).toBe(200);
      expect((await api('POST', `${BASE}/${id}/_start`)).status).toBe(200);
    }
    const logs = await api('GET', `${BASE}/${id}/logs`);
    expect(logs.body.entries).toHaveLength(50);
    // Each start begins a catch-up replay of what the stop missed.
    expect(logs.body.entries[0].action).toBe('replay_started');
    expect(logs.body.entries[1].action).toBe('integration_started');
    expect(
      logs.body.entries.some((entry: { action: string }) => entry.action === 'integration_created'),
    ).toBe(false);
    const stored = (await scanTable()).split(`"LOG#${id}"`).length - 1;
    expect(stored).toBe(50);
  });
});

describe('delete', () => {
  it('removes the integration, its log, its rejected events and its secret', async () => {
    const id = uniqueId('del');
    await register(
      webhookBody(id, {
        callback_parameters: { callback_url: 'http://127.0.0.1:1/a', api_key: 'to-be-deleted-000001' },
      }),
    );
    await aws.rejectedStore.put(id, {
      id: '1a8a5052-8741-4daf-982e-e0a12990335a',
      created_at: new Date().toISOString(),
      event: {
        id: '1a8a5052-8741-4daf-982e-e0a12990335a',
        tenant: 't',
        name: 'order.created',
        published_at: new Date().toISOString(),
        payload: {},
      },
    });
    const deleted = await api('DELETE', `${BASE}/${id}`);
    expect(deleted.status).toBe(200);
    expectError(await api('GET', `${BASE}/${id}`), 404, 'not_found');
    expectError(await api('GET', `${BASE}/${id}/logs`), 404, 'not_found');
    expectError(await api('DELETE', `${BASE}/${id}`), 404, 'not_found');
    const table = await scanTable();
    expect(table).not.toContain(`LOG#${id}"`);
    expect(table).not.toContain(`REJECTED#${id}"`);
    await expect(
      aws.secrets.send(new GetSecretValueCommand({ SecretId: `${runtime.env.SECRET_NAME_PREFIX}${id}` })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    // The id is free again.
    await register(webhookBody(id));
  });
});

describe('rejected events', () => {
  it('lists the newest 30, returns one event, and deletes it', async () => {
    const id = uniqueId('rej');
    await register(webhookBody(id));
    const base = Date.parse('2026-11-01T00:00:00.000Z');
    const ids: string[] = [];
    for (let i = 0; i < 35; i++) {
      const eventId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      ids.push(eventId);
      await aws.rejectedStore.put(id, {
        id: eventId,
        created_at: new Date(base + i * 60_000).toISOString(),
        event: {
          id: eventId,
          tenant: 'businessname',
          name: 'order.items_cancelled',
          published_at: new Date(base + i * 60_000 - 1000).toISOString(),
          payload: { index: i },
        },
        status_code: 400,
      });
    }
    const list = await api('GET', `${BASE}/${id}/rejected_events`);
    expect(list.status).toBe(200);
    expect(list.body.rejected_events).toHaveLength(30);
    expect(list.body.rejected_events[0]).toEqual({
      created_at: new Date(base + 34 * 60_000).toISOString(),
      id: ids[34],
    });
    expect(list.body.rejected_events.map((e: { id: string }) => e.id)).not.toContain(ids[4]);

    const one = await api('GET', `${BASE}/${id}/rejected_events/${ids[34]}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: ids[34],
      tenant: 'businessname',
      name: 'order.items_cancelled',
      payload: { index: 34 },
    });

    expect((await api('DELETE', `${BASE}/${id}/rejected_events/${ids[34]}`)).status).toBe(200);
    expectError(await api('GET', `${BASE}/${id}/rejected_events/${ids[34]}`), 404, 'not_found');
    expectError(await api('DELETE', `${BASE}/${id}/rejected_events/${ids[34]}`), 404, 'not_found');
    expect((await api('GET', `${BASE}/${id}/rejected_events`)).body.rejected_events).toHaveLength(29);
  });
});

describe('routing and auth', () => {
  it('answers 404 for unknown integrations on every route', async () => {
    const missing = uniqueId('missing');
    const calls: [string, string][] = [
      ['GET', `${BASE}/${missing}`],
      ['PATCH', `${BASE}/${missing}`],
      ['DELETE', `${BASE}/${missing}`],
      ['POST', `${BASE}/${missing}/_start`],
      ['POST', `${BASE}/${missing}/_stop`],
      ['GET', `${BASE}/${missing}/logs`],
      ['GET', `${BASE}/${missing}/rejected_events`],
      ['GET', `${BASE}/${missing}/rejected_events/abc`],
      ['DELETE', `${BASE}/${missing}/rejected_events/abc`],
    ];
    for (const [method, path] of calls) {
      expectError(
        await api(method, path, method === 'PATCH' ? { body: { filter_conditions: {} } } : {}),
        404,
        'not_found',
      );
    }
  });

  it('answers 404 for an unknown route and 405 for a wrong method', async () => {
    expectError(await api('GET', '/api/v1/org/nothing-here'), 404, 'route_not_found');
    expectError(await api('PUT', `${BASE}/some-id`), 405, 'method_not_allowed', /GET, PATCH, DELETE/);
  });

  it('serves no route under another path spelling, whose scope the authorizer would not check', async () => {
    const id = uniqueId('slash');
    await register(webhookBody(id));
    const publishOnly = await runtime.issueToken({ scopes: [SCOPES.publish] });
    for (const path of [`${BASE}/${id}/signing_secret/`, `${BASE}/${id}/`, `${BASE}/`]) {
      const response = await api('GET', path, { token: publishOnly });
      expectError(response, 404, 'route_not_found');
    }
    expect((await api('GET', `${BASE}/${id}`)).status).toBe(200);
  });

  it('answers 401 without a valid token and 403 without the route scope', async () => {
    expectError(await api('GET', BASE, { token: null }), 401, 'unauthorized');
    expectError(await api('GET', BASE, { token: 'not-a-jwt' }), 401, 'unauthorized');
    const readOnly = await runtime.issueToken({ scopes: [SCOPES.read] });
    expect((await api('GET', BASE, { token: readOnly })).status).toBe(200);
    expectError(
      await api('POST', BASE, { token: readOnly, body: webhookBody(uniqueId('ro')) }),
      403,
      'forbidden',
    );
  });
});
