import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';

/**
 * A small Secrets Manager endpoint speaking the AWS JSON 1.1 protocol that `@aws-sdk/client-secrets-manager`
 * uses (POST /, `x-amz-target: secretsmanager.<Operation>`). No emulator for it is maintained, and the
 * handlers only need a handful of operations. Errors use the JSON error shape (`__type` + `message`) so the
 * SDK raises its named exception classes (ResourceNotFoundException, ...).
 */
export interface SecretsManagerServer {
  endpoint: string;
  /**
   * Closes the server (dropping connections) and listens again on the same port after `downMs` (default 0),
   * reloading the secrets from `file` when there is one. For fault-injection runs (`npm run soak`).
   */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

export interface SecretsManagerOptions {
  /** JSON file the secrets are kept in (mode 0600); in memory when absent. */
  file?: string;
  region?: string;
  accountId?: string;
}

interface SecretVersion {
  versionId: string;
  secretString?: string;
  /** Base64, as the protocol carries blobs. */
  secretBinary?: string;
  createdAt: number;
}

interface StoredSecret {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags: { Key: string; Value: string }[];
  createdAt: number;
  lastChangedAt: number;
  deletedAt?: number;
  current: SecretVersion;
  previous?: SecretVersion;
}

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_REQUEST_BYTES = 1024 * 1024;
const MAX_SECRET_BYTES = 65_536;
const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const seconds = (epochMs: number): number => epochMs / 1000;

/** Starts the endpoint on a free loopback port. */
export const startSecretsManager = async (
  options: SecretsManagerOptions = {},
): Promise<SecretsManagerServer> => {
  const listen = async (port: number, store: SecretStore) => {
    const server = createServer((request, response) => {
      handle(store, request, response).catch((error: unknown) => {
        console.error('secrets manager emulator:', error);
        if (!response.headersSent)
          send(response, 500, { __type: 'InternalServiceError', message: 'Internal error' });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: '127.0.0.1' }, resolve);
    });
    return server;
  };
  const close = async (server: Server, store: SecretStore): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.flushed();
  };
  let store = new SecretStore(options);
  let server = await listen(0, store);
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    restart: async ({ downMs = 0 } = {}) => {
      await close(server, store);
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      // With a file, read it again as a new process would; in memory, keep the secrets.
      if (options.file) store = new SecretStore(options);
      server = await listen(port, store);
    },
    stop: () => close(server, store),
  };
};

const handle = async (
  store: SecretStore,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> => {
  const target = request.headers['x-amz-target'];
  const operation =
    typeof target === 'string' && target.startsWith('secretsmanager.') ? target.slice(15) : '';
  if (request.method !== 'POST' || !operation) {
    send(response, 400, { __type: 'UnknownOperationException', message: 'Expected POST with x-amz-target' });
    return;
  }
  let input: Input;
  try {
    const body = await readBody(request);
    input = body.length ? (JSON.parse(body.toString('utf8')) as Input) : {};
  } catch (error) {
    send(response, 400, { __type: 'SerializationException', message: (error as Error).message });
    return;
  }
  try {
    send(response, 200, await store.call(operation, input));
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    send(response, 400, { __type: error.type, message: error.message });
  }
};

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new Error('Request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
};

const send = (response: ServerResponse, status: number, body: Output): void => {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(payload);
};

class SecretStore {
  private readonly secrets = new Map<string, StoredSecret>();
  private readonly region: string;
  private readonly accountId: string;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly options: SecretsManagerOptions) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    if (options.file) {
      for (const secret of readSecretsFile(options.file)) this.secrets.set(secret.name, secret);
    }
  }

  async call(operation: string, input: Input): Promise<Output> {
    switch (operation) {
      case 'CreateSecret':
        return this.persist(this.create(input));
      case 'GetSecretValue':
        return this.getValue(input);
      case 'PutSecretValue':
        return this.persist(this.putValue(input));
      case 'UpdateSecret':
        return this.persist(this.update(input));
      case 'DescribeSecret':
        return this.describe(this.find(input.SecretId));
      case 'DeleteSecret':
        return this.persist(this.delete(input));
      case 'RestoreSecret':
        return this.persist(this.restore(input));
      case 'ListSecrets':
        return this.list(input);
      default:
        throw new ServiceError(
          'UnknownOperationException',
          `Operation ${operation} is not supported locally`,
        );
    }
  }

  /** Waits for the last write to reach the file. */
  flushed(): Promise<void> {
    return this.saving;
  }

  private create(input: Input): Output {
    const name = requireString(input, 'Name');
    if (!NAME_PATTERN.test(name))
      throw new ServiceError('ValidationException', `Invalid secret name: ${name}`);
    const existing = this.secrets.get(name);
    if (existing?.deletedAt !== undefined) {
      throw new ServiceError(
        'InvalidRequestException',
        "You can't create this secret because a secret with this name is already scheduled for deletion.",
      );
    }
    if (existing) throw new ServiceError('ResourceExistsException', `The secret ${name} already exists.`);
    const now = Date.now();
    const secret: StoredSecret = {
      arn: `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${name}-${randomSuffix()}`,
      name,
      ...optionalString(input, 'Description', 'description'),
      ...optionalString(input, 'KmsKeyId', 'kmsKeyId'),
      tags: readTags(input.Tags),
      createdAt: now,
      lastChangedAt: now,
      current: this.version(input, now),
    };
    this.secrets.set(name, secret);
    return { ARN: secret.arn, Name: secret.name, VersionId: secret.current.versionId };
  }

  private getValue(input: Input): Output {
    const secret = this.findLive(input.SecretId);
    const stage = typeof input.VersionStage === 'string' ? input.VersionStage : undefined;
    const versionId = typeof input.VersionId === 'string' ? input.VersionId : undefined;
    const wantsPrevious = stage === 'AWSPREVIOUS' || (versionId && versionId === secret.previous?.versionId);
    const version = wantsPrevious ? secret.previous : secret.current;
    if (
      !version ||
      (versionId && version.versionId !== versionId) ||
      (stage && !wantsPrevious && stage !== 'AWSCURRENT')
    ) {
      throw new ServiceError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret value for the requested version or staging label.",
      );
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      ...(version.secretString !== undefined ? { SecretString: version.secretString } : {}),
      ...(version.secretBinary !== undefined ? { SecretBinary: version.secretBinary } : {}),
      VersionStages: [version === secret.current ? 'AWSCURRENT' : 'AWSPREVIOUS'],
      CreatedDate: seconds(version.createdAt),
    };
  }

  private putValue(input: Input): Output {
    const secret = this.findLive(input.SecretId);
    this.replaceValue(secret, input);
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: secret.current.versionId,
      VersionStages: ['AWSCURRENT'],
    };
  }

  private update(input: Input): Output {
    const secret = this.findLive(input.SecretId);
    Object.assign(secret, optionalString(input, 'Description', 'description'));
    Object.assign(secret, optionalString(input, 'KmsKeyId', 'kmsKeyId'));
    secret.lastChangedAt = Date.now();
    const changesValue = input.SecretString !== undefined || input.SecretBinary !== undefined;
    if (changesValue) this.replaceValue(secret, input);
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(changesValue ? { VersionId: secret.current.versionId } : {}),
    };
  }

  private delete(input: Input): Output {
    const secret = this.find(input.SecretId);
    const now = Date.now();
    if (input.ForceDeleteWithoutRecovery === true) {
      if (input.RecoveryWindowInDays !== undefined) {
        throw new ServiceError(
          'InvalidParameterException',
          'You can’t use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.',
        );
      }
      this.secrets.delete(secret.name);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: seconds(now) };
    }
    const days = typeof input.RecoveryWindowInDays === 'number' ? input.RecoveryWindowInDays : 30;
    if (days < 7 || days > 30) {
      throw new ServiceError('InvalidParameterException', 'RecoveryWindowInDays must be between 7 and 30.');
    }
    // Scheduled deletion never runs locally: the secret stays until restored or force-deleted.
    secret.deletedAt ??= now;
    return {
      ARN: secret.arn,
      Name: secret.name,
      DeletionDate: seconds(secret.deletedAt + days * 86_400_000),
    };
  }

  private restore(input: Input): Output {
    const secret = this.find(input.SecretId);
    delete secret.deletedAt;
    return { ARN: secret.arn, Name: secret.name };
  }

  private describe(secret: StoredSecret): Output {
    const versions: Record<string, string[]> = { [secret.current.versionId]: ['AWSCURRENT'] };
    if (secret.previous) versions[secret.previous.versionId] = ['AWSPREVIOUS'];
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.description !== undefined ? { Description: secret.description } : {}),
      ...(secret.kmsKeyId !== undefined ? { KmsKeyId: secret.kmsKeyId } : {}),
      ...(secret.tags.length ? { Tags: secret.tags } : {}),
      CreatedDate: seconds(secret.createdAt),
      LastChangedDate: seconds(secret.lastChangedAt),
      ...(secret.deletedAt !== undefined ? { DeletedDate: seconds(secret.deletedAt) } : {}),
      VersionIdsToStages: versions,
    };
  }

  private list(input: Input): Output {
    const filters = Array.isArray(input.Filters)
      ? (input.Filters as { Key?: string; Values?: string[] }[])
      : [];
    const prefixes = filters
      .filter((filter) => filter.Key === 'name')
      .flatMap((filter) => filter.Values ?? []);
    const matching = [...this.secrets.values()]
      .filter((secret) => input.IncludePlannedDeletion === true || secret.deletedAt === undefined)
      .filter((secret) => prefixes.length === 0 || prefixes.some((prefix) => secret.name.startsWith(prefix)))
      .sort((a, b) => a.name.localeCompare(b.name));
    const start = typeof input.NextToken === 'string' ? Number.parseInt(input.NextToken, 10) || 0 : 0;
    const limit = typeof input.MaxResults === 'number' ? input.MaxResults : 100;
    const page = matching.slice(start, start + limit);
    const next = start + limit < matching.length ? String(start + limit) : undefined;
    return {
      SecretList: page.map((secret) => {
        const { VersionIdsToStages, ...summary } = this.describe(secret);
        return { ...summary, SecretVersionsToStages: VersionIdsToStages };
      }),
      ...(next ? { NextToken: next } : {}),
    };
  }

  private replaceValue(secret: StoredSecret, input: Input): void {
    const now = Date.now();
    secret.previous = secret.current;
    secret.current = this.version(input, now);
    secret.lastChangedAt = now;
  }

  private version(input: Input, now: number): SecretVersion {
    const secretString = typeof input.SecretString === 'string' ? input.SecretString : undefined;
    const secretBinary = typeof input.SecretBinary === 'string' ? input.SecretBinary : undefined;
    if (secretString !== undefined && secretBinary !== undefined) {
      throw new ServiceError(
        'InvalidParameterException',
        'Specify either SecretString or SecretBinary, not both.',
      );
    }
    const size =
      secretString !== undefined ? Buffer.byteLength(secretString) : (secretBinary?.length ?? 0) * 0.75;
    if (size > MAX_SECRET_BYTES)
      throw new ServiceError('ValidationException', 'The secret value is too large.');
    return {
      versionId: typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : randomUUID(),
      ...(secretString !== undefined ? { secretString } : {}),
      ...(secretBinary !== undefined ? { secretBinary } : {}),
      createdAt: now,
    };
  }

  private find(secretId: unknown): StoredSecret {
    if (typeof secretId !== 'string' || !secretId) {
      throw new ServiceError('ValidationException', 'SecretId is required.');
    }
    const byName = this.secrets.get(secretId);
    if (byName) return byName;
    for (const secret of this.secrets.values()) {
      if (secret.arn === secretId) return secret;
    }
    throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  }

  private findLive(secretId: unknown): StoredSecret {
    const secret = this.find(secretId);
    if (secret.deletedAt !== undefined) {
      throw new ServiceError(
        'InvalidRequestException',
        "You can't perform this operation on the secret because it was marked for deletion.",
      );
    }
    return secret;
  }

  /** Writes the file after a change (serialized, atomic via rename), then returns the operation's output. */
  private async persist(output: Output): Promise<Output> {
    const file = this.options.file;
    if (!file) return output;
    const snapshot = JSON.stringify({ secrets: [...this.secrets.values()] }, null, 2);
    this.saving = this.saving.then(() => writeSecretsFile(file, snapshot));
    await this.saving;
    return output;
  }
}

const readSecretsFile = (file: string): StoredSecret[] => {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { secrets: StoredSecret[] }).secrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
  }
};

const writeSecretsFile = async (file: string, content: string): Promise<void> => {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 });
  // writeFile's mode applies only when it creates the file; a stale temporary file keeps its own.
  await chmod(temporary, 0o600);
  await rename(temporary, file);
};

const requireString = (input: Input, key: string): string => {
  const value = input[key];
  if (typeof value !== 'string' || !value)
    throw new ServiceError('ValidationException', `${key} is required.`);
  return value;
};

const optionalString = <K extends string>(input: Input, key: string, as: K): Partial<Record<K, string>> =>
  typeof input[key] === 'string' ? ({ [as]: input[key] } as Partial<Record<K, string>>) : {};

const readTags = (tags: unknown): { Key: string; Value: string }[] =>
  Array.isArray(tags)
    ? tags.flatMap((tag: { Key?: unknown; Value?: unknown }) =>
        typeof tag.Key === 'string' ? [{ Key: tag.Key, Value: String(tag.Value ?? '') }] : [],
      )
    : [];

/** Real ARNs end in `-` and six random characters, so code must never build an ARN from a name. */
const randomSuffix = (): string =>
  randomBytes(6)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, 6);
