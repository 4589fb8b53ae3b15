import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SecretsManagerServer, startSecretsManager } from '../../local/emulators/secrets-manager.ts';

const clientFor = (endpoint: string) =>
  new SecretsManagerClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

let counter = 0;
const uniqueName = () => `test/${process.pid}/${Date.now()}-${counter++}`;

describe('local Secrets Manager endpoint, through the real SDK client', () => {
  let server: SecretsManagerServer;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    server = await startSecretsManager();
    client = clientFor(server.endpoint);
  });

  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  it('listens on loopback only', () => {
    expect(new URL(server.endpoint).hostname).toBe('127.0.0.1');
  });

  it('creates a secret and returns its value by name and by ARN', async () => {
    const name = uniqueName();
    const created = await client.send(
      new CreateSecretCommand({
        Name: name,
        SecretString: '{"api_key":"k1"}',
        Tags: [{ Key: 'app', Value: 'es' }],
      }),
    );
    expect(created.ARN).toMatch(
      new RegExp(`^arn:aws:secretsmanager:us-east-1:\\d{12}:secret:${name}-\\w{6}$`),
    );

    const byName = await client.send(new GetSecretValueCommand({ SecretId: name }));
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: created.ARN }));

    expect(byName.SecretString).toBe('{"api_key":"k1"}');
    expect(byName.VersionId).toBe(created.VersionId);
    expect(byName.CreatedDate).toBeInstanceOf(Date);
    expect(byArn.SecretString).toBe('{"api_key":"k1"}');
  });

  it('raises ResourceExistsException when the name is taken', async () => {
    const name = uniqueName();
    await client.send(new CreateSecretCommand({ Name: name, SecretString: 'a' }));

    await expect(
      client.send(new CreateSecretCommand({ Name: name, SecretString: 'b' })),
    ).rejects.toBeInstanceOf(ResourceExistsException);
  });

  it('raises ResourceNotFoundException for an unknown secret', async () => {
    const error = await client.send(new GetSecretValueCommand({ SecretId: uniqueName() })).catch((e) => e);

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('replaces the value with PutSecretValue and UpdateSecret, keeping the previous version', async () => {
    const name = uniqueName();
    await client.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' }));

    const put = await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'v2' }));
    await client.send(
      new UpdateSecretCommand({ SecretId: name, SecretString: 'v3', Description: 'rotated' }),
    );

    const current = await client.send(new GetSecretValueCommand({ SecretId: name }));
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }),
    );
    const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
    expect(current.SecretString).toBe('v3');
    expect(previous.SecretString).toBe('v2');
    expect(previous.VersionId).toBe(put.VersionId);
    expect(described.Description).toBe('rotated');
    expect(described.VersionIdsToStages?.[current.VersionId ?? '']).toEqual(['AWSCURRENT']);
  });

  it('deletes for good with ForceDeleteWithoutRecovery', async () => {
    const name = uniqueName();
    await client.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));

    await client.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));

    await expect(client.send(new GetSecretValueCommand({ SecretId: name }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await client.send(new CreateSecretCommand({ Name: name, SecretString: 'again' }));
  });

  it('schedules deletion without the flag: value unreadable, name blocked, restorable', async () => {
    const name = uniqueName();
    await client.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));

    const deleted = await client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));

    expect(deleted.DeletionDate).toBeInstanceOf(Date);
    await expect(client.send(new GetSecretValueCommand({ SecretId: name }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    await expect(
      client.send(new CreateSecretCommand({ Name: name, SecretString: 'y' })),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    await client.send(new RestoreSecretCommand({ SecretId: name }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('x');
  });

  it('lists secrets by name prefix', async () => {
    const prefix = `${uniqueName()}/`;
    await client.send(new CreateSecretCommand({ Name: `${prefix}a`, SecretString: '1' }));
    await client.send(new CreateSecretCommand({ Name: `${prefix}b`, SecretString: '2' }));

    const listed = await client.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [prefix] }] }),
    );

    expect(listed.SecretList?.map((secret) => secret.Name)).toEqual([`${prefix}a`, `${prefix}b`]);
  });
});

describe('local Secrets Manager endpoint with a file', () => {
  it('keeps secrets across restarts in a file only its owner can read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'secrets-'));
    const file = join(dir, 'secrets.json');
    try {
      const first = await startSecretsManager({ file });
      const firstClient = clientFor(first.endpoint);
      await firstClient.send(new CreateSecretCommand({ Name: 'kept', SecretString: 'value' }));
      firstClient.destroy();
      await first.stop();

      const second = await startSecretsManager({ file });
      const secondClient = clientFor(second.endpoint);
      const value = await secondClient.send(new GetSecretValueCommand({ SecretId: 'kept' }));
      secondClient.destroy();
      await second.stop();

      expect(value.SecretString).toBe('value');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
