import { describe, expect, it } from 'vitest';
import { NotFoundError, ReceiverError, ValidationError } from '../../../lambdas/domain/errors.ts';
import type { Integration } from '../../../lambdas/domain/integration.ts';
import { RejectedEvents } from '../../../lambdas/use-cases/rejected-events.ts';
import { isoPlus, loggedEvent, s3Integration, webhookIntegration } from '../../support/memory/fixtures.ts';
import { memoryWorld } from '../../support/memory/world.ts';

const setUp = async () => {
  const world = memoryWorld();
  const rejectedEvents = new RejectedEvents({
    integrations: world.integrations,
    rejected: world.rejected,
    dispatcher: world.dispatcher,
    history: world.history,
    clock: world.clock,
  });
  const integration = world.integrations.seed(webhookIntegration());
  const event = loggedEvent(isoPlus(world.clock.now(), -60_000));
  await world.eventLog.put(event);
  await world.rejected.put(integration.id, {
    id: event.id,
    created_at: world.clock.now().toISOString(),
    event,
    received_at: event.received_at,
    status_code: 400,
  });
  return { world, rejectedEvents, integration, event };
};

const recordOf = (
  world: Awaited<ReturnType<typeof setUp>>['world'],
  integration: Integration,
  receivedAt: string,
  id: string,
) => world.history.get(integration, receivedAt, id);

describe('RejectedEvents', () => {
  it('lists rejected events by id and time, and answers 404 for one that is not there', async () => {
    const { world, rejectedEvents, integration, event } = await setUp();
    expect(await rejectedEvents.list(integration.id)).toEqual([
      { id: event.id, created_at: world.clock.now().toISOString() },
    ]);
    expect((await rejectedEvents.get(integration.id, event.id)).name).toBe(event.name);
    await rejectedEvents.delete(integration.id, event.id);
    await expect(rejectedEvents.delete(integration.id, event.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('on a retry the receiver accepts: removes it and records a delivered attempt', async () => {
    const { world, rejectedEvents, integration, event } = await setUp();
    world.sender.answer(200);
    expect(await rejectedEvents.retry(integration.id, event.id)).toEqual({
      id: event.id,
      status: 'delivered',
      status_code: 200,
    });
    expect(await world.rejected.list(integration.id)).toEqual([]);
    const record = await recordOf(world, integration, event.received_at, event.id);
    expect(record?.status).toBe('delivered');
    expect(record?.attempts).toEqual([
      { at: world.clock.now().toISOString(), duration_ms: 12, status_code: 200 },
    ]);
  });

  it.each([
    [400, 'rejected'],
    [503, 'rejected'],
  ])(
    'on a retry answered %i: 502 with the receiver’s status, the event kept and the attempt recorded',
    async (status, recorded) => {
      const { world, rejectedEvents, integration, event } = await setUp();
      world.sender.answer(status);
      const retry = rejectedEvents.retry(integration.id, event.id);
      await expect(retry).rejects.toBeInstanceOf(ReceiverError);
      await expect(retry).rejects.toMatchObject({ statusCode: 502, receiverStatus: status });
      expect(await world.rejected.list(integration.id)).toHaveLength(1);
      const record = await recordOf(world, integration, event.received_at, event.id);
      expect(record).toMatchObject({ status: recorded, attempts: [{ status_code: status }] });
      expect(record?.attempts[0]?.error).toContain(String(status));
    },
  );

  it('retries a rejection stored without received_at, which addresses no delivery record', async () => {
    const { world, rejectedEvents, integration, event } = await setUp();
    await world.rejected.put(integration.id, {
      id: event.id,
      created_at: world.clock.now().toISOString(),
      event,
    });
    await rejectedEvents.retry(integration.id, event.id);
    expect(await world.rejected.list(integration.id)).toEqual([]);
    expect(await recordOf(world, integration, event.received_at, event.id)).toBeUndefined();
  });

  it('refuses to retry for an S3 integration with 400', async () => {
    const { world, rejectedEvents } = await setUp();
    const { id } = world.integrations.seed(s3Integration());
    await expect(rejectedEvents.retry(id, 'x')).rejects.toBeInstanceOf(ValidationError);
  });
});
