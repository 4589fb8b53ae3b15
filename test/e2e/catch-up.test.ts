import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, BASE, uniqueId } from '../support/api-client.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';
import { eventually } from '../support/poll.ts';
import { type ReceivedRequest, type Receiver, startReceiver } from '../support/receiver.ts';

const EVENTS = '/api/v1/org/events';
const DAY_MS = 86_400_000;

// Replays settle for 2 s instead of 90 s, and the schedule ticks twice a second, so a test sees them end.
const runtime = useLocalRuntime({
  env: {
    RETRY_SCHEDULE_SECONDS: '1',
    REPLAY_SETTLE_SECONDS: '2',
    REPLAY_PAUSE_SECONDS: '0',
    REPLAY_PAGE_SIZE: '50',
    TEMPORARY_END_GRACE_SECONDS: '1',
    MAX_INTEGRATIONS: '100',
  },
  scheduleIntervalMs: 500,
});
let api: Awaited<ReturnType<typeof apiClient>>;
let receiver: Receiver;

beforeAll(async () => {
  api = await apiClient(runtime);
  receiver = await startReceiver();
});

afterEach(() => {
  delete process.env.CLOCK_OFFSET_MS;
});

afterAll(async () => {
  await receiver?.close();
});

/** Moves the handlers' clock (the local runtime reads CLOCK_OFFSET_MS on every call). */
const shiftClock = (ms: number) => {
  process.env.CLOCK_OFFSET_MS = String(ms);
};

const register = async (body: Record<string, unknown>) => {
  const id = (body.id as string | undefined) ?? uniqueId('cu');
  const path = `/${id}`;
  const response = await api('POST', BASE, {
    body: {
      id,
      integration_type: 'permanent',
      callback_parameters: { callback_url: receiver.url(path) },
      ...body,
    },
  });
  expect(response.status, response.text).toBe(200);
  return { id, path };
};

const publish = async (count: number, name = 'order.created'): Promise<string[]> => {
  const response = await api('POST', EVENTS, {
    body: { events: Array.from({ length: count }, (_, i) => ({ name, payload: { i } })) },
  });
  expect(response.status, response.text).toBe(202);
  return response.body.ids;
};

const idsAt = (path: string): Set<string> =>
  new Set(receiver.requests.filter((r) => r.path === path).map((r) => (r.json as { id: string }).id));

const receivedAll = (path: string, ids: readonly string[]) => (requests: readonly ReceivedRequest[]) => {
  const got = new Set(requests.filter((r) => r.path === path).map((r) => (r.json as { id: string }).id));
  return ids.every((id) => got.has(id));
};

const actions = async (id: string): Promise<{ action: string; reason: string }[]> =>
  (await api('GET', `${BASE}/${id}/logs`)).body.entries;

describe('start after stop', () => {
  it('delivers every event published while stopped, then carries on live', async () => {
    const { id, path } = await register({});
    await api('POST', `${BASE}/${id}/_stop`);
    const whileStopped = await publish(20);
    // Published while stopped: nothing may arrive before the start.
    await eventually(async () => {
      const deliveries = await api('GET', `${BASE}/${id}/deliveries`);
      expect(deliveries.status).toBe(200);
    });
    expect([...idsAt(path)].filter((eventId) => whileStopped.includes(eventId))).toEqual([]);
    expect((await api('POST', `${BASE}/${id}/_start`)).body.status).toBe('running');
    await receiver.waitFor(receivedAll(path, whileStopped), { timeoutMs: 45_000 });
    const live = await publish(3);
    await receiver.waitFor(receivedAll(path, live), { timeoutMs: 45_000 });
    await eventually(
      async () => {
        const entries = await actions(id);
        expect(entries.find((e) => e.action === 'replay_completed')?.reason).toMatch(
          /completed: \d+ events queued/,
        );
      },
      { timeoutMs: 45_000 },
    );
    expect((await actions(id)).some((e) => e.action === 'replay_started')).toBe(true);
  });

  it('loses nothing stopped with deliveries in flight and events still in the ingest queue', async () => {
    const { id, path } = await register({});
    const published = publish(60);
    await api('POST', `${BASE}/${id}/_stop`);
    const ids = await published;
    const more = await publish(20);
    await api('POST', `${BASE}/${id}/_start`);
    await receiver.waitFor(receivedAll(path, [...ids, ...more]), { timeoutMs: 30_000 });
    // Duplicates at the seams are allowed, and each carries the event's own webhook-id.
    for (const request of receiver.requests.filter((r) => r.path === path)) {
      expect(request.headers['webhook-id']).toBe((request.json as { id: string }).id);
    }
  });

  it('after more than 30 days delivers only new events, and the log says which period was skipped', async () => {
    const { id, path } = await register({});
    await api('POST', `${BASE}/${id}/_stop`);
    const old = await publish(2);
    shiftClock(31 * DAY_MS);
    await api('POST', `${BASE}/${id}/_start`);
    const fresh = await publish(2);
    await receiver.waitFor(receivedAll(path, fresh), { timeoutMs: 45_000 });
    const skipped = (await actions(id)).find((entry) => entry.action === 'catch_up_skipped');
    expect(skipped?.reason).toMatch(/more than 30 days ago: events from .* to .* are not replayed/);
    expect([...idsAt(path)].filter((eventId) => old.includes(eventId))).toEqual([]);
  });
});

describe('temporary integrations', () => {
  it('replay a past range, get nothing outside it, then stop and go away by themselves', async () => {
    shiftClock(-3 * 3_600_000);
    const before = await publish(2);
    shiftClock(-2 * 3_600_000);
    const inside = await publish(9);
    shiftClock(-1 * 3_600_000);
    const after = await publish(2);
    delete process.env.CLOCK_OFFSET_MS;
    // A past range is in the log by the time anyone replays it: wait until these were logged (they were
    // received "hours ago" only by the shifted clock, so a busy machine could still have them in the queue).
    await eventually(
      async () => {
        const page = await api('GET', `${EVENTS}?from=${Date.now() - 4 * 3_600_000}&limit=500`);
        const logged = new Set((page.body.events as { id: string }[]).map((event) => event.id));
        expect([...before, ...inside, ...after].every((id) => logged.has(id))).toBe(true);
      },
      { timeoutMs: 30_000 },
    );
    const now = Date.now();
    const { id, path } = await register({
      integration_type: 'temporary',
      starts_at: new Date(now - 2.5 * 3_600_000).toISOString(),
      ends_at: new Date(now - 1.5 * 3_600_000).toISOString(),
    });
    await receiver.waitFor(receivedAll(path, inside), { timeoutMs: 45_000 });
    await eventually(async () => expect((await api('GET', `${BASE}/${id}`)).status).toBe(404), {
      timeoutMs: 60_000,
    });
    const got = idsAt(path);
    expect([...before, ...after].filter((eventId) => got.has(eventId))).toEqual([]);
  });

  it('reaching into the future also takes live events until ends_at', async () => {
    shiftClock(-60_000);
    const past = await publish(3);
    delete process.env.CLOCK_OFFSET_MS;
    const { id, path } = await register({
      integration_type: 'temporary',
      starts_at: new Date(Date.now() - 120_000).toISOString(),
      ends_at: new Date(Date.now() + 4_000).toISOString(),
    });
    const live = await publish(3);
    await receiver.waitFor(receivedAll(path, [...past, ...live]), { timeoutMs: 45_000 });
    await eventually(async () => expect((await api('GET', `${BASE}/${id}`)).status).toBe(404), {
      timeoutMs: 60_000,
    });
    const late = await publish(2);
    await eventually(async () => expect(receiver.requests.length).toBeGreaterThan(0));
    expect([...idsAt(path)].filter((eventId) => late.includes(eventId))).toEqual([]);
  });

  it('with an empty range finishes as well', async () => {
    const now = Date.now();
    const { id } = await register({
      integration_type: 'temporary',
      starts_at: new Date(now - 20 * DAY_MS).toISOString(),
      ends_at: new Date(now - 19 * DAY_MS).toISOString(),
      filter_conditions: { event_filter: ['nothing.matches'] },
    });
    await eventually(async () => expect((await api('GET', `${BASE}/${id}`)).status).toBe(404), {
      timeoutMs: 60_000,
    });
  });
});

describe('delivery history', () => {
  it('lists deliveries newest first with filters and pages, and resends one', async () => {
    const { id, path } = await register({});
    receiver.respondWith((request) =>
      request.path === path && (request.json as { name: string }).name === 'order.cancelled'
        ? { status: 400 }
        : undefined,
    );
    const created = await publish(5, 'order.created');
    const cancelled = await publish(2, 'order.cancelled');
    await receiver.waitFor(receivedAll(path, [...created, ...cancelled]), { timeoutMs: 45_000 });
    // A delivery batch writes its history when it is done: wait for every record, not only the first ones.
    await eventually(async () => {
      const all = (await api('GET', `${BASE}/${id}/deliveries?limit=200`)).body.deliveries;
      expect(all.filter((d: { status: string }) => d.status === 'delivered')).toHaveLength(5);
      expect(all.filter((d: { status: string }) => d.status === 'rejected')).toHaveLength(2);
    });

    const rejected = await api('GET', `${BASE}/${id}/deliveries?status=rejected&include_attempts=true`);
    expect(rejected.status).toBe(200);
    expect(rejected.body.deliveries.map((d: { event_id: string }) => d.event_id).sort()).toEqual(
      [...cancelled].sort(),
    );
    expect(rejected.body.deliveries[0].attempts[0]).toMatchObject({
      status_code: 400,
      duration_ms: expect.any(Number),
    });

    const named = await api('GET', `${BASE}/${id}/deliveries?name=order.created&include_payload=true`);
    expect(named.body.deliveries.map((d: { event_id: string }) => d.event_id).sort()).toEqual(
      [...created].sort(),
    );
    expect(named.body.deliveries[0].event).toMatchObject({
      name: 'order.created',
      payload: { i: expect.any(Number) },
    });

    const pages: string[] = [];
    let token: string | undefined;
    do {
      const page = await api(
        'GET',
        `${BASE}/${id}/deliveries?limit=3${token ? `&next_token=${encodeURIComponent(token)}` : ''}`,
      );
      expect(page.status, page.text).toBe(200);
      expect(page.body.deliveries.length).toBeLessThanOrEqual(3);
      pages.push(
        ...page.body.deliveries.map(
          (d: { received_at: string; event_id: string }) => `${d.received_at}#${d.event_id}`,
        ),
      );
      token = page.body.next_token;
    } while (token);
    expect(pages).toHaveLength(7);
    expect(pages).toEqual([...pages].sort().reverse());

    const [again] = cancelled;
    const listed = await api('GET', `${BASE}/${id}/deliveries?name=order.cancelled&limit=200`);
    const receivedAt = listed.body.deliveries.find(
      (d: { event_id: string }) => d.event_id === again,
    )?.received_at;
    const resend = `${BASE}/${id}/deliveries/${again}/_retry?received_at=${receivedAt}`;
    expect((await api('POST', resend)).status).toBe(502);
    receiver.respondWith(() => undefined);
    const resent = await api('POST', resend);
    expect(resent.status, resent.text).toBe(200);
    expect(resent.body).toMatchObject({ id: again, status: 'delivered' });
    const after = await api('GET', `${BASE}/${id}/deliveries?status=delivered&name=order.cancelled`);
    expect(after.body.deliveries.map((d: { event_id: string }) => d.event_id)).toEqual([again]);
    expect(
      (
        await api(
          'POST',
          `${BASE}/${id}/deliveries/00000000-0000-4000-8000-000000000000/_retry?received_at=${receivedAt}`,
        )
      ).status,
    ).toBe(404);
    const unaddressed = await api('POST', `${BASE}/${id}/deliveries/${again}/_retry`);
    expect(unaddressed.status).toBe(400);
    expect(unaddressed.body).toMatchObject({ error_code: 'validation_error', field: 'received_at' });
  });

  it.each([
    ['status=lost', 'status'],
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['from=yesterday', 'from'],
    ['from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', 'from'],
    ['colour=blue', 'colour'],
    ['next_token=forged', 'next_token'],
  ])('refuses ?%s naming %s', async (query, field) => {
    const { id } = await register({});
    const response = await api('GET', `${BASE}/${id}/deliveries?${query}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error_code: 'validation_error', field });
  });
});

describe('event queries', () => {
  it('returns the events of a range in time order, filtered and paginated', async () => {
    const from = new Date().toISOString();
    const orders = await publish(4, 'order.created');
    const returns = await publish(3, 'return.completed');
    await eventually(async () => {
      const page = await api('GET', `${EVENTS}?from=${from}&limit=500`);
      const ids = page.body.events.map((e: { id: string }) => e.id);
      expect([...orders, ...returns].every((eventId) => ids.includes(eventId))).toBe(true);
    });
    const byName = await api(
      'GET',
      `${EVENTS}?from=${encodeURIComponent(from)}&name=order.created&include_payload=true`,
    );
    expect(
      byName.body.events
        .map((e: { id: string }) => e.id)
        .filter((x: string) => orders.includes(x))
        .sort(),
    ).toEqual([...orders].sort());
    expect(byName.body.events.every((e: { name: string }) => e.name === 'order.created')).toBe(true);
    expect(byName.body.events[0].payload).toEqual(expect.any(Object));
    const byEntity = await api('GET', `${EVENTS}?from=${Date.parse(from)}&entity=return`);
    expect(
      byEntity.body.events.every(
        (e: { name: string; payload?: unknown }) => e.name.startsWith('return.') && e.payload === undefined,
      ),
    ).toBe(true);

    const seen: { id: string; received_at: string }[] = [];
    let token: string | undefined;
    do {
      const page = await api(
        'GET',
        `${EVENTS}?from=${encodeURIComponent(from)}&limit=2${token ? `&next_token=${encodeURIComponent(token)}` : ''}`,
      );
      expect(page.status, page.text).toBe(200);
      seen.push(...page.body.events);
      token = page.body.next_token;
    } while (token);
    const ids = seen.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...orders, ...returns].every((eventId) => ids.includes(eventId))).toBe(true);
    const times = seen.map((e) => e.received_at);
    expect(times).toEqual([...times].sort());
  });

  it('never returns an event older than the window', async () => {
    shiftClock(-31 * DAY_MS);
    const [ancient] = await publish(1, 'order.created');
    delete process.env.CLOCK_OFFSET_MS;
    await eventually(async () => {
      const list = await api(
        'GET',
        `${EVENTS}?from=${Date.now() - 40 * DAY_MS}&name=order.created&limit=500`,
      );
      expect(list.status).toBe(200);
      expect(list.body.events.map((e: { id: string }) => e.id)).not.toContain(ancient);
    });
  });

  it.each([
    ['limit=501', 'limit'],
    ['name=Order', 'name'],
    ['entity=a.b', 'entity'],
    ['to=x', 'to'],
    ['page=2', 'page'],
    ['include_payload=yes', 'include_payload'],
  ])('refuses ?%s naming %s', async (query, field) => {
    const response = await api('GET', `${EVENTS}?${query}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error_code: 'validation_error', field });
  });

  it('answers an empty list for a range that ends before the window', async () => {
    const response = await api('GET', `${EVENTS}?to=0`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ events: [] });
  });

  it('refuses a token from another query', async () => {
    await publish(3, 'order.created');
    const first = await api('GET', `${EVENTS}?limit=1`);
    expect(first.body.next_token).toEqual(expect.any(String));
    const other = await api(
      'GET',
      `${EVENTS}?limit=2&next_token=${encodeURIComponent(first.body.next_token)}`,
    );
    expect(other.status).toBe(400);
    expect(other.body.field).toBe('next_token');
  });
});
