import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SeenEventType, Sighting, StoredEventSchema } from '../../domain/event-types.ts';
import type { EventCatalogStore, EventSightings } from '../../domain/ports/event-types.ts';
import type { Clock } from '../../domain/ports/platform.ts';
import { retentionWindowStart } from '../../domain/retention.ts';
import { expiresAtOf, getAll, queryAll } from './partition.ts';
import { eventSchemaFromItem, seenEventTypeFromItem } from './stored-items.ts';

/** The catalog's partition: a few hundred names at most, so listing them is one Query. */
const PK = 'EVENT_TYPES';
const SEEN = 'SEEN#';
const SCHEMA = 'SCHEMA#';
const seenKey = (name: string) => ({ pk: PK, sk: `${SEEN}${name}` });
const schemaKey = (name: string) => ({ pk: PK, sk: `${SCHEMA}${name}` });

/**
 * The event catalog in the state table: `EVENT_TYPES` / `SEEN#{name}` (first and last seen, expiring a
 * window after the last sighting) and `EVENT_TYPES` / `SCHEMA#{name}` (the schema's text and version).
 */
export class DynamoEventCatalogStore implements EventCatalogStore, EventSightings {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
    private readonly clock: Clock,
  ) {}

  async note(sightings: readonly Sighting[]): Promise<void> {
    const windowStart = retentionWindowStart(this.clock.now(), this.retentionDays).toISOString();
    await Promise.all(sightings.map((sighting) => this.noteOne(sighting, windowStart)));
  }

  /**
   * One conditional update: `last_seen` moves forward only (a late batch does not move it back) and
   * `first_seen` is kept while the name stayed in the window. When the condition fails, either a later
   * sighting is stored (nothing to do) or the name had left the window (rare): then a second update starts it
   * afresh.
   */
  private async noteOne(sighting: Sighting, windowStart: string): Promise<void> {
    const values = {
      ':first': sighting.first,
      ':last': sighting.last,
      ':window': windowStart,
      ':expires': expiresAtOf(sighting.last, this.retentionDays),
    };
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: seenKey(sighting.name),
          UpdateExpression:
            'SET last_seen = :last, first_seen = if_not_exists(first_seen, :first), expires_at = :expires',
          ConditionExpression:
            'attribute_not_exists(last_seen) OR (last_seen < :last AND last_seen >= :window)',
          ExpressionAttributeValues: values,
        }),
      );
      return;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: seenKey(sighting.name),
          UpdateExpression: 'SET last_seen = :last, first_seen = :first, expires_at = :expires',
          ConditionExpression: 'last_seen < :window',
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async list(): Promise<{
    seen: SeenEventType[];
    schemas: Pick<StoredEventSchema, 'name' | 'version'>[];
  }> {
    // The schemas' text stays out of the answer (not out of the read units: a Query counts whole items).
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': PK },
      ProjectionExpression: 'pk, sk, first_seen, last_seen, #name, version',
      ExpressionAttributeNames: { '#name': 'name' },
    });
    const seen: SeenEventType[] = [];
    const schemas: Pick<StoredEventSchema, 'name' | 'version'>[] = [];
    for (const item of items) {
      const sk = String(item.sk);
      if (sk.startsWith(SEEN)) seen.push(seenEventTypeFromItem(sk.slice(SEEN.length), item));
      else if (sk.startsWith(SCHEMA) && typeof item.version === 'string')
        schemas.push({ name: sk.slice(SCHEMA.length), version: item.version });
    }
    return { seen, schemas };
  }

  async getSchema(name: string): Promise<StoredEventSchema | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: schemaKey(name), ConsistentRead: true }),
    );
    return Item ? eventSchemaFromItem(Item) : undefined;
  }

  async schemasOf(names: readonly string[]): Promise<Map<string, StoredEventSchema>> {
    if (names.length === 0) return new Map();
    const items = await getAll(this.client, this.tableName, names.map(schemaKey));
    return new Map(items.map((item) => eventSchemaFromItem(item)).map((schema) => [schema.name, schema]));
  }

  async putSchema(schema: StoredEventSchema): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...schemaKey(schema.name),
          name: schema.name,
          schema: schema.json,
          version: schema.version,
          updated_at: schema.updated_at,
        },
      }),
    );
  }

  async deleteSchema(name: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: schemaKey(name), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }
}
