import type { ClosedExportFile, ExportFile, PendingUpload, StagedChunk } from '../export-file.ts';
import type { Integration } from '../integration.ts';

/**
 * What the S3 export use cases need from storage and from the customer's bucket. Adapters (DynamoDB, S3,
 * STS) implement these; the use cases never import an adapter.
 */

/**
 * What the S3 export use cases need from storage and from the customer's bucket. Adapters (DynamoDB, S3,
 * STS) implement these; the use cases never import an adapter.
 */

/** An integration's export files: at most one open, any number closed and waiting for upload. */
export interface ExportFiles {
  open?: ExportFile;
  /** Oldest first. */
  closed: ClosedExportFile[];
}

/** Export bookkeeping of every integration, one small record per file; every change is conditional. */
export interface ExportStateStore {
  load(integrationId: string): Promise<ExportFiles>;
  /** The open file alone (what the batcher appends to). */
  openFile(integrationId: string): Promise<ExportFile | undefined>;
  /** Makes `file` (holding its first chunk) the open file; false when another file is open. */
  open(integrationId: string, file: ExportFile): Promise<boolean>;
  /**
   * Adds a chunk to the open file if it is still `fileId` and the chunk keeps it within `maxFileBytes` and
   * `maxChunks`; false otherwise (closed meanwhile, or no room).
   */
  append(
    integrationId: string,
    fileId: string,
    chunk: StagedChunk,
    limits: { maxFileBytes: number; maxChunks: number },
  ): Promise<boolean>;
  /** Turns the open file, exactly as read (same `version`), into a closed one; false when it changed. */
  close(integrationId: string, file: ExportFile): Promise<boolean>;
  /** Takes a closed file's upload until `until` (epoch ms); the fresh record, or undefined if someone holds it. */
  lease(
    integrationId: string,
    fileId: string,
    now: number,
    until: number,
  ): Promise<ClosedExportFile | undefined>;
  /** Records progress of an upload (its multipart id, that it is done, the next attempt). */
  update(integrationId: string, fileId: string, changes: ExportFileChanges): Promise<void>;
  /** Forgets a closed file (after its object is written, or when it is given up). */
  remove(integrationId: string, fileId: string): Promise<void>;
  /** Forgets the open file if it is still `fileId` (given up). */
  discardOpen(integrationId: string, fileId: string): Promise<void>;
}

/** What `update` may change on a closed file; `null` removes the attribute. */
export interface ExportFileChanges {
  upload?: PendingUpload | null;
  uploaded_at?: string;
  attempts?: number;
  next_attempt_at?: number;
  lease_until?: number | null;
}

/** The stack's own staging bucket, where lines wait as chunks until their file is uploaded. */
export interface StagingStore {
  put(key: string, body: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** Deletes them; missing keys are fine (a retried clean-up). */
  deleteAll(keys: readonly string[]): Promise<void>;
}

/** One uploaded part of a multipart upload. */
export interface UploadedPart {
  partNumber: number;
  etag: string;
  checksumCrc32?: string;
}

/**
 * The customer's bucket, reached with the integration's credentials. Every failure is a
 * `DestinationError` carrying AWS's error code. `'exists'` means the key was already written (a retried
 * upload whose first attempt succeeded): S3's conditional write refused a second copy.
 */
export interface ExportDestination {
  readonly bucket: string;
  putObject(key: string, body: Buffer): Promise<'created' | 'exists'>;
  createMultipartUpload(key: string): Promise<string>;
  uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer): Promise<UploadedPart>;
  completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: readonly UploadedPart[],
  ): Promise<'created' | 'exists'>;
  /** Aborts it; an upload that is already gone is fine. */
  abortMultipartUpload(key: string, uploadId: string): Promise<void>;
}

/** Opens an integration's bucket with the credentials its `s3_parameters` name. */
export interface ExportDestinations {
  forIntegration(integration: Integration): Promise<ExportDestination>;
}

/**
 * Closes an S3 integration's open export file now (it would otherwise wait for the 5-minute flush): on
 * stop, and on delete while its credentials still exist.
 */
export interface ExportFlusher {
  flush(integration: Integration): Promise<void>;
  /** Drops whatever is still staged (on delete, after the flush): a later integration with the same id starts clean. */
  discard(integrationId: string): Promise<void>;
}
