import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { S3ExportDestinations } from '../../lambdas/adapters/s3/s3-export-destinations.ts';
import { DestinationError } from '../../lambdas/domain/export-file.ts';
import type { Integration } from '../../lambdas/domain/integration.ts';
import type { SecretStore } from '../../lambdas/domain/ports/integrations.ts';
import { customerS3Client } from '../../lambdas/shared/clients/s3.ts';
import { type AwsClientOptions, clientConfig } from '../../lambdas/shared/clients.ts';
import { startStsStub } from '../support/s3-stubs.ts';

/**
 * S3 export with `role_arn` + `external_id`: the destinations assume the customer's role through STS (a stub
 * on 127.0.0.1, reached through AWS_ENDPOINT_URL_STS as in the e2e tests) and sign every request with the
 * temporary keys, assuming the role again only when the keys are about to expire or the integration changed.
 */

/** An S3 endpoint that accepts every PUT and records the access key id that signed it. */
const startS3 = async () => {
  const signedWith: string[] = [];
  const server: Server = createServer((req, res) => {
    signedWith.push(/Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '');
    req.resume();
    req.on('end', () => res.writeHead(200, { etag: '"e"' }).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    signedWith,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const ROLE_ARN = 'arn:aws:iam::123456789012:role/erp-export';
const noSecrets: SecretStore = { get: async () => ({}), put: async () => {}, delete: async () => {} };

const integration = (id: string, updatedAt = '2026-01-01T00:00:00.000Z'): Integration =>
  ({
    id,
    updated_at: updatedAt,
    s3_parameters: {
      bucket: 'erp-exports',
      key_prefix: 'in',
      aws_region: 'eu-west-1',
      role_arn: ROLE_ARN,
      external_id: 'erp-external-id',
    },
  }) as unknown as Integration;

let sts: Awaited<ReturnType<typeof startStsStub>>;
let s3: Awaited<ReturnType<typeof startS3>>;
const saved = { ...process.env };

beforeAll(async () => {
  [sts, s3] = await Promise.all([startStsStub(), startS3()]);
  // The function's own role and region, as Lambda sets them; STS and S3 on loopback.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAFUNCTIONROLE0001',
    AWS_SECRET_ACCESS_KEY: 'function-role-secret',
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_ENDPOINT_URL_S3: s3.url,
  });
});

afterAll(async () => {
  process.env = saved;
  await Promise.all([sts?.close(), s3?.close()]);
});

afterEach(() => {
  vi.useRealTimers();
  sts.refuse(false);
});

/** The customer bucket and STS on the test's endpoints, as the local runtime's platform gives them. */
const options = () => {
  const aws: AwsClientOptions = {
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoints: { s3: s3.url, sts: sts.url },
    s3ForcePathStyle: true,
  };
  return {
    secrets: noSecrets,
    newClient: (config: Parameters<typeof customerS3Client>[1]) => customerS3Client(aws, config),
    stsClientConfig: clientConfig(aws, 'sts'),
  };
};

const callsFor = (id: string) => sts.calls.filter((call) => call.sessionName === `event-stream-${id}`);

describe('S3 export through an assumed role', () => {
  it('assumes the role once for concurrent uploads, with the external id and a session named after the integration', async () => {
    const destinations = new S3ExportDestinations(options());
    const destination = await destinations.forIntegration(integration('assume-once'));
    const before = s3.signedWith.length;
    await Promise.all([
      destination.putObject('a', Buffer.from('1')),
      destination.putObject('b', Buffer.from('2')),
    ]);

    const calls = callsFor('assume-once');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ roleArn: ROLE_ARN, externalId: 'erp-external-id' });
    expect(s3.signedWith.slice(before)).toEqual([calls[0]?.accessKeyId, calls[0]?.accessKeyId]);
  });

  it('keeps the session name within the 64 characters STS allows', async () => {
    const id = 'x'.repeat(50);
    const destination = await new S3ExportDestinations(options()).forIntegration(integration(id));
    await destination.putObject('a', Buffer.from('1'));
    expect(sts.calls.at(-1)?.sessionName).toBe(`event-stream-${id}`.slice(0, 64));
  });

  it('keeps the keys until 5 minutes before they expire (one hour), then assumes the role again', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const destination = await new S3ExportDestinations(options()).forIntegration(integration('renew'));
    await destination.putObject('a', Buffer.from('1'));
    vi.setSystemTime(Date.now() + 55 * 60_000 - 1000);
    await destination.putObject('b', Buffer.from('2'));
    expect(callsFor('renew')).toHaveLength(1);
    vi.setSystemTime(Date.now() + 2000);
    await destination.putObject('c', Buffer.from('3'));
    const calls = callsFor('renew');
    expect(calls).toHaveLength(2);
    expect(s3.signedWith.at(-1)).toBe(calls[1]?.accessKeyId);
  });

  it('assumes the role again when the integration changed', async () => {
    const destinations = new S3ExportDestinations(options());
    await (await destinations.forIntegration(integration('revised'))).putObject('a', Buffer.from('1'));
    await (await destinations.forIntegration(integration('revised'))).putObject('b', Buffer.from('2'));
    expect(callsFor('revised')).toHaveLength(1);
    const revised = integration('revised', '2026-02-01T00:00:00.000Z');
    await (await destinations.forIntegration(revised)).putObject('c', Buffer.from('3'));
    expect(callsFor('revised')).toHaveLength(2);
  });

  it('reports a refusal with STS’s error code and the role, and tries again on the next upload', async () => {
    const destination = await new S3ExportDestinations(options()).forIntegration(integration('refused'));
    sts.refuse(true);
    const error = await destination.putObject('a', Buffer.from('1')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DestinationError);
    expect(error).toMatchObject({ code: 'AccessDenied' });
    expect((error as Error).message).toContain(`AssumeRole ${ROLE_ARN} failed`);

    sts.refuse(false);
    expect(await destination.putObject('a', Buffer.from('1'))).toBe('created');
    expect(callsFor('refused')).toHaveLength(1);
  });
});
