import { NotFoundError } from '../domain/errors.ts';
import type { RejectedEvent } from '../domain/integration.ts';
import type { DeliveryHistory } from '../domain/ports/deliveries.ts';
import type { IntegrationRepository, RejectedEventStore } from '../domain/ports/integrations.ts';
import type { Clock } from '../domain/ports/platform.ts';
import { loadIntegration } from './integration-lookup.ts';
import { receiverRefused, type WebhookDispatcher } from './webhook-dispatcher.ts';
import { requireWebhook } from './webhook-only.ts';

export interface RejectedEventsDeps {
  integrations: Pick<IntegrationRepository, 'get'>;
  rejected: RejectedEventStore;
  dispatcher: Pick<WebhookDispatcher, 'dispatch'>;
  /** A retry's attempt goes into the event's delivery record, as a resent delivery's does. */
  history: Pick<DeliveryHistory, 'recordAttempt'>;
  clock: Clock;
}

/** The events a receiver refused with HTTP 400 (the newest 30): list, read, forget, send again. */
export class RejectedEvents {
  constructor(private readonly deps: RejectedEventsDeps) {}

  async list(id: string): Promise<Pick<RejectedEvent, 'id' | 'created_at'>[]> {
    await loadIntegration(this.deps.integrations, id);
    const rejected = await this.deps.rejected.list(id);
    return rejected.map(({ id: eventId, created_at }) => ({ created_at, id: eventId }));
  }

  async get(id: string, eventId: string): Promise<RejectedEvent['event']> {
    await loadIntegration(this.deps.integrations, id);
    return (await this.find(id, eventId)).event;
  }

  async delete(id: string, eventId: string): Promise<void> {
    await loadIntegration(this.deps.integrations, id);
    if (!(await this.deps.rejected.delete(id, eventId))) throw rejectedNotFound(id, eventId);
  }

  /**
   * Sends a rejected event to the receiver again now: delivered → it leaves the list; any other answer
   * → 502 with what the receiver said (as NewStore's API does).
   */
  async retry(
    id: string,
    eventId: string,
  ): Promise<{ id: string; status: 'delivered'; status_code: number }> {
    const { deps } = this;
    const integration = await loadIntegration(deps.integrations, id);
    requireWebhook(integration);
    const rejected = await this.find(id, eventId);
    const result = await deps.dispatcher.dispatch(integration, rejected.event);
    const { outcome } = result;
    // `received_at` addresses the event's delivery record; a rejection kept without it has none to update.
    const receivedAt = rejected.received_at;
    const status = 'status' in outcome ? outcome.status : undefined;
    const delivered = outcome.kind === 'delivered';
    if (receivedAt) {
      await deps.history.recordAttempt(
        integration,
        { id: eventId, name: rejected.event.name, received_at: receivedAt },
        delivered ? 'delivered' : 'rejected',
        {
          at: deps.clock.now().toISOString(),
          duration_ms: result.durationMs,
          ...(status !== undefined && { status_code: status }),
          ...(!delivered && {
            error: outcome.kind === 'retry' ? outcome.reason : `HTTP status code ${status}`,
          }),
        },
      );
    }
    if (outcome.kind !== 'delivered') throw receiverRefused(eventId, outcome);
    await deps.rejected.delete(id, eventId);
    return { id: eventId, status: 'delivered', status_code: outcome.status };
  }

  private async find(id: string, eventId: string): Promise<RejectedEvent> {
    const rejected = await this.deps.rejected.get(id, eventId);
    if (!rejected) throw rejectedNotFound(id, eventId);
    return rejected;
  }
}

const rejectedNotFound = (id: string, eventId: string) =>
  new NotFoundError(`Rejected event ${eventId} not found for integration ${id}.`);
