import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES } from '../../lambdas/domain/export-file.ts';
import { localS3Client } from '../../local/resources.ts';
import { apiClient, BASE, uniqueId } from '../support/api-client.ts';
import { awsClients } from '../support/aws-clients.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';
import { eventually } from '../support/poll.ts';
import { exportKeyPattern, readExportFiles } from '../support/s3-files.ts';
import { startRecordingProxy, startStsStub } from '../support/s3-stubs.ts';

const EVENTS = '/api/v1/org/events';
const BUCKET = 'erp-exports';
/** The smallest file limit the config allows: a few 20 KiB events fill a file. */
const FILE_LIMIT = MAX_LINE_BYTES;
const FIVE_MINUTES_MS = 5 * 60_000;

// The handlers reach S3 through a recording proxy (to see which keys signed what) and STS through a stub;
// both listen before the runtime starts, so their URLs go into its environment. The file age stays at its
// default 5 minutes: tests move the handlers' clock (CLOCK_OFFSET_MS) instead of waiting.
const env: Record<string, string> = {
  RETRY_SCHEDULE_SECONDS: '1',
  EXPORT_MAX_FILE_BYTES: String(FILE_LIMIT),
  MAX_INTEGRATIONS: '100',
};
let sts: Awaited<ReturnType<typeof startStsStub>>;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
beforeAll(async () => {
  [sts, proxy] = await Promise.all([startStsStub(), startRecordingProxy()]);
  env.AWS_ENDPOINT_URL_STS = sts.url;
  env.AWS_ENDPOINT_URL_S3 = proxy.url;
});

const runtime = useLocalRuntime({ scheduleIntervalMs: 1000, env });
let api: Awaited<ReturnType<typeof apiClient>>;
let s3: S3Client;
let clients: ReturnType<typeof awsClients>;

beforeAll(async () => {
  proxy.forwardTo(runtime.endpoints.s3);
  api = await apiClient(runtime);
  s3 = localS3Client(runtime.endpoints);
  clients = awsClients(runtime);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  s3?.destroy();
  await Promise.all([sts?.close(), proxy?.close()]);
});

/** Moves the handlers' clock forward (the local runtime reads CLOCK_OFFSET_MS on every call). */
const clockOffset = () => Number(process.env.CLOCK_OFFSET_MS ?? 0);

afterAll(() => {
  delete process.env.CLOCK_OFFSET_MS;
});

const advanceClock = (ms: number) => {
  process.env.CLOCK_OFFSET_MS = String(Number(process.env.CLOCK_OFFSET_MS ?? 0) + ms);
};

const registerS3 = async (params: Record<string, unknown> = {}, bucket = BUCKET) => {
  const id = uniqueId('s3');
  const response = await api('POST', BASE, {
    body: {
      id,
      integration_type: 'permanent',
      s3_parameters: { bucket, key_prefix: `erp/${id}`, aws_region: 'eu-central-1', ...params },
    },
  });
  expect(response.status, response.text).toBe(200);
  return { id, prefix: `erp/${id}` };
};

const publish = async (count: number, payload: (n: number) => Record<string, unknown> = (n) => ({ n })) => {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 100) {
    const events = Array.from({ length: Math.min(100, count - start) }, (_, i) => ({
      name: 'order.created',
      payload: payload(start + i),
    }));
    const response = await api('POST', EVENTS, { body: { events } });
    expect(response.status, response.text).toBe(202);
    ids.push(...response.body.ids);
  }
  return ids;
};

/** Events staged in the integration's open file, per the state table. */
const stagedEvents = async (id: string): Promise<number> => {
  const { Item } = await clients.documents.send(
    new GetCommand({
      TableName: runtime.env.STATE_TABLE_NAME,
      Key: { pk: `EXPORT#${id}`, sk: 'OPEN' },
      ConsistentRead: true,
    }),
  );
  return (Item?.events as number | undefined) ?? 0;
};

const logEntries = async (id: string): Promise<{ action: string; reason: string }[]> =>
  (await api('GET', `${BASE}/${id}/logs`)).body.entries;

const files = (prefix: string, bucket = BUCKET) => readExportFiles(s3, bucket, prefix);

describe('S3 export files', () => {
  it('closes a file 5 minutes after it started and writes every event once, as NewStore names and formats it', async () => {
    const { id, prefix } = await registerS3();
    const before = Date.now() + clockOffset();
    const ids = await publish(50, (n) => ({ id: `o-${n}` }));
    await eventually(async () => expect(await stagedEvents(id)).toBe(50), { timeoutMs: 20_000 });

    // Staged, but younger than 5 minutes: not in the bucket yet (the exact boundary is pinned by
    // test/integration/s3-export-pipeline.test.ts with a fake clock).
    expect(await files(prefix)).toEqual([]);

    advanceClock(FIVE_MINUTES_MS);
    const [file, ...others] = await eventually(async () => {
      const written = await files(prefix);
      expect(written).toHaveLength(1);
      return written;
    });
    expect(others).toEqual([]);
    const match = exportKeyPattern(prefix, 'local').exec(file?.key ?? '');
    expect(match, file?.key).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThanOrEqual(before);
    expect(Number(match?.[1])).toBeLessThanOrEqual(Date.now() + clockOffset());
    for (const event of file?.events ?? []) {
      expect(Object.keys(event)).toEqual(['id', 'tenant', 'name', 'published_at', 'payload', 'entity_id']);
      expect(event).toMatchObject({ tenant: 'local', name: 'order.created' });
      // No entity_id given: the payload's id is the entity's.
      expect(event.entity_id).toBe((event.payload as { id: string }).id);
    }
    expect(file?.events.map((event) => event.id).sort()).toEqual([...ids].sort());

    const uploaded = (await logEntries(id)).find((entry) => entry.action === 'file_uploaded');
    expect(uploaded?.reason).toBe(`Uploaded s3://${BUCKET}/${file?.key} (50 events, ${file?.size} bytes).`);
    // Staging is cleaned up: nothing open, nothing waiting.
    await eventually(async () => expect(await stagedEvents(id)).toBe(0));
    // No credentials given: the stack's own (here the runtime's `local` keys) signed the upload.
    const put = proxy.requests.find(
      (request) => request.method === 'PUT' && request.path.includes(file?.key ?? '-'),
    );
    expect(put?.accessKeyId).toBe('local');
  });

  it('starts a new file before the size limit: no file exceeds it and no event spans two files', async () => {
    const { prefix } = await registerS3();
    const filler = 'x'.repeat(20_000);
    const ids = await publish(40, (n) => ({ n, filler }));
    // Full files are written at once; the last one waits for its 5 minutes.
    await eventually(async () => expect((await files(prefix)).length).toBeGreaterThanOrEqual(2), {
      timeoutMs: 20_000,
    });
    advanceClock(FIVE_MINUTES_MS);
    const written = await eventually(async () => {
      const all = await files(prefix);
      expect(all.flatMap((file) => file.events)).toHaveLength(40);
      return all;
    });
    expect(written.length).toBeGreaterThanOrEqual(3);
    const lineBytes = Math.max(
      ...written.flatMap((file) => file.body.split('\n').map((line) => line.length + 1)),
    );
    const byTime = [...written].sort((a, b) => a.key.localeCompare(b.key));
    for (const [index, file] of byTime.entries()) {
      expect(file.size).toBeLessThanOrEqual(FILE_LIMIT);
      // Every file but the last was closed because the next event would not fit.
      if (index < byTime.length - 1) expect(file.size + lineBytes).toBeGreaterThan(FILE_LIMIT);
    }
    expect(written.flatMap((file) => file.events.map((event) => event.id)).sort()).toEqual([...ids].sort());
  });
});

describe('credentials', () => {
  it('signs uploads with the access keys kept in the secret store', async () => {
    const { id, prefix } = await registerS3({
      aws_access_key_id: 'AKIAEXPORTTEST000001',
      aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    await publish(3);
    await eventually(async () => expect(await stagedEvents(id)).toBe(3), { timeoutMs: 20_000 });
    advanceClock(FIVE_MINUTES_MS);
    const [file] = await eventually(async () => {
      const written = await files(prefix);
      expect(written).toHaveLength(1);
      return written;
    });
    const puts = proxy.requests.filter((request) => request.path.includes(file?.key ?? '-'));
    expect(puts.map((request) => request.accessKeyId)).toEqual(puts.map(() => 'AKIAEXPORTTEST000001'));
  });

  it('assumes role_arn with external_id and signs with the temporary keys', async () => {
    const roleArn = 'arn:aws:iam::123456789012:role/event-stream-export';
    const { id, prefix } = await registerS3({ role_arn: roleArn, external_id: 'erp-external-id-1' });
    await publish(3);
    await eventually(async () => expect(await stagedEvents(id)).toBe(3), { timeoutMs: 20_000 });
    advanceClock(FIVE_MINUTES_MS);
    const [file] = await eventually(async () => {
      const written = await files(prefix);
      expect(written).toHaveLength(1);
      return written;
    });
    const call = sts.calls.find((c) => c.sessionName === `event-stream-${id}`);
    expect(call).toMatchObject({ roleArn, externalId: 'erp-external-id-1' });
    const put = proxy.requests.find((request) => request.path.includes(file?.key ?? '-'));
    expect(put?.accessKeyId).toBe(call?.accessKeyId);
  });
});

describe('failures', () => {
  it('logs a missing bucket with AWS’s error code, keeps the events staged and delivers once the bucket exists', async () => {
    const bucket = `missing-${Date.now().toString(36)}`;
    const { id, prefix } = await registerS3({}, bucket);
    const ids = await publish(3);
    await eventually(async () => expect(await stagedEvents(id)).toBe(3), { timeoutMs: 20_000 });
    advanceClock(FIVE_MINUTES_MS);
    const retry = await eventually(async () => {
      const entry = (await logEntries(id)).find((e) => e.action === 'retry_triggered');
      expect(entry).toBeDefined();
      return entry;
    });
    expect(retry?.reason).toMatch(
      new RegExp(`s3://${bucket}/${prefix}/local/\\d{13}-data-[a-z0-9]+\\.export`),
    );
    expect(retry?.reason).toContain('NoSuchBucket');
    expect((await api('GET', `${BASE}/${id}`)).body.status).toBe('running');

    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const written = await eventually(async () => {
      const all = await files(prefix, bucket);
      expect(all).toHaveLength(1);
      return all;
    });
    expect(written[0]?.events.map((event) => event.id).sort()).toEqual([...ids].sort());
  });
});

describe('stop and delete', () => {
  it('stop writes the open file at once', async () => {
    const { id, prefix } = await registerS3();
    const ids = await publish(5);
    await eventually(async () => expect(await stagedEvents(id)).toBe(5), { timeoutMs: 20_000 });
    expect((await api('POST', `${BASE}/${id}/_stop`)).status).toBe(200);
    const written = await files(prefix);
    expect(written).toHaveLength(1);
    expect(written[0]?.events.map((event) => event.id).sort()).toEqual([...ids].sort());
  });

  it('delete writes the open file before the integration goes', async () => {
    const { id, prefix } = await registerS3();
    const ids = await publish(5);
    await eventually(async () => expect(await stagedEvents(id)).toBe(5), { timeoutMs: 20_000 });
    expect((await api('DELETE', `${BASE}/${id}`)).status).toBe(200);
    const written = await files(prefix);
    expect(written).toHaveLength(1);
    expect(written[0]?.events.map((event) => event.id).sort()).toEqual([...ids].sort());
    expect((await api('GET', `${BASE}/${id}`)).status).toBe(404);
  });
});
