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

  it('answers 404 when the integration is already gone', async () => {
    const world = memoryWorld();
    const integration = webhookIntegration();
    const event = loggedEvent(world.clock.now().toISOString());
    await world.rejected.put(integration.id, { id: event.id, created_at: event.received_at, event });
    await expect(world.remover.remove(integration)).rejects.toBeInstanceOf(NotFoundError);
    expect(await world.rejected.list(integration.id)).toEqual([]);
  });
});
