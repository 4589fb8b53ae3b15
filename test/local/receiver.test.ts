import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { signatureHeaders } from '../../lambdas/domain/webhook-signature.ts';
import { eventually } from '../support/poll.ts';
import {
  bearerToken,
  type ReceivedRequest,
  type Receiver,
  startReceiver,
  startTokenEndpoint,
  verifyWebhook,
} from '../support/receiver.ts';

describe('test receiver', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  const receiver = async (): Promise<Receiver> => {
    const started = await startReceiver();
    open.push(started);
    return started;
  };

  it('records requests and answers as scripted', async () => {
    const r = await receiver();
    r.respondWith((_, n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '7' }, body: { slow: 'down' } } : { status: 204 },
    );

    const first = await fetch(r.url('/hook?x=1'), { method: 'POST', body: '{"a":1}' });
    const second = await fetch(r.url('hook'), { method: 'POST', body: 'not json' });

    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(await first.json()).toEqual({ slow: 'down' });
    expect(second.status).toBe(204);
    expect(
      r.requests.map(({ n, method, path, json, answer }) => ({ n, method, path, json, answer })),
    ).toEqual([
      { n: 1, method: 'POST', path: '/hook?x=1', json: { a: 1 }, answer: 429 },
      { n: 2, method: 'POST', path: '/hook', json: undefined, answer: 204 },
    ]);
  });

  it('resets connections, delays answers, and goes down and up on the same port', async () => {
    const r = await receiver();
    r.respondWith((_, n) => (n === 1 ? { destroy: true } : { delayMs: 200, body: 'late' }));

    await expect(fetch(r.url('/'), { method: 'POST', body: 'x' })).rejects.toThrow();
    const started = Date.now();
    const late = await fetch(r.url('/'));
    expect(await late.text()).toBe('late');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);

    await r.down();
    await expect(fetch(r.url('/'))).rejects.toThrow();
    await r.up();
    expect((await fetch(r.url('/'))).status).toBe(200);
    expect(r.requests.map((request) => request.answer)).toEqual(['destroyed', 200, 200]);
  });

  it('waitFor resolves when the condition holds and rejects at its deadline naming what arrived', async () => {
    const r = await receiver();
    const waiting = r.waitForCount(2, (request) => request.method === 'POST', { timeoutMs: 5000 });
    await fetch(r.url('/a'), { method: 'POST' });
    await fetch(r.url('/b'));
    await fetch(r.url('/c'), { method: 'POST' });

    expect((await waiting).map((request) => request.path)).toEqual(['/a', '/c']);
    await expect(r.waitFor((requests) => requests.length > 5, { timeoutMs: 100 })).rejects.toThrow(
      /within 100 ms; received 3: #1 POST \/a → 200/,
    );
  });

  it('token endpoint: issues client-credentials tokens to the right client only', async () => {
    const tokens = await startTokenEndpoint({ clientId: 'id', clientSecret: 's3cr:t', expiresInSeconds: 60 });
    open.push(tokens);
    const ask = (authorization: string, grant = 'client_credentials') =>
      fetch(tokens.url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=${grant}`,
      });
    const basic = (id: string, secret: string) =>
      `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

    const ok = await ask(basic('id', 's3cr:t'));
    const wrong = await ask(basic('id', 'other'));
    const badGrant = await ask(basic('id', 's3cr:t'), 'password');

    const body = (await ok.json()) as { access_token: string };
    expect(body).toEqual({ access_token: tokens.issued[0], token_type: 'Bearer', expires_in: 60 });
    expect(wrong.status).toBe(401);
    expect(badGrant.status).toBe(400);
    expect(tokens.issued).toHaveLength(1);
    expect(tokens.isValid(body.access_token)).toBe(true);
    tokens.revoke();
    expect(tokens.isValid(body.access_token)).toBe(false);
  });

  it('verifies Standard Webhooks signatures made by our signer with the reference package', async () => {
    const r = await receiver();
    const secret = `whsec_${Buffer.from('k'.repeat(32)).toString('base64')}`;
    const other = `whsec_${Buffer.from('o'.repeat(32)).toString('base64')}`;
    const body = JSON.stringify({ id: 'e1', name: 'order.created' });
    const headers = signatureHeaders([secret, other], 'e1', Math.floor(Date.now() / 1000), body);
    await fetch(r.url('/'), { method: 'POST', headers: { ...headers, authorization: 'Bearer abc' }, body });
    await fetch(r.url('/'), { method: 'POST', headers, body: `${body} ` });

    const [signed, altered] = (await eventually(() => {
      expect(r.requests).toHaveLength(2);
      return r.requests;
    })) as [ReceivedRequest, ReceivedRequest];
    expect(verifyWebhook(secret, signed)).toEqual({ id: 'e1', name: 'order.created' });
    expect(verifyWebhook(other, signed)).toEqual({ id: 'e1', name: 'order.created' });
    expect(bearerToken(signed)).toBe('abc');
    expect(() => verifyWebhook(secret, altered)).toThrow();
    expect(() => new Webhook(secret).verify(signed.rawBody, {})).toThrow();
  });
});
