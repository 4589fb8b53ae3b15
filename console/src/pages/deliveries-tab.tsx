import { useCallback, useEffect, useState } from 'preact/hooks';
import type { components } from '../../../api/schema.ts';
import { call, type ShownError } from '../api.ts';
import { DataTable, LoadMore } from '../components/data-table.tsx';
import { Field, useTextDraft } from '../components/field.tsx';
import { ErrorMessage, Notice, Time } from '../components/messages.tsx';
import { useConsole } from '../context.ts';
import { toApiTime } from '../form-model.ts';
import { DELIVERIES } from '../paths.ts';
import { eventsHref } from '../router.ts';

type Delivery = components['schemas']['Delivery'];
type Status = Delivery['status'];

interface StatusFilter {
  status: '' | Status;
}

type TextFilters = {
  name: string;
  entity_id: string;
  from: string;
  to: string;
};

type Filters = TextFilters & StatusFilter;
const NO_FILTERS: TextFilters = { name: '', entity_id: '', from: '', to: '' };

/** The query the filters make; empty ones are left out. */
const toQuery = (filters: Filters) => ({
  include_attempts: 'true' as const,
  ...(filters.status && { status: filters.status }),
  ...(filters.name.trim() && { name: filters.name.trim() }),
  ...(filters.entity_id.trim() && { entity_id: filters.entity_id.trim() }),
  ...(filters.from.trim() && { from: toApiTime(filters.from) }),
  ...(filters.to.trim() && { to: toApiTime(filters.to) }),
});

/** The integration's delivery history, newest first, filtered, with each attempt and "Resend". */
export const DeliveriesTab = ({ integrationId }: { integrationId: string }) => {
  const { api, session } = useConsole();
  const [status, setStatus] = useState<StatusFilter['status']>('');
  const [applied, setApplied] = useState<Filters>({ ...NO_FILTERS, status: '' });
  const [rows, setRows] = useState<Delivery[]>();
  const [nextToken, setNextToken] = useState<string>();
  const [error, setError] = useState<ShownError>();
  const { draft, input, unplaced } = useTextDraft(NO_FILTERS, error);
  const [notice, setNotice] = useState<string>();

  const load = useCallback(
    async (filters: Filters, after?: string) => {
      const result = await call(() =>
        api.GET(DELIVERIES, {
          params: {
            path: { integration_id: integrationId },
            query: { ...toQuery(filters), ...(after && { next_token: after }) },
          },
        }),
      );
      setError(result.error);
      if (result.error) return;
      setRows((current) =>
        after ? [...(current ?? []), ...result.data.deliveries] : result.data.deliveries,
      );
      setNextToken(result.data.next_token);
    },
    [api, integrationId],
  );
  useEffect(() => {
    void load(applied);
  }, [load, applied]);

  const resend = async (delivery: Delivery) => {
    const result = await call(() =>
      api.POST(`${DELIVERIES}/{event_id}/_retry`, {
        params: {
          path: { integration_id: integrationId, event_id: delivery.event_id },
          // The log keeps no item per event id: the time it was received finds it.
          query: { received_at: delivery.received_at },
        },
      }),
    );
    setError(result.error);
    if (!result.error) setNotice(`${delivery.event_id} sent again.`);
    await load(applied);
  };

  return (
    <div>
      <form
        class="filters"
        aria-label="Delivery filters"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied({ ...draft, status });
        }}
      >
        <StatusSelect value={status} onChange={setStatus} />
        {input('name', 'Event name')}
        {input('entity_id', 'Entity ID')}
        {input('from', 'From', 'datetime-local')}
        {input('to', 'To', 'datetime-local')}
        <button type="submit">Apply filters</button>
      </form>
      <Notice text={notice} />
      <ErrorMessage error={unplaced} />
      <DataTable
        rows={rows}
        caption="Deliveries, newest first"
        columns={[
          'Event ID',
          'Event',
          'Entity ID',
          'Status',
          'Received',
          'Attempts',
          session.canWrite && 'Actions',
        ]}
        empty="No deliveries match."
        row={(delivery) => (
          <tr key={`${delivery.event_id}-${delivery.received_at}`}>
            <th scope="row">
              <code>{delivery.event_id}</code>
            </th>
            <td>{delivery.name}</td>
            <td>
              {delivery.entity_id ? <a href={eventsHref(delivery.entity_id)}>{delivery.entity_id}</a> : '-'}
            </td>
            <td>
              <span class={`status ${delivery.status}`}>{delivery.status}</span>
            </td>
            <td>
              <Time value={delivery.received_at} />
            </td>
            <td>
              <Attempts delivery={delivery} />
            </td>
            {session.canWrite && (
              <td class="actions">
                <button type="button" onClick={() => void resend(delivery)}>
                  Resend
                </button>
              </td>
            )}
          </tr>
        )}
      />
      <LoadMore nextToken={nextToken} onLoad={(token) => void load(applied, token)} />
    </div>
  );
};

const StatusSelect = ({
  value,
  onChange,
}: {
  value: StatusFilter['status'];
  onChange: (status: StatusFilter['status']) => void;
}) => (
  <Field label="Status">
    {({ id }) => (
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value as StatusFilter['status'])}
      >
        <option value="">Any</option>
        <option value="pending">pending</option>
        <option value="delivered">delivered</option>
        <option value="rejected">rejected</option>
        <option value="failed">failed</option>
      </select>
    )}
  </Field>
);

const Attempts = ({ delivery }: { delivery: Delivery }) => {
  const attempts = delivery.attempts ?? (delivery.last_attempt ? [delivery.last_attempt] : []);
  if (attempts.length === 0) return <span>{delivery.attempt_count}</span>;
  return (
    <details>
      <summary>{delivery.attempt_count}</summary>
      <ol>
        {attempts.map((attempt) => (
          <li key={attempt.at}>
            <Time value={attempt.at} /> {attempt.status_code ?? attempt.error ?? ''} in {attempt.duration_ms}{' '}
            ms
            {attempt.file && <> → {attempt.file}</>}
          </li>
        ))}
      </ol>
    </details>
  );
};
