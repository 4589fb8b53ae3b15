import { type LoggedEvent, resolveEntityId } from '../domain/event.ts';
import type { Integration } from '../domain/integration.ts';
import { type IngestMessage, ingestEventSchema } from '../domain/messages.ts';
import type { DeliveryStateStore } from '../domain/ports/deliveries.ts';
import type { EventIdClaims, EventLogWriter } from '../domain/ports/events.ts';
import type { IntegrationRepository } from '../domain/ports/integrations.ts';
import { type DeliveryRouter, wants } from './delivery-router.ts';
import { placementOf } from './entity-queue-places.ts';
import type { EventTypeNotes } from './event-type-notes.ts';

export interface FanOutDeps {
  integrations: IntegrationRepository;
  eventLog: EventLogWriter;
  /** Where producer ids are claimed, so an id published again in any later request is dropped. */
  idClaims: EventIdClaims;
  router: DeliveryRouter;
  deliveryState: DeliveryStateStore;
  /** The catalog's notes of the names logged (never throws). */
  eventTypes: EventTypeNotes;
  tenant: string;
}

/** Why an ingest message could not become an event (it is dropped and logged, never retried). */
export class InvalidIngestMessage extends Error {}

/** An ingest queue message, as the fan-out needs it. */
export interface IngestRecord {
  messageId: string;
  body: string;
  /** The queue's timestamp: the receive time of events that came without one. */
  sentAt: Date;
}

/** A batch whose events are in the log, and the integrations read after that. */
export interface FanOutBatch {
  /** Per message: its event once logged, or why it could not be. */
  logged: Map<string, LoggedEvent | Error>;
  /** Per message: the event log chunk its event went into, which its delivery messages carry. */
  chunks: Map<string, string>;
  /** Messages whose event id an earlier publish claimed: neither logged nor routed. */
  repeated: Set<string>;
  /** Per message, the ordered integrations (placementOf) whose entity queues the API already put its event in. */
  placed: Map<string, ReadonlySet<string>>;
  running: Integration[];
  stopped: Integration[];
  /** Earliest `received_at` noted as missed per stopped integration in this batch. */
  missed: Map<string, string>;
}

/**
 * Logs each ingested event once and queues one delivery per running integration that wants it. Safe
 * to repeat for the same message: the log write is keyed by (received_at, id) and repeated deliveries
 * carry the same event id, which receivers deduplicate by. A stopped integration that would have
 * wanted the event gets a catch-up point instead, so its next start replays it.
 *
 * The integrations are read only once every event of the batch is in the log. So an integration that
 * this read does not see as running was started (or registered) after the event was logged, and the
 * replay that its start or registration begins reads the event from the log: no event falls between a
 * fan-out that read the integrations too early and a replay that read the log too early, and replays
 * need not read their range a second time for late arrivals.
 */
export class FanOut {
  constructor(private readonly deps: FanOutDeps) {}

  async batch(records: readonly IngestRecord[]): Promise<FanOutBatch> {
    const logged = new Map<string, LoggedEvent | Error>();
    const chunks = new Map<string, string>();
    const repeated = new Set<string>();
    const placed = new Map<string, ReadonlySet<string>>();
    await Promise.all(
      records.map(async (record) => {
        try {
          const { event, claim, placedFor } = this.parse(record.body, record.sentAt);
          if (placedFor.size > 0) placed.set(record.messageId, placedFor);
          // Claimed before it is logged: a crash in between leaves a claim of this very publish, which the
          // message's next run finds its own.
          if (claim && !(await this.deps.idClaims.claim(event.id, event.received_at))) {
            repeated.add(record.messageId);
            if (placedFor.size > 0) await this.deps.router.releasePlaces(placedFor, event);
            return;
          }
          chunks.set(record.messageId, await this.deps.eventLog.put(event));
          logged.set(record.messageId, event);
        } catch (error) {
          logged.set(record.messageId, error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
    const events = [...logged.values()].filter((event): event is LoggedEvent => !(event instanceof Error));
    const [all] = await Promise.all([this.deps.integrations.list(), this.deps.eventTypes.note(events)]);
    return {
      logged,
      chunks,
      repeated,
      placed,
      running: all.filter((integration) => integration.status === 'running'),
      stopped: all.filter((integration) => integration.status === 'stopped'),
      missed: new Map(),
    };
  }

  /**
   * Routes one logged event of the batch; throws what logging it threw (invalid, or a failed write).
   * Undefined for an event whose id an earlier publish had: there is nothing to do.
   */
  async process(messageId: string, batch: FanOutBatch): Promise<LoggedEvent | undefined> {
    if (batch.repeated.has(messageId)) return undefined;
    const event = batch.logged.get(messageId);
    if (event === undefined) throw new Error(`message ${messageId} is not part of this batch`);
    if (event instanceof Error) throw event;
    const placed = batch.placed.get(messageId);
    const work: Promise<void>[] = batch.running
      .filter((integration) => wants(integration, event))
      .map((integration) =>
        this.deps.router.route(
          integration,
          event,
          batch.chunks.get(messageId),
          placed?.has(placementOf(integration)) ?? false,
        ),
      );
    for (const integration of batch.stopped) {
      if (!wants(integration, event)) continue;
      // An ordered integration keeps the event's place while stopped: after its start, live events of the
      // entity wait for this one, which its catch-up brings.
      if (!placed?.has(placementOf(integration)))
        work.push(this.deps.router.holdPlace(integration, event).then(() => {}));
      const noted = batch.missed.get(integration.id);
      if (noted !== undefined && noted <= event.received_at) continue;
      // Noted for the batch only once written: a failed write must not let later events skip theirs.
      work.push(
        this.deps.deliveryState.recordMissed(integration.id, event.received_at).then(() => {
          const current = batch.missed.get(integration.id);
          if (current === undefined || event.received_at < current)
            batch.missed.set(integration.id, event.received_at);
        }),
      );
    }
    await Promise.all(work);
    return event;
  }

  /** The event of a message, and whether its id is to be claimed (the producer's own, or EventBridge's). */
  private parse(
    body: string,
    sentAt: Date,
  ): { event: LoggedEvent; claim: boolean; placedFor: ReadonlySet<string> } {
    let message: IngestMessage;
    try {
      message = JSON.parse(body) as IngestMessage;
    } catch {
      throw new InvalidIngestMessage('message body is not JSON');
    }
    const result = ingestEventSchema().safeParse(message?.event);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new InvalidIngestMessage(`event ${issue?.path.join('.')}: ${issue?.message}`);
    }
    const receivedAt = message.received_at ?? sentAt.toISOString();
    // EventBridge events come without one: the same default as the API's.
    const entityId = resolveEntityId(result.data.entity_id, result.data.payload);
    const event: LoggedEvent = {
      id: result.data.id,
      tenant: this.deps.tenant,
      name: result.data.name,
      published_at: result.data.published_at ?? receivedAt,
      payload: result.data.payload,
      ...(entityId !== undefined && { entity_id: entityId }),
      received_at: receivedAt,
      ...(typeof message.position === 'number' &&
        Number.isInteger(message.position) &&
        message.position >= 0 && { position: message.position }),
    };
    const placedFor = new Set(
      Array.isArray(message.placed_for) ? message.placed_for.filter((id) => typeof id === 'string') : [],
    );
    return { event, claim: message.id_given === true || message.received_at === undefined, placedFor };
  }
}

/** For deployments that do not deduplicate ids across requests: every id is fresh, nothing is written. */
export const EVERY_ID_FRESH: EventIdClaims = { claim: async () => true };
