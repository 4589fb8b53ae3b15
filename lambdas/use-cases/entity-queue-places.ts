import { entityQueueKey, type MessageOrder } from '../domain/entity-order.ts';
import type { LoggedEvent } from '../domain/event.ts';
import type { Integration } from '../domain/integration.ts';
import type { IntegrationRepository } from '../domain/ports/integrations.ts';
import { EntityQueueFull, type EntityQueueRef, type EntityQueues } from '../domain/ports/ordering.ts';
import type { Clock, Metrics } from '../domain/ports/platform.ts';
import { wants } from './delivery-router.ts';

export interface EntityQueuePlacesDeps {
  entityQueues: EntityQueues;
  metrics: Metrics;
  /** Read by `placeAtPublish` only, at most once per LIST_TTL_MS. */
  integrations: Pick<IntegrationRepository, 'list'>;
  clock: Clock;
}

/**
 * How long the ingest API trusts its list of ordered integrations: one registered within it is placed by the
 * fan-out instead, which is late only for events of one entity published within a moment of each other.
 */
const LIST_TTL_MS = 5_000;

/**
 * Puts events in the entity queues of ordered integrations (see domain/entity-order.ts). The ingest API does
 * it for live events before it answers, so an event's key exists before any later publish of its entity is
 * even received, whichever order the fan-outs then run in; the fan-out places what the API did not (events
 * from EventBridge, integrations registered since), replays and catch-ups place what they queue.
 */
export class EntityQueuePlaces {
  private ordered: { until: number; list: Promise<Integration[]> } | undefined;

  constructor(private readonly deps: EntityQueuePlacesDeps) {}

  /**
   * Places one event for one integration; undefined when the integration does not order it, or when the
   * entity's queue is full (MAX_PENDING_KEYS: an entity held back that long gets this event unordered).
   */
  async place(integration: Integration, event: LoggedEvent): Promise<MessageOrder | undefined> {
    const order = orderOf(integration, event);
    if (!order) return undefined;
    try {
      await this.deps.entityQueues.add(
        { integrationId: integration.id, generation: integration.created_at, entityId: order.entity_id },
        order.key,
      );
    } catch (error) {
      if (!(error instanceof EntityQueueFull)) throw error;
      this.deps.metrics.count('OrderQueueFull');
      return undefined;
    }
    return order;
  }

  /**
   * Places each published event with every ordered integration that wants it; per event id, those
   * integrations' placements (placementOf: the id and generation, so a fan-out that sees the id registered
   * anew places the event itself).
   */
  async placeAtPublish(events: readonly LoggedEvent[]): Promise<Map<string, string[]>> {
    const placed = new Map<string, string[]>();
    if (!events.some((event) => event.entity_id !== undefined)) return placed;
    const integrations = await this.orderedIntegrations();
    await Promise.all(
      events.flatMap((event) =>
        integrations
          .filter((integration) => wants(integration, event))
          .map(async (integration) => {
            if (!(await this.place(integration, event))) return;
            placed.set(event.id, [...(placed.get(event.id) ?? []), placementOf(integration)]);
          }),
      ),
    );
    return placed;
  }

  /**
   * Takes back the keys the API placed for an event that will not be delivered after all (its id was
   * published before, on a deployment that deduplicates ids): no message would ever finish them.
   */
  async release(placements: ReadonlySet<string>, event: LoggedEvent): Promise<void> {
    if (event.entity_id === undefined) return;
    const entityId = event.entity_id;
    const key = entityQueueKey(event);
    await Promise.all(
      [...placements].map((placement) =>
        this.deps.entityQueues.finish(queueOfPlacement(placement, entityId), key),
      ),
    );
  }

  private orderedIntegrations(): Promise<Integration[]> {
    const now = this.deps.clock.now().getTime();
    if (!this.ordered || this.ordered.until <= now) {
      const list = this.deps.integrations.list().then((all) =>
        // Stopped ones too: their catch-up brings the event, and live events after the start wait for it.
        all.filter((integration) => integration.callback_parameters?.ordering === 'entity'),
      );
      // A failed read is not kept: the next publish reads again.
      list.catch(() => {
        this.ordered = undefined;
      });
      this.ordered = { until: now + LIST_TTL_MS, list };
    }
    return this.ordered.list;
  }
}

/** An event's place in an integration's entity queue, when the integration orders it. */
export const orderOf = (integration: Integration, event: LoggedEvent): MessageOrder | undefined =>
  integration.callback_parameters?.ordering === 'entity' && event.entity_id !== undefined
    ? { entity_id: event.entity_id, key: entityQueueKey(event) }
    : undefined;

/** How an ingest message names an integration the API placed its event for: id and generation. */
export const placementOf = (integration: Pick<Integration, 'id' | 'created_at'>): string =>
  `${integration.id}#${integration.created_at}`;

/** The entity queue of `entityId` at the integration a placement (placementOf) names. */
const queueOfPlacement = (placement: string, entityId: string): EntityQueueRef => {
  const split = placement.lastIndexOf('#');
  return { integrationId: placement.slice(0, split), generation: placement.slice(split + 1), entityId };
};
