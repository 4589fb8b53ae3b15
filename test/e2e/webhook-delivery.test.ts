import { exportPKCS8, exportSPKI, generateKeyPair, importSPKI, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, BASE, uniqueId } from '../support/api-client.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';
import { eventually } from '../support/poll.ts';
import {
  bearerToken,
  type ReceivedRequest,
  type Receiver,
  startReceiver,
  startTokenEndpoint,
  verifyWebhook,
} from '../support/receiver.ts';

const EVENTS = '/api/v1/org/events';

// Retries after a second instead of 10 s, and a short delivery timeout, so outcomes show within seconds.
const runtime = useLocalRuntime({
  env: { RETRY_SCHEDULE_SECONDS: '1', DELIVERY_TIMEOUT_MS: '1500', MAX_INTEGRATIONS: '100' },
});
let api: Awaited<ReturnType<typeof apiClient>>;
let receiver: Receiver;

beforeAll(async () => {
  api = await apiClient(runtime);
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.close();
});

/** Registers a webhook integration on its own receiver path; returns the id and the path. */
const registerWebhook = async (extra: Record<string, unknown> = {}, params: Record<string, unknown> = {}) => {
  const id = uniqueId('wh');
  const path = `/${id}`;
  const response = await api('POST', BASE, {
    body: {
      id,
      integration_type: 'permanent',
      callback_parameters: { callback_url: receiver.url(path), ...params },
      ...extra,
    },
  });
  expect(response.status, response.text).toBe(200);
  return { id, path };
};

const publish = async (events: Record<string, unknown>[]): Promise<string[]> => {
  const response = await api('POST', EVENTS, { body: { events } });
  expect(response.status, response.text).toBe(202);
  return response.body.ids;
};

const to = (path: string) => (request: { path: string }) => request.path === path;
/**
 * Ids of the events a path received, among `ids` when given: events published by earlier tests may still
 * be on their way to integrations registered later, which is right but no business of the later test.
 */
const eventIdsAt = (path: string, ids?: readonly string[]) =>
  receiver.requests
    .filter(to(path))
    .map((request) => (request.json as { id: string }).id)
    .filter((id) => !ids || ids.includes(id));
const logActions = async (id: string): Promise<string[]> =>
  (await api('GET', `${BASE}/${id}/logs`)).body.entries.map((entry: { action: string }) => entry.action);

describe('ingest', () => {
  it('answers 202 with the ids in order, filling id and published_at', async () => {
    const given = '6f1f7e8e-3b1a-4a51-9d76-0d3f5e2a9c11';
    const response = await api('POST', EVENTS, {
      body: {
        events: [
          { id: given, name: 'order.created', payload: { n: 1 } },
          { name: 'order.updated', payload: {} },
        ],
      },
    });
    expect(response.status).toBe(202);
    expect(response.body.ids[0]).toBe(given);
    expect(response.body.ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    const single = await api('POST', EVENTS, { body: { name: 'stock.changed', payload: { sku: 'A' } } });
    expect(single.status).toBe(202);
    expect(single.body.ids).toHaveLength(1);
  });

  it('refuses a bad event naming its index and field, and accepts nothing of that request', async () => {
    const { path } = await registerWebhook();
    const good = { name: 'order.created', payload: { marker: path } };
    const cases: [unknown, string][] = [
      [{ events: [good, { name: 'Order Created', payload: {} }] }, 'events[1].name'],
      [{ events: [good, { name: 'order.created' }] }, 'events[1].payload'],
      [{ events: [good, { name: 'order.created', payload: [] }] }, 'events[1].payload'],
      [{ events: [{ ...good, id: 'not-a-uuid' }] }, 'events[0].id'],
      [{ events: [{ ...good, tenant: 'other' }] }, 'events[0].tenant'],
      [{ events: [] }, 'events'],
      [{ events: Array.from({ length: 101 }, () => good) }, 'events'],
      [{ name: 'order.created', payload: { big: 'x'.repeat(300 * 1024) } }, 'payload'],
    ];
    for (const [body, field] of cases) {
      const response = await api('POST', EVENTS, { body });
      expect(response.status, field).toBe(400);
      expect(response.body).toMatchObject({ error_code: 'validation_error', field });
    }
    const tooBig = await api('POST', EVENTS, {
      body: {
        events: Array.from({ length: 5 }, () => ({
          name: 'order.created',
          payload: { big: 'x'.repeat(250 * 1024) },
        })),
      },
    });
    expect(tooBig.status).toBe(413);
    // A valid event afterwards arrives alone: nothing of the refused requests got through.
    const [id] = await publish([good]);
    const marked = (request: { path: string; json: unknown }) =>
      request.path === path && (request.json as { payload: { marker?: string } }).payload.marker === path;
    await receiver.waitForCount(1, marked);
    expect(receiver.requests.filter(marked).map((request) => (request.json as { id: string }).id)).toEqual([
      id,
    ]);
  });

  it('needs the publish scope', async () => {
    const readOnly = await runtime.issueToken({ scopes: ['eventstream/read', 'eventstream/write'] });
    const response = await api('POST', EVENTS, {
      token: readOnly,
      body: { name: 'order.created', payload: {} },
    });
    expect(response.status).toBe(403);
  });
});

describe('delivery', () => {
  it('POSTs the event, signed, with the api key as bearer token', async () => {
    const { id, path } = await registerWebhook({}, { api_key: 'receiver-api-key-0001' });
    const [eventId] = await publish([
      { name: 'order.created', entity_id: 'o-1', payload: { order_id: 'o-1' } },
    ]);
    // Events of earlier tests may still be on their way to this new integration: pick this one.
    const [request] = await receiver.waitForCount(
      1,
      (r) => r.path === path && (r.json as { id: string }).id === eventId,
    );
    expect(request?.method).toBe('POST');
    expect(request?.json).toEqual({
      id: eventId,
      tenant: runtime.env.TENANT,
      name: 'order.created',
      published_at: expect.any(String),
      payload: { order_id: 'o-1' },
    });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer receiver-api-key-0001',
      'webhook-id': eventId,
      'event-entity-id': 'o-1',
      'user-agent': expect.stringMatching(/^event-stream\/\d/),
    });
    const { signing_secret: secret } = (await api('GET', `${BASE}/${id}/signing_secret`)).body;
    expect(secret).toMatch(/^whsec_/);
    expect(verifyWebhook(secret, request as ReceivedRequest)).toEqual(request?.json);
  });

  it('applies event, entity, both and no filters', async () => {
    const events = await registerWebhook({ filter_conditions: { event_filter: ['order.created'] } });
    const entities = await registerWebhook({ filter_conditions: { entity_filter: ['return'] } });
    const both = await registerWebhook({
      filter_conditions: { event_filter: ['order.created'], entity_filter: ['return'] },
    });
    const all = await registerWebhook();
    const published = await publish([
      { name: 'order.created', payload: {} },
      { name: 'order.cancelled', payload: {} },
      { name: 'return.completed', payload: {} },
    ]);
    const [created, cancelled, returned] = published;
    const ours = (path: string) => (r: { path: string; json: unknown }) =>
      r.path === path && published.includes((r.json as { id: string }).id);
    await receiver.waitForCount(3, ours(all.path));
    await receiver.waitForCount(2, ours(both.path));
    await receiver.waitForCount(1, ours(events.path));
    await receiver.waitForCount(1, ours(entities.path));
    expect(eventIdsAt(events.path, published)).toEqual([created]);
    expect(eventIdsAt(entities.path, published)).toEqual([returned]);
    expect(eventIdsAt(both.path, published).sort()).toEqual([created, returned].sort());
    expect(eventIdsAt(all.path, published).sort()).toEqual([created, cancelled, returned].sort());
  });

  it('fetches an OAuth token once, reuses it, and fetches again after a 401', async () => {
    const tokens = await startTokenEndpoint({
      clientId: 'es-client',
      clientSecret: 'es-client-secret-000001',
    });
    try {
      const { path } = await registerWebhook(
        {},
        {
          oauth: {
            token_url: tokens.url,
            client_id: 'es-client',
            client_secret: 'es-client-secret-000001',
            scope: 'events',
          },
        },
      );
      receiver.respondWith((request) =>
        request.path === path && !tokens.isValid(bearerToken(request)) ? { status: 401 } : undefined,
      );
      await publish([
        { name: 'order.created', payload: { n: 1 } },
        { name: 'order.created', payload: { n: 2 } },
      ]);
      await receiver.waitFor(
        (requests) => requests.filter((r) => r.path === path && r.answer === 200).length === 2,
      );
      expect(tokens.issued).toHaveLength(1);

      tokens.revoke();
      await publish([{ name: 'order.created', payload: { n: 3 } }]);
      await receiver.waitFor(
        (requests) => requests.filter((r) => r.path === path && r.answer === 200).length === 3,
      );
      expect(tokens.issued).toHaveLength(2);
    } finally {
      receiver.respondWith(() => undefined);
      await tokens.close();
    }
  });

  it('signs a JWT with RS256 or HS256 that the receiver verifies', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const rs = await registerWebhook(
      {},
      {
        jwt: {
          algorithm: 'RS256',
          iss: 'event-stream',
          sub: 'tenant',
          aud: 'erp',
          kid: 'k1',
          private_key: await exportPKCS8(privateKey),
        },
      },
    );
    const hsSecret = 'h'.repeat(48);
    const hs = await registerWebhook(
      {},
      { jwt: { algorithm: 'HS256', iss: 'event-stream', aud: 'erp', secret: hsSecret } },
    );
    await publish([{ name: 'order.created', payload: {} }]);
    const [rsRequest] = await receiver.waitForCount(1, to(rs.path));
    const [hsRequest] = await receiver.waitForCount(1, to(hs.path));
    const verifyKey = await importSPKI(await exportSPKI(publicKey), 'RS256');
    const rsJwt = await jwtVerify(bearerToken(rsRequest as ReceivedRequest) ?? '', verifyKey, {
      issuer: 'event-stream',
      audience: 'erp',
    });
    expect(rsJwt.protectedHeader).toMatchObject({ alg: 'RS256', kid: 'k1' });
    expect(rsJwt.payload).toMatchObject({
      sub: 'tenant',
      jti: expect.any(String),
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
    const hsJwt = await jwtVerify(
      bearerToken(hsRequest as ReceivedRequest) ?? '',
      new TextEncoder().encode(hsSecret),
      {
        audience: 'erp',
      },
    );
    expect(hsJwt.protectedHeader.alg).toBe('HS256');
  });
});

describe('receiver answers', () => {
  it('400: keeps the event among the rejected ones, logs it, does not retry, and goes on', async () => {
    const { id, path } = await registerWebhook();
    receiver.respondWith((request) =>
      request.path === path && (request.json as { payload: { valid: boolean } }).payload.valid === false
        ? { status: 400, body: { error: 'missing field' } }
        : undefined,
    );
    const [bad, good] = await publish([
      { name: 'order.created', payload: { valid: false } },
      { name: 'order.created', payload: { valid: true } },
    ]);
    await receiver.waitForCount(2, to(path));
    await eventually(async () => {
      const rejected = (await api('GET', `${BASE}/${id}/rejected_events`)).body.rejected_events;
      expect(rejected.map((event: { id: string }) => event.id)).toEqual([bad]);
    });
    expect((await api('GET', `${BASE}/${id}/rejected_events/${bad}`)).body).toMatchObject({
      id: bad,
      payload: { valid: false },
    });
    expect(await logActions(id)).toContain('event_rejected');
    // A later event still arrives, and the rejected one was never sent again.
    const [later] = await publish([{ name: 'order.created', payload: { valid: true } }]);
    await receiver.waitForCount(3, to(path));
    expect(eventIdsAt(path).filter((eventId) => eventId === bad)).toHaveLength(1);
    expect(eventIdsAt(path)).toEqual(expect.arrayContaining([good, later]));
    receiver.respondWith(() => undefined);
  });

  it('400 on 35 events keeps the newest 30', async () => {
    const { id, path } = await registerWebhook();
    receiver.respondWith((request) => (request.path === path ? { status: 400 } : undefined));
    await publish(Array.from({ length: 35 }, (_, i) => ({ name: 'order.created', payload: { i } })));
    await receiver.waitForCount(35, to(path), { timeoutMs: 20_000 });
    await eventually(async () => {
      expect((await api('GET', `${BASE}/${id}/rejected_events`)).body.rejected_events).toHaveLength(30);
    });
    receiver.respondWith(() => undefined);
  });

  it('retries a rejected event on request: 502 while the receiver refuses, 200 once it accepts', async () => {
    const { id, path } = await registerWebhook();
    let accept = false;
    receiver.respondWith((request) => (request.path === path && !accept ? { status: 400 } : undefined));
    const [eventId] = await publish([{ name: 'order.created', payload: {} }]);
    await eventually(async () => {
      expect((await api('GET', `${BASE}/${id}/rejected_events`)).body.rejected_events).toHaveLength(1);
    });
    // The delivery batch writes the rejected attempt into the history when it is done.
    await eventually(async () => {
      const deliveries = (await api('GET', `${BASE}/${id}/deliveries`)).body.deliveries;
      expect(deliveries.some((d: { event_id: string }) => d.event_id === eventId)).toBe(true);
    });
    const refused = await api('POST', `${BASE}/${id}/rejected_events/${eventId}/_retry`);
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({ error_code: 'receiver_error', status_code: 400 });
    accept = true;
    const retried = await api('POST', `${BASE}/${id}/rejected_events/${eventId}/_retry`);
    expect(retried.status, retried.text).toBe(200);
    expect((await api('GET', `${BASE}/${id}/rejected_events`)).body.rejected_events).toEqual([]);
    expect((await api('POST', `${BASE}/${id}/rejected_events/${eventId}/_retry`)).status).toBe(404);
    expect(receiver.requests.filter(to(path)).at(-1)?.headers['webhook-id']).toBe(eventId);
    // Both retries are attempts of the event's delivery, as a resent delivery's are.
    const history = await api('GET', `${BASE}/${id}/deliveries?include_attempts=true`);
    const record = history.body.deliveries.find((d: { event_id: string }) => d.event_id === eventId);
    expect(record.status).toBe('delivered');
    expect(record.attempts.map((a: { status_code: number }) => a.status_code)).toEqual([400, 400, 200]);
    receiver.respondWith(() => undefined);
  });

  it('410: stops the integration and logs why', async () => {
    const { id, path } = await registerWebhook();
    receiver.respondWith((request) => (request.path === path ? { status: 410 } : undefined));
    await publish([{ name: 'order.created', payload: {} }]);
    await eventually(async () => {
      const integration = (await api('GET', `${BASE}/${id}`)).body;
      expect(integration.status).toBe('stopped');
    });
    const entries = (await api('GET', `${BASE}/${id}/logs`)).body.entries;
    expect(entries[0]).toMatchObject({ action: 'integration_stopped', reason: expect.stringMatching(/410/) });
    receiver.respondWith(() => undefined);
  });

  it.each([
    ['500', { status: 500 }],
    ['429 with Retry-After', { status: 429, headers: { 'retry-after': '1' } }],
    ['a redirect', { status: 302, headers: { location: 'http://127.0.0.1:1/' } }],
    ['a timeout', { delayMs: 2_500 }],
    ['a connection reset', { destroy: true as const }],
  ])('retries after %s and delivers once the receiver answers 2xx', async (_, failure) => {
    const { id, path } = await registerWebhook();
    receiver.respondWith((request) =>
      request.path === path && receiver.requests.filter(to(path)).length === 1 ? failure : undefined,
    );
    const [eventId] = await publish([{ name: 'order.created', payload: {} }]);
    const attempts = (
      await receiver.waitFor(
        (requests) => {
          const mine = requests.filter(to(path));
          return mine.length >= 2 && mine.at(-1)?.answer === 200;
        },
        { timeoutMs: 20_000 },
      )
    ).filter(to(path));
    expect(new Set(attempts.map((r) => r.headers['webhook-id']))).toEqual(new Set([eventId]));
    await eventually(async () => expect(await logActions(id)).toContain('retry_triggered'));
    receiver.respondWith(() => undefined);
  });

  it('delivers every event once a receiver that was down comes back', async () => {
    const down = await startReceiver();
    try {
      const id = uniqueId('down');
      await api('POST', BASE, {
        body: { id, integration_type: 'permanent', callback_parameters: { callback_url: down.url('/hook') } },
      });
      await down.down();
      const ids = await publish(
        Array.from({ length: 5 }, (_, i) => ({ name: 'order.created', payload: { i } })),
      );
      await eventually(async () => expect(await logActions(id)).toContain('retry_triggered'), {
        timeoutMs: 10_000,
      });
      await down.up();
      const received = await down.waitFor(
        (requests) => ids.every((eventId) => requests.some((r) => (r.json as { id: string }).id === eventId)),
        { timeoutMs: 20_000 },
      );
      expect(new Set(received.map((r) => (r.json as { id: string }).id))).toEqual(new Set(ids));
    } finally {
      await down.close();
    }
  });
});

describe('integration state', () => {
  it('delivers nothing to a stopped integration', async () => {
    const stopped = await registerWebhook();
    const running = await registerWebhook();
    await api('POST', `${BASE}/${stopped.id}/_stop`);
    const published = await publish([{ name: 'order.created', payload: {} }]);
    await receiver.waitForCount(
      1,
      (r) => r.path === running.path && published.includes((r.json as { id: string }).id),
    );
    expect(eventIdsAt(running.path, published)).toEqual(published);
    expect(eventIdsAt(stopped.path, published)).toEqual([]);
  });

  it('signs with both secrets for a day after a rotation', async () => {
    const { id, path } = await registerWebhook();
    const before = (await api('GET', `${BASE}/${id}/signing_secret`)).body.signing_secret;
    const rotated = await api('POST', `${BASE}/${id}/signing_secret/_rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({
      previous_signing_secret: before,
      previous_signing_secret_expires_at: expect.any(String),
    });
    expect(rotated.body.signing_secret).not.toBe(before);
    const published = await publish([{ name: 'order.created', payload: {} }]);
    const [request] = await receiver.waitForCount(
      1,
      (r) => r.path === path && published.includes((r.json as { id: string }).id),
    );
    expect(verifyWebhook(before, request as ReceivedRequest)).toBeTruthy();
    expect(verifyWebhook(rotated.body.signing_secret, request as ReceivedRequest)).toBeTruthy();
    expect(await logActions(id)).toContain('signing_secret_rotated');
  });
});
