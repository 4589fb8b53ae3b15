import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { type AwsClientOptions, clientConfig, clientOf } from '../clients.ts';

/** The stack's own buckets (export staging). */
export const stagingS3Client = (options: AwsClientOptions): S3Client =>
  clientOf(
    options,
    's3',
    () => new S3Client({ ...clientConfig(options, 's3'), forcePathStyle: options.s3ForcePathStyle ?? false }),
  );

/** A new client for a customer's bucket, with that integration's region and credentials. */
export const customerS3Client = (
  options: AwsClientOptions,
  config: Pick<S3ClientConfig, 'region' | 'credentials'>,
): S3Client =>
  new S3Client({
    ...clientConfig(options, 's3'),
    ...(config.region && { region: config.region }),
    ...(config.credentials && { credentials: config.credentials }),
    forcePathStyle: options.s3ForcePathStyle ?? false,
  });
