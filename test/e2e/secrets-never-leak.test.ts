import { paginateScan } from '@aws-sdk/client-dynamodb';
import { exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TABLES } from '../../lib/resource-definitions.ts';
import { type ApiResponse, apiClient, BASE, uniqueId } from '../support/api-client.ts';
import { awsClients } from '../support/aws-clients.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';
import { eventually } from '../support/poll.ts';
import { type Receiver, startReceiver, startTokenEndpoint, type TokenEndpoint } from '../support/receiver.ts';

/**
 * A full run with every kind of credential, capturing every API response, every log line the handlers
 * write (Powertools, at DEBUG) and every DynamoDB item: no secret value may appear in any of them. The
 * signing secret's own endpoint is the one place that shows it, by design, and is left out.
 */
const runtime = useLocalRuntime({
  env: { POWERTOOLS_LOG_LEVEL: 'DEBUG', RETRY_SCHEDULE_SECONDS: '1', MAX_INTEGRATIONS: '50' },
});
let api: Awaited<ReturnType<typeof apiClient>>;
let receiver: Receiver;
let tokens: TokenEndpoint;
const captured: string[] = [];
const responses: ApiResponse[] = [];
const restore: (() => void)[] = [];

beforeAll(async () => {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => {
      stream.write = write as typeof stream.write;
    });
  }
  const raw = await apiClient(runtime);
  api = async (...args) => {
    const response = await raw(...args);
    responses.push(response);
    return response;
  };
  receiver = await startReceiver((request) =>
    request.path.includes('reject')
      ? { status: 400 }
      : request.path.includes('fail')
        ? { status: 500 }
        : undefined,
  );
  tokens = await startTokenEndpoint({
    clientId: 'leak-client',
    clientSecret: 'oauth-client-secret-LEAK-0001',
  });
});

afterAll(async () => {
  for (const undo of restore) undo();
  await receiver?.close();
  await tokens?.close();
});

it('no secret value appears in any response, log line or table item', async () => {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const pem = await exportPKCS8(privateKey);
  const secrets = {
    apiKey: 'api-key-value-LEAK-0001-abcdef',
    apiKey2: 'api-key-value-LEAK-0002-ghijkl',
    oauthSecret: 'oauth-client-secret-LEAK-0001',
    hsSecret: 'hs256-shared-secret-LEAK-0001-0123456789abcdef',
    awsSecret: 'wJalrXUtnFEMI/K7MDENG/LEAK0001EXAMPLEKEY',
    pemBody: pem.split('\n')[3] as string,
  };
  const registrations = [
    { callback_parameters: { callback_url: receiver.url('/api-key'), api_key: secrets.apiKey } },
    { callback_parameters: { callback_url: receiver.url('/reject'), api_key: secrets.apiKey } },
    { callback_parameters: { callback_url: receiver.url('/fail'), api_key: secrets.apiKey } },
    {
      callback_parameters: {
        callback_url: receiver.url('/oauth'),
        oauth: { token_url: tokens.url, client_id: 'leak-client', client_secret: secrets.oauthSecret },
      },
    },
    {
      callback_parameters: {
        callback_url: receiver.url('/rs'),
        jwt: { algorithm: 'RS256', iss: 'es', private_key: pem },
      },
    },
    {
      callback_parameters: {
        callback_url: receiver.url('/hs'),
        jwt: { algorithm: 'HS256', aud: 'erp', secret: secrets.hsSecret },
      },
    },
    {
      s3_parameters: {
        bucket: 'leak-test-bucket',
        key_prefix: 'erp',
        aws_region: 'us-east-1',
        aws_access_key_id: 'AKIALEAKTEST00001',
        aws_secret_access_key: secrets.awsSecret,
      },
    },
  ];
  const ids: string[] = [];
  for (const body of registrations) {
    const id = uniqueId('leak');
    ids.push(id);
    const response = await api('POST', BASE, { body: { id, integration_type: 'permanent', ...body } });
    expect(response.status, response.text).toBe(200);
  }
  const published = await api('POST', '/api/v1/org/events', {
    body: { events: Array.from({ length: 5 }, (_, i) => ({ name: 'order.created', payload: { i } })) },
  });
  expect(published.status).toBe(202);
  await receiver.waitFor(
    (requests) =>
      ['/api-key', '/oauth', '/rs', '/hs'].every(
        (path) => requests.filter((r) => r.path === path).length >= 5,
      ),
    {
      timeoutMs: 20_000,
    },
  );
  const [, rejectId, failId] = ids as [string, string, string];
  await eventually(
    async () => {
      expect(
        (await api('GET', `${BASE}/${rejectId}/rejected_events`)).body.rejected_events.length,
      ).toBeGreaterThan(0);
      expect(
        (await api('GET', `${BASE}/${failId}/logs`)).body.entries.some(
          (e: { action: string }) => e.action === 'retry_triggered',
        ),
      ).toBe(true);
    },
    { timeoutMs: 15_000 },
  );

  // Everything a client can read back, plus an update, a rotation and a retry.
  await api('GET', BASE);
  for (const id of ids) {
    await api('GET', `${BASE}/${id}`);
    await api('GET', `${BASE}/${id}/logs`);
    await api('GET', `${BASE}/${id}/deliveries?include_attempts=true&include_payload=true`);
  }
  const rejected = (await api('GET', `${BASE}/${rejectId}/rejected_events`)).body.rejected_events;
  await api('POST', `${BASE}/${rejectId}/rejected_events/${rejected[0].id}/_retry`);
  await api('POST', `${BASE}/${ids[0]}/_stop`);
  await api('PATCH', `${BASE}/${ids[0]}`, {
    body: { callback_parameters: { callback_url: receiver.url('/api-key'), api_key: secrets.apiKey2 } },
  });
  await api('POST', `${BASE}/${ids[0]}/_start`);
  const signing: string[] = [];
  const rotated = await (await apiClient(runtime))('POST', `${BASE}/${ids[1]}/signing_secret/_rotate`);
  signing.push(rotated.body.signing_secret, rotated.body.previous_signing_secret);
  await api('POST', `${BASE}/${ids[1]}/rejected_events/${rejected[0].id}/_retry`);

  const aws = awsClients(runtime);
  const items: string[] = [];
  for (const table of TABLES) {
    const name = runtime.env[table.envVar] as string;
    for await (const page of paginateScan({ client: aws.dynamodb }, { TableName: name })) {
      items.push(JSON.stringify(page.Items ?? []));
    }
  }

  const haystacks = {
    responses: responses.map((response) => response.text).join('\n'),
    logs: captured.join(''),
    items: items.join('\n'),
  };
  expect(haystacks.logs.length).toBeGreaterThan(1000);
  expect(haystacks.items).toContain('LOG#');
  for (const [where, text] of Object.entries(haystacks)) {
    for (const [what, value] of Object.entries({ ...secrets, signing0: signing[0], signing1: signing[1] })) {
      expect(text.includes(value as string), `${what} found in ${where}`).toBe(false);
    }
  }
});
