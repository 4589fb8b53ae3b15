import { EVENT_LOG_SHARDS } from '../domain/event.ts';
import type {
  EntityEvents,
  EntityEventsPage,
  EventLogStore,
  EventRangeQuery,
} from '../domain/ports/events.ts';
import { readMerged, type ShardCursor } from '../domain/sharded-merge.ts';

/**
 * The events about one entity found by reading the event log's range and keeping that entity's: no
 * index to pay for on every publish, but a page may read many events to find a few (the merge stops after
 * a bounded number of rounds and hands out a cursor), so a long range takes several pages.
 */
export class ScannedEntityEvents implements EntityEvents {
  readonly indexed = false;

  constructor(private readonly eventLog: Pick<EventLogStore, 'readShard'>) {}

  async page(
    entityId: string,
    query: Omit<EventRangeQuery, 'entityId' | 'consistent'>,
    cursor: ShardCursor | undefined,
    limit: number,
  ): Promise<EntityEventsPage> {
    return readMerged(
      EVENT_LOG_SHARDS,
      (shard, after, size) => this.eventLog.readShard(shard, { ...query, entityId }, after, size),
      cursor,
      limit,
      query.descending,
    );
  }
}
