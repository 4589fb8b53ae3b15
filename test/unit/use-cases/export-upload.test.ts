import { describe, expect, it } from 'vitest';
import { type LoggedEvent, publishOrderKey } from '../../../lambdas/domain/event.ts';
import {
  type ClosedExportFile,
  DestinationError,
  exportLine,
  newExportFile,
  type StagedChunk,
  stagedChunkBody,
} from '../../../lambdas/domain/export-file.ts';
import { ExportUpload } from '../../../lambdas/use-cases/export-upload.ts';
import { byPublishOrder, isoPlus, loggedEvent, newId } from '../../support/memory/fixtures.ts';
import { memoryWorld } from '../../support/memory/world.ts';

const PART_BYTES = 600;

/** A closed file of `count` events staged in two chunks, the second repeating the first event. */
const stagedFile = async (world: ReturnType<typeof memoryWorld>, integrationId: string, count: number) => {
  const events = Array.from({ length: count }, () =>
    loggedEvent(world.clock.now().toISOString(), { payload: { pad: 'x'.repeat(100) } }),
  );
  const first = Buffer.from(events.map(exportLine).join(''));
  const second = Buffer.from(exportLine(events[0] ?? loggedEvent('2026-11-30T00:00:00.000Z')));
  const chunks = [
    {
      key: `chunks/${integrationId}/a`,
      bytes: first.length,
      events: count,
      first_received_at: world.clock.now().toISOString(),
    },
    {
      key: `chunks/${integrationId}/b`,
      bytes: second.length,
      events: 1,
      first_received_at: world.clock.now().toISOString(),
    },
  ];
  await world.staging.put(chunks[0]?.key ?? '', first);
  await world.staging.put(chunks[1]?.key ?? '', second);
  const file = {
    ...newExportFile(world.clock.now()),
    chunks,
    bytes: first.length + second.length,
    events: count + 1,
  };
  await world.exportState.open(integrationId, file);
  await world.exportState.close(integrationId, file);
  const closed = (await world.exportState.load(integrationId)).closed[0] as ClosedExportFile;
  return { events, closed };
};

/** Stages each list of events as one chunk, the way the batcher does (sorted, behind their keys); closes the file. */
const keyedFile = async (
  world: ReturnType<typeof memoryWorld>,
  integrationId: string,
  chunkEvents: LoggedEvent[][],
) => {
  const chunks: StagedChunk[] = [];
  for (const [index, events] of chunkEvents.entries()) {
    const lines = [...events]
      .sort(byPublishOrder)
      .map((event) => ({ key: publishOrderKey(event), text: Buffer.from(exportLine(event)) }));
    const chunk = {
      key: `chunks/${integrationId}/${index}`,
      bytes: lines.reduce((sum, line) => sum + line.text.length, 0),
      events: lines.length,
      first_received_at: events.map((event) => event.received_at).sort()[0] as string,
    };
    await world.staging.put(chunk.key, stagedChunkBody(lines));
    chunks.push(chunk);
  }
  const file = {
    ...newExportFile(world.clock.now()),
    chunks,
    bytes: chunks.reduce((sum, chunk) => sum + chunk.bytes, 0),
    events: chunks.reduce((sum, chunk) => sum + chunk.events, 0),
  };
  await world.exportState.open(integrationId, file);
  await world.exportState.close(integrationId, file);
  return (await world.exportState.load(integrationId)).closed[0] as ClosedExportFile;
};

const writtenIds = (bucket: ReturnType<ReturnType<typeof memoryWorld>['destinations']['bucket']>) =>
  (bucket.objects.get('events/acme/f.export')?.toString('utf8').trim().split('\n') ?? []).map(
    (line) => (JSON.parse(line) as { id: string }).id,
  );

const setUp = () => {
  const world = memoryWorld();
  const upload = new ExportUpload({
    staging: world.staging,
    state: world.exportState,
    partBytes: PART_BYTES,
  });
  const bucket = world.destinations.bucket('erp-bucket');
  return { world, upload, bucket, id: newId() };
};

describe('ExportUpload', () => {
  it('writes each event of a file once, in parts when it is larger than a part', async () => {
    const { world, upload, bucket, id } = setUp();
    const { events, closed } = await stagedFile(world, id, 8);
    const result = await upload.upload(id, closed, bucket, 'events/acme/f.export');
    expect(result).toMatchObject({ events: 8, outcome: 'created' });
    const lines = bucket.objects.get('events/acme/f.export')?.toString('utf8').trim().split('\n') ?? [];
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(
      events.map((event) => event.id),
    );
    expect(bucket.openUploads).toBe(0);
  });

  it('merges chunks whose times overlap into publish order, reading each chunk only when the merge reaches it', async () => {
    const { world, upload, bucket, id } = setUp();
    const start = world.clock.now();
    // Chunk i holds seconds 2i..2i+3, so it overlaps only its neighbours: a second's request has two events
    // in each of two chunks, the later chunk's first.
    const chunkEvents = Array.from({ length: 6 }, (_, chunk) =>
      Array.from({ length: 8 }, (_, n) => {
        const second = 2 * chunk + (n >> 1);
        return loggedEvent(isoPlus(start, second * 1000), { position: 8 * (5 - chunk) + n, payload: { n } });
      }),
    );
    const closed = await keyedFile(world, id, chunkEvents);
    const fetched: string[] = [];
    let fetchedAtFirstPart: number | undefined;
    const get = world.staging.get.bind(world.staging);
    world.staging.get = (key) => {
      fetched.push(key);
      return get(key);
    };
    const uploadPart = bucket.uploadPart.bind(bucket);
    bucket.uploadPart = (...args) => {
      fetchedAtFirstPart ??= fetched.length;
      return uploadPart(...args);
    };
    const result = await upload.upload(id, closed, bucket, 'events/acme/f.export');
    expect(result).toMatchObject({ events: 48, outcome: 'created' });
    expect(writtenIds(bucket)).toEqual(
      chunkEvents
        .flat()
        .sort(byPublishOrder)
        .map((event) => event.id),
    );
    expect(fetched).toHaveLength(6);
    expect(fetchedAtFirstPart).toBeLessThanOrEqual(2);
  });

  it('writes an event repeated in two chunks once, and lines staged before chunks carried keys as they are', async () => {
    const { world, upload, bucket, id } = setUp();
    const at = world.clock.now().toISOString();
    const events = Array.from({ length: 3 }, (_, position) => loggedEvent(at, { position }));
    const closed = await keyedFile(world, id, [events, [events[1] as LoggedEvent]]);
    const legacy = loggedEvent(isoPlus(at, -1000));
    const legacyChunk = {
      key: `chunks/${id}/legacy`,
      bytes: Buffer.byteLength(exportLine(legacy)),
      events: 1,
      first_received_at: legacy.received_at,
    };
    await world.staging.put(legacyChunk.key, Buffer.from(exportLine(legacy)));
    const file = { ...closed, chunks: [...closed.chunks, legacyChunk] };
    const result = await upload.upload(id, file, bucket, 'events/acme/f.export');
    expect(result.events).toBe(4);
    expect(writtenIds(bucket)).toEqual([legacy, ...events].map((event) => event.id));
  });

  it('aborts the multipart upload an earlier attempt left, then starts over under the same key', async () => {
    const { world, upload, bucket, id } = setUp();
    const { closed } = await stagedFile(world, id, 8);
    const left = await bucket.createMultipartUpload('events/acme/f.export');
    const retried = {
      ...closed,
      upload: { bucket: bucket.bucket, key: 'events/acme/f.export', upload_id: left },
    };
    await upload.upload(id, retried, bucket, 'events/acme/f.export');
    expect(bucket.openUploads).toBe(0);
    expect(bucket.objects.has('events/acme/f.export')).toBe(true);
  });

  it('says when an earlier attempt had already written the object, and leaves it as it was', async () => {
    const { world, upload, bucket, id } = setUp();
    const { closed } = await stagedFile(world, id, 2);
    await bucket.putObject('events/acme/f.export', Buffer.from('first\n'));
    expect((await upload.upload(id, closed, bucket, 'events/acme/f.export')).outcome).toBe('exists');
    expect(bucket.objects.get('events/acme/f.export')?.toString()).toBe('first\n');
  });

  it('fails with AWS’s error code and leaves no object when the bucket refuses', async () => {
    const { world, upload, bucket, id } = setUp();
    const { closed } = await stagedFile(world, id, 8);
    bucket.refuse('AccessDenied');
    const attempt = upload.upload(id, closed, bucket, 'events/acme/f.export');
    await expect(attempt).rejects.toBeInstanceOf(DestinationError);
    await expect(attempt).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(bucket.objects.size).toBe(0);
  });
});
