import type { SeenEventType, Sighting, StoredEventSchema } from '../event-types.ts';

/** The event catalog, as the use cases see it: names seen (noted by the fan-out) and schemas per name. */

/** Where the fan-out notes the names it saw. */
export interface EventSightings {
  /**
   * Notes each sighting: a name's `first_seen` stays (unless it had left the window: then it starts
   * again), its `last_seen` only moves forward. One write per sighting.
   */
  note(sightings: readonly Sighting[]): Promise<void>;
}

/** The names seen and the schemas kept, as the API reads and changes them. */
export interface EventCatalogStore {
  /** Every stored name (including ones last seen before the window) and every schema's name and version. */
  list(): Promise<{ seen: SeenEventType[]; schemas: Pick<StoredEventSchema, 'name' | 'version'>[] }>;
  getSchema(name: string): Promise<StoredEventSchema | undefined>;
  /** The schemas of those of `names` that have one, in one read. */
  schemasOf(names: readonly string[]): Promise<Map<string, StoredEventSchema>>;
  putSchema(schema: StoredEventSchema): Promise<void>;
  /** Resolves to whether there was one. */
  deleteSchema(name: string): Promise<boolean>;
}
