import { type LoggedEvent, logShardOf } from '../../../lambdas/domain/event.ts';
import { entityOf } from '../../../lambdas/domain/event-names.ts';
import type {
  EntityEvents,
  EntityEventsPage,
  EventIdClaims,
  EventLogStore,
  EventRangeQuery,
} from '../../../lambdas/domain/ports/events.ts';
import type { Clock } from '../../../lambdas/domain/ports/platform.ts';
import {
  readMerged,
  type ShardCursor,
  type ShardPage,
  shardReadStart,
} from '../../../lambdas/domain/sharded-merge.ts';

const DAY_S = 86_400;

interface StoredEvent {
  sk: string;
  shard: number;
  expiresAt: number;
  event: LoggedEvent;
}

/**
 * The event log as the DynamoDB adapter reads it: per event, shard `logShardOf(received_at)` and sort key
 * `{received_at}#{id}` (the adapter stores the events of an instant together, in chunks), a TTL of `retentionDays` after `received_at` that reads honour (TTL itself
 * deletes late, so `hasEventsReceivedBetween` still sees expired items). `readShard`'s `limit` counts items
 * evaluated before the name and entity filters, and a page that stopped at the limit has a
 * `lastEvaluatedSk` even if nothing follows, as DynamoDB's Query does.
 */
export class MemoryEventLog implements EventLogStore {
  private readonly items = new Map<string, StoredEvent>();

  constructor(
    private readonly clock: Clock,
    private readonly retentionDays = 30,
  ) {}

  /** Chunk ids are the DynamoDB adapter's concern; this one hands out a constant that `get` ignores. */
  async put(event: LoggedEvent): Promise<string> {
    const sk = `${event.received_at}#${event.id}`;
    this.items.set(sk, {
      sk,
      shard: logShardOf(event.received_at),
      expiresAt: Math.floor(Date.parse(event.received_at) / 1000) + this.retentionDays * DAY_S,
      event: structuredClone(event),
    });
    return 'memory';
  }

  async get(receivedAt: string, eventId: string): Promise<LoggedEvent | undefined> {
    const item = this.items.get(`${receivedAt}#${eventId}`);
    return item && !this.expired(item) ? structuredClone(item.event) : undefined;
  }

  async readShard(
    shard: number,
    query: EventRangeQuery,
    afterSk: string | undefined,
    limit: number,
  ): Promise<ShardPage<LoggedEvent>> {
    const start = shardReadStart(query, afterSk);
    if (start === 'done') return { items: [] };
    const after = start.afterSk;
    const upper = `${query.to}\uffff`;
    const direction = query.descending ? -1 : 1;
    const inRange = [...this.items.values()]
      .filter((item) => item.shard === shard && item.sk >= query.from && item.sk <= upper)
      .filter((item) => after === undefined || (query.descending ? item.sk < after : item.sk > after))
      .sort((a, b) => direction * a.sk.localeCompare(b.sk));
    const evaluated = inRange.slice(0, limit);
    const items = evaluated
      .filter((item) => !query.name || item.event.name === query.name)
      .filter((item) => !query.entity || entityOf(item.event.name) === query.entity)
      .filter((item) => !query.entityId || item.event.entity_id === query.entityId)
      .filter((item) => !this.expired(item))
      .map((item) => {
        const event = structuredClone(item.event);
        if (query.includePayload === false) event.payload = {};
        return { sk: item.sk, item: event };
      });
    const last = evaluated.at(-1);
    return { items, ...(evaluated.length === limit && last && { lastEvaluatedSk: last.sk }) };
  }

  async hasEventsReceivedBetween(from: string, to: string): Promise<boolean> {
    if (from >= to) return false;
    return [...this.items.values()].some((item) => item.sk >= from && item.sk <= to);
  }

  /** Every stored event (expired ones too), for assertions. */
  all(): LoggedEvent[] {
    return [...this.items.values()].map((item) => item.event);
  }

  private expired(item: StoredEvent): boolean {
    return item.expiresAt <= Math.floor(this.clock.now().getTime() / 1000);
  }
}

/**
 * The entity index as the DynamoDB adapter reads it: one partition per entity id, sort key
 * `{received_at}#{id}`, `limit` counting index items before the name and entity filters.
 */
export class MemoryEntityIndex implements EntityEvents {
  readonly indexed = true;

  constructor(private readonly log: MemoryEventLog) {}

  async page(
    entityId: string,
    query: Omit<EventRangeQuery, 'entityId' | 'consistent'>,
    cursor: ShardCursor | undefined,
    limit: number,
  ): Promise<EntityEventsPage> {
    const direction = query.descending ? -1 : 1;
    return readMerged(
      1,
      async (_, after, size) => {
        const start = shardReadStart(query, after);
        if (start === 'done') return { items: [] };
        const upper = `${query.to}\uffff`;
        const evaluated = this.log
          .all()
          .filter((event) => event.entity_id === entityId)
          .map((event) => ({ sk: `${event.received_at}#${event.id}`, item: event }))
          .filter(({ sk }) => sk >= query.from && sk <= upper)
          .filter(
            ({ sk }) =>
              start.afterSk === undefined || (query.descending ? sk < start.afterSk : sk > start.afterSk),
          )
          .sort((a, b) => direction * a.sk.localeCompare(b.sk))
          .slice(0, size);
        const items = evaluated.filter(
          ({ item }) =>
            (!query.name || item.name === query.name) &&
            (!query.entity || entityOf(item.name) === query.entity),
        );
        const last = evaluated.at(-1);
        return { items, ...(evaluated.length === size && last && { lastEvaluatedSk: last.sk }) };
      },
      cursor,
      limit,
      query.descending,
    );
  }
}

/** Event id claims as the DynamoDB adapter keeps them: the first publish of an id keeps it. */
export class MemoryEventIdClaims implements EventIdClaims {
  readonly claims = new Map<string, string>();

  async claim(eventId: string, receivedAt: string): Promise<boolean> {
    const held = this.claims.get(eventId);
    if (held !== undefined && held !== receivedAt) return false;
    this.claims.set(eventId, receivedAt);
    return true;
  }
}
