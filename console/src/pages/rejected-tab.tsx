import { useCallback, useEffect, useState } from 'preact/hooks';
import type { components } from '../../../api/schema.ts';
import { call, type ShownError } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { DataTable } from '../components/data-table.tsx';
import { ErrorMessage, JsonView, Notice, Time } from '../components/messages.tsx';
import { useConsole } from '../context.ts';
import { REJECTED, REJECTED_EVENT } from '../paths.ts';

type Summary = components['schemas']['RejectedEventSummary'];
type RejectedEvent = components['schemas']['Event'];

/** The newest 30 events the receiver refused with 400: each with its payload, "Retry" and "Delete". */
export const RejectedTab = ({ integrationId, onChange }: { integrationId: string; onChange: () => void }) => {
  const { api, session } = useConsole();
  const [rows, setRows] = useState<Summary[]>();
  const [error, setError] = useState<ShownError>();
  const [notice, setNotice] = useState<string>();
  const [deleting, setDeleting] = useState<string>();
  const path = (eventId: string) => ({
    params: { path: { integration_id: integrationId, event_id: eventId } },
  });

  const load = useCallback(async () => {
    const result = await call(() =>
      api.GET(REJECTED, { params: { path: { integration_id: integrationId } } }),
    );
    if (result.error) setError(result.error);
    else setRows(result.data.rejected_events);
  }, [api, integrationId]);
  useEffect(() => {
    void load();
  }, [load]);

  const retry = async (eventId: string) => {
    const result = await call(() => api.POST(`${REJECTED_EVENT}/_retry`, path(eventId)));
    setError(result.error);
    if (!result.error)
      setNotice(`${eventId} delivered (the receiver answered ${result.data.status_code ?? 'OK'}).`);
    await load();
    onChange();
  };
  const remove = async (eventId: string) => {
    setDeleting(undefined);
    const result = await call(() => api.DELETE(REJECTED_EVENT, path(eventId)));
    setError(result.error);
    if (!result.error) setNotice(`${eventId} deleted.`);
    await load();
  };

  return (
    <div>
      <Notice text={notice} />
      <ErrorMessage error={error} />
      <DataTable
        rows={rows}
        caption="Rejected events, newest first"
        columns={['Event ID', 'Rejected', 'Payload', session.canWrite && 'Actions']}
        empty="No rejected events."
        row={(row) => (
          <tr key={row.id}>
            <th scope="row">
              <code>{row.id}</code>
            </th>
            <td>
              <Time value={row.created_at} />
            </td>
            <td>
              <RejectedPayload integrationId={integrationId} eventId={row.id} />
            </td>
            {session.canWrite && (
              <td class="actions">
                <button type="button" onClick={() => void retry(row.id)}>
                  Retry
                </button>
                <button type="button" class="danger" onClick={() => setDeleting(row.id)}>
                  Delete
                </button>
              </td>
            )}
          </tr>
        )}
      />
      {deleting && (
        <ConfirmDialog
          title="Delete this rejected event?"
          confirmLabel="Delete"
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(undefined)}
        >
          <p>
            <code>{deleting}</code> leaves the list and is not delivered; its delivery history stays.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
};

/** The rejected event, fetched when its disclosure is first opened. */
const RejectedPayload = ({ integrationId, eventId }: { integrationId: string; eventId: string }) => {
  const { api } = useConsole();
  const [event, setEvent] = useState<RejectedEvent>();
  const [error, setError] = useState<ShownError>();
  const onToggle = async (toggle: Event) => {
    if (!(toggle.currentTarget as HTMLDetailsElement).open || event) return;
    const result = await call(() =>
      api.GET(REJECTED_EVENT, { params: { path: { integration_id: integrationId, event_id: eventId } } }),
    );
    if (result.error) setError(result.error);
    else setEvent(result.data);
  };
  return (
    <details onToggle={(toggle) => void onToggle(toggle)}>
      <summary>Payload</summary>
      <ErrorMessage error={error} />
      {event ? <JsonView value={event} /> : !error && <p>Loading…</p>}
    </details>
  );
};
