import { entityOf } from './event-names.ts';
import type { PayloadSchema } from './payload-schema.ts';

/**
 * The event catalog: every event name seen within the retention window, and the JSON Schema kept for a
 * name. Names are noted by the fan-out from the events it logs (no write of its own per event); schemas
 * are set through the API.
 */

/**
 * How often one fan-out instance writes that it saw a name: a name's `last_seen` lags by at most this
 * (per instance), and a busy name costs one write a minute per instance, not one per batch.
 */
export const NOTE_INTERVAL_MS = 60_000;

/** A name the fan-out saw in one batch: the earliest and latest `received_at` of its events there. */
export interface Sighting {
  name: string;
  first: string;
  last: string;
}

/** A name as stored: when it was first and last seen (first since it last left the window). */
export interface SeenEventType {
  name: string;
  first_seen: string;
  last_seen: string;
}

/** A schema as stored for an event name. */
export interface StoredEventSchema extends PayloadSchema {
  name: string;
  updated_at: string;
}

/** A catalog entry as the API lists it. */
export interface EventTypeView {
  name: string;
  entity: string;
  /** Absent for a name with a schema that was not seen within the window. */
  first_seen?: string;
  last_seen?: string;
  has_schema: boolean;
  schema_version?: string;
}

/** The sightings of a batch's events: one per name, spanning its events' `received_at`. */
export const sightingsOf = (events: readonly { name: string; received_at: string }[]): Sighting[] => {
  const byName = new Map<string, Sighting>();
  for (const { name, received_at } of events) {
    const seen = byName.get(name);
    if (!seen) byName.set(name, { name, first: received_at, last: received_at });
    else {
      if (received_at < seen.first) seen.first = received_at;
      if (received_at > seen.last) seen.last = received_at;
    }
  }
  return [...byName.values()];
};

/**
 * The catalog: the names seen since `windowStart` and the names with a schema, by name. A name with a
 * schema is listed even when it was not seen (a schema can be set before the first event), without
 * `first_seen` and `last_seen`; a name last seen before the window is not listed otherwise.
 */
export const catalogOf = (
  seen: readonly SeenEventType[],
  schemas: readonly Pick<StoredEventSchema, 'name' | 'version'>[],
  windowStart: string,
): EventTypeView[] => {
  const views = new Map<string, EventTypeView>();
  for (const type of seen) {
    if (type.last_seen < windowStart) continue;
    views.set(type.name, {
      name: type.name,
      entity: entityOf(type.name),
      first_seen: type.first_seen,
      last_seen: type.last_seen,
      has_schema: false,
    });
  }
  for (const schema of schemas) {
    const view = views.get(schema.name) ?? { name: schema.name, entity: entityOf(schema.name) };
    views.set(schema.name, { ...view, has_schema: true, schema_version: schema.version });
  }
  return [...views.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
};
