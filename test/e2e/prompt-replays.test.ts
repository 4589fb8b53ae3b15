import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, BASE, uniqueId } from '../support/api-client.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';
import { eventually } from '../support/poll.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';

/**
 * Replays and temporary integrations end promptly with the settings `npm start` and the stack use (no
 * shortened settle or grace here, and the schedule at its real minute): a temporary integration whose
 * range is over is deleted within 60 s of its last delivery, and a catch-up logs `replay_completed`
 * within 30 s of its start (so within 30 s of its last event being queued).
 */
const runtime = useLocalRuntime({ env: { MAX_INTEGRATIONS: '100' } });
let api: Awaited<ReturnType<typeof apiClient>>;
let receiver: Receiver;

beforeAll(async () => {
  api = await apiClient(runtime);
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.close();
});

const publish = async (count: number): Promise<string[]> => {
  const response = await api('POST', '/api/v1/org/events', {
    body: { events: Array.from({ length: count }, (_, i) => ({ name: 'order.created', payload: { i } })) },
  });
  expect(response.status, response.text).toBe(202);
  return response.body.ids;
};

const receivedAll = (path: string, ids: readonly string[]) =>
  receiver.waitFor(
    (requests) => {
      const got = new Set(requests.filter((r) => r.path === path).map((r) => (r.json as { id: string }).id));
      return ids.every((id) => got.has(id));
    },
    { timeoutMs: 60_000 },
  );

const lastReceipt = (path: string): number =>
  Math.max(...receiver.requests.filter((r) => r.path === path).map((r) => r.receivedAt));

describe('with the default settle and grace', () => {
  it('deletes a temporary integration over a range that just ended within 60 s of its last delivery', async () => {
    const startsAt = new Date(Date.now() - 1000).toISOString();
    const ids = await publish(20);
    const id = uniqueId('tmp');
    const path = `/${id}`;
    const registered = await api('POST', BASE, {
      body: {
        id,
        integration_type: 'temporary',
        starts_at: startsAt,
        ends_at: new Date().toISOString(),
        callback_parameters: { callback_url: receiver.url(path) },
      },
    });
    expect(registered.status, registered.text).toBe(200);
    await receivedAll(path, ids);
    await eventually(async () => expect((await api('GET', `${BASE}/${id}`)).status).toBe(404), {
      timeoutMs: 90_000,
      intervalMs: 250,
    });
    expect(Date.now() - lastReceipt(path)).toBeLessThanOrEqual(60_000);
  });

  it('completes a 30-event catch-up within 30 s of its start', async () => {
    const id = uniqueId('cu');
    const path = `/${id}`;
    const registered = await api('POST', BASE, {
      body: { id, integration_type: 'permanent', callback_parameters: { callback_url: receiver.url(path) } },
    });
    expect(registered.status, registered.text).toBe(200);
    expect((await api('POST', `${BASE}/${id}/_stop`)).status).toBe(200);
    const missed = await publish(30);
    expect((await api('POST', `${BASE}/${id}/_start`)).status).toBe(200);
    await receivedAll(path, missed);
    const entry = async (action: string) =>
      (
        (await api('GET', `${BASE}/${id}/logs`)).body.entries as { action: string; created_at: string }[]
      ).find((e) => e.action === action);
    const completed = await eventually(
      async () => {
        const found = await entry('replay_completed');
        expect(found).toBeDefined();
        return found as { created_at: string };
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const started = (await entry('replay_started')) as { created_at: string };
    expect(Date.parse(completed.created_at) - Date.parse(started.created_at)).toBeLessThanOrEqual(30_000);
  });
});
