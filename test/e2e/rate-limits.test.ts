import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, BASE, uniqueId } from '../support/api-client.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';
import { eventually } from '../support/poll.ts';
import { type ReceivedRequest, type Receiver, startReceiver } from '../support/receiver.ts';

const EVENTS = '/api/v1/org/events';
/** How long the receiver takes to answer: requests overlap unless the limit keeps them apart. */
const ANSWER_MS = 150;

// Retries after a second, so held-back and throttled messages come back quickly.
const runtime = useLocalRuntime({ env: { RETRY_SCHEDULE_SECONDS: '1' } });
let api: Awaited<ReturnType<typeof apiClient>>;
let receiver: Receiver;
/** Per path: the answer of each request by its number on that path (1-based); default 200 after ANSWER_MS. */
const scripts = new Map<
  string,
  (n: number) => { status: number; headers?: Record<string, string> } | undefined
>();
const counts = new Map<string, number>();

beforeAll(async () => {
  api = await apiClient(runtime);
  receiver = await startReceiver((request) => {
    const n = (counts.get(request.path) ?? 0) + 1;
    counts.set(request.path, n);
    const scripted = scripts.get(request.path)?.(n);
    return { delayMs: ANSWER_MS, ...(scripted ?? { status: 200 }) };
  });
});

afterAll(async () => {
  await receiver?.close();
});

const registerLimited = async (rateLimit: Record<string, number>) => {
  const id = uniqueId('rate');
  const path = `/${id}`;
  const response = await api('POST', BASE, {
    body: {
      id,
      integration_type: 'permanent',
      callback_parameters: { callback_url: receiver.url(path), rate_limit: rateLimit },
    },
  });
  expect(response.status, response.text).toBe(200);
  return { id, path };
};

const publish = async (count: number): Promise<string[]> => {
  const events = Array.from({ length: count }, (_, i) => ({ name: 'order.created', payload: { n: i } }));
  const response = await api('POST', EVENTS, { body: { events } });
  expect(response.status, response.text).toBe(202);
  return response.body.ids;
};

const at = (path: string, ids: readonly string[]) =>
  receiver.requests.filter(
    (request) => request.path === path && ids.includes((request.json as { id: string }).id),
  );

/** Most requests that arrived within any one-second window. */
const busiestSecond = (requests: readonly ReceivedRequest[]): number => {
  const times = requests.map((request) => request.receivedAt);
  return Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length));
};

/** Most requests open at once: each is open from its arrival until it is answered ANSWER_MS later. */
const mostOpen = (requests: readonly ReceivedRequest[]): number => {
  const times = requests.map((request) => request.receivedAt);
  return Math.max(
    0,
    ...times.map((start) => times.filter((t) => t <= start && t + ANSWER_MS > start).length),
  );
};

describe('rate_limit through the local runtime', () => {
  it('delivers every event, never more than per_second in a second nor max_in_flight at once', async () => {
    const { id, path } = await registerLimited({ per_second: 10, max_in_flight: 2 });
    const ids = [...(await publish(30)), ...(await publish(30))];
    await eventually(
      () => expect(new Set(at(path, ids).map((r) => (r.json as { id: string }).id)).size).toBe(60),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const requests = at(path, ids);
    expect(requests).toHaveLength(60); // nothing sent twice
    expect(busiestSecond(requests)).toBeLessThanOrEqual(10);
    expect(mostOpen(requests)).toBeLessThanOrEqual(2);
    const view = await api('GET', `${BASE}/${id}`);
    expect(view.body.rate_limit_state).toMatchObject({ current_per_second: 10 });
  }, 90_000);

  it('a 429 with Retry-After pauses the integration: no request before it has passed', async () => {
    const { id, path } = await registerLimited({ per_second: 20, max_in_flight: 1 });
    scripts.set(path, (n) => (n === 3 ? { status: 429, headers: { 'retry-after': '3' } } : undefined));
    const ids = await publish(10);
    await eventually(
      () => expect(new Set(at(path, ids).map((r) => (r.json as { id: string }).id)).size).toBe(10),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const requests = at(path, ids);
    const throttled = requests.find((request) => request.answer === 429);
    expect(throttled).toBeDefined();
    const answeredAt = (throttled?.receivedAt ?? 0) + ANSWER_MS;
    const during = requests.filter((r) => r.receivedAt > answeredAt && r.receivedAt < answeredAt + 3000);
    expect(during).toEqual([]);
    const logs = await api('GET', `${BASE}/${id}/logs`);
    const reasons = logs.body.entries
      .filter((entry: { action: string }) => entry.action === 'rate_changed')
      .map((entry: { reason: string }) => entry.reason);
    expect(reasons[0]).toContain('halved to 10/s');
  }, 90_000);
});
