import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsCredentialIdentity } from '@aws-sdk/types';

/**
 * Where the clients go. Empty in Lambda (the SDK's standard resolution: the function's region and role);
 * the local runtime names the emulators' endpoints and its credentials.
 */
export interface AwsClientOptions {
  region?: string;
  credentials?: AwsCredentialIdentity;
  endpoints?: Partial<Record<'dynamodb' | 'sqs' | 's3' | 'secretsmanager' | 'sts', string>>;
  /** Path-style S3 addressing (the emulator's; AWS prefers virtual-hosted). */
  s3ForcePathStyle?: boolean;
}

/**
 * The AWS clients of one function, each created on first use and kept for the life of the execution
 * environment: a function pays only for the clients it uses.
 */
export interface AwsClients {
  dynamo(): DynamoDBDocumentClient;
  sqs(): SQSClient;
  /** The stack's own buckets (export staging). */
  s3(): S3Client;
  secretsManager(): SecretsManagerClient;
  /** Where AssumeRole of customers' roles goes (the credential provider makes its own STS client). */
  stsConfig(): { region?: string; endpoint?: string; credentials?: AwsCredentialIdentity };
  /** A client for a customer's bucket, with that integration's region and credentials. */
  customerS3(config: Pick<S3ClientConfig, 'region' | 'credentials'>): S3Client;
  /** Closes the clients created so far (their sockets); a runtime that stops calls it. */
  destroy(): void;
}

/** Created on the first call, then the same one; remembered so `destroy` can close it. */
const once = <T extends { destroy(): void }>(created: { destroy(): void }[], create: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    if (value === undefined) {
      value = create();
      created.push(value);
    }
    return value;
  };
};

/** The clients, created lazily from `options`. */
export const awsClients = (options: AwsClientOptions = {}): AwsClients => {
  const { endpoints = {} } = options;
  const base = (endpoint: string | undefined) => ({
    ...(options.region && { region: options.region }),
    ...(options.credentials && { credentials: options.credentials }),
    ...(endpoint && { endpoint }),
  });
  const forcePathStyle = options.s3ForcePathStyle ?? false;
  const created: { destroy(): void }[] = [];
  return {
    dynamo: once(created, () =>
      DynamoDBDocumentClient.from(new DynamoDBClient(base(endpoints.dynamodb)), {
        marshallOptions: { removeUndefinedValues: true },
      }),
    ),
    // Queue URLs name the queue, not the endpoint: the regional endpoint (or the emulator's, whose URLs name
    // hosts that do not resolve) is used for every call.
    sqs: once(created, () => new SQSClient({ ...base(endpoints.sqs), useQueueUrlAsEndpoint: false })),
    s3: once(created, () => new S3Client({ ...base(endpoints.s3), forcePathStyle })),
    secretsManager: once(created, () => new SecretsManagerClient(base(endpoints.secretsmanager))),
    stsConfig: () => base(endpoints.sts),
    customerS3: (config) =>
      new S3Client({
        ...base(endpoints.s3),
        ...(config.region && { region: config.region }),
        ...(config.credentials && { credentials: config.credentials }),
        forcePathStyle,
      }),
    destroy: () => {
      for (const client of created.splice(0)) client.destroy();
    },
  };
};
