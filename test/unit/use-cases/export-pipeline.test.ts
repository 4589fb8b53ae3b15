import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../../lambdas/domain/event.ts';
import type { Integration } from '../../../lambdas/domain/integration.ts';
import { inlineEventOf } from '../../../lambdas/domain/messages.ts';
import { ExportBatcher, type ExportRecord } from '../../../lambdas/use-cases/export-batcher.ts';
import { ExportFlush } from '../../../lambdas/use-cases/export-flush.ts';
import { ExportUpload } from '../../../lambdas/use-cases/export-upload.ts';
import {
  byPublishOrder,
  HOUR_MS,
  isoPlus,
  loggedEvent,
  MINUTE_MS,
  s3Integration,
} from '../../support/memory/fixtures.ts';
import { type MemoryWorld, memoryWorld, TENANT } from '../../support/memory/world.ts';

const STOP_WINDOW_MS = 24 * HOUR_MS;
const MAX_FILE_AGE_MS = 5 * MINUTE_MS;

const setUp = (
  options: {
    maxFileBytes?: number;
    partBytes?: number;
    chunkBytes?: number;
    integration?: Partial<Integration>;
  } = {},
) => {
  const world = memoryWorld();
  const maxFileBytes = options.maxFileBytes ?? 52_428_800;
  const batcher = new ExportBatcher({
    integrations: world.integrations,
    eventLog: world.eventLog,
    state: world.exportState,
    staging: world.staging,
    deliveryState: world.deliveryState,
    history: world.history,
    metrics: world.metrics,
    clock: world.clock,
    settings: {
      maxFileBytes,
      maxFileAgeMs: MAX_FILE_AGE_MS,
      chunkBytes: options.chunkBytes ?? Math.min(maxFileBytes, 4 * 1024 * 1024),
      tenant: TENANT,
    },
  });
  const flush = new ExportFlush({
    integrations: world.integrations,
    state: world.exportState,
    staging: world.staging,
    destinations: world.destinations,
    upload: new ExportUpload({
      staging: world.staging,
      state: world.exportState,
      partBytes: options.partBytes ?? 5 * 1024 * 1024,
    }),
    logs: world.logs,
    deliveryState: world.deliveryState,
    stopper: world.stopper,
    metrics: world.metrics,
    clock: world.clock,
    settings: {
      tenant: TENANT,
      maxFileAgeMs: MAX_FILE_AGE_MS,
      stopWindowMs: STOP_WINDOW_MS,
      retryScheduleSeconds: [10, 60, 300],
      leaseMs: 5 * MINUTE_MS,
      concurrency: 2,
    },
  });
  const integration = world.integrations.seed(s3Integration(options.integration));
  const bucket = world.destinations.bucket('erp-bucket');
  return { world, batcher, flush, integration, bucket };
};

/** The export-queue record of a first receive of `event`'s message for `integration`. */
const queueRecord = (
  integration: Integration,
  event: LoggedEvent,
  message: Partial<ExportRecord['message']> = {},
): ExportRecord => ({
  recordId: randomUUID(),
  message: {
    integration_id: integration.id,
    generation: integration.created_at,
    event_id: event.id,
    received_at: event.received_at,
    ...message,
  },
  receiveCount: 1,
  sentAt: new Date(event.received_at),
});

/** Logs `count` events received just now and makes their export-queue records. */
const exportRecords = async (
  world: MemoryWorld,
  integration: Integration,
  count: number,
  payloadBytes = 10,
) => {
  const events: LoggedEvent[] = [];
  const records: ExportRecord[] = [];
  for (let i = 0; i < count; i++) {
    const event = loggedEvent(isoPlus(world.clock.now(), -1000 + i), {
      payload: { pad: 'x'.repeat(payloadBytes) },
    });
    await world.eventLog.put(event);
    events.push(event);
    records.push(queueRecord(integration, event));
  }
  return { events, records };
};

/** Every object of the bucket: its key, size and the event ids of its lines. */
const files = (bucket: ReturnType<MemoryWorld['destinations']['bucket']>) =>
  [...bucket.objects].map(([key, body]) => ({
    key,
    size: body.length,
    ids: body
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => (JSON.parse(line) as { id: string }).id),
  }));

const ids = (events: LoggedEvent[]) => events.map((event) => event.id).sort();

describe('S3 export: files', () => {
  it('closes a file at its 5th minute, not before, and writes every event once under the tenant’s folder', async () => {
    const { world, batcher, flush, integration, bucket } = setUp();
    const { events, records } = await exportRecords(world, integration, 5);
    expect((await batcher.stage(records)).failedRecordIds).toEqual([]);
    world.clock.advance(MAX_FILE_AGE_MS - 1);
    await flush.flushDue();
    expect(files(bucket)).toEqual([]);
    world.clock.advance(1);
    await flush.flushDue();
    const [file] = files(bucket);
    expect(file?.key).toMatch(/^events\/acme\/\d+-data-[a-z0-9]{16}\.export$/);
    expect(file?.ids.sort()).toEqual(ids(events));
    expect((await world.logs.list(integration.id))[0]?.action).toBe('file_uploaded');
    expect(world.staging.objects.size).toBe(0);
    expect(await world.exportState.load(integration.id)).toEqual({ closed: [] });
  });

  it('starts a new file for events arriving after the open one had its 5 minutes', async () => {
    const { world, batcher, flush, integration, bucket } = setUp();
    const first = await exportRecords(world, integration, 3);
    await batcher.stage(first.records);
    world.clock.advance(MAX_FILE_AGE_MS);
    const second = await exportRecords(world, integration, 3);
    const staged = await batcher.stage(second.records);
    expect(staged.fullFiles).toHaveLength(1);
    world.clock.advance(MAX_FILE_AGE_MS);
    await flush.flushDue();
    expect(files(bucket).map((file) => file.ids.sort())).toEqual(
      expect.arrayContaining([ids(first.events), ids(second.events)]),
    );
  });

  it('never lets a file pass the size limit, and no event spans two files', async () => {
    const maxFileBytes = 2000;
    const { world, batcher, flush, integration, bucket } = setUp({ maxFileBytes });
    const { events, records } = await exportRecords(world, integration, 20, 300);
    expect((await batcher.stage(records)).failedRecordIds).toEqual([]);
    await flush.flush(integration);
    const written = files(bucket);
    expect(written.length).toBeGreaterThan(1);
    for (const file of written) expect(file.size).toBeLessThanOrEqual(maxFileBytes);
    expect(written.flatMap((file) => file.ids).sort()).toEqual(ids(events));
  });

  it('writes no empty file', async () => {
    const { world, flush, integration, bucket } = setUp();
    world.clock.advance(HOUR_MS);
    await flush.flushDue();
    await flush.flush(integration);
    expect(files(bucket)).toEqual([]);
  });

  it('uploads a file larger than a part in parts, leaving no upload open', async () => {
    const { world, batcher, flush, integration, bucket } = setUp({ partBytes: 1000 });
    const { events, records } = await exportRecords(world, integration, 12, 300);
    await batcher.stage(records);
    await flush.flush(integration);
    expect(
      files(bucket)
        .flatMap((file) => file.ids)
        .sort(),
    ).toEqual(ids(events));
    expect(bucket.openUploads).toBe(0);
  });
});

/**
 * `requests` publish requests one second apart, each of `perRequest` events of `entities` orders taken in
 * turn, logged as the fan-out logs them; in each request the ids sort against the positions, so only the
 * position can put them in publish order. Every other message carries its event, the rest a reference.
 */
const publishRequests = async (
  world: MemoryWorld,
  integration: Integration,
  options: { requests: number; perRequest: number; entities: number },
) => {
  const events: LoggedEvent[] = [];
  for (let request = 0; request < options.requests; request++) {
    const receivedAt = isoPlus(world.clock.now(), -60_000 + request * 1000);
    const idsAgainstPositions = Array.from({ length: options.perRequest }, () => randomUUID())
      .sort()
      .reverse();
    idsAgainstPositions.forEach((id, position) => {
      const entity = `A-${(request * options.perRequest + position) % options.entities}`;
      events.push(
        loggedEvent(receivedAt, {
          id,
          position,
          entity_id: entity,
          payload: { id: entity, pad: 'x'.repeat(100) },
        }),
      );
    });
  }
  const records: ExportRecord[] = [];
  for (const [index, event] of events.entries()) {
    const chunk = await world.eventLog.put(event);
    const inline = index % 2 === 0 ? inlineEventOf(event) : undefined;
    records.push(queueRecord(integration, event, { chunk, ...(inline && { event: inline }) }));
  }
  return { events, records };
};

/** A fixed shuffle (the queue's order), the same on every run. */
const shuffled = <T>(items: readonly T[], seed = 7): T[] => {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

describe('S3 export: publish order', () => {
  it('writes a file’s lines in publish order when the queue hands the messages out shuffled, over several batches and chunks', async () => {
    const { world, batcher, flush, integration, bucket } = setUp({ chunkBytes: 1500, partBytes: 2000 });
    const { events, records } = await publishRequests(world, integration, {
      requests: 6,
      perRequest: 5,
      entities: 4,
    });
    const queued = shuffled(records);
    for (const batch of [queued.slice(0, 10), queued.slice(10, 22), queued.slice(22)]) {
      expect((await batcher.stage(batch)).failedRecordIds).toEqual([]);
    }
    const open = await world.exportState.openFile(integration.id);
    expect(open?.chunks.length).toBeGreaterThan(3);
    await flush.flush(integration);

    const [file, ...others] = files(bucket);
    expect(others).toEqual([]);
    const inPublishOrder = [...events].sort(byPublishOrder).map((event) => event.id);
    expect(file?.ids).toEqual(inPublishOrder);
    // The two first events of a request: one received_at, the position (not the id) orders them.
    const [first, second] = events;
    expect(first?.received_at).toBe(second?.received_at);
    expect((first?.id ?? '') > (second?.id ?? '')).toBe(true);
    expect(file?.ids.indexOf(first?.id ?? '')).toBeLessThan(file?.ids.indexOf(second?.id ?? '') ?? -1);
  });

  it('keeps each entity’s lines in publish order, and writes a repeated event once', async () => {
    const { world, batcher, flush, integration, bucket } = setUp({ chunkBytes: 800 });
    const { events, records } = await publishRequests(world, integration, {
      requests: 4,
      perRequest: 6,
      entities: 3,
    });
    const queued = shuffled(records, 11);
    // The queue hands a message out twice (at least once), the copy in a later batch: staged again.
    const copy = { ...(queued[0] as ExportRecord), recordId: randomUUID() };
    expect((await batcher.stage(queued.slice(0, 12))).failedRecordIds).toEqual([]);
    expect((await batcher.stage([...queued.slice(12), copy])).failedRecordIds).toEqual([]);
    expect((await world.exportState.openFile(integration.id))?.events).toBe(events.length + 1);
    await flush.flush(integration);

    const lines = [...bucket.objects.values()]
      .flatMap((body) => body.toString('utf8').split('\n'))
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { id: string; entity_id: string });
    expect(lines.map((line) => line.id).sort()).toEqual(ids(events));
    for (const entity of ['A-0', 'A-1', 'A-2']) {
      const written = lines.filter((line) => line.entity_id === entity).map((line) => line.id);
      const published = events
        .filter((event) => event.entity_id === entity)
        .sort(byPublishOrder)
        .map((event) => event.id);
      expect(written).toEqual(published);
    }
  });
});

describe('S3 export: events staged before', () => {
  it('does not put an event into a second file when its batch comes back after the first one closed', async () => {
    const { world, batcher, flush, integration, bucket } = setUp();
    const { events, records } = await exportRecords(world, integration, 4);
    await batcher.stage(records);
    await flush.flush(integration);
    // The batcher crashed after staging, before SQS deleted the batch: handed out again.
    const again = records.map((record) => ({ ...record, receiveCount: 2 }));
    expect((await batcher.stage(again)).failedRecordIds).toEqual([]);
    world.clock.advance(MAX_FILE_AGE_MS);
    await flush.flushDue();
    expect(
      files(bucket)
        .flatMap((file) => file.ids)
        .sort(),
    ).toEqual(ids(events));
    expect(world.metrics.counts.get('ExportAlreadyStaged')).toBe(4);
    // What it staged is in the integration's delivery history.
    const [first] = events;
    expect((await world.history.get(integration, first?.received_at ?? '', first?.id ?? ''))?.status).toBe(
      'delivered',
    );
  });
});

describe('S3 export: memory', () => {
  it('stages a large batch chunk by chunk as it reads it, not after reading it whole', async () => {
    const { world, batcher, flush, integration, bucket } = setUp({ chunkBytes: 20_000 });
    const { events, records } = await exportRecords(world, integration, 350, 1000);
    let read = 0;
    let readAtFirstPut: number | undefined;
    const get = world.eventLog.get.bind(world.eventLog);
    world.eventLog.get = (...args) => {
      read += 1;
      return get(...args);
    };
    const put = world.staging.put.bind(world.staging);
    world.staging.put = (key, body) => {
      readAtFirstPut ??= read;
      return put(key, body);
    };
    // A redelivered record of the first event, in the batch's last slice: one line all the same.
    const repeat = { ...(records[0] as ExportRecord), recordId: randomUUID() };
    const result = await batcher.stage([...records, repeat]);
    expect(result.failedRecordIds).toEqual([]);
    // The first slice of 100, and the next one read while the first is staged.
    expect(readAtFirstPut).toBeLessThanOrEqual(200);
    world.clock.advance(MAX_FILE_AGE_MS);
    await flush.flushDue();
    expect(
      files(bucket)
        .flatMap((file) => file.ids)
        .sort(),
    ).toEqual(ids(events));
  });
});

describe('S3 export: records that no longer apply', () => {
  it('writes a redelivered record’s event once', async () => {
    const { world, batcher, flush, integration, bucket } = setUp();
    const { events, records } = await exportRecords(world, integration, 2);
    await batcher.stage([...records, ...records.map((record) => ({ ...record, recordId: randomUUID() }))]);
    await flush.flush(integration);
    expect(files(bucket)[0]?.ids.sort()).toEqual(ids(events));
  });

  it('notes the earliest event for a stopped integration’s catch-up instead of staging it', async () => {
    const { world, batcher, integration } = setUp({ integration: { status: 'stopped' } });
    const { events, records } = await exportRecords(world, integration, 3);
    expect((await batcher.stage(records)).failedRecordIds).toEqual([]);
    expect((await world.deliveryState.get(integration.id)).catch_up_from).toBe(events[0]?.received_at);
    expect(world.staging.objects.size).toBe(0);
  });
});

describe('S3 export: a bucket that refuses', () => {
  it('retries with backoff, then after the stop window gives the staged events up to a catch-up and stops', async () => {
    const { world, batcher, flush, integration, bucket } = setUp();
    const { events, records } = await exportRecords(world, integration, 4);
    await batcher.stage(records);
    bucket.refuse('NoSuchBucket');
    await flush.flush(integration);
    const [entry] = await world.logs.list(integration.id);
    expect(entry?.action).toBe('retry_triggered');
    expect(entry?.reason).toContain('NoSuchBucket');
    const [waiting] = (await world.exportState.load(integration.id)).closed;
    expect(waiting).toMatchObject({ attempts: 1 });
    expect(waiting?.next_attempt_at).toBeGreaterThan(world.clock.now().getTime());

    world.clock.advance(STOP_WINDOW_MS);
    await flush.flushDue();
    expect((await world.integrations.get(integration.id))?.status).toBe('stopped');
    expect((await world.logs.list(integration.id))[0]?.reason).toMatch(/stop window.*NoSuchBucket/);
    expect((await world.deliveryState.get(integration.id)).catch_up_from).toBe(events[0]?.received_at);
    expect(await world.exportState.load(integration.id)).toEqual({ closed: [] });
    expect(world.staging.objects.size).toBe(0);
  });

  it('drops what is staged on discard (a deleted integration), so a new one with the id starts clean', async () => {
    const { world, batcher, flush, integration } = setUp();
    await batcher.stage((await exportRecords(world, integration, 3)).records);
    await flush.discard(integration.id);
    expect(await world.exportState.load(integration.id)).toEqual({ closed: [] });
    expect(world.staging.objects.size).toBe(0);
  });
});
