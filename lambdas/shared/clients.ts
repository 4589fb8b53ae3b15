import type { AwsCredentialIdentity } from '@aws-sdk/types';

/**
 * Where a function's AWS clients go. Empty in Lambda (the SDK's standard resolution: the function's region
 * and role); the local runtime names the emulators' endpoints and its credentials.
 *
 * The clients themselves are made by one module per service (`clients/*.ts`), each on first use and then
 * kept for the life of these options (an execution environment): a function's bundle holds only the SDK
 * clients it uses, and pays for them only when it uses them.
 */
export interface AwsClientOptions {
  region?: string;
  credentials?: AwsCredentialIdentity;
  endpoints?: Partial<Record<'dynamodb' | 'sqs' | 's3' | 'secretsmanager' | 'sts', string>>;
  /** Path-style S3 addressing (the emulator's; AWS prefers virtual-hosted). */
  s3ForcePathStyle?: boolean;
}

type Destroyable = { destroy(): void };

const created = new WeakMap<AwsClientOptions, Map<string, Destroyable>>();

/** The client `key` of these options: made by `create` the first time, the same one after. */
export const clientOf = <T extends Destroyable>(
  options: AwsClientOptions,
  key: string,
  create: () => T,
): T => {
  let clients = created.get(options);
  if (!clients) {
    clients = new Map();
    created.set(options, clients);
  }
  let client = clients.get(key) as T | undefined;
  if (!client) {
    client = create();
    clients.set(key, client);
  }
  return client;
};

/** Closes every client made for these options (their sockets); a local runtime that stops calls it. */
export const destroyClients = (options: AwsClientOptions): void => {
  for (const client of created.get(options)?.values() ?? []) client.destroy();
  created.delete(options);
};

/** The settings every client of one service shares: region, credentials, endpoint. */
export const clientConfig = (
  options: AwsClientOptions,
  service: keyof NonNullable<AwsClientOptions['endpoints']>,
): { region?: string; credentials?: AwsCredentialIdentity; endpoint?: string } => {
  const endpoint = options.endpoints?.[service];
  return {
    ...(options.region && { region: options.region }),
    ...(options.credentials && { credentials: options.credentials }),
    ...(endpoint && { endpoint }),
  };
};
