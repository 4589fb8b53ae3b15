import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardedHttpSender } from '../../lambdas/adapters/http/guarded-http-sender.ts';

let server: http.Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    hits++;
    if (request.url === '/redirect') {
      response.writeHead(302, { location: '/elsewhere' }).end();
    } else if (request.url === '/slow') {
      setTimeout(() => response.writeHead(200).end('late'), 2_000);
    } else if (request.url === '/reset') {
      request.socket.destroy();
    } else {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => response.writeHead(200, { 'retry-after': '5' }).end(`got ${body}`));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const refusedReasons: string[] = [];
const deployed = new GuardedHttpSender({
  timeoutMs: 500,
  allowPrivateNetworks: false,
  onRefused: (_, reason) => refusedReasons.push(reason),
});
const local = new GuardedHttpSender({ timeoutMs: 500, allowPrivateNetworks: true });

describe('SSRF guard', () => {
  it.each([
    ['loopback', 'http://127.0.0.1:PORT/'],
    ['loopback (other)', 'http://127.8.9.10:PORT/'],
    ['private 10/8', 'http://10.0.0.1:PORT/'],
    ['private 172.16/12', 'http://172.16.5.4:PORT/'],
    ['private 192.168/16', 'http://192.168.0.1:PORT/'],
    ['link-local metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['CGNAT', 'http://100.64.1.1:PORT/'],
    ['unspecified', 'http://0.0.0.0:PORT/'],
    ['multicast', 'http://224.0.0.1:PORT/'],
    ['IPv6 loopback', 'http://[::1]:PORT/'],
    ['IPv6 ULA', 'http://[fd12:3456::1]:PORT/'],
    ['IPv6 link-local', 'http://[fe80::1]:PORT/'],
    ['IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]:PORT/'],
    ['NAT64 of the metadata address', 'http://[64:ff9b::a9fe:a9fe]:PORT/'],
    ['6to4 of 10/8', 'http://[2002:a00:1::1]:PORT/'],
    ['Teredo', 'http://[2001:0:a00:1::1]:PORT/'],
    ['IPv4-compatible loopback', 'http://[::7f00:1]:PORT/'],
  ])('refuses %s without connecting', async (_, template) => {
    const before = hits;
    const result = await deployed.post(template.replace('PORT', String(port)), '{}', {});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^refused: /);
    expect(hits).toBe(before);
  });

  it('refuses a host name that resolves to 127.0.0.1, at connect time', async () => {
    const before = hits;
    refusedReasons.length = 0;
    const result = await deployed.post(`http://localhost:${port}/`, '{}', {});
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/refused: localhost resolves only to refused addresses/),
    });
    expect(refusedReasons).toHaveLength(1);
    expect(hits).toBe(before);
  });

  it('reaches loopback where the setting allows it', async () => {
    const result = await local.post(`http://localhost:${port}/echo`, '{"a":1}', {
      'content-type': 'application/json',
    });
    expect(result).toMatchObject({
      ok: true,
      status: 200,
      excerpt: 'got {"a":1}',
      headers: { 'retry-after': '5' },
    });
  });
});

describe('transport', () => {
  it('does not follow redirects', async () => {
    const result = await local.post(`http://127.0.0.1:${port}/redirect`, '{}', {});
    expect(result).toMatchObject({ ok: true, status: 302 });
  });

  it('gives up after the timeout', async () => {
    const result = await local.post(`http://127.0.0.1:${port}/slow`, '{}', {});
    expect(result).toMatchObject({ ok: false, error: 'timeout after 500 ms' });
    expect(result.durationMs).toBeGreaterThanOrEqual(450);
  });

  it('calls a request off when its signal says so, before the timeout', async () => {
    const controller = new AbortController();
    const sent = local.post(`http://127.0.0.1:${port}/slow`, '{}', {}, controller.signal);
    controller.abort('called off: receiver hangs');
    expect(await sent).toMatchObject({ ok: false, error: 'called off: receiver hangs' });
    const already = new AbortController();
    already.abort('called off before');
    expect(await local.post(`http://127.0.0.1:${port}/slow`, '{}', {}, already.signal)).toMatchObject({
      ok: false,
      error: 'called off before',
    });
  });

  it('reports a reset connection and a refused one', async () => {
    expect(await local.post(`http://127.0.0.1:${port}/reset`, '{}', {})).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ECONNRESET|socket hang up/),
    });
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await local.post(`http://127.0.0.1:${closedPort}/`, '{}', {})).toMatchObject({
      ok: false,
      error: 'connection refused (ECONNREFUSED)',
    });
  });
});
