import { describe, expect, it } from 'vitest';
import { DestinationUnreachableError, NotFoundError, ReceiverError } from '../../../lambdas/domain/errors.ts';
import { IntegrationTest, TEST_EVENT_NAME } from '../../../lambdas/use-cases/integration-test.ts';
import { newId, s3Integration, webhookIntegration } from '../../support/memory/fixtures.ts';
import { memoryWorld, TENANT } from '../../support/memory/world.ts';

const setUp = () => {
  const world = memoryWorld();
  const test = new IntegrationTest({
    integrations: world.integrations,
    dispatcher: world.dispatcher,
    destinations: world.destinations,
    clock: world.clock,
    tenant: TENANT,
  });
  return { world, test };
};

describe('IntegrationTest', () => {
  it('sends a webhook one signed test event and reports the receiver’s status, recording nothing', async () => {
    const { world, test } = setUp();
    const integration = world.integrations.seed(webhookIntegration({ status: 'stopped' }));
    world.sender.answer(204);
    expect(await test.run(integration.id)).toEqual({ ok: true, status_code: 204, duration_ms: 12 });
    const [request] = world.sender.requests;
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ name: TEST_EVENT_NAME, tenant: TENANT });
    expect(request?.headers['webhook-id']).toBeDefined();
    expect(await world.logs.list(integration.id)).toEqual([]);
  });

  it('answers 502 with the receiver’s status when it does not accept the test', async () => {
    const { world, test } = setUp();
    const integration = world.integrations.seed(webhookIntegration());
    world.sender.answer(500);
    await expect(test.run(integration.id)).rejects.toMatchObject({ statusCode: 502, receiverStatus: 500 });
    world.sender.fail('timeout after 10000 ms');
    await expect(test.run(integration.id)).rejects.toBeInstanceOf(ReceiverError);
  });

  it('writes an S3 test object under {prefix}/_event_stream_test/, beside the tenant’s files', async () => {
    const { world, test } = setUp();
    const integration = world.integrations.seed(s3Integration());
    const result = await test.run(integration.id);
    expect(result.key).toMatch(/^events\/_event_stream_test\/\d+-[0-9a-f-]+\.json$/);
    const bucket = world.destinations.bucket('erp-bucket');
    expect([...bucket.objects.keys()]).toEqual([result.key]);
  });

  it('answers 502 with AWS’s error code when the bucket refuses the test object', async () => {
    const { world, test } = setUp();
    const integration = world.integrations.seed(s3Integration());
    world.destinations.bucket('erp-bucket').refuse('AccessDenied');
    const run = test.run(integration.id);
    await expect(run).rejects.toBeInstanceOf(DestinationUnreachableError);
    await expect(run).rejects.toMatchObject({ statusCode: 502, awsErrorCode: 'AccessDenied' });
  });

  it('answers 404 for an unknown or impossible id', async () => {
    const { test } = setUp();
    await expect(test.run(newId())).rejects.toBeInstanceOf(NotFoundError);
    await expect(test.run('Not An Id')).rejects.toBeInstanceOf(NotFoundError);
  });
});
