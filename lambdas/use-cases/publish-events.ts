import { ValidationError } from '../domain/errors.ts';
import type { EventEnvelope } from '../domain/event.ts';
import { MAX_EVENTS_PER_REQUEST } from '../domain/event.ts';
import {
  bodyHashOf,
  IDEMPOTENCY_WINDOW_MS,
  IdempotencyKeyReusedError,
  type PublishRecord,
  parseIdempotencyKey,
  REPEAT_SETTLE_MS,
  type RequestKey,
  repeatedIdIn,
  requestKeyOf,
} from '../domain/idempotency.ts';
import type { IngestMessage } from '../domain/messages.ts';
import type { EventLogStore } from '../domain/ports/events.ts';
import type { Clock, MessageQueue, OperationLog } from '../domain/ports/platform.ts';
import type { PublishRequestStore } from '../domain/ports/publish-requests.ts';
import { type PublishedEvent, publishedEventSchema, toEnvelope } from '../domain/published-event.ts';
import { parseRequest } from '../domain/validate.ts';
import type { EntityQueuePlaces } from './entity-queue-places.ts';
import type { PayloadSchemas } from './payload-schemas.ts';

export interface PublishDeps {
  ingestQueue: MessageQueue;
  /** Keyed requests, one item each: what a repeat is answered with. */
  requests: PublishRequestStore;
  /** Read on a repeat only: events already logged need not be queued again. */
  eventLog: EventLogStore;
  clock: Clock;
  tenant: string;
  payloadSchemas: PayloadSchemas;
  /** Puts events in the entity queues of ordered integrations before they are queued (and answered). */
  places: Pick<EntityQueuePlaces, 'placeAtPublish'>;
  log: OperationLog;
}

export interface PublishOptions {
  /** The `Idempotency-Key` header as sent (checked here). */
  idempotencyKey?: string | undefined;
}

/**
 * Takes one event or `{ "events": [...] }` (up to 100), validates all of them before accepting any, fills
 * `id` and `published_at`, checks each payload against its name's schema (when the name has one), and puts
 * them on the ingest queue. Returns the ids in request order.
 *
 * A request with an `Idempotency-Key`, or whose events all carry their own ids, is remembered for 24 hours
 * (see domain/idempotency.ts): its key is stored with the ids and `received_at` BEFORE the events are
 * queued, so a repeat after a crash in between finds what to queue again, under the same ids and instant.
 */
export class PublishEvents {
  constructor(private readonly deps: PublishDeps) {}

  async publish(body: unknown, options: PublishOptions = {}): Promise<string[]> {
    const explicitKey = parseIdempotencyKey(options.idempotencyKey);
    const events = this.validate(body);
    const now = this.deps.clock.now();
    const receivedAt = now.toISOString();
    const envelopes = events.map((event) => toEnvelope(event, this.deps.tenant, now));
    // A single event's fields are named without a prefix (`payload.id`), as its other errors are.
    await this.deps.payloadSchemas.check(envelopes, (index) =>
      isBatch(body) ? `events[${index}].payload` : 'payload',
    );
    const ids = envelopes.map((event) => event.id);
    const given = givenIds(events);
    const key = requestKeyOf(explicitKey, this.deps.tenant, events);
    if (key === undefined) {
      await this.enqueue(inPublishOrder(envelopes), receivedAt, given);
      return ids;
    }
    const record: PublishRecord = { body_hash: bodyHashOf(events), ids, received_at: receivedAt };
    const stored = await this.deps.requests.claim(
      key,
      record,
      new Date(now.getTime() + IDEMPOTENCY_WINDOW_MS),
    );
    if (stored === undefined) {
      await this.enqueue(inPublishOrder(envelopes), receivedAt, given);
      return ids;
    }
    if (stored.body_hash === record.body_hash && stored.ids.length === events.length) {
      return this.repeat(key, events, stored, now, given);
    }
    if (key.kind === 'explicit') throw new IdempotencyKeyReusedError();
    return this.repeatIds(envelopes, stored, receivedAt, given);
  }

  /**
   * The same request again: answered the stored ids; its events that are not in the event log yet (lost
   * to a crash before queueing, or still on their way) are queued again as they were, same ids and
   * `received_at`, late enough that the delivery path checks their records first (REPEAT_SETTLE_MS).
   */
  private async repeat(
    key: RequestKey,
    events: readonly PublishedEvent[],
    stored: PublishRecord,
    now: Date,
    given: ReadonlySet<string>,
  ): Promise<string[]> {
    const receivedAt = new Date(stored.received_at);
    // `published_at` is filled from the same instant the first time filled it from.
    const envelopes = events.map((event, index) =>
      toEnvelope({ ...event, id: stored.ids[index] ?? '' }, this.deps.tenant, receivedAt),
    );
    const logged = await Promise.all(
      envelopes.map((event) =>
        // A failed read only costs a needless copy, which the log and the delivery path absorb.
        this.deps.eventLog.get(stored.received_at, event.id).catch(() => undefined),
      ),
    );
    const missing = inPublishOrder(envelopes).filter((_, index) => logged[index] === undefined);
    const delayMs = receivedAt.getTime() + REPEAT_SETTLE_MS - now.getTime();
    await this.enqueue(missing, stored.received_at, given, Math.max(0, Math.ceil(delayMs / 1000)));
    this.deps.log.info('Publish request repeated', {
      key_kind: key.kind,
      received_at: stored.received_at,
      events: envelopes.length,
      queued_again: missing.length,
    });
    return stored.ids;
  }

  /**
   * Ids published before, in a request with another body: the producer sent the same events changed, or
   * reused ids. The events whose ids the stored request had are not delivered again; the rest (none, while
   * the key is derived from the very same ids) are a new publish.
   */
  private async repeatIds(
    envelopes: readonly EventEnvelope[],
    stored: PublishRecord,
    receivedAt: string,
    given: ReadonlySet<string>,
  ): Promise<string[]> {
    const published = new Set(stored.ids);
    const fresh = inPublishOrder(envelopes).filter(({ event }) => !published.has(event.id));
    await this.enqueue(fresh, receivedAt, given);
    this.deps.log.info('Published ids repeated with another body; not delivered again', {
      received_at: stored.received_at,
      events: envelopes.length,
      repeated: envelopes.length - fresh.length,
    });
    return envelopes.map((event) => event.id);
  }

  /** `given`: the ids the producer chose, which a deployment deduplicating event ids claims at fan-out. */
  private async enqueue(
    events: readonly Positioned[],
    receivedAt: string,
    given: ReadonlySet<string>,
    delaySeconds = 0,
  ) {
    if (events.length === 0) return;
    // Placed before the events are queued: a later publish of the same entity, received after this one
    // answered, finds them ahead of it whichever fan-out runs first.
    const placed = await this.deps.places.placeAtPublish(
      events.map(({ event, position }) => ({ ...event, received_at: receivedAt, position })),
    );
    const bodies = events.map(({ event, position }) => {
      const placedFor = placed.get(event.id);
      return JSON.stringify({
        event,
        received_at: receivedAt,
        ...(given.has(event.id) && { id_given: true }),
        position,
        ...(placedFor && { placed_for: placedFor }),
      } satisfies IngestMessage);
    });
    if (delaySeconds === 0) await this.deps.ingestQueue.sendAll(bodies);
    else await Promise.all(bodies.map((body) => this.deps.ingestQueue.sendDelayed(body, delaySeconds)));
  }

  private validate(body: unknown): PublishedEvent[] {
    const items = this.split(body);
    const events = items.map((item, index) => {
      const prefix = items.length === 1 && !isBatch(body) ? 'body' : `events[${index}]`;
      try {
        return parseRequest(publishedEventSchema(), item, prefix);
      } catch (error) {
        if (error instanceof ValidationError && isBatch(body)) {
          const field = error.field ? `events[${index}].${error.field}` : `events[${index}]`;
          throw new ValidationError(`${field}: ${error.message.replace(/^[^:]+: /, '')}`, field);
        }
        throw error;
      }
    });
    const repeated = repeatedIdIn(events);
    if (repeated) {
      const [earlier, later] = repeated;
      const field = `events[${later}].id`;
      throw new ValidationError(`${field}: duplicates events[${earlier}].id`, field);
    }
    return events;
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

/** An event and its index in its publish request, which ordered delivery and S3 files keep. */
interface Positioned {
  event: EventEnvelope;
  position: number;
}

const inPublishOrder = (envelopes: readonly EventEnvelope[]): Positioned[] =>
  envelopes.map((event, position) => ({ event, position }));

/** The ids producers gave (the others the API made up, which cannot repeat). */
const givenIds = (events: readonly PublishedEvent[]): ReadonlySet<string> =>
  new Set(events.flatMap((event) => (event.id === undefined ? [] : [event.id])));

const isBatch = (body: unknown): boolean =>
  body !== null && typeof body === 'object' && !Array.isArray(body) && 'events' in body;
