import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../lambdas/domain/event.ts';
import type { Integration } from '../../lambdas/domain/integration.ts';
import type { DeliveryStateStore } from '../../lambdas/domain/ports/deliveries.ts';
import type { EventLogWriter } from '../../lambdas/domain/ports/events.ts';
import type { IntegrationRepository } from '../../lambdas/domain/ports/integrations.ts';
import type { DeliveryRouter } from '../../lambdas/use-cases/delivery-router.ts';
import type { EventTypeNotes } from '../../lambdas/use-cases/event-type-notes.ts';
import { EVERY_ID_FRESH, FanOut } from '../../lambdas/use-cases/fan-out.ts';

const integration: Integration = {
  id: 'erp-1',
  status: 'running',
  integration_type: 'permanent',
  callback_parameters: { callback_url: 'https://erp.example.com/events' },
  created_at: '2026-11-01T00:00:00.000Z',
  updated_at: '2026-11-01T00:00:00.000Z',
  has_secrets: false,
  version: 1,
};

const record = (i: number) => ({
  messageId: `m-${i}`,
  body: JSON.stringify({
    event: { id: `00000000-0000-4000-8000-00000000000${i}`, name: 'order.created', payload: {} },
    received_at: '2026-11-30T10:00:00.000Z',
  }),
  sentAt: new Date('2026-11-30T10:00:00.000Z'),
});

describe('fan-out', () => {
  it('reads the integrations only once every event of the batch is in the log', async () => {
    // A registration or start that happens while the batch is logged is seen by this read; one that happens
    // later begins a replay that reads the logged events. Either way no event falls between the two.
    const steps: string[] = [];
    const eventLog = {
      put: async (event: LoggedEvent) => {
        steps.push(`put-begun ${event.id.slice(-1)}`);
        await new Promise((resolve) => setTimeout(resolve, Number(event.id.slice(-1)) * 5));
        steps.push(`put ${event.id.slice(-1)}`);
      },
    } as unknown as EventLogWriter;
    const integrations = {
      list: async () => {
        steps.push('list');
        return [integration];
      },
    } as unknown as IntegrationRepository;
    const routed: string[] = [];
    const router = {
      route: async (_: Integration, event: LoggedEvent) => {
        routed.push(event.id);
      },
    } as unknown as DeliveryRouter;
    const fanOut = new FanOut({
      integrations,
      eventLog,
      idClaims: EVERY_ID_FRESH,
      router,
      deliveryState: {} as DeliveryStateStore,
      eventTypes: { note: async () => {} } as unknown as EventTypeNotes,
      tenant: 'acme',
    });
    const records = [record(3), record(1), record(2)];
    const batch = await fanOut.batch(records);
    expect(steps.at(-1)).toBe('list');
    expect(steps.filter((step) => step.startsWith('put '))).toHaveLength(3);
    for (const { messageId } of records) await fanOut.process(messageId, batch);
    expect(routed).toHaveLength(3);
  });

  it('reports a message whose event could not be logged as failed, and routes the others', async () => {
    const eventLog = {
      put: async (event: LoggedEvent) => {
        if (event.id.endsWith('2')) throw new Error('throttled');
      },
    } as unknown as EventLogWriter;
    const routed: string[] = [];
    const fanOut = new FanOut({
      integrations: { list: async () => [integration] } as unknown as IntegrationRepository,
      eventLog,
      idClaims: EVERY_ID_FRESH,
      router: {
        route: async (_: Integration, event: LoggedEvent) => {
          routed.push(event.id);
        },
      } as unknown as DeliveryRouter,
      deliveryState: {} as DeliveryStateStore,
      eventTypes: { note: async () => {} } as unknown as EventTypeNotes,
      tenant: 'acme',
    });
    const batch = await fanOut.batch([record(1), record(2)]);
    await fanOut.process('m-1', batch);
    await expect(fanOut.process('m-2', batch)).rejects.toThrow('throttled');
    expect(routed).toEqual(['00000000-0000-4000-8000-000000000001']);
  });
});
