import { ValidationError } from '../domain/errors.ts';
import { fieldUnder, type PayloadValidators } from '../domain/payload-schema.ts';
import type { EventCatalogStore } from '../domain/ports/event-types.ts';

/**
 * Checks published payloads against the schemas of their names: one read for all the names of a request,
 * and a compiled validator per schema version kept by the instance, so a schema is compiled once, and a
 * changed schema applies from the next request on.
 */
export class PayloadSchemas {
  constructor(
    private readonly deps: {
      store: Pick<EventCatalogStore, 'schemasOf'>;
      validators: PayloadValidators;
    },
  ) {}

  /**
   * Throws a ValidationError for the first event whose payload its name's schema refuses, naming the value
   * at fault under `fieldOf(index)` (`events[2].payload.items[0].sku: must be a string`).
   */
  async check(
    events: readonly { name: string; payload: unknown }[],
    fieldOf: (index: number) => string,
  ): Promise<void> {
    const schemas = await this.deps.store.schemasOf([...new Set(events.map((event) => event.name))]);
    if (schemas.size === 0) return;
    for (const [index, event] of events.entries()) {
      const schema = schemas.get(event.name);
      if (!schema) continue;
      const violation = (await this.deps.validators.of(schema))(event.payload);
      if (!violation) continue;
      const field = fieldUnder(fieldOf(index), violation.path);
      throw new ValidationError(`${field}: ${violation.rule} (schema of ${event.name})`, field);
    }
  }
}
