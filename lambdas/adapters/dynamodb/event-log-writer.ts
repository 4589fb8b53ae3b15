import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import DataLoader from 'dataloader';
import { entityIndexPartition, type LoggedEvent } from '../../domain/event.ts';
import type { EventLogWriter } from '../../domain/ports/events.ts';
import { eventLogChunkKey, expiresAtOf, putAll } from './partition.ts';

/**
 * Most JSON bytes of one chunk before compression: keeps an item far below DynamoDB's 400 KB whatever the
 * payloads compress to, while a publish of 100 events of a few KiB stays a handful of items.
 */
const MAX_CHUNK_JSON_BYTES = 300_000;

/** A chunk's id: a digest of its event ids, so writing the same events again overwrites the same item. */
const chunkIdOf = (events: readonly LoggedEvent[]): string =>
  createHash('sha1')
    .update(
      events
        .map((event) => event.id)
        .sort()
        .join('\n'),
    )
    .digest('base64url')
    .slice(0, 16);

/**
 * Writes the event log table (see DynamoEventLog for its layout): the events of one instant written in the
 * same tick (a fan-out batch) are one gzipped chunk item, or a few when large. Apart from the readers, so the
 * fan-out, its only writer, bundles no read path.
 */
export class DynamoEventLogWriter implements EventLogWriter {
  private readonly writer: DataLoader<LoggedEvent, string, string>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** One tenant per deployment; part of every key. */
    private readonly tenant: string,
    private readonly retentionDays: number,
    /**
     * Also writes an entity index item per event that has an entity id (see DynamoEntityIndex): one write
     * unit per event more, which a deployment turns on for cheap "what happened to order X" queries.
     */
    private readonly indexEntities: boolean,
  ) {
    this.writer = new DataLoader((events) => this.writeBatch(events), {
      cache: false,
      maxBatchSize: 100,
      cacheKeyFn: (event) => `${event.received_at}#${event.id}`,
    });
  }

  async put(event: LoggedEvent): Promise<string> {
    return this.writer.load(event);
  }

  /** One item per instant (split when large), each event resolved with the id of the chunk it went into. */
  private async writeBatch(events: readonly LoggedEvent[]): Promise<(string | Error)[]> {
    const byInstant = new Map<string, Map<string, LoggedEvent>>();
    for (const event of events) {
      const group = byInstant.get(event.received_at) ?? new Map<string, LoggedEvent>();
      // The same event twice in one batch (a redelivered message) is written once.
      group.set(event.id, event);
      byInstant.set(event.received_at, group);
    }
    const chunkOf = new Map<string, string>();
    const items: Record<string, unknown>[] = [];
    for (const [receivedAt, group] of byInstant) {
      const sorted = [...group.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      for (const part of splitBySize(sorted)) {
        const chunk = chunkIdOf(part);
        const json = JSON.stringify(
          part.map(({ id, tenant, name, published_at, payload, entity_id, position }) => ({
            id,
            tenant,
            name,
            published_at,
            payload,
            ...(entity_id !== undefined && { entity_id }),
            ...(position !== undefined && { position }),
          })),
        );
        const expiresAt = expiresAtOf(receivedAt, this.retentionDays);
        items.push({
          ...eventLogChunkKey(this.tenant, receivedAt, chunk),
          received_at: receivedAt,
          count: part.length,
          events: gzipSync(json),
          expires_at: expiresAt,
        });
        for (const event of part) {
          chunkOf.set(`${receivedAt}#${event.id}`, chunk);
          if (this.indexEntities && event.entity_id !== undefined) {
            items.push({
              pk: entityIndexPartition(this.tenant, event.entity_id),
              sk: `${receivedAt}#${event.id}`,
              received_at: receivedAt,
              event_id: event.id,
              name: event.name,
              chunk,
              expires_at: expiresAt,
            });
          }
        }
      }
    }
    try {
      await putAll(this.client, this.tableName, items);
    } catch (error) {
      return events.map(() => error as Error);
    }
    return events.map((event) => chunkOf.get(`${event.received_at}#${event.id}`) ?? new Error('not written'));
  }
}

/** Consecutive runs of events whose JSON stays within MAX_CHUNK_JSON_BYTES (one event alone always fits). */
const splitBySize = (events: readonly LoggedEvent[]): LoggedEvent[][] => {
  const parts: LoggedEvent[][] = [];
  let current: LoggedEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event.payload)) + 200;
    if (current.length > 0 && bytes + size > MAX_CHUNK_JSON_BYTES) {
      parts.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) parts.push(current);
  return parts;
};
