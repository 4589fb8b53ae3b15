import { describe, expect, it } from 'vitest';
import type { Integration } from '../../../lambdas/domain/integration.ts';
import { IntegrationStopper } from '../../../lambdas/use-cases/integration-stopper.ts';
import { newId, webhookIntegration } from '../../support/memory/fixtures.ts';
import { memoryWorld } from '../../support/memory/world.ts';

describe('IntegrationStopper', () => {
  it('stops with its reason and the time, once', async () => {
    const world = memoryWorld();
    const { id } = world.integrations.seed(webhookIntegration());
    const first = await world.stopper.stop(id, 'Receiver gone (410).');
    const second = await world.stopper.stop(id, 'Again.');
    expect(first).toMatchObject({
      changed: true,
      integration: { status: 'stopped', stopped_at: world.clock.now().toISOString() },
    });
    expect(second.changed).toBe(false);
    expect(await world.logs.list(id)).toEqual([
      {
        action: 'integration_stopped',
        reason: 'Receiver gone (410).',
        created_at: world.clock.now().toISOString(),
      },
    ]);
  });

  it('leaves a pipeline stop alone when the integration was deleted or changed meanwhile', async () => {
    const world = memoryWorld();
    await expect(world.stopper.stopIfStill(newId(), 'gone')).resolves.toBeUndefined();
    const stored = world.integrations.seed(webhookIntegration({ version: 2 }));
    // It read version 1; a PATCH has written version 2 since.
    const stale: Integration = { ...stored, version: 1 };
    const racing = new IntegrationStopper({
      integrations: {
        get: async () => stale,
        update: (integration) => world.integrations.update(integration),
      },
      logs: world.logs,
      clock: world.clock,
    });
    await racing.stopIfStill(stored.id, 'stop window');
    expect((await world.integrations.get(stored.id))?.status).toBe('running');
    expect(await world.logs.list(stored.id)).toEqual([]);
  });
});
