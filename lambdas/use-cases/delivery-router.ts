import { type LoggedEvent, passesFilters } from '../domain/event.ts';
import type { Integration } from '../domain/integration.ts';
import { type DeliveryMessage, inlineEventOf } from '../domain/messages.ts';
import type { DeliveryHistory } from '../domain/ports/deliveries.ts';
import type { MessageQueue } from '../domain/ports/platform.ts';

export interface DeliveryRouterDeps {
  history: DeliveryHistory;
  webhookQueue: MessageQueue;
  exportQueue: MessageQueue;
}

/** Whether a queued message still belongs to this integration (not to an earlier one of the same id). */
export const sameGeneration = (
  integration: Integration,
  message: Pick<DeliveryMessage, 'generation'>,
): boolean => message.generation === undefined || message.generation === integration.created_at;

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
 * deliveries go to the webhook queue (a temporary integration's noted as pending first), S3 ones to the
 * export batcher, which accounts for them per file.
 */
export class DeliveryRouter {
  constructor(private readonly deps: DeliveryRouterDeps) {}

  /** `chunk`: where the event log keeps the event, when the caller knows (the fan-out that wrote it). */
  async route(integration: Integration, event: LoggedEvent, chunk?: string): Promise<void> {
    const inline = inlineEventOf(event);
    const message: DeliveryMessage = {
      integration_id: integration.id,
      generation: integration.created_at,
      event_id: event.id,
      received_at: event.received_at,
      ...(inline ? { event: inline } : chunk !== undefined && { chunk }),
    };
    if (integration.s3_parameters) {
      await this.deps.exportQueue.send(JSON.stringify(message), integration.id);
      return;
    }
    // A temporary integration finishes when nothing is pending: its pending records must exist before the
    // message does (and one already delivered is not queued again). A permanent one's history starts at the
    // first attempt.
    if (
      integration.integration_type === 'temporary' &&
      !(await this.deps.history.recordPending(integration, event))
    )
      return;
    await this.deps.webhookQueue.send(JSON.stringify(message), integration.id);
  }
}
