import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  type S3ClientConfig,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { DestinationError } from '../../domain/export-file.ts';
import type { Integration } from '../../domain/integration.ts';
import type { ExportDestination, ExportDestinations, UploadedPart } from '../../domain/ports/exports.ts';
import type { SecretStore } from '../../domain/ports/integrations.ts';

const CONTENT_TYPE = 'application/x-ndjson';

/** The settings of the STS client `fromTemporaryCredentials` makes. */
export type StsClientConfig = NonNullable<Parameters<typeof fromTemporaryCredentials>[0]['clientConfig']>;

/** One hour: the longest a role allows by default. */
const SESSION_SECONDS = 3600;

export interface S3ExportDestinationsOptions {
  secrets: SecretStore;
  /** A client for one customer bucket (the platform's: endpoints and addressing are its business). */
  newClient: (config: Pick<S3ClientConfig, 'region' | 'credentials'>) => S3Client;
  /** Where AssumeRole goes: empty in Lambda (its own region and role); the local runtime's STS otherwise. */
  stsClientConfig: StsClientConfig;
}

/**
 * A customer's role, assumed with its external id through STS AssumeRole (`fromTemporaryCredentials`). The S3
 * client that is given it caches the credentials, renews them 5 minutes before they expire and shares one
 * AssumeRole call among concurrent requests; a failure is not kept, so the next upload tries again.
 *
 * The provider is called without the S3 client's settings: STS is then reached as the function's own role in
 * the function's own region (AWS_REGION, AWS_ENDPOINT_URL_STS), not in the region of the customer's bucket,
 * which may be one this account has not enabled.
 */
export const assumedRoleCredentials = (
  request: {
    roleArn: string;
    externalId: string;
    sessionName: string;
  },
  clientConfig: StsClientConfig = {},
): AwsCredentialIdentityProvider => {
  const assumeRole = fromTemporaryCredentials({
    clientConfig,
    params: {
      RoleArn: request.roleArn,
      ExternalId: request.externalId,
      RoleSessionName: request.sessionName,
      DurationSeconds: SESSION_SECONDS,
    },
  });
  return async () => {
    try {
      return await assumeRole();
    } catch (error) {
      const name = error instanceof Error ? ((error as { Code?: string }).Code ?? error.name) : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      throw new DestinationError(name, `AssumeRole ${request.roleArn} failed: ${message}`, { cause: error });
    }
  };
};

/**
 * The customer's bucket, reached the way its `s3_parameters` say:
 * - `aws_access_key_id` (+ the secret from the secret store): those keys, as NewStore does;
 * - `role_arn` + `external_id`: credentials from STS AssumeRole, renewed shortly before they expire (the
 *   recommended way: no long-lived key leaves the customer's account; see `assumedRoleCredentials`);
 * - neither: the stack's own role (a bucket in the same account that the stack is allowed to write).
 * One S3 client per (integration, region, credentials), kept for the life of the container and replaced
 * when the integration changes (its `updated_at`), so connections and STS credentials are reused.
 */
export class S3ExportDestinations implements ExportDestinations {
  private readonly clients = new Map<string, { revision: string; client: S3Client }>();

  constructor(private readonly options: S3ExportDestinationsOptions) {}

  async forIntegration(integration: Integration): Promise<ExportDestination> {
    const params = integration.s3_parameters;
    if (!params) throw new Error(`Integration ${integration.id} has no s3_parameters`);
    const revision = `${params.aws_region}|${params.aws_access_key_id ?? ''}|${params.role_arn ?? ''}|${params.external_id ?? ''}|${integration.updated_at}`;
    let cached = this.clients.get(integration.id);
    if (cached?.revision !== revision) {
      cached?.client.destroy();
      const credentials = await this.credentials(integration);
      const client = this.options.newClient({
        region: params.aws_region,
        ...(credentials && { credentials }),
      });
      cached = { revision, client };
      this.clients.set(integration.id, cached);
    }
    return new S3ExportDestination(cached.client, params.bucket);
  }

  private async credentials(
    integration: Integration,
  ): Promise<AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined> {
    const params = integration.s3_parameters;
    if (params?.aws_access_key_id) {
      const secrets = await this.options.secrets.get(integration.id, integration.updated_at);
      const secretAccessKey = secrets['s3_parameters.aws_secret_access_key'];
      if (!secretAccessKey) {
        throw new DestinationError('MissingSecret', 'the secret access key is missing from the secret store');
      }
      return { accessKeyId: params.aws_access_key_id, secretAccessKey };
    }
    if (params?.role_arn && params.external_id) {
      return assumedRoleCredentials(
        {
          roleArn: params.role_arn,
          externalId: params.external_id,
          sessionName: `event-stream-${integration.id}`.slice(0, 64),
        },
        this.options.stsClientConfig,
      );
    }
    return undefined; // the default chain: the function's own role
  }
}

/** One bucket through one client; every failure becomes a DestinationError with AWS's code. */
class S3ExportDestination implements ExportDestination {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async putObject(key: string, body: Buffer): Promise<'created' | 'exists'> {
    return this.call(async () => {
      try {
        // If-None-Match: a retried upload whose first attempt went through is refused, not written twice.
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: body,
            ContentType: CONTENT_TYPE,
            IfNoneMatch: '*',
          }),
        );
        return 'created';
      } catch (error) {
        if (isPreconditionFailed(error)) return 'exists';
        throw error;
      }
    });
  }

  async createMultipartUpload(key: string): Promise<string> {
    return this.call(async () => {
      const { UploadId } = await this.client.send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          ContentType: CONTENT_TYPE,
          ChecksumAlgorithm: 'CRC32',
        }),
      );
      if (!UploadId)
        throw new DestinationError('InvalidResponse', 'CreateMultipartUpload returned no UploadId');
      return UploadId;
    });
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer): Promise<UploadedPart> {
    return this.call(async () => {
      const { ETag, ChecksumCRC32 } = await this.client.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: partNumber,
          Body: body,
          ChecksumAlgorithm: 'CRC32',
        }),
      );
      if (!ETag) throw new DestinationError('InvalidResponse', 'UploadPart returned no ETag');
      return { partNumber, etag: ETag, ...(ChecksumCRC32 && { checksumCrc32: ChecksumCRC32 }) };
    });
  }

  async completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: readonly UploadedPart[],
  ): Promise<'created' | 'exists'> {
    return this.call(async () => {
      try {
        await this.client.send(
          new CompleteMultipartUploadCommand({
            Bucket: this.bucket,
            Key: key,
            UploadId: uploadId,
            IfNoneMatch: '*',
            MultipartUpload: {
              Parts: parts.map((part) => ({
                PartNumber: part.partNumber,
                ETag: part.etag,
                ...(part.checksumCrc32 && { ChecksumCRC32: part.checksumCrc32 }),
              })),
            },
          }),
        );
        return 'created';
      } catch (error) {
        if (!isPreconditionFailed(error)) throw error;
        // The object was written by an earlier attempt; this upload is not needed.
        await this.abortMultipartUpload(key, uploadId).catch(() => {});
        return 'exists';
      }
    });
  }

  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    return this.call(async () => {
      try {
        await this.client.send(
          new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }),
        );
      } catch (error) {
        if ((error as Error).name !== 'NoSuchUpload') throw error;
      }
    });
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toDestinationError(error);
    }
  }
}

const isPreconditionFailed = (error: unknown): boolean =>
  (error as Error).name === 'PreconditionFailed' ||
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412;

/** AWS's error code (`AccessDenied`, `NoSuchBucket`, `InvalidAccessKeyId`...) or the network error's. */
export const toDestinationError = (error: unknown): DestinationError => {
  if (error instanceof DestinationError) return error;
  if (error instanceof Error) {
    const code =
      (error as { Code?: string }).Code ?? (error as { code?: string }).code ?? (error.name || 'Error');
    return new DestinationError(code, error.message, { cause: error });
  }
  return new DestinationError('Error', String(error));
};
