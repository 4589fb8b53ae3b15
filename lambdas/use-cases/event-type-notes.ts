import type { LoggedEvent } from '../domain/event.ts';
import { NOTE_INTERVAL_MS, sightingsOf } from '../domain/event-types.ts';
import type { EventSightings } from '../domain/ports/event-types.ts';
import type { Clock, OperationLog } from '../domain/ports/platform.ts';

/**
 * Notes the event names the fan-out logs, for the catalog, at a cost that does not grow with the events:
 * one write per distinct name of a batch, and none for a name this instance noted less than
 * NOTE_INTERVAL_MS ago. A name seen for the first time is noted at once. The catalog is not worth a
 * delivery: a failed note is logged and tried again with the name's next batch, never thrown.
 */
export class EventTypeNotes {
  /** When this instance last wrote each name (clock ms). */
  private readonly notedAt = new Map<string, number>();

  constructor(private readonly deps: { sightings: EventSightings; clock: Clock; log: OperationLog }) {}

  async note(events: readonly Pick<LoggedEvent, 'name' | 'received_at'>[]): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const due = sightingsOf(events).filter((sighting) => {
      const last = this.notedAt.get(sighting.name);
      return last === undefined || now - last >= NOTE_INTERVAL_MS;
    });
    if (due.length === 0) return;
    for (const sighting of due) this.notedAt.set(sighting.name, now);
    try {
      await this.deps.sightings.note(due);
    } catch (error) {
      for (const sighting of due) this.notedAt.delete(sighting.name);
      this.deps.log.warn('Event names not noted in the catalog; the next batch tries again', {
        names: due.map((sighting) => sighting.name),
        reason: (error as Error).message,
      });
    }
  }
}
