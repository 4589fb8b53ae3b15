import { CreateBucketCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localS3Client } from '../../local/resources.ts';
import { apiClient, BASE, uniqueId } from '../support/api-client.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';

/**
 * Issue 9, finding 1, tried as a NewStore client would: the seed's S3 sample registers as printed, and
 * `POST .../{id}/_test` tells at once whether a destination takes our deliveries.
 */
const runtime = useLocalRuntime({ env: { MAX_INTEGRATIONS: '100' } });
let api: Awaited<ReturnType<typeof apiClient>>;
let receiver: Receiver;
let s3: S3Client;
const BUCKET = 'erp-test-route';

beforeAll(async () => {
  api = await apiClient(runtime);
  receiver = await startReceiver((request) =>
    request.path.startsWith('/broken') ? { status: 503 } : { status: 204 },
  );
  s3 = localS3Client(runtime.endpoints);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  s3?.destroy();
  await receiver?.close();
});

/** The seed's list sample `sap-s3-integration-002`, as printed (its `status` is a response field). */
const seedS3Sample = (id: string, bucket = 'sap_export') => ({
  id,
  integration_type: 'permanent',
  starts_at: '2019-01-17T12:00:00.000Z',
  s3_parameters: {
    aws_access_key_id: 'some_s3_access_key_id',
    aws_secret_access_key: 'some_s3_secret_key',
    aws_region: 'us-east-1',
    bucket,
    key_prefix: 'newstore_integration_002',
  },
});

describe("the seed's S3 samples", () => {
  it('registers the list sample as printed, and emulator credentials', async () => {
    const sample = await api('POST', BASE, { body: seedS3Sample(uniqueId('sap-s3')) });
    expect(sample.status, sample.text).toBe(200);
    expect(sample.body.s3_parameters).toMatchObject({
      bucket: 'sap_export',
      aws_access_key_id: 'some_s3_access_key_id',
    });
    const local = await api('POST', BASE, {
      body: {
        id: uniqueId('s3-local'),
        integration_type: 'permanent',
        s3_parameters: {
          aws_access_key_id: 'test',
          aws_secret_access_key: 'test',
          aws_region: 'us-east-1',
          bucket: 'Legacy_Bucket.Name-01',
          key_prefix: 'erp',
        },
      },
    });
    expect(local.status, local.text).toBe(200);
  });

  it('still refuses what no AWS key or bucket can be, naming the field', async () => {
    const badKey = seedS3Sample(uniqueId('bad'));
    badKey.s3_parameters.aws_access_key_id = 'has space';
    const key = await api('POST', BASE, { body: badKey });
    expect(key.status).toBe(400);
    expect(key.body.message).toMatch(/^s3_parameters\.aws_access_key_id: /);
    const badBucket = seedS3Sample(uniqueId('bad'), 'a/b');
    const bucket = await api('POST', BASE, { body: badBucket });
    expect(bucket.status).toBe(400);
    expect(bucket.body.message).toMatch(/^s3_parameters\.bucket: /);
  });
});

describe('POST .../{id}/_test', () => {
  const registerWebhook = async (path: string) => {
    const id = uniqueId('hook');
    const response = await api('POST', BASE, {
      body: {
        id,
        integration_type: 'permanent',
        callback_parameters: { callback_url: receiver.url(path), api_key: 'k-0001' },
      },
    });
    expect(response.status, response.text).toBe(200);
    return id;
  };

  it('sends a webhook one signed test event, and records nothing', async () => {
    const id = await registerWebhook('/ok');
    const secret = (await api('GET', `${BASE}/${id}/signing_secret`)).body.signing_secret as string;
    const logsBefore = (await api('GET', `${BASE}/${id}/logs`)).body.entries;
    const answer = await api('POST', `${BASE}/${id}/_test`);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({ ok: true, status_code: 204, duration_ms: expect.any(Number) });
    const [request] = await receiver.waitForCount(1, (r) => r.path === '/ok');
    const verified = new Webhook(secret).verify(
      request?.rawBody ?? '',
      request?.headers as Record<string, string>,
    );
    expect(verified).toMatchObject({ name: 'event_stream.test', payload: { integration_id: id } });
    expect(request?.headers.authorization).toBe('Bearer k-0001');
    expect((await api('GET', `${BASE}/${id}/deliveries`)).body.deliveries).toEqual([]);
    expect((await api('GET', `${BASE}/${id}/logs`)).body.entries).toEqual(logsBefore);
  });

  it("answers 502 with the receiver's status and reason when it does not accept", async () => {
    const id = await registerWebhook('/broken');
    const answer = await api('POST', `${BASE}/${id}/_test`);
    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({
      error_code: 'receiver_error',
      status_code: 503,
      reason: expect.stringMatching(/503/),
    });
  });

  it('writes one small object beside the files an ERP job reads, never among them', async () => {
    const id = uniqueId('s3');
    const registered = await api('POST', BASE, {
      body: {
        id,
        integration_type: 'permanent',
        s3_parameters: {
          aws_access_key_id: 'test',
          aws_secret_access_key: 'test',
          aws_region: 'us-east-1',
          bucket: BUCKET,
          key_prefix: `erp/${id}`,
        },
      },
    });
    expect(registered.status, registered.text).toBe(200);
    const answer = await api('POST', `${BASE}/${id}/_test`);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.key).toMatch(new RegExp(`^erp/${id}/_event_stream_test/\\d{13}-[0-9a-f-]+\\.json$`));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `erp/${id}/` }));
    expect((listed.Contents ?? []).map((object) => object.Key)).toEqual([answer.body.key]);
  });

  it("answers 502 with AWS's error code when the bucket is not there", async () => {
    const id = uniqueId('s3');
    expect((await api('POST', BASE, { body: seedS3Sample(id, 'no-such-bucket-here') })).status).toBe(200);
    const answer = await api('POST', `${BASE}/${id}/_test`);
    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({ error_code: 'destination_error', aws_error_code: 'NoSuchBucket' });
  });

  it('answers 404 for an unknown integration', async () => {
    expect((await api('POST', `${BASE}/no-such-integration/_test`)).status).toBe(404);
  });
});
