import { describe, expect, it } from 'vitest';
import type { DeliveryMessage } from '../../../lambdas/domain/messages.ts';
import { isoPlus, loggedEvent, s3Integration, webhookIntegration } from '../../support/memory/fixtures.ts';
import { memoryWorld } from '../../support/memory/world.ts';

describe('DeliveryRouter', () => {
  it('queues a webhook delivery with the integration’s generation and version, and no history for a permanent one', async () => {
    const world = memoryWorld();
    const integration = webhookIntegration();
    const event = loggedEvent(world.clock.now().toISOString());
    await world.router.route(integration, event);
    expect(world.queues.webhook.bodies<DeliveryMessage>()).toEqual([
      {
        integration_id: integration.id,
        generation: integration.created_at,
        integration_version: integration.version,
        event_id: event.id,
        received_at: event.received_at,
        // Small enough to go along: the delivery reads nothing from the event log.
        event: {
          tenant: event.tenant,
          name: event.name,
          published_at: event.published_at,
          payload: event.payload,
        },
      },
    ]);
    expect(await world.history.get(integration, event.received_at, event.id)).toBeUndefined();
    expect(world.queues.export.sent).toEqual([]);
  });

  it('sends a large event as a reference to its event log chunk', async () => {
    const world = memoryWorld();
    const integration = webhookIntegration();
    const event = loggedEvent(world.clock.now().toISOString(), { payload: { pad: 'x'.repeat(9000) } });
    await world.router.route(integration, event, 'chunk-1');
    const [message] = world.queues.webhook.bodies<DeliveryMessage>();
    expect(message).toMatchObject({ event_id: event.id, chunk: 'chunk-1' });
    expect(message).not.toHaveProperty('event');
  });

  it('notes a temporary integration’s delivery as pending before queueing it', async () => {
    const world = memoryWorld();
    const integration = webhookIntegration({
      integration_type: 'temporary',
      starts_at: isoPlus(world.clock.now(), -3_600_000),
      ends_at: world.clock.now().toISOString(),
    });
    let pendingWhenQueued: boolean | undefined;
    const send = world.queues.webhook.send.bind(world.queues.webhook);
    world.queues.webhook.send = async (body) => {
      pendingWhenQueued = await world.history.hasPending(integration);
      await send(body);
    };
    await world.router.route(integration, loggedEvent(world.clock.now().toISOString()));
    expect(pendingWhenQueued).toBe(true);
  });

  it('does not queue again what a temporary integration’s record says was delivered, nor reset the record', async () => {
    // A redelivered ingest message, or a replay, routing an event the receiver already got.
    const world = memoryWorld();
    const integration = webhookIntegration({
      integration_type: 'temporary',
      starts_at: isoPlus(world.clock.now(), -3_600_000),
      ends_at: world.clock.now().toISOString(),
    });
    const event = loggedEvent(world.clock.now().toISOString());
    await world.history.recordAttempt(integration, event, 'delivered', {
      at: world.clock.now().toISOString(),
      duration_ms: 4,
      status_code: 200,
    });
    await world.router.route(integration, event);
    expect(world.queues.webhook.sent).toEqual([]);
    expect(await world.history.get(integration, event.received_at, event.id)).toMatchObject({
      status: 'delivered',
      attempts: [{ status_code: 200 }],
    });
  });

  it('sends S3 deliveries to the export queue', async () => {
    const world = memoryWorld();
    const integration = s3Integration();
    await world.router.route(integration, loggedEvent(world.clock.now().toISOString()));
    expect(world.queues.export.sent).toHaveLength(1);
    expect(world.queues.webhook.sent).toEqual([]);
    expect(await world.history.hasPending(integration)).toBe(false);
  });
});
