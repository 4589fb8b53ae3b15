import { type LoggedEvent, passesFilters, publishedEventSchema } from '../domain/event.ts';
import type { Integration } from '../domain/integration.ts';
import type { DeliveryMessage, EventLogStore, IntegrationRepository, MessageQueue } from '../domain/ports.ts';
import type { IngestMessage } from './publish-events.ts';

export interface FanOutDeps {
  integrations: IntegrationRepository;
  eventLog: EventLogStore;
  webhookQueue: MessageQueue;
  exportQueue: MessageQueue;
  tenant: string;
}

/** Why an ingest message could not become an event (it is dropped and logged, never retried). */
export class InvalidIngestMessage extends Error {}

/**
 * Logs each ingested event once and queues one delivery per running integration whose filters match.
 * Safe to repeat for the same message: the log write is keyed by (received_at, id) and repeated
 * deliveries carry the same event id, which receivers deduplicate by.
 */
export class FanOut {
  constructor(private readonly deps: FanOutDeps) {}

  /** The integrations events are fanned out to: the running ones, read once per batch. */
  async targets(): Promise<Integration[]> {
    return (await this.deps.integrations.list()).filter((integration) => integration.status === 'running');
  }

  /** `sentAt` is the queue's timestamp, the receive time of events that came without one. */
  async process(body: string, sentAt: Date, targets: readonly Integration[]): Promise<LoggedEvent> {
    const event = this.parse(body, sentAt);
    await this.deps.eventLog.put(event);
    const sends: Promise<void>[] = [];
    for (const integration of targets) {
      if (!passesFilters(integration.filter_conditions, event.name)) continue;
      const message: DeliveryMessage = {
        integration_id: integration.id,
        event_id: event.id,
        received_at: event.received_at,
      };
      const queue = integration.s3_parameters ? this.deps.exportQueue : this.deps.webhookQueue;
      sends.push(queue.send(JSON.stringify(message)));
    }
    await Promise.all(sends);
    return event;
  }

  private parse(body: string, sentAt: Date): LoggedEvent {
    let message: IngestMessage;
    try {
      message = JSON.parse(body) as IngestMessage;
    } catch {
      throw new InvalidIngestMessage('message body is not JSON');
    }
    const { tenant: _tenant, ...published } = message?.event ?? {};
    const result = publishedEventSchema.safeParse(published);
    if (!result.success || !result.data.id) {
      const issue = result.success ? { path: ['id'], message: 'is required' } : result.error.issues[0];
      throw new InvalidIngestMessage(`event ${issue?.path.join('.')}: ${issue?.message}`);
    }
    const receivedAt = message.received_at ?? sentAt.toISOString();
    return {
      id: result.data.id,
      tenant: this.deps.tenant,
      name: result.data.name,
      published_at: result.data.published_at ?? receivedAt,
      payload: result.data.payload,
      received_at: receivedAt,
    };
  }
}
