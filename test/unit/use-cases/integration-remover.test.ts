import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../lambdas/domain/errors.ts';
import { IntegrationRemover } from '../../../lambdas/use-cases/integration-remover.ts';
import { loggedEvent, webhookIntegration } from '../../support/memory/fixtures.ts';
import { memoryWorld } from '../../support/memory/world.ts';

describe('IntegrationRemover', () => {
  it('removes the children first, so an integration whose clean-up failed is still there to retry', async () => {
    const world = memoryWorld();
    const integration = world.integrations.seed(webhookIntegration({ has_secrets: true }));
    await world.secrets.put(integration.id, { signing_secret: 'whsec_x' });
    const remover = new IntegrationRemover({
      integrations: world.integrations,
      logs: world.logs,
      rejected: {
        deleteAll: async () => {
          throw new Error('throttled');
        },
      },
      deliveryState: world.deliveryState,
      replayJobs: world.replayStore,
      secrets: world.secrets,
    });
    await expect(remover.remove(integration)).rejects.toThrow('throttled');
    expect(await world.integrations.get(integration.id)).toBeDefined();
    await world.remover.remove(integration);
    expect(await world.integrations.get(integration.id)).toBeUndefined();
    expect(world.secrets.values.has(integration.id)).toBe(false);
  });

  it('answers 404 when the integration is already gone (its children went before it)', async () => {
    const world = memoryWorld();
    await expect(world.remover.remove(webhookIntegration())).rejects.toBeInstanceOf(NotFoundError);
  });

  it('leaves alone an id deleted and registered again since it was read', async () => {
    // A temporary integration ending while someone deletes it and registers the same id anew.
    const world = memoryWorld();
    const stale = webhookIntegration({ created_at: '2026-11-01T00:00:00.000Z' });
    const current = world.integrations.seed(
      webhookIntegration({ id: stale.id, created_at: '2026-11-02T00:00:00.000Z' }),
    );
    const event = loggedEvent(world.clock.now().toISOString());
    await world.rejected.put(current.id, { id: event.id, created_at: event.received_at, event });
    await world.remover.remove(stale);
    expect(await world.integrations.get(current.id)).toBeDefined();
    expect(await world.rejected.list(current.id)).toHaveLength(1);
  });
});
