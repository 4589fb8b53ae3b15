import type { SeenEventType, Sighting, StoredEventSchema } from '../../../lambdas/domain/event-types.ts';
import type { EventCatalogStore, EventSightings } from '../../../lambdas/domain/ports/event-types.ts';
import type { Clock } from '../../../lambdas/domain/ports/platform.ts';
import { retentionWindowStart } from '../../../lambdas/domain/retention.ts';

/**
 * The event catalog as the DynamoDB adapter keeps it: a sighting moves `last_seen` forward only and keeps
 * `first_seen` unless the name had left the window. Counts the writes of `note` and the reads of
 * `schemasOf`, for the rules about what the catalog may cost.
 */
export class MemoryEventCatalogStore implements EventCatalogStore, EventSightings {
  readonly seen = new Map<string, SeenEventType>();
  readonly schemas = new Map<string, StoredEventSchema>();
  /** One per sighting written (a DynamoDB UpdateItem). */
  noteWrites = 0;
  /** One per `schemasOf` call (a BatchGetItem). */
  schemaReads = 0;
  /** Makes the next `note` fail, as a throttled write would. */
  failNextNote = false;

  constructor(
    private readonly clock: Clock,
    private readonly retentionDays = 30,
  ) {}

  async note(sightings: readonly Sighting[]): Promise<void> {
    if (this.failNextNote) {
      this.failNextNote = false;
      throw new Error('throttled');
    }
    const windowStart = retentionWindowStart(this.clock.now(), this.retentionDays).toISOString();
    for (const { name, first, last } of sightings) {
      this.noteWrites += 1;
      const stored = this.seen.get(name);
      if (!stored || stored.last_seen < windowStart) {
        this.seen.set(name, { name, first_seen: first, last_seen: last });
      } else if (stored.last_seen < last) {
        this.seen.set(name, { ...stored, last_seen: last });
      }
    }
  }

  async list() {
    return {
      seen: [...this.seen.values()].map((seen) => ({ ...seen })),
      schemas: [...this.schemas.values()].map(({ name, version }) => ({ name, version })),
    };
  }

  async getSchema(name: string): Promise<StoredEventSchema | undefined> {
    const schema = this.schemas.get(name);
    return schema && { ...schema };
  }

  async schemasOf(names: readonly string[]): Promise<Map<string, StoredEventSchema>> {
    this.schemaReads += 1;
    const found = new Map<string, StoredEventSchema>();
    for (const name of names) {
      const schema = this.schemas.get(name);
      if (schema) found.set(name, { ...schema });
    }
    return found;
  }

  async putSchema(schema: StoredEventSchema): Promise<void> {
    this.schemas.set(schema.name, { ...schema });
  }

  async deleteSchema(name: string): Promise<boolean> {
    return this.schemas.delete(name);
  }
}
