import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, BASE, uniqueId } from '../support/api-client.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';
import { eventually } from '../support/poll.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';

// A retry budget of about 3 s and a stop window of about 7 s, so both limits are reached in a test.
const runtime = useLocalRuntime({
  env: { RETRY_SCHEDULE_SECONDS: '1', RETRY_BUDGET_HOURS: '0.0008', STOP_WINDOW_HOURS: '0.002' },
});
let api: Awaited<ReturnType<typeof apiClient>>;
let receiver: Receiver;

beforeAll(async () => {
  api = await apiClient(runtime);
  receiver = await startReceiver(() => ({ status: 503 }));
});

afterAll(async () => {
  await receiver?.close();
});

const entries = async (id: string): Promise<{ action: string; reason: string }[]> =>
  (await api('GET', `${BASE}/${id}/logs`)).body.entries;

describe('a receiver that keeps failing', () => {
  it('gets the event marked failed after the retry budget, then the integration stopped after the stop window', async () => {
    const id = uniqueId('fail');
    await api('POST', BASE, {
      body: {
        id,
        integration_type: 'permanent',
        callback_parameters: { callback_url: receiver.url('/hook') },
      },
    });
    const published = await api('POST', '/api/v1/org/events', {
      body: { name: 'order.created', payload: {} },
    });
    const [eventId] = published.body.ids;

    await eventually(
      async () => {
        const failed = (await entries(id)).find((entry) => entry.action === 'delivery_failed');
        expect(failed?.reason).toContain(eventId);
        expect(failed?.reason).toMatch(/HTTP status code 503/);
      },
      { timeoutMs: 20_000 },
    );
    const attempts = receiver.requests.length;
    expect(attempts).toBeGreaterThanOrEqual(2);

    // Keep publishing, and failing, until the stop window (about 7 s from the first failure) has passed.
    await eventually(
      async () => {
        await api('POST', '/api/v1/org/events', { body: { name: 'order.created', payload: {} } });
        expect((await api('GET', `${BASE}/${id}`)).body.status).toBe('stopped');
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
    const stopped = (await entries(id)).find((entry) => entry.action === 'integration_stopped');
    expect(stopped?.reason).toMatch(/No successful delivery to URL .* since/);
    // Its breaker opened on the way (once in the log), and later events were parked instead of sent.
    expect((await entries(id)).filter((entry) => entry.action === 'deliveries_paused')).toHaveLength(1);
  });
});
