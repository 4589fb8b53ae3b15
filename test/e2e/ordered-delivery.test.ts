import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, BASE, uniqueId } from '../support/api-client.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';
import { eventually } from '../support/poll.ts';
import { type ReceivedRequest, type Receiver, startReceiver } from '../support/receiver.ts';

const EVENTS = '/api/v1/org/events';

// Retries after a second, replays settle in 2 s: a test sees failures retried and catch-ups end.
const runtime = useLocalRuntime({
  env: {
    RETRY_SCHEDULE_SECONDS: '1',
    REPLAY_SETTLE_SECONDS: '2',
    REPLAY_PAUSE_SECONDS: '0',
  },
  scheduleIntervalMs: 500,
});
let api: Awaited<ReturnType<typeof apiClient>>;
let receiver: Receiver;
const tried = new Set<string>();

/** Fails 30 % of first attempts (500), by event id: the same ones every run. */
const failsFirst = (eventId: string): boolean =>
  createHash('sha1').update(eventId).digest().readUInt32BE(0) % 10 < 3;

beforeAll(async () => {
  api = await apiClient(runtime);
  receiver = await startReceiver((request) => {
    const id = (request.json as { id: string }).id;
    const first = !tried.has(id);
    tried.add(id);
    return { status: first && failsFirst(id) ? 500 : 200 };
  });
});

afterAll(async () => {
  await receiver?.close();
});

const registerOrdered = async () => {
  const id = uniqueId('ordered');
  const path = `/${id}`;
  const response = await api('POST', BASE, {
    body: {
      id,
      integration_type: 'permanent',
      callback_parameters: { callback_url: receiver.url(path), ordering: 'entity' },
    },
  });
  expect(response.status, response.text).toBe(200);
  expect(response.body.callback_parameters.ordering).toBe('entity');
  return { id, path };
};

/** One publish request: each event names its entity and its step in that entity's stream. */
const publish = async (events: { entity: string; step: number }[]): Promise<string[]> => {
  const response = await api('POST', EVENTS, {
    body: {
      events: events.map(({ entity, step }) => ({
        name: step === 0 ? 'order.created' : 'order.updated',
        entity_id: entity,
        payload: { id: entity, step },
      })),
    },
  });
  expect(response.status, response.text).toBe(202);
  return response.body.ids;
};

const payloadOf = (request: ReceivedRequest) =>
  (request.json as { id: string; payload: { id: string; step: number } }).payload;

/** Per entity, the steps in the order they arrived (retries included) and their position headers. */
const streams = (requests: readonly ReceivedRequest[]) => {
  const byEntity = new Map<string, { step: number; position: string | undefined; answer: unknown }[]>();
  for (const request of requests) {
    const { id, step } = payloadOf(request);
    byEntity.set(id, [
      ...(byEntity.get(id) ?? []),
      {
        step,
        position: request.headers['event-entity-position'] as string | undefined,
        answer: request.answer,
      },
    ]);
  }
  return byEntity;
};

/** Every entity's stream went 0, 1, 2… without going back, numbered from 1, each step delivered once. */
const expectInOrder = (requests: readonly ReceivedRequest[], steps: number) => {
  for (const [, stream] of streams(requests)) {
    const order = stream.map((arrival) => arrival.step);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (const arrival of stream) expect(arrival.position).toBe(String(arrival.step + 1));
    const delivered = stream.filter((arrival) => arrival.answer === 200).map((arrival) => arrival.step);
    expect(delivered).toEqual(Array.from({ length: steps }, (_, step) => step));
  }
};

describe('ordering "entity" through the local runtime', () => {
  it('delivers each entity in publish order, one at a time, though 30 % of first attempts fail', async () => {
    const { path } = await registerOrdered();
    const entities = Array.from({ length: 8 }, (_, i) => `${path.slice(1)}-ORD-${i}`);
    const steps = 6;
    // Three requests, each with two steps of every entity: order by time and by position in the request.
    for (let request = 0; request < steps / 2; request++) {
      await publish(
        entities.flatMap((entity) => [
          { entity, step: request * 2 },
          { entity, step: request * 2 + 1 },
        ]),
      );
    }
    const mine = () => receiver.requests.filter((request) => request.path === path);
    await eventually(
      () => expect(mine().filter((request) => request.answer === 200)).toHaveLength(entities.length * steps),
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    expectInOrder(mine(), steps);
    expect(mine().some((request) => request.answer === 500)).toBe(true);
  }, 120_000);

  it('after a stop and start, live events wait for the older ones the catch-up brings', async () => {
    const { id, path } = await registerOrdered();
    const entity = `${id}-ORD-1`;
    const stop = await api('POST', `${BASE}/${id}/_stop`);
    expect(stop.status, stop.text).toBeLessThan(300);
    await publish([
      { entity, step: 0 },
      { entity, step: 1 },
    ]);
    await publish([{ entity, step: 2 }]);
    const start = await api('POST', `${BASE}/${id}/_start`);
    expect(start.status, start.text).toBeLessThan(300);
    // Published right after the start: live, while the catch-up is still reading and settling.
    await publish([{ entity, step: 3 }]);
    await publish([{ entity, step: 4 }]);
    const mine = () => receiver.requests.filter((request) => request.path === path);
    await eventually(() => expect(mine().filter((request) => request.answer === 200)).toHaveLength(5), {
      timeoutMs: 90_000,
      intervalMs: 250,
    });
    expectInOrder(mine(), 5);
  }, 120_000);
});
