import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { EVENT_NAME_PATTERN, MAX_NAME_LENGTH } from '../domain/event-names.ts';
import { catalogOf, type EventTypeView, type StoredEventSchema } from '../domain/event-types.ts';
import { parsePayloadSchema, putEventSchemaBodySchema } from '../domain/payload-schema.ts';
import type { EventCatalogStore } from '../domain/ports/event-types.ts';
import type { Clock } from '../domain/ports/platform.ts';
import { retentionWindowStart } from '../domain/retention.ts';
import { parseRequest } from '../domain/validate.ts';

/** A schema as the API answers it. */
export interface EventSchemaView {
  name: string;
  schema: boolean | Record<string, unknown>;
  version: string;
  updated_at: string;
}

const viewOf = (stored: StoredEventSchema): EventSchemaView => ({
  name: stored.name,
  schema: JSON.parse(stored.json),
  version: stored.version,
  updated_at: stored.updated_at,
});

/** A name from a path: 400 unless it is an event name publishers could use. */
const eventName = (name: string): string => {
  if (name.length > MAX_NAME_LENGTH || !EVENT_NAME_PATTERN.test(name)) {
    throw new ValidationError(
      `name: must be a lowercase entity.event name such as order.created (at most ${MAX_NAME_LENGTH} characters)`,
      'name',
    );
  }
  return name;
};

/**
 * The event catalog through the API: the names seen within the retention window, and a JSON Schema per
 * name that publishing then checks payloads against.
 */
export class EventCatalog {
  constructor(private readonly deps: { store: EventCatalogStore; clock: Clock; retentionDays: number }) {}

  /** Every name seen within the window and every name with a schema, by name. */
  async list(): Promise<EventTypeView[]> {
    const { seen, schemas } = await this.deps.store.list();
    const windowStart = retentionWindowStart(this.deps.clock.now(), this.deps.retentionDays);
    return catalogOf(seen, schemas, windowStart.toISOString());
  }

  async getSchema(name: string): Promise<EventSchemaView> {
    const stored = await this.deps.store.getSchema(eventName(name));
    if (!stored) throw new NotFoundError(`Event type ${name} has no schema.`);
    return viewOf(stored);
  }

  /** Sets (or replaces) the schema of `name`; it applies to publishes from the next request on. */
  async putSchema(name: string, body: unknown): Promise<EventSchemaView> {
    const valid = eventName(name);
    const { schema } = parseRequest(putEventSchemaBodySchema(), body);
    const stored: StoredEventSchema = {
      name: valid,
      ...(await parsePayloadSchema(schema)),
      updated_at: this.deps.clock.now().toISOString(),
    };
    await this.deps.store.putSchema(stored);
    return viewOf(stored);
  }

  async deleteSchema(name: string): Promise<void> {
    if (!(await this.deps.store.deleteSchema(eventName(name)))) {
      throw new NotFoundError(`Event type ${name} has no schema.`);
    }
  }
}
