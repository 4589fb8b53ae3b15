import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { StagingStore } from '../../domain/ports/exports.ts';

/** S3's most keys per DeleteObjects request. */
const DELETE_BATCH = 1000;

/**
 * Staged chunks in the stack's own bucket. Objects are small (a batch's lines for one integration) and
 * written once; a lifecycle rule expires whatever a crash leaves behind.
 */
export class S3StagingStore implements StagingStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Buffer): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: 'application/x-ndjson',
      }),
    );
  }

  async get(key: string): Promise<Buffer> {
    const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!Body) throw new Error(`Staged chunk ${key} has no body`);
    return Buffer.from(await Body.transformToByteArray());
  }

  async deleteAll(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const { Errors = [] } = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: keys.slice(i, i + DELETE_BATCH).map((Key) => ({ Key })), Quiet: true },
        }),
      );
      if (Errors.length > 0) {
        throw new Error(
          `Could not delete ${Errors.length} staged chunks: ${Errors[0]?.Code} ${Errors[0]?.Message}`,
        );
      }
    }
  }
}
