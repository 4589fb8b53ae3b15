import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.ts';
import { apiClient, BASE, webhookBody } from '../support/api-client.ts';

// A runtime of its own: the limit counts every integration in the table.
let runtime: LocalRuntime;
let api: Awaited<ReturnType<typeof apiClient>>;

beforeAll(async () => {
  delete process.env.MAX_INTEGRATIONS;
  runtime = await startLocalRuntime({ log: () => {} });
  api = await apiClient(runtime);
});

afterAll(async () => {
  await runtime?.stop();
});

it('refuses an eleventh integration with 400 and accepts one again after a delete', async () => {
  for (let i = 0; i < 10; i++) {
    expect((await api('POST', BASE, { body: webhookBody(`limit-${i}`) })).status).toBe(200);
  }
  const eleventh = await api('POST', BASE, { body: webhookBody('limit-10') });
  expect(eleventh.status).toBe(400);
  expect(eleventh.body).toMatchObject({
    error_code: 'limit_exceeded',
    message: expect.stringMatching(/At most 10/),
  });
  expect((await api('GET', `${BASE}/limit-10`)).status).toBe(404);

  expect((await api('DELETE', `${BASE}/limit-3`)).status).toBe(200);
  expect((await api('POST', BASE, { body: webhookBody('limit-10') })).status).toBe(200);
  expect((await api('GET', BASE)).body.integrations).toHaveLength(10);
});

it('holds the limit when registrations race', async () => {
  const responses = await Promise.all(
    Array.from({ length: 5 }, (_, i) => api('POST', BASE, { body: webhookBody(`race-${i}`) })),
  );
  expect(responses.map((response) => response.status)).toEqual([400, 400, 400, 400, 400]);
  await api('DELETE', `${BASE}/limit-0`);
  await api('DELETE', `${BASE}/limit-1`);
  const raced = await Promise.all(
    Array.from({ length: 6 }, (_, i) => api('POST', BASE, { body: webhookBody(`race2-${i}`) })),
  );
  expect(raced.filter((response) => response.status === 200)).toHaveLength(2);
  expect((await api('GET', BASE)).body.integrations).toHaveLength(10);
});
