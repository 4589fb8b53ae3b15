import { type LoggedEvent, passesFilters } from '../domain/event.ts';
import type { Integration } from '../domain/integration.ts';
import type { DeliveryHistory, DeliveryMessage, MessageQueue } from '../domain/ports.ts';

export interface DeliveryRouterDeps {
  history: DeliveryHistory;
  webhookQueue: MessageQueue;
  exportQueue: MessageQueue;
}

/** Whether an integration is to receive an event: its filters, and a temporary one's range. */
export const wants = (
  integration: Integration,
  event: Pick<LoggedEvent, 'name' | 'received_at'>,
): boolean => {
  if (!passesFilters(integration.filter_conditions, event.name)) return false;
  if (integration.integration_type !== 'temporary') return true;
  const receivedAt = Date.parse(event.received_at);
  return (
    receivedAt >= Date.parse(integration.starts_at ?? '') &&
    receivedAt <= Date.parse(integration.ends_at ?? '')
  );
};

/**
 * Queues one event for one integration, the same way for live fan-out and for replays: webhook
 * deliveries are noted as pending in the history first (so the history never misses a queued one),
 * S3 ones go to the export batcher, which accounts for them per file.
 */
export class DeliveryRouter {
  constructor(private readonly deps: DeliveryRouterDeps) {}

  async route(integration: Integration, event: LoggedEvent): Promise<void> {
    const message: DeliveryMessage = {
      integration_id: integration.id,
      event_id: event.id,
      received_at: event.received_at,
    };
    if (integration.s3_parameters) {
      await this.deps.exportQueue.send(JSON.stringify(message));
      return;
    }
    await this.deps.history.recordPending(integration, event);
    await this.deps.webhookQueue.send(JSON.stringify(message));
  }
}
