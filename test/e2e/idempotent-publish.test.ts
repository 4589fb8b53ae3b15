import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqsClient } from '../../lambdas/shared/clients/sqs.ts';
import { INGEST_QUEUE } from '../../lib/resource-definitions.ts';
import { apiClient, BASE, uniqueId } from '../support/api-client.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';
import { eventually } from '../support/poll.ts';
import { messagesIn } from '../support/queue-depth.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';

const EVENTS = '/api/v1/org/events';

/**
 * The fan-out waits while `held` is set: a repeat then finds the first request's events not logged yet, as
 * when it comes while they are still on their way (or were lost), and queues them again.
 */
let held: Promise<void> | undefined;
const runtime = useLocalRuntime({
  loadQueueHandler: async (queue, build) => {
    const handler = await build();
    if (queue.id !== INGEST_QUEUE.id || !handler) return handler;
    return async (event, context) => {
      await held;
      return handler(event, context);
    };
  },
});
let api: Awaited<ReturnType<typeof apiClient>>;
let receiver: Receiver;

beforeAll(async () => {
  [api, receiver] = await Promise.all([apiClient(runtime), startReceiver()]);
});
afterAll(() => receiver?.close());

const registerWebhook = async (): Promise<string> => {
  const id = uniqueId('idem');
  const response = await api('POST', BASE, {
    body: {
      id,
      integration_type: 'permanent',
      callback_parameters: { callback_url: receiver.url(`/${id}`) },
    },
  });
  expect(response.status, response.text).toBe(200);
  return `/${id}`;
};

/** Messages still in one of the runtime's queues: waiting, delayed or being handled. */
const inQueue = (queueId: string): Promise<number> =>
  messagesIn(sqsClient(runtime.platform.aws), runtime.queues[queueId]?.url ?? '');

describe('idempotent publishing', () => {
  it('delivers a request sent twice with one Idempotency-Key once, and answers both with the same ids', async () => {
    const path = await registerWebhook();
    const key = `retry-${path}`;
    const body = {
      events: [
        { name: 'order.created', payload: { marker: path, n: 1 } },
        { name: 'order.updated', payload: { marker: path, n: 2 } },
        { name: 'order.cancelled', payload: { marker: path, n: 3 } },
      ],
    };
    const send = () => api('POST', EVENTS, { body, headers: { 'idempotency-key': key } });
    const drained = () =>
      eventually(
        async () => expect((await inQueue('IngestQueue')) + (await inQueue('WebhookQueue'))).toBe(0),
        { timeoutMs: 60_000, intervalMs: 500 },
      );
    // A producer retrying at once (its first answer lost) while the first request's events wait for the
    // fan-out: the repeat queues them again, the same ids at the same instant, 30 s after the first receipt.
    let release = () => {};
    held = new Promise((resolve) => {
      release = resolve;
    });
    const first = await send();
    const second = await send();
    expect(first.status, first.text).toBe(202);
    expect(second.status, second.text).toBe(202);
    expect(second.body.ids).toEqual(first.body.ids);
    expect(await inQueue('IngestQueue')).toBe(6);
    release();
    held = undefined;

    await receiver.waitForCount(3, (request) => request.path === path);
    // The copies reach the delivery path after the originals were delivered, and are not sent again.
    await drained();
    // Once more after the events were logged and delivered: answered, nothing queued.
    const third = await send();
    expect(third.body.ids).toEqual(first.body.ids);
    expect(await inQueue('IngestQueue')).toBe(0);
    const received = receiver.requests
      .filter((request) => request.path === path)
      .map((request) => (request.json as { id: string }).id);
    expect(received.sort()).toEqual([...first.body.ids].sort());
  }, 120_000);

  it('refuses the key with another body (422) and a malformed key (400), naming the header', async () => {
    const key = uniqueId('key');
    const publish = (payload: Record<string, unknown>, idempotencyKey: string) =>
      api('POST', EVENTS, {
        body: { name: 'order.created', payload },
        headers: { 'idempotency-key': idempotencyKey },
      });
    expect((await publish({ n: 1 }, key)).status).toBe(202);
    const reused = await publish({ n: 2 }, key);
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ error_code: 'idempotency_key_reused', field: 'Idempotency-Key' });
    const malformed = await publish({ n: 1 }, 'k'.repeat(256));
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error_code: 'validation_error', field: 'Idempotency-Key' });
  });

  it('refuses two events with one id in one request, naming the later one', async () => {
    const id = '0b6c8f43-97d2-4a3e-8f0e-0c2a4a1b9d11';
    const response = await api('POST', EVENTS, {
      body: {
        events: [
          { id, name: 'order.created', payload: {} },
          { id, name: 'order.updated', payload: {} },
        ],
      },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      field: 'events[1].id',
      message: 'events[1].id: duplicates events[0].id',
    });
  });
});
