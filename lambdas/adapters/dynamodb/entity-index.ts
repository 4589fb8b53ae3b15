import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { entityIndexPartition, type LoggedEvent } from '../../domain/event.ts';
import { entityOf } from '../../domain/event-names.ts';
import type {
  EntityEvents,
  EntityEventsPage,
  EventLogStore,
  EventRangeQuery,
} from '../../domain/ports/events.ts';
import type { Clock } from '../../domain/ports/platform.ts';
import { readMerged, type ShardCursor, type ShardItem, shardReadStart } from '../../domain/sharded-merge.ts';
import { isExpired } from './partition.ts';
import { entityIndexEntryFromItem } from './stored-items.ts';

/**
 * The events about one entity, read from the entity index the fan-out writes beside the event log (one
 * small item per event that has an entity id: `pk = {tenant}#E#{entity id}`, `sk = {received_at}#{event
 * id}`, with the event's chunk). A page is one Query of that partition and one read of the chunks it
 * names, however long the range.
 */
export class DynamoEntityIndex implements EntityEvents {
  readonly indexed = true;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly tenant: string,
    private readonly eventLog: Pick<EventLogStore, 'get'>,
    private readonly clock: Clock,
  ) {}

  async page(
    entityId: string,
    query: Omit<EventRangeQuery, 'entityId' | 'consistent'>,
    cursor: ShardCursor | undefined,
    limit: number,
  ): Promise<EntityEventsPage> {
    return readMerged(
      1,
      async (_, after, size) => {
        const start = shardReadStart(query, after);
        if (start === 'done') return { items: [] };
        const pk = entityIndexPartition(this.tenant, entityId);
        const { Items = [], LastEvaluatedKey } = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': pk, ':from': query.from, ':to': `${query.to}\uffff` },
            ...(start.afterSk !== undefined && { ExclusiveStartKey: { pk, sk: start.afterSk } }),
            ScanIndexForward: !query.descending,
            Limit: size,
          }),
        );
        const now = this.clock.now();
        const wanted = Items.filter((item) => !isExpired(item, now))
          .map(entityIndexEntryFromItem)
          .filter(
            (entry) =>
              (!query.name || entry.name === query.name) &&
              (!query.entity || entityOf(entry.name) === query.entity),
          );
        const events = await Promise.all(
          wanted.map((entry) => this.eventLog.get(entry.received_at, entry.event_id, entry.chunk)),
        );
        // An event whose chunk expired before its index item (TTL deletes each on its own) is left out.
        const items = events.flatMap((event): ShardItem<LoggedEvent>[] =>
          event
            ? [
                {
                  sk: `${event.received_at}#${event.id}`,
                  item: query.includePayload === false ? { ...event, payload: {} } : event,
                },
              ]
            : [],
        );
        return { items, ...(LastEvaluatedKey && { lastEvaluatedSk: LastEvaluatedKey.sk as string }) };
      },
      cursor,
      limit,
      query.descending,
    );
  }
}
