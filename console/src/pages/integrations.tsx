import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Integration } from '../../../api/client.ts';
import { call, type ShownError } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { DataTable } from '../components/data-table.tsx';
import { ErrorMessage, Notice, ReadOnlyNote } from '../components/messages.tsx';
import { Tabs } from '../components/tabs.tsx';
import { useConsole } from '../context.ts';
import { EMPTY_FORM, toRegisterBody } from '../form-model.ts';
import { destinationText } from '../integration-view.ts';
import { INTEGRATION as BY_ID, INTEGRATIONS as PATH } from '../paths.ts';
import { integrationHref } from '../router.ts';
import { IntegrationForm } from './integration-form.tsx';

type Filter = 'all' | 'active' | 'paused';
const TABS = [
  { id: 'all', label: 'All' },
  { id: 'active', label: 'Active' },
  { id: 'paused', label: 'Paused' },
] as const;

const matches = (filter: Filter, integration: Integration): boolean =>
  filter === 'all' || (filter === 'active') === (integration.status === 'running');

/** Every integration under All / Active / Paused, with start, stop, delete and a form for a new one. */
export const IntegrationsPage = () => {
  const { api, session } = useConsole();
  const [integrations, setIntegrations] = useState<Integration[]>();
  const [filter, setFilter] = useState<Filter>('all');
  const [error, setError] = useState<ShownError>();
  const [notice, setNotice] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<string>();

  const load = useCallback(async () => {
    const result = await call(() => api.GET(PATH));
    if (result.error) setError(result.error);
    else setIntegrations(result.data.integrations);
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (id: string, action: '_start' | '_stop') => {
    const params = { params: { path: { integration_id: id } } };
    const result = await call<unknown>(() =>
      action === '_start' ? api.POST(`${BY_ID}/_start`, params) : api.POST(`${BY_ID}/_stop`, params),
    );
    setError(result.error);
    if (!result.error) setNotice(`${id} ${action === '_start' ? 'started' : 'stopped'}.`);
    await load();
  };

  const remove = async (id: string) => {
    setDeleting(undefined);
    const result = await call(() => api.DELETE(BY_ID, { params: { path: { integration_id: id } } }));
    setError(result.error);
    if (!result.error) setNotice(`${id} deleted.`);
    await load();
  };

  const create = async (values: typeof EMPTY_FORM) => {
    const result = await call(() => api.POST(PATH, { body: toRegisterBody(values) }));
    if (result.error) return result.error;
    setCreating(false);
    setNotice(`${result.data.id} created and running.`);
    await load();
    return undefined;
  };

  const shown = integrations?.filter((integration) => matches(filter, integration));
  return (
    <section aria-labelledby="integrations-title">
      <div class="title-row">
        <h1 id="integrations-title">Integrations</h1>
        {session.canWrite && !creating && (
          <button type="button" class="primary" onClick={() => setCreating(true)}>
            New integration
          </button>
        )}
      </div>
      {!session.canWrite && <ReadOnlyNote />}
      <Notice text={notice} />
      <ErrorMessage error={error} />
      {creating && (
        <section aria-labelledby="new-integration-title" class="panel">
          <h2 id="new-integration-title">New integration</h2>
          <p>It starts delivering as soon as it is created.</p>
          <IntegrationForm
            mode="create"
            initial={EMPTY_FORM}
            submitLabel="Create"
            onSubmit={create}
            onCancel={() => setCreating(false)}
          />
        </section>
      )}
      <Tabs label="Integrations by status" tabs={TABS} selected={filter} onSelect={setFilter}>
        <DataTable
          rows={shown}
          caption="Integrations"
          columns={['ID', 'Type', 'Destination', 'Status', session.canWrite && 'Actions']}
          empty="No integrations here."
          row={(integration) => (
            <tr key={integration.id}>
              <th scope="row">
                <a href={integrationHref(integration.id)}>{integration.id}</a>
              </th>
              <td>{integration.integration_type}</td>
              <td class="destination">{destinationText(integration)}</td>
              <td>
                <span class={`status ${integration.status}`}>{integration.status}</span>
              </td>
              {session.canWrite && (
                <td class="actions">
                  {integration.status === 'running' ? (
                    <button type="button" onClick={() => void act(integration.id, '_stop')}>
                      Stop
                    </button>
                  ) : (
                    <button type="button" onClick={() => void act(integration.id, '_start')}>
                      Start
                    </button>
                  )}
                  <button type="button" class="danger" onClick={() => setDeleting(integration.id)}>
                    Delete
                  </button>
                </td>
              )}
            </tr>
          )}
        />
      </Tabs>
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting}?`}
          confirmLabel="Delete"
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(undefined)}
        >
          <p>Its log, rejected events and secrets are deleted with it. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
};
