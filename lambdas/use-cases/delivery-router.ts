import type { MessageOrder } from '../domain/entity-order.ts';
import { type LoggedEvent, passesFilters } from '../domain/event.ts';
import type { Integration } from '../domain/integration.ts';
import { type DeliveryMessage, inlineEventOf } from '../domain/messages.ts';
import type { DeliveryHistory } from '../domain/ports/deliveries.ts';
import type { MessageQueue } from '../domain/ports/platform.ts';
import { type EntityQueuePlaces, orderOf } from './entity-queue-places.ts';

export interface DeliveryRouterDeps {
  history: DeliveryHistory;
  /** Places events in the entity queues of ordered integrations (see domain/entity-order.ts). */
  places: Pick<EntityQueuePlaces, 'place' | 'release'>;
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

  /**
   * `chunk`: where the event log keeps the event, when the caller knows (the fan-out that wrote it).
   * `placed`: the ingest API already put it in the integration's entity queue.
   */
  async route(integration: Integration, event: LoggedEvent, chunk?: string, placed = false): Promise<void> {
    const inline = inlineEventOf(event);
    const base: DeliveryMessage = {
      integration_id: integration.id,
      generation: integration.created_at,
      integration_version: integration.version,
      event_id: event.id,
      received_at: event.received_at,
      ...(inline ? { event: inline } : chunk !== undefined && { chunk }),
    };
    if (integration.s3_parameters) {
      await this.deps.exportQueue.send(JSON.stringify(base), integration.id);
      return;
    }
    // A temporary integration finishes when nothing is pending: its pending records must exist before the
    // message does (and one already delivered is not queued again, nor placed in its entity's queue, where no
    // message would ever finish it). A permanent one's history starts at the first attempt.
    if (
      integration.integration_type === 'temporary' &&
      !(await this.deps.history.recordPending(integration, event))
    )
      return;
    const order = placed ? orderOf(integration, event) : await this.holdPlace(integration, event);
    const message: DeliveryMessage = { ...base, ...(order && { order }) };
    await this.deps.webhookQueue.send(JSON.stringify(message), integration.id);
  }

  /**
   * Queues the event in its entity's queue when the integration delivers in order: before any message of it
   * exists, also while the integration is stopped (the fan-out calls this then), so that after a start its
   * live events wait for the older ones its catch-up brings. Undefined when the event is not ordered.
   */
  async holdPlace(integration: Integration, event: LoggedEvent): Promise<MessageOrder | undefined> {
    return this.deps.places.place(integration, event);
  }

  /** Takes back the places the API took for an event that is not delivered after all (see EntityQueuePlaces). */
  async releasePlaces(placements: ReadonlySet<string>, event: LoggedEvent): Promise<void> {
    await this.deps.places.release(placements, event);
  }
}
