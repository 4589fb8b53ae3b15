import { randomBytes } from 'node:crypto';
import type { EventEnvelope } from './event.ts';
import { MAX_PAYLOAD_BYTES } from './event.ts';

/**
 * The rules of S3 export files, as NewStore names and fills them: `{key_prefix}/{tenant}/{timestamp}-data-
 * {random}.export`, one event JSON per line, a new file 5 minutes after the first event or before 50 MiB.
 * Pure: the batcher, the flusher and the tests share them.
 */

/** NewStore's limit: no file is larger than 50 MiB. */
export const MAX_FILE_BYTES = 52_428_800;
/** NewStore's cadence: a file holds at most 5 minutes of events. */
export const MAX_FILE_AGE_MS = 5 * 60_000;
/**
 * The longest line one event can make: its payload at the ingest limit plus the envelope (id, tenant, name,
 * published_at). A file limit below this could not hold every event, so the config refuses it.
 */
export const MAX_LINE_BYTES = MAX_PAYLOAD_BYTES + 4096;
/** S3's smallest multipart part (all but the last). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/**
 * Staged chunks one file may list. The list lives in one DynamoDB item (400 KB); at about 100 bytes an entry
 * this stays far below, and a file needing more chunks (tiny batches for 5 minutes) is simply closed early.
 */
export const MAX_CHUNKS_PER_FILE = 1000;

/**
 * One staged object of an export file: lines of whole events in publish order, each behind its order key
 * (see `stagedChunkBody`), in the stack's staging bucket.
 */
export interface StagedChunk {
  /** Object key in the staging bucket. */
  key: string;
  /** Bytes its lines take in the file (the staged object is larger by their order keys). */
  bytes: number;
  events: number;
  /**
   * Earliest `received_at` among its events: where a restart catches up from if the file is given up, and
   * the point of a file's publish order before which none of its lines falls.
   */
  first_received_at: string;
}

/** A file being filled: what the batcher appends to. */
export interface ExportFile {
  /** `{created_at}-{random}`: unique per integration, sorts by age. */
  file_id: string;
  /** Creation time in epoch ms: the key's timestamp, and where its 5 minutes start. */
  created_at: number;
  /** Fixed at creation, so every attempt at uploading the file writes the same key. */
  random: string;
  bytes: number;
  events: number;
  chunks: StagedChunk[];
  /** Bumped by every append, so closing can tell it closes exactly what it read. */
  version: number;
}

/** Where a multipart upload of a file was started, so a later attempt can abort it. */
export interface PendingUpload {
  bucket: string;
  key: string;
  upload_id: string;
}

/** A closed file waiting for (or in the middle of) its upload to the customer's bucket. */
export interface ClosedExportFile extends ExportFile {
  attempts: number;
  /** Epoch ms before which the scheduled flush leaves it alone (backoff after a failure). */
  next_attempt_at?: number;
  /** Epoch ms until which one flusher holds the upload; others skip it. */
  lease_until?: number;
  upload?: PendingUpload;
  /** Set once the object exists: a retry only cleans up. */
  uploaded_at?: string;
}

/** A new, empty file created now. */
export const newExportFile = (now: Date, random: string = randomSuffix()): ExportFile => ({
  file_id: `${now.getTime()}-${random}`,
  created_at: now.getTime(),
  random,
  bytes: 0,
  events: 0,
  chunks: [],
  version: 0,
});

/** 16 lowercase letters and digits: NewStore's `{random_string}`, unguessable enough to never collide. */
export const randomSuffix = (): string =>
  [...randomBytes(16)].map((byte) => 'abcdefghijklmnopqrstuvwxyz0123456789'[byte % 36]).join('');

/** `{key_prefix}/{tenant}/{timestamp}-data-{random}.export`. */
export const exportObjectKey = (
  keyPrefix: string,
  tenant: string,
  file: Pick<ExportFile, 'created_at' | 'random'>,
): string => `${keyPrefix}/${tenant}/${file.created_at}-data-${file.random}.export`;

/**
 * One line of a file: the webhook body's object, fields in a fixed order (so `id` comes first, which lets
 * the flusher deduplicate without parsing), `\n` after every line.
 */
export const exportLine = (event: EventEnvelope): string =>
  `${JSON.stringify({
    id: event.id,
    tenant: event.tenant,
    name: event.name,
    published_at: event.published_at,
    payload: event.payload,
    ...(event.entity_id !== undefined && { entity_id: event.entity_id }),
  })}\n`;

const ID_PREFIX = Buffer.from('{"id":"');
const UUID_LENGTH = 36;

/** The event id at the start of a line written by `exportLine`, read without parsing the JSON. */
export const lineEventId = (buffer: Buffer, start: number): string | undefined => {
  if (buffer.compare(ID_PREFIX, 0, ID_PREFIX.length, start, start + ID_PREFIX.length) !== 0) return undefined;
  const from = start + ID_PREFIX.length;
  return buffer.toString('latin1', from, from + UUID_LENGTH);
};

/**
 * A chunk as staged: each line behind its event's publish order key (`publishOrderKey`) and a space, in
 * key order. The upload merges a file's chunks by these keys without parsing JSON, and writes only the
 * lines; the keys cost bytes in the stack's own bucket, not a read or write more.
 */
export const stagedChunkBody = (lines: readonly { key: string; text: Buffer }[]): Buffer =>
  Buffer.concat(lines.flatMap((line) => [Buffer.from(`${line.key} `, 'latin1'), line.text]));

/**
 * The staged line at `start`: its order key (undefined for a line staged before chunks carried keys,
 * which starts with the JSON itself), where the file's line starts, and where the next staged line starts.
 * A key has no space in it (a timestamp, a number and a UUID).
 */
export const readStagedLine = (
  buffer: Buffer,
  start: number,
): { key: string | undefined; lineStart: number; end: number } => {
  const newline = buffer.indexOf(10, start);
  const end = newline === -1 ? buffer.length : newline + 1;
  if (buffer[start] === OPENING_BRACE) return { key: undefined, lineStart: start, end };
  const space = buffer.indexOf(32, start);
  if (space === -1 || space >= end) return { key: undefined, lineStart: start, end };
  return { key: buffer.toString('latin1', start, space), lineStart: space + 1, end };
};

const OPENING_BRACE = 0x7b;

/** Whether a file has had its 5 minutes (or the configured age): the flusher closes it, the batcher starts anew. */
export const isDue = (file: Pick<ExportFile, 'created_at'>, now: Date, maxAgeMs: number): boolean =>
  now.getTime() - file.created_at >= maxAgeMs;

/** Bytes a file may still take: 0 when it is due or its chunk list is full. */
export const roomLeft = (
  file: ExportFile,
  now: Date,
  limits: { maxFileBytes: number; maxAgeMs: number },
): number => {
  if (isDue(file, now, limits.maxAgeMs) || file.chunks.length >= MAX_CHUNKS_PER_FILE) return 0;
  return Math.max(0, limits.maxFileBytes - file.bytes);
};

/** The earliest `received_at` of a file's events. */
export const firstReceivedAt = (file: Pick<ExportFile, 'chunks'>): string | undefined =>
  file.chunks.reduce<string | undefined>(
    (earliest, chunk) =>
      earliest === undefined || chunk.first_received_at < earliest ? chunk.first_received_at : earliest,
    undefined,
  );

/** Why an upload to the customer's bucket failed, in AWS's words (`AccessDenied`, `NoSuchBucket`...). */
export class DestinationError extends Error {
  constructor(
    /** AWS's error code, or the network error's name. */
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DestinationError';
  }
}

/** `s3://bucket/key failed: AccessDenied (Access Denied)` for the integration log. */
export const describeUploadFailure = (bucket: string, key: string, error: DestinationError): string => {
  const detail = error.message && error.message !== error.code ? ` (${error.message.slice(0, 200)})` : '';
  return `Upload to s3://${bucket}/${key} failed. Reason: ${error.code}${detail}.`;
};
