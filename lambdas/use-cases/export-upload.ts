import { type ClosedExportFile, lineEventId, type StagedChunk } from '../domain/export-file.ts';
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
 * Writes one closed file to the customer's bucket under its key, streaming its staged chunks: a small file
 * is one PutObject; a larger one a multipart upload whose parts are sent as they fill, so memory holds about
 * two parts whatever the file's size. The object appears only when complete. The multipart upload's id is
 * recorded before the first part, so an attempt that crashes midway is aborted by the next one, which starts
 * over under the same key. Events repeated within the file (a batch redelivered after a crash) are written
 * once.
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
    const lines = new DedupedLines(deps.staging, file.chunks);
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
    lines: DedupedLines,
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
    lines: DedupedLines,
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

/** A file's lines, chunk by chunk, each event id once. */
class DedupedLines {
  private readonly seen = new Set<string>();
  events = 0;

  constructor(
    private readonly staging: StagingStore,
    private readonly chunks: readonly StagedChunk[],
  ) {}

  async all(): Promise<Buffer[]> {
    const pieces: Buffer[] = [];
    for await (const piece of this.stream()) pieces.push(piece);
    return pieces;
  }

  /** Each chunk (or the parts of it that are not repeats), read one at a time. */
  async *stream(): AsyncGenerator<Buffer> {
    for (const chunk of this.chunks) {
      yield* this.keep(await this.staging.get(chunk.key));
    }
  }

  private *keep(buffer: Buffer): Generator<Buffer> {
    let runStart = 0;
    let start = 0;
    while (start < buffer.length) {
      const newline = buffer.indexOf(10, start);
      const end = newline === -1 ? buffer.length : newline + 1;
      const id = lineEventId(buffer, start);
      if (id !== undefined && this.seen.has(id)) {
        // A repeat: emit the run of lines before it, skip it.
        if (start > runStart) yield buffer.subarray(runStart, start);
        runStart = end;
      } else {
        if (id !== undefined) this.seen.add(id);
        this.events += 1;
      }
      start = end;
    }
    if (buffer.length > runStart) yield buffer.subarray(runStart);
  }
}
