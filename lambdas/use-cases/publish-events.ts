import { ValidationError } from '../domain/errors.ts';
import { MAX_EVENTS_PER_REQUEST } from '../domain/event.ts';
import type { IngestMessage } from '../domain/messages.ts';
import type { Clock, MessageQueue } from '../domain/ports/platform.ts';
import { publishedEventSchema, toEnvelope } from '../domain/published-event.ts';
import { parseRequest } from '../domain/validate.ts';
import type { PayloadSchemas } from './payload-schemas.ts';

/**
 * Takes one event or `{ "events": [...] }` (up to 100), validates all of them before accepting any, fills
 * `id` and `published_at`, checks each payload against its name's schema (when the name has one), and puts
 * them on the ingest queue. Returns the ids in request order.
 */
export class PublishEvents {
  constructor(
    private readonly deps: {
      ingestQueue: MessageQueue;
      clock: Clock;
      tenant: string;
      payloadSchemas: PayloadSchemas;
    },
  ) {}

  async publish(body: unknown): Promise<string[]> {
    const items = this.split(body);
    const now = this.deps.clock.now();
    const envelopes = items.map((item, index) => {
      const prefix = items.length === 1 && !isBatch(body) ? 'body' : `events[${index}]`;
      try {
        return toEnvelope(parseRequest(publishedEventSchema, item, prefix), this.deps.tenant, now);
      } catch (error) {
        if (error instanceof ValidationError && isBatch(body)) {
          const field = error.field ? `events[${index}].${error.field}` : `events[${index}]`;
          throw new ValidationError(`${field}: ${error.message.replace(/^[^:]+: /, '')}`, field);
        }
        throw error;
      }
    });
    // A single event's fields are named without a prefix (`payload.id`), as its other errors are.
    await this.deps.payloadSchemas.check(envelopes, (index) =>
      isBatch(body) ? `events[${index}].payload` : 'payload',
    );
    const receivedAt = now.toISOString();
    await this.deps.ingestQueue.sendAll(
      envelopes.map((event) => JSON.stringify({ event, received_at: receivedAt } satisfies IngestMessage)),
    );
    return envelopes.map((event) => event.id);
  }

  private split(body: unknown): unknown[] {
    if (!isBatch(body)) return [body];
    const { events, ...rest } = body as { events: unknown };
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) throw new ValidationError(`${extra}: unknown field`, extra);
    if (!Array.isArray(events)) throw new ValidationError('events: must be a list of events', 'events');
    if (events.length === 0) throw new ValidationError('events: must contain at least one event', 'events');
    if (events.length > MAX_EVENTS_PER_REQUEST) {
      throw new ValidationError(`events: at most ${MAX_EVENTS_PER_REQUEST} events per request`, 'events');
    }
    return events;
  }
}

const isBatch = (body: unknown): boolean =>
  body !== null && typeof body === 'object' && !Array.isArray(body) && 'events' in body;
