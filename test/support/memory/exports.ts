import {
  type ClosedExportFile,
  DestinationError,
  type ExportFile,
  type StagedChunk,
} from '../../../lambdas/domain/export-file.ts';
import type { Integration } from '../../../lambdas/domain/integration.ts';
import type {
  ExportDestination,
  ExportDestinations,
  ExportFileChanges,
  ExportFiles,
  ExportFlusher,
  ExportStateStore,
  StagingStore,
  UploadedPart,
} from '../../../lambdas/domain/ports/exports.ts';

/**
 * Export files with the DynamoDB adapter's conditions: one open file (opened only when none is), appends
 * only to the same file and within the byte and chunk limits (each bumping its version), close only of the
 * exact version read, a lease only when free or run out, updates only of files that still exist.
 */
export class MemoryExportStateStore implements ExportStateStore {
  private readonly opened = new Map<string, ExportFile>();
  private readonly closedFiles = new Map<string, Map<string, ClosedExportFile>>();

  async load(integrationId: string): Promise<ExportFiles> {
    const open = this.opened.get(integrationId);
    const closed = [...(this.closedFiles.get(integrationId)?.values() ?? [])]
      .map((file) => structuredClone(file))
      .sort((a, b) => a.created_at - b.created_at);
    return { ...(open && { open: structuredClone(open) }), closed };
  }

  async openFile(integrationId: string): Promise<ExportFile | undefined> {
    const open = this.opened.get(integrationId);
    return open && structuredClone(open);
  }

  async open(integrationId: string, file: ExportFile): Promise<boolean> {
    if (this.opened.has(integrationId)) return false;
    this.opened.set(integrationId, structuredClone(file));
    return true;
  }

  async append(
    integrationId: string,
    fileId: string,
    chunk: StagedChunk,
    limits: { maxFileBytes: number; maxChunks: number },
  ): Promise<boolean> {
    const open = this.opened.get(integrationId);
    if (!open || open.file_id !== fileId) return false;
    if (open.bytes > limits.maxFileBytes - chunk.bytes || open.chunks.length >= limits.maxChunks)
      return false;
    open.chunks.push(structuredClone(chunk));
    open.bytes += chunk.bytes;
    open.events += chunk.events;
    open.version += 1;
    return true;
  }

  async close(integrationId: string, file: ExportFile): Promise<boolean> {
    const open = this.opened.get(integrationId);
    const closed = this.closed(integrationId);
    if (open?.file_id !== file.file_id || open.version !== file.version || closed.has(file.file_id))
      return false;
    this.opened.delete(integrationId);
    closed.set(file.file_id, { ...structuredClone(open), attempts: 0 });
    return true;
  }

  async lease(
    integrationId: string,
    fileId: string,
    now: number,
    until: number,
  ): Promise<ClosedExportFile | undefined> {
    const file = this.closed(integrationId).get(fileId);
    if (!file || (file.lease_until !== undefined && file.lease_until >= now)) return undefined;
    file.lease_until = until;
    return structuredClone(file);
  }

  async update(integrationId: string, fileId: string, changes: ExportFileChanges): Promise<void> {
    const file = this.closed(integrationId).get(fileId);
    if (!file) return;
    const fields = file as unknown as Record<string, unknown>;
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      if (value === null) delete fields[name];
      else fields[name] = structuredClone(value);
    }
  }

  async remove(integrationId: string, fileId: string): Promise<void> {
    this.closed(integrationId).delete(fileId);
  }

  async discardOpen(integrationId: string, fileId: string): Promise<void> {
    if (this.opened.get(integrationId)?.file_id === fileId) this.opened.delete(integrationId);
  }

  private closed(integrationId: string): Map<string, ClosedExportFile> {
    let files = this.closedFiles.get(integrationId);
    if (!files) {
      files = new Map();
      this.closedFiles.set(integrationId, files);
    }
    return files;
  }
}

/** The staging bucket: a missing key fails `get`, as S3's NoSuchKey does. */
export class MemoryStagingStore implements StagingStore {
  readonly objects = new Map<string, Buffer>();

  async put(key: string, body: Buffer): Promise<void> {
    this.objects.set(key, Buffer.from(body));
  }

  async get(key: string): Promise<Buffer> {
    const body = this.objects.get(key);
    if (!body) throw new Error(`NoSuchKey: ${key}`);
    return Buffer.from(body);
  }

  async deleteAll(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.objects.delete(key);
  }
}

/**
 * A customer's bucket: objects appear only when written whole; a key written once answers `'exists'`
 * (S3's conditional write); `refuse(code)` makes every call fail with that AWS error code until `accept()`.
 */
export class MemoryExportDestination implements ExportDestination {
  readonly objects = new Map<string, Buffer>();
  private readonly uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  private refusal: string | undefined;
  private uploadsStarted = 0;

  constructor(readonly bucket: string) {}

  refuse(code: string): void {
    this.refusal = code;
  }

  accept(): void {
    this.refusal = undefined;
  }

  async putObject(key: string, body: Buffer): Promise<'created' | 'exists'> {
    this.check();
    if (this.objects.has(key)) return 'exists';
    this.objects.set(key, Buffer.from(body));
    return 'created';
  }

  async createMultipartUpload(key: string): Promise<string> {
    this.check();
    const uploadId = `upload-${++this.uploadsStarted}`;
    this.uploads.set(uploadId, { key, parts: new Map() });
    return uploadId;
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer): Promise<UploadedPart> {
    this.check();
    const upload = this.uploads.get(uploadId);
    if (upload?.key !== key) throw new DestinationError('NoSuchUpload', 'The upload does not exist');
    upload.parts.set(partNumber, Buffer.from(body));
    return { partNumber, etag: `"${uploadId}-${partNumber}"` };
  }

  async completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: readonly UploadedPart[],
  ): Promise<'created' | 'exists'> {
    this.check();
    const upload = this.uploads.get(uploadId);
    if (upload?.key !== key) throw new DestinationError('NoSuchUpload', 'The upload does not exist');
    this.uploads.delete(uploadId);
    if (this.objects.has(key)) return 'exists';
    const bodies = parts.map((part) => upload.parts.get(part.partNumber) ?? Buffer.alloc(0));
    this.objects.set(key, Buffer.concat(bodies));
    return 'created';
  }

  async abortMultipartUpload(_key: string, uploadId: string): Promise<void> {
    this.uploads.delete(uploadId);
  }

  /** Multipart uploads started and neither completed nor aborted. */
  get openUploads(): number {
    return this.uploads.size;
  }

  private check(): void {
    if (this.refusal) throw new DestinationError(this.refusal, `${this.refusal} (simulated)`);
  }
}

/** One destination per bucket name. */
export class MemoryExportDestinations implements ExportDestinations {
  private readonly buckets = new Map<string, MemoryExportDestination>();

  bucket(name: string): MemoryExportDestination {
    let bucket = this.buckets.get(name);
    if (!bucket) {
      bucket = new MemoryExportDestination(name);
      this.buckets.set(name, bucket);
    }
    return bucket;
  }

  async forIntegration(integration: Integration): Promise<ExportDestination> {
    const params = integration.s3_parameters;
    if (!params) throw new Error(`Integration ${integration.id} has no s3_parameters`);
    return this.bucket(params.bucket);
  }
}

/** Records flushes and discards (with anything a test wants checked at that moment). */
export class RecordingExportFlusher implements ExportFlusher {
  readonly calls: { kind: 'flush' | 'discard'; integrationId: string }[] = [];

  constructor(
    private readonly onCall: (kind: 'flush' | 'discard', integrationId: string) => void = () => {},
  ) {}

  async flush(integration: Integration): Promise<void> {
    this.calls.push({ kind: 'flush', integrationId: integration.id });
    this.onCall('flush', integration.id);
  }

  async discard(integrationId: string): Promise<void> {
    this.calls.push({ kind: 'discard', integrationId });
    this.onCall('discard', integrationId);
  }
}
