import { useCallback, useEffect, useState } from 'preact/hooks';
import type { components } from '../../../api/schema.ts';
import { call, type ShownError } from '../api.ts';
import { DataTable, LoadMore } from '../components/data-table.tsx';
import { useTextDraft } from '../components/field.tsx';
import { ErrorMessage, JsonView, Time } from '../components/messages.tsx';
import { useConsole } from '../context.ts';
import { toApiTime } from '../form-model.ts';
import { EVENTS, ORG_DELIVERIES } from '../paths.ts';
import { integrationHref } from '../router.ts';

type LoggedEvent = components['schemas']['LoggedEvent'];
type OrgDelivery = components['schemas']['OrgDelivery'];

type Query = {
  name: string;
  entity: string;
  entity_id: string;
  from: string;
  to: string;
};

const EMPTY: Query = { name: '', entity: '', entity_id: '', from: '', to: '' };

const filled = (query: Query) => ({
  ...(query.name.trim() && { name: query.name.trim() }),
  ...(query.entity.trim() && { entity: query.entity.trim() }),
  ...(query.entity_id.trim() && { entity_id: query.entity_id.trim() }),
  ...(query.from.trim() && { from: toApiTime(query.from) }),
  ...(query.to.trim() && { to: toApiTime(query.to) }),
});

/** The receiver's answer to the latest attempt, or the S3 file the event went into. */
const answerText = (delivery: OrgDelivery): string => {
  if (delivery.file) return delivery.file;
  if (delivery.status_code === undefined) return '-';
  const time = delivery.response_time_ms === undefined ? '' : ` in ${delivery.response_time_ms} ms`;
  return `HTTP ${delivery.status_code}${time}`;
};

/**
 * The event log (30 days) by name, entity, entity id and time, with payloads; given an entity id, also what
 * happened to that entity across every integration (`GET /deliveries?entity_id=`).
 */
export const EventsPage = ({ entityId }: { entityId?: string | undefined }) => {
  const { api } = useConsole();
  const initial = { ...EMPTY, entity_id: entityId ?? '' };
  const [applied, setApplied] = useState<Query>(initial);
  const [events, setEvents] = useState<LoggedEvent[]>();
  const [nextToken, setNextToken] = useState<string>();
  const [deliveries, setDeliveries] = useState<OrgDelivery[]>();
  const [error, setError] = useState<ShownError>();
  const { draft, input, unplaced } = useTextDraft(initial, error);

  const load = useCallback(
    async (query: Query, after?: string) => {
      const result = await call(() =>
        api.GET(EVENTS, {
          params: {
            query: { ...filled(query), include_payload: 'true', ...(after && { next_token: after }) },
          },
        }),
      );
      setError(result.error);
      if (result.error) return;
      setEvents((current) => (after ? [...(current ?? []), ...result.data.events] : result.data.events));
      setNextToken(result.data.next_token);
    },
    [api],
  );
  const loadDeliveries = useCallback(
    async (query: Query) => {
      const entity = query.entity_id.trim();
      if (!entity) return setDeliveries(undefined);
      const { name: event_name, entity: _type, ...rest } = filled(query);
      const result = await call(() =>
        api.GET(ORG_DELIVERIES, { params: { query: { ...rest, ...(event_name && { event_name }) } } }),
      );
      if (result.error) setError(result.error);
      else setDeliveries(result.data.deliveries);
    },
    [api],
  );
  useEffect(() => {
    void load(applied);
    void loadDeliveries(applied);
  }, [load, loadDeliveries, applied]);

  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title">Events</h1>
      <form
        class="filters"
        aria-label="Event query"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied({ ...draft });
        }}
      >
        {input('name', 'Event name')}
        {input('entity', 'Entity')}
        {input('entity_id', 'Entity ID')}
        {input('from', 'From', 'datetime-local')}
        {input('to', 'To', 'datetime-local')}
        <button type="submit">Search</button>
      </form>
      <ErrorMessage error={unplaced} />
      {deliveries && (
        <section aria-labelledby="what-happened-title">
          <h2 id="what-happened-title">What happened to {applied.entity_id.trim()}</h2>
          <DataTable
            rows={deliveries}
            caption="Deliveries of this entity to every integration"
            columns={['Integration', 'Event', 'Status', 'Attempts', 'Answer', 'Received', 'Last attempt']}
            empty="No deliveries of this entity in the range."
            row={(delivery) => (
              <tr key={`${delivery.integration_id}-${delivery.event_id}`}>
                <th scope="row">
                  <a href={integrationHref(delivery.integration_id)}>{delivery.integration_id}</a> (
                  {delivery.target})
                </th>
                <td>
                  {delivery.event_name} <code>{delivery.event_id}</code>
                </td>
                <td>
                  <span class={`status ${delivery.status}`}>{delivery.status}</span>
                </td>
                <td>{delivery.attempts}</td>
                <td>{answerText(delivery)}</td>
                <td>
                  <Time value={delivery.received_at} />
                </td>
                <td>
                  <Time value={delivery.attempted_at} />
                </td>
              </tr>
            )}
          />
        </section>
      )}
      <section aria-labelledby="event-log-title">
        <h2 id="event-log-title">Event log</h2>
        <DataTable
          rows={events}
          caption="Events, oldest first"
          columns={['Event ID', 'Name', 'Entity ID', 'Received', 'Payload']}
          empty="No events match."
          row={(event) => (
            <tr key={event.id}>
              <th scope="row">
                <code>{event.id}</code>
              </th>
              <td>{event.name}</td>
              <td>{event.entity_id ?? '-'}</td>
              <td>
                <Time value={event.received_at} />
              </td>
              <td>
                <details>
                  <summary>Payload</summary>
                  <JsonView value={event.payload} />
                </details>
              </td>
            </tr>
          )}
        />
        <LoadMore nextToken={nextToken} onLoad={(token) => void load(applied, token)} />
      </section>
    </section>
  );
};
