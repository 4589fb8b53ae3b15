import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_FILE } from '../../api/assets.ts';
import { OPENAPI_PATH } from '../../lambdas/handlers/api/routes.ts';
import { typedApiClient, uniqueId } from '../support/api-client.ts';
import { runCli, spawnCli } from '../support/cli.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';
import { eventually } from '../support/poll.ts';
import {
  type ReceivedRequest,
  type Receiver,
  startReceiver,
  startTokenEndpoint,
} from '../support/receiver.ts';

/**
 * The `event-stream` CLI run as a child process against one local runtime: what it prints, how it exits.
 */
const runtime = useLocalRuntime();
let receiver: Receiver;
let workDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  receiver = await startReceiver();
  workDir = await mkdtemp(join(tmpdir(), 'event-stream-cli-'));
  env = {
    EVENT_STREAM_API_URL: runtime.apiUrl,
    EVENT_STREAM_TOKEN: await runtime.issueToken(),
    XDG_CONFIG_HOME: join(workDir, 'config'),
  };
});

afterAll(async () => {
  await receiver?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const json = async (args: string[], extraEnv: Record<string, string> = {}) => {
  const result = await runCli(['--output', 'json', ...args], { ...env, ...extraEnv });
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return JSON.parse(result.stdout);
};

describe('the event-stream CLI', () => {
  it('manages an integration from create to delete, publishing, querying and following its deliveries', async () => {
    const id = uniqueId('cli');
    const entity = `cli${randomUUID().replaceAll('-', '').slice(0, 12)}`;

    const created = await json([
      'integrations',
      'create',
      '--id',
      id,
      '--url',
      receiver.url(`/${id}`),
      '--entity',
      entity,
    ]);
    expect(created).toMatchObject({ id, status: 'running', filter_conditions: { entity_filter: [entity] } });

    // What the CLI registered, read back through the typed client (its answers checked against the document).
    const api = await typedApiClient(runtime);
    const { data: stored } = await api.GET('/api/v1/org/integrations/eventstream/{integration_id}', {
      params: { path: { integration_id: id } },
    });
    expect(stored?.callback_parameters?.callback_url).toBe(receiver.url(`/${id}`));

    const listed = await json(['integrations', 'list']);
    expect(listed.map((integration: { id: string }) => integration.id)).toContain(id);
    expect(await json(['integrations', 'get', id])).toMatchObject({ id, integration_type: 'permanent' });
    expect(await json(['integrations', 'stop', id])).toMatchObject({ id, status: 'stopped' });
    expect(await json(['integrations', 'start', id])).toMatchObject({ id, status: 'running' });

    // The receiver gets one signed test event now.
    expect(await json(['integrations', 'test', id])).toMatchObject({ ok: true, status_code: 200 });

    // 250 events as NDJSON: three requests of at most 100.
    const file = join(workDir, 'events.ndjson');
    const events = Array.from({ length: 250 }, (_, n) => ({
      id: randomUUID(),
      name: `${entity}.created`,
      payload: { id: `${entity}-${n}`, n },
    }));
    await writeFile(file, `${events.map((event) => JSON.stringify(event)).join('\n')}\n`);
    const published = await json(['events', 'publish', file]);
    expect(published).toMatchObject({ published: 250, requests: 3 });
    expect(published.ids).toEqual(events.map((event) => event.id));

    await eventually(
      async () => {
        const page = await json(['events', 'query', '--entity', entity, '--limit', '500']);
        expect(page.events).toHaveLength(250);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );

    const ours = (request: ReceivedRequest) =>
      request.path === `/${id}` &&
      (request.json as { name?: string } | undefined)?.name === `${entity}.created`;
    await receiver.waitForCount(250, ours, { timeoutMs: 60_000 });
    const deliveries = await eventually(
      async () => {
        const page = await json(['deliveries', 'list', id, '--status', 'delivered', '--limit', '200']);
        expect(page.deliveries).toHaveLength(200);
        return page;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(deliveries.next_token).toEqual(expect.any(String));
    const rest = await json([
      'deliveries',
      'list',
      id,
      '--status',
      'delivered',
      '--next-token',
      deliveries.next_token,
      '--limit',
      '200',
    ]);
    expect(rest.deliveries).toHaveLength(50);

    // tail prints a delivery that happens while it runs, then stops on Ctrl-C.
    const tail = spawnCli(['--output', 'json', 'tail', id, '--interval', '200'], env);
    let tailOut = '';
    let tailErr = '';
    tail.stdout?.on('data', (chunk) => {
      tailOut += chunk;
    });
    tail.stderr?.on('data', (chunk) => {
      tailErr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => tail.once('exit', (code) => resolve(code)));
    try {
      await eventually(() => expect(tailErr).toContain(`Watching ${id}`), { timeoutMs: 20_000 });
      const live = { id: randomUUID(), name: `${entity}.updated`, payload: { id: `${entity}-live` } };
      const single = join(workDir, 'one.json');
      await writeFile(single, JSON.stringify([live]));
      await json(['events', 'publish', single]);
      await eventually(
        () => {
          const lines = tailOut
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line));
          expect(lines).toContainEqual(expect.objectContaining({ event_id: live.id, status: 'delivered' }));
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
    } finally {
      tail.kill('SIGINT');
    }
    expect(await exited).toBe(0);

    expect(await json(['integrations', 'delete', id])).toEqual({});
    const gone = await runCli(['integrations', 'get', id], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`Integration ${id} not found. [404 not_found]`);
  }, 180_000);

  it('sets ordering and a rate limit, shows them in get and list, and an update without them removes them', async () => {
    const id = uniqueId('cli-limits');
    const url = receiver.url(`/${id}`);
    const limits = ['--ordering', 'entity', '--rate-per-second', '5', '--max-in-flight', '2'];
    const created = await json(['integrations', 'create', '--id', id, '--url', url, ...limits]);
    expect(created.callback_parameters).toEqual({
      callback_url: url,
      ordering: 'entity',
      rate_limit: { per_second: 5, max_in_flight: 2 },
    });
    expect(await json(['integrations', 'get', id])).toMatchObject({
      callback_parameters: { ordering: 'entity', rate_limit: { per_second: 5, max_in_flight: 2 } },
      rate_limit_state: { current_per_second: 5 },
    });

    // On a terminal (table output): a line each in get, a column each in list.
    const get = await runCli(['--output', 'table', 'integrations', 'get', id], env);
    expect(get.stdout).toMatch(/^ordering +entity$/m);
    expect(get.stdout).toMatch(/^rate_limit +5\/s, 2 in flight$/m);
    const list = await runCli(['--output', 'table', 'integrations', 'list'], env);
    expect(list.stdout).toMatch(/^ID +STATUS +INTEGRATION_TYPE +DESTINATION +ORDERING +RATE_LIMIT/);
    expect(list.stdout.split('\n').find((line) => line.startsWith(`${id} `))).toMatch(
      /entity +5\/s, 2 in flight/,
    );

    const refused = await runCli(['integrations', 'update', id, '--ordering', 'none'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--ordering needs --url');

    await json(['integrations', 'stop', id]);
    const updated = await json(['integrations', 'update', id, '--url', url]);
    expect(updated.callback_parameters).toEqual({ callback_url: url });
    expect(await json(['integrations', 'get', id])).not.toHaveProperty('rate_limit_state');
    await json(['integrations', 'delete', id]);
  });

  it("exits non-zero with the API's message and the field at fault", async () => {
    const result = await runCli(
      ['integrations', 'create', '--id', uniqueId('cli'), '--url', 'ftp://example.com/x'],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /callback_parameters\.callback_url: .+ \(field: callback_parameters\.callback_url\) \[400 validation_error\]/,
    );
  });

  it('retries a batch the API answers 5xx or 429 to, and gives up on a 4xx', async () => {
    const api = await startReceiver((request, n) => {
      if (n === 1) return { status: 503, body: { message: 'Service Unavailable' } };
      if (n === 2)
        return { status: 429, headers: { 'retry-after': '0' }, body: { message: 'Too Many Requests' } };
      const { events } = request.json as { events: { id: string }[] };
      return { status: 202, body: { ids: events.map((event) => event.id) } };
    });
    try {
      const file = join(workDir, 'retry.json');
      const events = [1, 2].map((n) => ({ id: randomUUID(), name: 'order.created', payload: { n } }));
      await writeFile(file, JSON.stringify(events));
      const published = await json(['--api-url', api.url(), 'events', 'publish', file]);
      expect(published).toEqual({ published: 2, requests: 3, ids: events.map((event) => event.id) });

      api.respondWith(() => ({
        status: 400,
        body: {
          error_code: 'validation_error',
          message: 'events[0].name: bad',
          request_id: 'r',
          field: 'events[0].name',
        },
      }));
      const refused = await runCli(['--api-url', api.url(), 'events', 'publish', file], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('events[0].name: bad (field: events[0].name) [400 validation_error]');
      expect(api.requests).toHaveLength(4);
    } finally {
      await api.close();
    }
  });

  it('registers a temporary integration for a replay', async () => {
    const id = uniqueId('cli-replay');
    const to = new Date();
    const from = new Date(to.getTime() - 60 * 60 * 1000);
    const replay = await json([
      'replay',
      id,
      '--from',
      from.toISOString(),
      '--to',
      to.toISOString(),
      '--event',
      'nothing.here',
      '--url',
      receiver.url(`/${id}`),
      '--ordering',
      'entity',
    ]);
    expect(replay).toMatchObject({
      id,
      integration_type: 'temporary',
      starts_at: from.toISOString(),
      ends_at: to.toISOString(),
      callback_parameters: { ordering: 'entity' },
      filter_conditions: { event_filter: ['nothing.here'] },
    });
  });

  it('logs in with client credentials into a 0600 config, never printing the secret, and refreshes the token', async () => {
    const secret = `secret-${randomUUID()}`;
    const tokens = await startTokenEndpoint({
      clientId: 'cli-client',
      clientSecret: secret,
      expiresInSeconds: 30,
    });
    const api = await startReceiver(() => ({ body: { integrations: [] } }));
    const loginEnv = { XDG_CONFIG_HOME: join(workDir, 'login-config') };
    try {
      const login = await runCli(
        [
          '--output',
          'json',
          '--api-url',
          api.url(),
          'login',
          '--client-id',
          'cli-client',
          '--client-secret',
          secret,
          '--token-url',
          tokens.url,
        ],
        loginEnv,
      );
      expect(login.code, login.stderr).toBe(0);
      expect(login.stdout).not.toContain(secret);
      const file = join(workDir, 'login-config', 'event-stream', 'config.json');
      expect(JSON.parse(login.stdout)).toMatchObject({ logged_in: true, config: file });
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
        client_id: 'cli-client',
        client_secret: secret,
        access_token: tokens.issued[0],
        api_url: api.url(),
      });

      // The stored api_url and token are used; a token within a minute of expiry is refreshed first.
      const listed = await runCli(['--output', 'json', 'integrations', 'list'], loginEnv);
      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual([]);
      expect(tokens.issued).toHaveLength(2);
      expect(api.requests.at(-1)?.headers.authorization).toBe(`Bearer ${tokens.issued[1]}`);
    } finally {
      await api.close();
      await tokens.close();
    }
  });

  it('prints a signed local token, and the runtime serves the OpenAPI document without one', async () => {
    const token = await runCli(['token', '--scope', 'eventstream/read']);
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    const document = await fetch(`${runtime.apiUrl}${OPENAPI_PATH}`);
    expect(document.status).toBe(200);
    expect(await document.text()).toBe(await readFile(DOCUMENT_FILE, 'utf8'));
  });
});
