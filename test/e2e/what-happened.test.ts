import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localS3Client } from '../../local/resources.ts';
import { apiClient, BASE, uniqueId } from '../support/api-client.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';
import { eventually } from '../support/poll.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';

const EVENTS = '/api/v1/org/events';
const DELIVERIES = '/api/v1/org/deliveries';
const BUCKET = 'lake';

// A deployment that keeps the entity index and deduplicates producer ids across requests; the ERP's receiver
// refuses cancellations with 400.
const runtime = useLocalRuntime({
  env: { ENTITY_INDEX: 'true', DEDUP_EVENT_IDS: 'true', RETRY_SCHEDULE_SECONDS: '1' },
});
let api: Awaited<ReturnType<typeof apiClient>>;
let receiver: Receiver;
let s3: S3Client;

beforeAll(async () => {
  api = await apiClient(runtime);
  receiver = await startReceiver((request) =>
    (request.json as { name?: string }).name === 'order.cancelled' ? { status: 400 } : { status: 200 },
  );
  s3 = localS3Client(runtime.endpoints);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  await receiver?.close();
  s3?.destroy();
});

const register = async (body: Record<string, unknown>) => {
  const id = uniqueId('wh');
  const response = await api('POST', BASE, { body: { id, integration_type: 'permanent', ...body } });
  expect(response.status, response.text).toBe(200);
  return id;
};

const withQuery = (path: string, query: Record<string, string>) => `${path}?${new URLSearchParams(query)}`;

interface Row {
  integration_id: string;
  target: string;
  status: string;
  event_id: string;
  event_name: string;
  entity: string;
  entity_id?: string;
  received_at: string;
  attempts: number;
  status_code?: number;
  file?: string;
}

describe('what happened to order 1234', () => {
  it('lists its events and their deliveries to every integration in one call each', async () => {
    const erp = await register({ callback_parameters: { callback_url: receiver.url('/erp') } });
    const lake = await register({
      s3_parameters: { bucket: BUCKET, key_prefix: 'events', aws_region: 'eu-central-1' },
    });
    const order = `1234-${uniqueId('o')}`;
    // The order's id in the payload, or given as entity_id where the payload's id is another object's.
    const publish = async (events: Record<string, unknown>[]) => {
      const response = await api('POST', EVENTS, { body: { events } });
      expect(response.status, response.text).toBe(202);
      return response.body.ids as string[];
    };
    const [created] = await publish([
      { name: 'order.created', payload: { id: order, total: 10 } },
      { name: 'order.created', payload: { id: `${order}-other` } },
    ]);
    const [cancelled] = await publish([
      { name: 'order.cancelled', entity_id: order, payload: { id: 'cancellation-1', order_id: order } },
    ]);

    const rows = await eventually(async () => {
      const response = await api('GET', withQuery(DELIVERIES, { entity_id: order }));
      expect(response.status, response.text).toBe(200);
      const found = (response.body.deliveries as Row[]).filter(
        (row) => row.integration_id === erp || row.integration_id === lake,
      );
      expect(found.filter((row) => row.status !== 'pending')).toHaveLength(4);
      return found;
    });
    expect(rows.map((row) => [row.integration_id, row.event_id, row.status]).sort()).toEqual(
      [
        [erp, created, 'delivered'],
        [erp, cancelled, 'rejected'],
        [lake, created, 'delivered'],
        [lake, cancelled, 'delivered'],
      ].sort(),
    );
    // Newest event first, each row naming the entity and how the latest attempt went.
    expect(rows[0]?.event_id).toBe(cancelled);
    for (const row of rows) expect(row).toMatchObject({ entity: 'order', entity_id: order, attempts: 1 });
    expect(rows.find((row) => row.integration_id === erp && row.event_id === cancelled)?.status_code).toBe(
      400,
    );
    for (const row of rows.filter((r) => r.integration_id === lake)) {
      expect(row.target).toBe('s3');
      expect(row.file).toMatch(/^s3:\/\/lake\/events\/local\/\d+-data-[a-z0-9]+\.export$/);
    }

    const events = await api('GET', withQuery(EVENTS, { entity_id: order }));
    expect(events.status, events.text).toBe(200);
    expect(events.body.events.map((event: { id: string }) => event.id)).toEqual([created, cancelled]);
    const onlyRejected = await api('GET', withQuery(DELIVERIES, { entity_id: order, status: 'rejected' }));
    expect(onlyRejected.body.deliveries.map((row: Row) => row.event_id)).toEqual([cancelled]);
    const erpOnly = await api('GET', withQuery(`${BASE}/${erp}/deliveries`, { entity_id: order }));
    expect(erpOnly.body.deliveries.map((row: { event_id: string }) => row.event_id)).toEqual([
      cancelled,
      created,
    ]);
  });

  it('refuses a bad filter naming it, and an unknown integration with 404', async () => {
    const bad = await api('GET', withQuery(DELIVERIES, { status: 'lost' }));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error_code: 'validation_error', field: 'status' });
    const unknown = await api('GET', withQuery(DELIVERIES, { integration_id: 'no-such-one' }));
    expect(unknown.status).toBe(404);
  });
});

describe('an event id published again in a request composed otherwise', () => {
  it('is delivered once and listed once', async () => {
    const path = `/${uniqueId('dedup')}`;
    await register({ callback_parameters: { callback_url: receiver.url(path) } });
    const [a, b, c] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const order = uniqueId('order');
    const event = (id: string) => ({ id, name: 'order.created', entity_id: order, payload: { id } });
    const first = await api('POST', EVENTS, { body: { events: [event(a), event(b)] } });
    expect(first.status, first.text).toBe(202);
    // The producer retries a with another event: a new request by its ids, so not caught as a repeat.
    const second = await api('POST', EVENTS, { body: { events: [event(a), event(c)] } });
    expect(second.body.ids).toEqual([a, c]);
    const at = () => receiver.requests.filter((request) => request.path === path);
    await eventually(() => expect(at()).toHaveLength(3), { timeoutMs: 20_000 });
    expect(
      at()
        .map((request) => (request.json as { id: string }).id)
        .sort(),
    ).toEqual([a, b, c].sort());
    const events = await api('GET', withQuery(EVENTS, { entity_id: order }));
    expect(events.body.events.map((logged: { id: string }) => logged.id).sort()).toEqual([a, b, c].sort());
  });
});
