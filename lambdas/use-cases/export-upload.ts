import HeapModule from 'mnemonist/heap.js';
import {
  type ClosedExportFile,
  lineEventId,
  readStagedLine,
  type StagedChunk,
} from '../domain/export-file.ts';
import type {
  ExportDestination,
  ExportStateStore,
  StagingStore,
  UploadedPart,
} from '../domain/ports/exports.ts';

export interface ExportUploadDeps {
  staging: StagingStore;
  state: ExportStateStore;
  /** Size of multipart parts (≥ 5 MiB); a file no larger than this is one PutObject. */
  partBytes: number;
}

/** What was written: the object's bytes and events after deduplication. */
export interface UploadResult {
  bytes: number;
  events: number;
  /** 'exists' when an earlier attempt had already written the object. */
  outcome: 'created' | 'exists';
}

/**
 * Writes one closed file to the customer's bucket under its key, its staged chunks merged into publish order
 * as they stream out: a small file is one PutObject; a larger one a multipart upload whose parts are sent as
 * they fill, so memory holds about two parts (and the chunks the merge is in the middle of) whatever the
 * file's size. The object appears only when complete. The multipart upload's id is recorded before the
 * first part, so an attempt that crashes midway is aborted by the next one, which starts over under the same
 * key. Events repeated within the file (a batch redelivered after a crash) are written once.
 */
export class ExportUpload {
  constructor(private readonly deps: ExportUploadDeps) {}

  async upload(
    integrationId: string,
    file: ClosedExportFile,
    destination: ExportDestination,
    key: string,
  ): Promise<UploadResult> {
    const { deps } = this;
    if (file.upload) {
      await destination.abortMultipartUpload(file.upload.key, file.upload.upload_id);
      await deps.state.update(integrationId, file.file_id, { upload: null });
    }
    const lines = new PublishOrderLines(deps.staging, file.chunks, Math.min(PIECE_BYTES, deps.partBytes));
    if (file.bytes <= deps.partBytes) {
      const body = Buffer.concat(await lines.all());
      const outcome = await destination.putObject(key, body);
      return { bytes: body.length, events: lines.events, outcome };
    }
    return this.multipart(integrationId, file, destination, key, lines);
  }

  private async multipart(
    integrationId: string,
    file: ClosedExportFile,
    destination: ExportDestination,
    key: string,
    lines: PublishOrderLines,
  ): Promise<UploadResult> {
    const { deps } = this;
    const uploadId = await destination.createMultipartUpload(key);
    const parts: UploadedPart[] = [];
    try {
      await deps.state.update(integrationId, file.file_id, {
        upload: { bucket: destination.bucket, key, upload_id: uploadId },
      });
      const bytes = await this.sendParts(destination, key, uploadId, lines, parts);
      parts.sort((a, b) => a.partNumber - b.partNumber);
      const outcome = await destination.completeMultipartUpload(key, uploadId, parts);
      return { bytes, events: lines.events, outcome };
    } catch (error) {
      // Best effort now; the recorded id lets the next attempt abort it if this does not get through.
      await destination.abortMultipartUpload(key, uploadId).catch(() => {});
      throw error;
    }
  }

  /** Uploads the lines as parts of `partBytes` (the last may be smaller); returns the bytes sent. */
  private async sendParts(
    destination: ExportDestination,
    key: string,
    uploadId: string,
    lines: PublishOrderLines,
    parts: UploadedPart[],
  ): Promise<number> {
    let inFlight: Promise<void> | undefined;
    let buffered: Buffer[] = [];
    let bufferedBytes = 0;
    let bytes = 0;
    let nextPart = 1;
    // One part uploads while the next one is read from staging: about two parts in memory at most.
    // Parts of exactly `partBytes` (the last one smaller), whatever the chunks' sizes; the rest waits.
    const send = async () => {
      const all = Buffer.concat(buffered, bufferedBytes);
      const body = all.subarray(0, Math.min(all.length, this.deps.partBytes));
      const rest = all.subarray(body.length);
      buffered = rest.length > 0 ? [rest] : [];
      bufferedBytes = rest.length;
      const partNumber = nextPart++;
      await inFlight;
      inFlight = destination.uploadPart(key, uploadId, partNumber, body).then((part) => {
        parts.push(part);
      });
      // Rejections surface at the next await of inFlight, not as an unhandled rejection meanwhile.
      inFlight.catch(() => {});
    };
    for await (const piece of lines.stream()) {
      buffered.push(piece);
      bufferedBytes += piece.length;
      bytes += piece.length;
      while (bufferedBytes >= this.deps.partBytes) await send();
    }
    if (bufferedBytes > 0 || nextPart === 1) await send();
    await inFlight;
    return bytes;
  }
}

/**
 * mnemonist's binary heap. Its typings declare an ES default export where the module sets `module.exports`,
 * so TypeScript's view of the default import is one level off from what Node and esbuild hand over.
 */
const Heap = HeapModule as unknown as typeof HeapModule.default;

/** A chunk being merged: its staged bytes and the line the merge is at. */
interface Run {
  /** Its place in the file's chunk list: of two equal keys, the earlier chunk's line goes first. */
  index: number;
  buffer: Buffer;
  /** Stands in for the keys of lines staged before chunks carried them. */
  fallbackKey: string;
  key: string;
  lineStart: number;
  end: number;
}

const compareRuns = (a: Run, b: Run): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index);

/** Moves a run to the staged line at `start`; false when the chunk is done. */
const seek = (run: Run, start: number): boolean => {
  if (start >= run.buffer.length) return false;
  const line = readStagedLine(run.buffer, start);
  run.key = line.key ?? run.fallbackKey;
  run.lineStart = line.lineStart;
  run.end = line.end;
  return true;
};

/**
 * A file's lines in publish order, each event id once (the first of repeats, as a redelivered batch staged
 * twice makes them).
 *
 * Each chunk is in publish order already (the batcher sorts it), so the file is a k-way merge of its chunks,
 * not their concatenation: chunks overlap in time (batches run side by side, and a standard queue hands
 * messages out in any order), and only rewriting chunks (an S3 read and write more each) could make them
 * follow each other. The merge reads each chunk once, as concatenating did, only when it reaches the chunk's
 * `first_received_at` (none of its lines sorts before that), and drops it once its lines are out: memory
 * holds the chunks whose time ranges overlap there (about the batches staged side by side), at worst
 * (every chunk spanning the file's whole time range) the file, which `maxFileBytes` bounds. Each chunk
 * would need its own open stream to do better, one socket per chunk, up to MAX_CHUNKS_PER_FILE.
 * Chunks staged before lines carried keys (a file open across the deploy) merge by `first_received_at`.
 */
class PublishOrderLines {
  private readonly seen = new Set<string>();
  events = 0;

  constructor(
    private readonly staging: StagingStore,
    private readonly chunks: readonly StagedChunk[],
    private readonly pieceBytes: number,
  ) {}

  async all(): Promise<Buffer[]> {
    const pieces: Buffer[] = [];
    for await (const piece of this.stream()) pieces.push(piece);
    return pieces;
  }

  /** The lines without their order keys, in pieces of about `pieceBytes`. */
  async *stream(): AsyncGenerator<Buffer> {
    // Lines copied into pieces: a yield per line costs more than the copy, and a piece holds no chunk.
    const lines: Buffer[] = [];
    let bytes = 0;
    const waiting = this.chunks
      .map((chunk, index) => ({ chunk, index }))
      .sort((a, b) =>
        a.chunk.first_received_at < b.chunk.first_received_at
          ? -1
          : a.chunk.first_received_at > b.chunk.first_received_at
            ? 1
            : a.index - b.index,
      );
    const runs = new Heap<Run>(compareRuns);
    let next = 0;
    for (;;) {
      const top = runs.peek();
      const due = waiting[next];
      // A key starts with its received_at, so it sorts after a first_received_at equal to its own.
      if (due && (top === undefined || due.chunk.first_received_at <= top.key)) {
        // The chunks due by this key are all needed before the next line: read side by side.
        const bound = top?.key ?? due.chunk.first_received_at;
        const group: typeof waiting = [];
        for (let entry = waiting[next]; entry && group.length < PARALLEL_READS; entry = waiting[++next]) {
          if (entry.chunk.first_received_at > bound) break;
          group.push(entry);
        }
        const buffers = await Promise.all(group.map((entry) => this.staging.get(entry.chunk.key)));
        group.forEach((entry, at) => {
          const run: Run = {
            index: entry.index,
            buffer: buffers[at] as Buffer,
            fallbackKey: entry.chunk.first_received_at,
            key: '',
            lineStart: 0,
            end: 0,
          };
          if (seek(run, 0)) runs.push(run);
        });
        continue;
      }
      if (top === undefined) break;
      const id = lineEventId(top.buffer, top.lineStart);
      if (id === undefined || !this.seen.has(id)) {
        if (id !== undefined) this.seen.add(id);
        this.events += 1;
        lines.push(top.buffer.subarray(top.lineStart, top.end));
        bytes += top.end - top.lineStart;
        if (bytes >= this.pieceBytes) {
          yield Buffer.concat(lines, bytes);
          lines.length = 0;
          bytes = 0;
        }
      }
      // The top moved on to its next line in place: re-placed, or dropped when its chunk is done.
      if (seek(top, top.end)) runs.replace(top);
      else runs.pop();
    }
    if (bytes > 0) yield Buffer.concat(lines, bytes);
  }
}

/** What the merge hands on at a time (or a part, if smaller). */
const PIECE_BYTES = 64 * 1024;

/** Chunks read at once when the merge needs several (chunks staged side by side all start together). */
const PARALLEL_READS = 8;
