import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  LimitExceededError,
  NotFoundError,
  ValidationError,
} from '../../../lambdas/domain/errors.ts';
import { API_BASE } from '../../../lambdas/handlers/api/routes.ts';
import { IntegrationRegistry } from '../../../lambdas/use-cases/integration-registry.ts';
import { RecordingExportFlusher } from '../../support/memory/exports.ts';
import { DAY_MS, isoPlus, loggedEvent, newId, s3Integration } from '../../support/memory/fixtures.ts';
import { type MemoryWorld, memoryWorld } from '../../support/memory/world.ts';
import { conformanceProblem } from '../../support/openapi-conformance.ts';

const API_KEY = 'key-0123456789abcdef-WXYZ';

const setUp = (world: MemoryWorld = memoryWorld(), exportFiles = world.exportFlusher) => ({
  world,
  registry: new IntegrationRegistry({
    integrations: world.integrations,
    logs: world.logs,
    secrets: world.secrets,
    replays: world.replayJobs,
    remover: world.remover,
    exportFiles,
    rateLimits: world.rateLimits,
    clock: world.clock,
    policy: world.policy,
  }),
});

const webhookBody = (overrides: Record<string, unknown> = {}) => ({
  id: newId(),
  integration_type: 'permanent',
  callback_parameters: { callback_url: 'https://erp.example.com/events', api_key: API_KEY },
  ...overrides,
});

describe('IntegrationRegistry.register', () => {
  it('registers a running integration and logs that it was created and started', async () => {
    const { world, registry } = setUp();
    const body = webhookBody();
    const view = await registry.register(body);
    expect(view).toMatchObject({ id: body.id, status: 'running', integration_type: 'permanent' });
    expect(await world.logs.actions(body.id)).toEqual(
      expect.arrayContaining(['integration_created', 'integration_started']),
    );
    expect(await world.replayStore.get(body.id)).toBeUndefined();
  });

  it.each([
    ['an id with capitals', { id: 'ERP-1' }],
    ['an id longer than 50', { id: 'a'.repeat(51) }],
    ['no destination', { callback_parameters: undefined }],
    ['a plain http callback', { callback_parameters: { callback_url: 'http://erp.example.com/events' } }],
    ['a loopback callback', { callback_parameters: { callback_url: 'https://127.0.0.1/events' } }],
    ['a starts_at in the future', { starts_at: '2026-12-01T12:00:00.000Z' }],
    ['a permanent one with ends_at', { ends_at: '2026-11-30T11:00:00.000Z' }],
    [
      'a temporary one without ends_at',
      { integration_type: 'temporary', starts_at: '2026-11-30T10:00:00.000Z' },
    ],
    [
      'a temporary one whose range left the window',
      {
        integration_type: 'temporary',
        starts_at: '2026-09-01T00:00:00.000Z',
        ends_at: '2026-10-01T00:00:00.000Z',
      },
    ],
  ])('refuses %s with 400 and stores nothing', async (_, overrides) => {
    const { world, registry } = setUp();
    const body = webhookBody(overrides);
    await expect(registry.register(body)).rejects.toBeInstanceOf(ValidationError);
    expect(await world.integrations.list()).toEqual([]);
  });

  it('refuses a duplicate id with 409 and an integration past the limit with 400', async () => {
    const { world, registry } = setUp();
    const first = webhookBody();
    await registry.register(first);
    await expect(registry.register(first)).rejects.toMatchObject({
      statusCode: 409,
      errorCode: 'integration_exists',
    });
    for (let i = 1; i < world.policy.maxIntegrations; i++) await registry.register(webhookBody());
    await expect(registry.register(webhookBody())).rejects.toBeInstanceOf(LimitExceededError);
    expect(await world.integrations.list()).toHaveLength(world.policy.maxIntegrations);
  });

  it('clamps a starts_at older than the window, says so, and replays from the window start without settling', async () => {
    const { world, registry } = setUp();
    const body = webhookBody({ starts_at: '2020-01-01T00:00:00.000Z' });
    await registry.register(body);
    const now = world.clock.now();
    const windowStart = isoPlus(now, -30 * DAY_MS);
    const log = await world.logs.list(body.id);
    expect(log.find((entry) => entry.action === 'starts_at_clamped')?.reason).toContain(windowStart);
    const job = await world.replayStore.get(body.id);
    expect(job).toMatchObject({ from: windowStart, to: now.toISOString(), settle_until: now.toISOString() });
    expect(world.queues.replay.bodies()).toEqual([{ integration_id: body.id, job_id: job?.job_id }]);
  });

  it('replays a temporary integration from starts_at to ends_at', async () => {
    const { world, registry } = setUp();
    const body = webhookBody({
      integration_type: 'temporary',
      starts_at: '2026-11-29T00:00:00.000Z',
      ends_at: '2026-11-30T00:00:00.000Z',
    });
    await registry.register(body);
    expect(await world.replayStore.get(body.id)).toMatchObject({
      from: '2026-11-29T00:00:00.000Z',
      to: '2026-11-30T00:00:00.000Z',
    });
  });

  it('keeps credentials only in the secret store, masked everywhere else, with a signing secret', async () => {
    const { world, registry } = setUp();
    const body = webhookBody();
    const view = await registry.register(body);
    expect(view.callback_parameters?.api_key).toBe('****WXYZ');
    const stored = await world.integrations.get(body.id);
    expect(JSON.stringify(stored)).not.toContain(API_KEY);
    expect(stored?.has_secrets).toBe(true);
    const secrets = await world.secrets.get(body.id);
    expect(secrets['callback_parameters.api_key']).toBe(API_KEY);
    expect(secrets.signing_secret).toMatch(/^whsec_/);
  });

  it('undoes the registration when its secret cannot be stored', async () => {
    const { world, registry } = setUp();
    world.secrets.failNextPut = true;
    const body = webhookBody();
    await expect(registry.register(body)).rejects.toThrow('Secrets Manager unavailable');
    expect(await world.integrations.get(body.id)).toBeUndefined();
  });
});

describe('IntegrationRegistry.update', () => {
  const registeredAndStopped = async () => {
    const { world, registry } = setUp();
    const body = webhookBody();
    await registry.register(body);
    world.clock.advance(60_000);
    await world.stopper.stop(body.id, 'Stopped via API.');
    world.clock.advance(60_000);
    return { world, registry, id: body.id };
  };

  it('refuses a running integration with 409', async () => {
    const { registry } = setUp();
    const body = webhookBody();
    await registry.register(body);
    const patch = registry.update(body.id, { filter_conditions: { event_filter: ['order.created'] } });
    await expect(patch).rejects.toBeInstanceOf(ConflictError);
    await expect(patch).rejects.toMatchObject({ errorCode: 'integration_running' });
  });

  it('refuses a temporary integration with 400', async () => {
    const { world, registry } = setUp();
    const body = webhookBody({
      integration_type: 'temporary',
      starts_at: '2026-11-29T00:00:00.000Z',
      ends_at: '2026-11-30T00:00:00.000Z',
    });
    await registry.register(body);
    await world.stopper.stop(body.id, 'Stopped via API.');
    await expect(
      registry.update(body.id, { filter_conditions: { event_filter: ['order.created'] } }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it.each(['id', 'integration_type', 'starts_at', 'ends_at'])(
    'refuses a change of %s with 400',
    async (field) => {
      const { registry, id } = await registeredAndStopped();
      await expect(registry.update(id, { [field]: 'x' })).rejects.toMatchObject({ statusCode: 400, field });
    },
  );

  it('refuses an empty update with 400', async () => {
    const { registry, id } = await registeredAndStopped();
    await expect(registry.update(id, {})).rejects.toBeInstanceOf(ValidationError);
  });

  it('updates a stopped integration, keeping a secret sent back masked and the signing secret', async () => {
    const { world, registry, id } = await registeredAndStopped();
    const before = await world.secrets.get(id);
    const view = await registry.update(id, {
      callback_parameters: { callback_url: 'https://erp.example.com/v2', api_key: '****WXYZ' },
    });
    expect(view.callback_parameters).toEqual({
      callback_url: 'https://erp.example.com/v2',
      api_key: '****WXYZ',
    });
    expect(await world.secrets.get(id)).toEqual(before);
    expect((await world.integrations.get(id))?.version).toBe(3);
    expect((await world.logs.actions(id))[0]).toBe('integration_updated');
  });

  it('answers 404 for an unknown integration', async () => {
    const { registry } = setUp();
    await expect(registry.update(newId(), { filter_conditions: {} })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('IntegrationRegistry.delete', () => {
  it('writes an S3 integration’s open file while its secret exists, drops what is staged, then removes everything', async () => {
    const world = memoryWorld();
    const integration = world.integrations.seed(s3Integration({ has_secrets: true }));
    const { id } = integration;
    await world.secrets.put(id, { 's3_parameters.aws_secret_access_key': 'secret' });
    await world.logs.append(id, [
      { action: 'integration_started', reason: 'x', created_at: '2026-11-30T00:00:00.000Z' },
    ]);
    const event = loggedEvent('2026-11-30T11:00:00.000Z');
    await world.rejected.put(id, { id: event.id, created_at: event.received_at, event });
    await world.deliveryState.recordMissed(id, event.received_at);
    await world.replayJobs.begin(integration, event.received_at, '2026-11-30T12:00:00.000Z', 'test', {
      settle: false,
    });
    const secretsAtFlush: boolean[] = [];
    const flusher = new RecordingExportFlusher((kind) => {
      if (kind === 'flush') secretsAtFlush.push(world.secrets.values.has(id));
    });
    const { registry } = setUp(world, flusher);

    await registry.delete(id);

    expect(flusher.calls.map((call) => call.kind)).toEqual(['flush', 'discard']);
    expect(secretsAtFlush).toEqual([true]);
    expect(await world.integrations.get(id)).toBeUndefined();
    expect(await world.logs.list(id)).toEqual([]);
    expect(await world.rejected.list(id)).toEqual([]);
    expect(world.deliveryState.has(id)).toBe(false);
    expect(await world.replayStore.get(id)).toBeUndefined();
    expect(world.secrets.values.has(id)).toBe(false);
  });

  it('does not flush a webhook integration, and answers 404 once it is gone', async () => {
    const { world, registry } = setUp();
    const body = webhookBody();
    await registry.register(body);
    await registry.delete(body.id);
    expect(world.exportFlusher.calls).toEqual([]);
    await expect(registry.delete(body.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('callback_parameters.rate_limit', () => {
  const withLimit = (rate_limit: unknown) =>
    webhookBody({ callback_parameters: { callback_url: 'https://erp.example.com/events', rate_limit } });

  it.each([
    [{ per_second: 0 }, 'callback_parameters.rate_limit.per_second'],
    [{ per_second: 1001 }, 'callback_parameters.rate_limit.per_second'],
    [{ per_second: 1.5 }, 'callback_parameters.rate_limit.per_second'],
    [{ max_in_flight: 101 }, 'callback_parameters.rate_limit.max_in_flight'],
    [{}, 'callback_parameters.rate_limit'],
    [{ per_second: 5, burst: 2 }, 'callback_parameters.rate_limit.burst'],
  ])('refuses %j with 400 naming %s', async (rateLimit, field) => {
    const { registry } = setUp();
    await expect(registry.register(withLimit(rateLimit))).rejects.toMatchObject({ statusCode: 400, field });
  });

  it('is kept, shown by GET with where the integration stands, and set or removed by PATCH', async () => {
    const { world, registry } = setUp();
    const body = withLimit({ per_second: 10, max_in_flight: 2 });
    await registry.register(body);
    const view = await registry.get(body.id);
    expect(view.callback_parameters?.rate_limit).toEqual({ per_second: 10, max_in_flight: 2 });
    expect(view.rate_limit_state).toEqual({ current_per_second: 10, in_flight: 0 });
    await world.stopper.stop(body.id, 'Stopped via API.');
    await registry.update(body.id, {
      callback_parameters: { callback_url: 'https://erp.example.com/events', rate_limit: { per_second: 3 } },
    });
    expect((await registry.get(body.id)).rate_limit_state).toEqual({ current_per_second: 3 });
    await registry.update(body.id, {
      callback_parameters: { callback_url: 'https://erp.example.com/events' },
    });
    const plain = await registry.get(body.id);
    expect(plain.callback_parameters?.rate_limit).toBeUndefined();
    expect(plain.rate_limit_state).toBeUndefined();
  });
});

describe('callback_parameters.ordering', () => {
  const withOrdering = (ordering: unknown) =>
    webhookBody({ callback_parameters: { callback_url: 'https://erp.example.com/events', ordering } });

  it('refuses anything but none or entity with 400 naming the field', async () => {
    const { registry } = setUp();
    await expect(registry.register(withOrdering('global'))).rejects.toMatchObject({
      statusCode: 400,
      field: 'callback_parameters.ordering',
    });
  });

  it('is kept and shown by GET as the OpenAPI document describes it', async () => {
    const { registry } = setUp();
    const body = withOrdering('entity');
    await registry.register(body);
    const view = await registry.get(body.id);
    expect(view.callback_parameters?.ordering).toBe('entity');
    expect(conformanceProblem('GET', `${API_BASE}/${body.id}`, 200, view)).toBeUndefined();
  });
});
