import { describe, expect, it } from 'vitest';
import {
  exportLine,
  exportObjectKey,
  lineEventId,
  MAX_CHUNKS_PER_FILE,
  newExportFile,
  readStagedLine,
  roomLeft,
  stagedChunkBody,
} from '../../lambdas/domain/export-file.ts';

const event = {
  id: '6f1f7e8e-3b1a-4a51-9d76-0d3f5e2a9c11',
  tenant: 'acme',
  name: 'order.created',
  published_at: '2024-05-01T10:00:00.000Z',
  payload: { total: 12.5, note: 'ünïcode\nline' },
};

describe('export file rules', () => {
  it('names a file {key_prefix}/{tenant}/{creation epoch ms}-data-{random}.export, the same on every attempt', () => {
    const file = newExportFile(new Date(1714557600123));
    const key = exportObjectKey('erp/in', 'acme', file);
    expect(key).toMatch(/^erp\/in\/acme\/1714557600123-data-[a-z0-9]{16}\.export$/);
    expect(exportObjectKey('erp/in', 'acme', file)).toBe(key);
    expect(newExportFile(new Date(1714557600123)).random).not.toBe(file.random);
  });

  it('writes one event as one JSON line with its id first, newlines inside strings escaped', () => {
    const line = exportLine(event);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(event);
    expect(Object.keys(JSON.parse(line))).toEqual(['id', 'tenant', 'name', 'published_at', 'payload']);
    const buffer = Buffer.from(`${line}${line}`);
    expect(lineEventId(buffer, 0)).toBe(event.id);
    expect(lineEventId(buffer, Buffer.byteLength(line))).toBe(event.id);
  });

  it('stages a line behind its order key, and reads the key and the line back without parsing JSON', () => {
    const line = Buffer.from(exportLine(event));
    const key = `2024-05-01T10:00:00.123Z#007#${event.id}`;
    const body = stagedChunkBody([
      { key, text: line },
      { key: `${key}x`, text: line },
    ]);
    const first = readStagedLine(body, 0);
    expect(first.key).toBe(key);
    expect(body.subarray(first.lineStart, first.end).equals(line)).toBe(true);
    expect(lineEventId(body, first.lineStart)).toBe(event.id);
    expect(readStagedLine(body, first.end)).toMatchObject({ key: `${key}x`, end: body.length });
    // Staged before chunks carried keys: the line alone.
    expect(readStagedLine(line, 0)).toEqual({ key: undefined, lineStart: 0, end: line.length });
  });

  it('has no room left in a file that is due, full of chunks or at its byte limit', () => {
    const now = new Date(1_000_000);
    const limits = { maxFileBytes: 1000, maxAgeMs: 300_000 };
    const file = { ...newExportFile(now), bytes: 400 };
    expect(roomLeft(file, now, limits)).toBe(600);
    expect(roomLeft(file, new Date(1_000_000 + 300_000), limits)).toBe(0);
    expect(roomLeft({ ...file, bytes: 1000 }, now, limits)).toBe(0);
    const chunk = { key: 'k', bytes: 1, events: 1, first_received_at: '' };
    expect(roomLeft({ ...file, chunks: Array(MAX_CHUNKS_PER_FILE).fill(chunk) }, now, limits)).toBe(0);
  });
});
