import { describe, expect, it } from 'vitest';
import {
  type ClosedExportFile,
  DestinationError,
  exportLine,
  newExportFile,
} from '../../../lambdas/domain/export-file.ts';
import { ExportUpload } from '../../../lambdas/use-cases/export-upload.ts';
import { loggedEvent, newId } from '../../support/memory/fixtures.ts';
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
