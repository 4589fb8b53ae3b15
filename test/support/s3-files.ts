import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/** One export file as an ERP job reads it. */
export interface ExportObject {
  key: string;
  size: number;
  body: string;
  /** Every line parsed; the body must end with `\n` and have no empty line. */
  events: {
    id: string;
    tenant: string;
    name: string;
    published_at: string;
    payload: unknown;
    entity_id?: string;
  }[];
}

/** NewStore's naming: `{key_prefix}/{tenant}/{timestamp}-data-{random}.export`. */
export const exportKeyPattern = (prefix: string, tenant: string): RegExp =>
  new RegExp(`^${escapeRegExp(prefix)}/${escapeRegExp(tenant)}/(\\d{13})-data-([a-z0-9]+)\\.export$`);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Does what an ERP batch job does: lists the prefix (every page), reads every object, parses every line.
 * Throws on a body that does not end in a newline or has a line that is not JSON.
 */
export const readExportFiles = async (
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<ExportObject[]> => {
  const objects: ExportObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }),
    );
    for (const item of page.Contents ?? []) {
      const key = item.Key as string;
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = (await Body?.transformToString('utf-8')) ?? '';
      if (!body.endsWith('\n')) throw new Error(`${key} does not end with a newline`);
      const lines = body.slice(0, -1).split('\n');
      const events = lines.map((line, index) => {
        try {
          return JSON.parse(line);
        } catch {
          throw new Error(`${key} line ${index + 1} is not JSON: ${line.slice(0, 80)}`);
        }
      });
      objects.push({ key, size: Buffer.byteLength(body), body, events });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
};
