import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Integration } from '../../../api/client.ts';
import type { components } from '../../../api/schema.ts';
import { call, type ShownError } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorMessage, Notice, ReadOnlyNote, Time } from '../components/messages.tsx';
import { Tabs } from '../components/tabs.tsx';
import { useConsole } from '../context.ts';
import { formFromIntegration, type IntegrationFormValues, toUpdateBody } from '../form-model.ts';
import { currentRateText, destinationText, orderingText, rateLimitText } from '../integration-view.ts';
import { INTEGRATION, LOGS } from '../paths.ts';
import { runningReplay } from '../replay-progress.ts';
import { DeliveriesTab } from './deliveries-tab.tsx';
import { IntegrationForm } from './integration-form.tsx';
import { LogsTab } from './logs-tab.tsx';
import { RejectedTab } from './rejected-tab.tsx';
import { SigningSecret } from './signing-secret.tsx';

type LogEntry = components['schemas']['LogEntry'];
type Tab = 'logs' | 'rejected' | 'deliveries';
const TABS = [
  { id: 'logs', label: 'Logs' },
  { id: 'rejected', label: 'Rejected events' },
  { id: 'deliveries', label: 'Deliveries' },
] as const;

/** How often the page refreshes while a replay runs, to show its progress. */
const REPLAY_REFRESH_MS = 5000;

/**
 * One integration: its settings and status, start / stop / test / edit / delete, a running replay, and the
 * tabs Logs, Rejected events and Deliveries; for webhooks the signing secret.
 */
export const IntegrationPage = ({ id }: { id: string }) => {
  const { api, session } = useConsole();
  const [integration, setIntegration] = useState<Integration>();
  const [logs, setLogs] = useState<LogEntry[]>();
  const [tab, setTab] = useState<Tab>('logs');
  const [error, setError] = useState<ShownError>();
  const [notice, setNotice] = useState<string>();
  const [editing, setEditing] = useState<'explain' | 'form'>();
  const [deleting, setDeleting] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const params = { params: { path: { integration_id: id } } };

  const load = useCallback(async () => {
    const path = { params: { path: { integration_id: id } } };
    const [found, log] = await Promise.all([
      call(() => api.GET(INTEGRATION, path)),
      call(() => api.GET(LOGS, path)),
    ]);
    if (found.error) setError(found.error);
    else setIntegration(found.data);
    if (!log.error) setLogs(log.data.entries);
  }, [api, id]);
  useEffect(() => {
    void load();
  }, [load]);

  const replay = logs && runningReplay(logs);
  useEffect(() => {
    if (!replay) return;
    const timer = setInterval(() => void load(), REPLAY_REFRESH_MS);
    return () => clearInterval(timer);
  }, [replay, load]);

  const post = async (path: '_start' | '_stop' | '_test', done: (data: unknown) => string) => {
    const result = await call<unknown>(() =>
      path === '_start'
        ? api.POST(`${INTEGRATION}/_start`, params)
        : path === '_stop'
          ? api.POST(`${INTEGRATION}/_stop`, params)
          : api.POST(`${INTEGRATION}/_test`, params),
    );
    setError(result.error);
    if (!result.error) setNotice(done(result.data));
    await load();
    return !result.error;
  };
  const start = () => post('_start', () => `${id} started: it catches up on what it missed while stopped.`);
  const stop = () => post('_stop', () => `${id} stopped.`);
  const test = () =>
    post('_test', (data) => {
      const result = data as components['schemas']['TestResult'];
      return `Test event accepted${result.status_code ? ` (HTTP ${result.status_code})` : ''}${
        result.key ? ` (written to ${result.key})` : ''
      } in ${result.duration_ms} ms.`;
    });

  const save = async (values: IntegrationFormValues) => {
    const result = await call(() => api.PATCH(INTEGRATION, { ...params, body: toUpdateBody(values) }));
    if (result.error) return result.error;
    setEditing(undefined);
    setNotice('Saved. It stays stopped until you start it; a start catches up on what it missed.');
    await load();
    return undefined;
  };
  const remove = async () => {
    setDeleting(false);
    const result = await call(() => api.DELETE(INTEGRATION, params));
    setError(result.error);
    if (!result.error) setDeleted(true);
  };

  if (deleted) {
    return (
      <section>
        <h1>{id}</h1>
        <p role="status">
          Deleted. <a href="#/integrations">Back to the integrations</a>
        </p>
      </section>
    );
  }
  const running = integration?.status === 'running';
  const edit = () => setEditing(running ? 'explain' : 'form');
  return (
    <section aria-labelledby="integration-title">
      <p>
        <a href="#/integrations">Integrations</a> /
      </p>
      <div class="title-row">
        <h1 id="integration-title">{id}</h1>
        {integration && <span class={`status ${integration.status}`}>{integration.status}</span>}
      </div>
      {!session.canWrite && <ReadOnlyNote />}
      <Notice text={notice} />
      <ErrorMessage error={error} />
      {integration && (
        <>
          <dl class="summary">
            <dt>Type</dt>
            <dd>{integration.integration_type}</dd>
            <dt>Destination</dt>
            <dd class="destination">{destinationText(integration)}</dd>
            {integration.callback_parameters && (
              <>
                <dt>Ordering</dt>
                <dd>{orderingText(integration.callback_parameters)}</dd>
                <dt>Rate limit</dt>
                <dd>{rateLimitText(integration.callback_parameters)}</dd>
              </>
            )}
            {integration.rate_limit_state && (
              <>
                <dt>Current rate</dt>
                <dd>
                  {currentRateText(integration.rate_limit_state)}
                  {integration.rate_limit_state.paused_until && (
                    <>
                      ; paused after a 429 until <Time value={integration.rate_limit_state.paused_until} />
                    </>
                  )}
                </dd>
              </>
            )}
            <dt>Event filter</dt>
            <dd>{integration.filter_conditions?.event_filter?.join(', ') || 'all'}</dd>
            <dt>Entity filter</dt>
            <dd>{integration.filter_conditions?.entity_filter?.join(', ') || 'all'}</dd>
            {integration.starts_at && (
              <>
                <dt>Starts at</dt>
                <dd>
                  <Time value={integration.starts_at} />
                </dd>
              </>
            )}
            {integration.ends_at && (
              <>
                <dt>Ends at</dt>
                <dd>
                  <Time value={integration.ends_at} />
                </dd>
              </>
            )}
          </dl>
          {replay && (
            <p class="replay" role="status">
              Replay in progress since <Time value={replay.created_at} />: {replay.reason}
            </p>
          )}
          {session.canWrite && (
            <div class="actions">
              {running ? (
                <button type="button" onClick={() => void stop()}>
                  Stop
                </button>
              ) : (
                <button type="button" onClick={() => void start()}>
                  Start
                </button>
              )}
              <button type="button" onClick={edit}>
                Edit
              </button>
              <button type="button" onClick={() => void test()}>
                Send test event
              </button>
              <button type="button" class="danger" onClick={() => setDeleting(true)}>
                Delete
              </button>
            </div>
          )}
          {editing === 'explain' && (
            <section class="panel" aria-labelledby="edit-explain-title">
              <h2 id="edit-explain-title">Edit needs a stopped integration</h2>
              <p>
                Changes apply to a stopped integration: stop it, save your changes, then start it again. While
                it is stopped, events are kept; the start delivers everything it missed (within 30 days).
              </p>
              <div class="actions">
                <button
                  type="button"
                  class="primary"
                  onClick={async () => {
                    if (await stop()) setEditing('form');
                  }}
                >
                  Stop and edit
                </button>
                <button type="button" onClick={() => setEditing(undefined)}>
                  Cancel
                </button>
              </div>
            </section>
          )}
          {editing === 'form' && (
            <section class="panel" aria-labelledby="edit-title">
              <h2 id="edit-title">Edit {id}</h2>
              <p>Stopped. Save, then start it: the start catches up on what it missed.</p>
              <IntegrationForm
                mode="edit"
                initial={formFromIntegration(integration)}
                submitLabel="Save"
                onSubmit={save}
                onCancel={() => setEditing(undefined)}
              />
            </section>
          )}
          {session.canWrite && integration.callback_parameters && <SigningSecret integrationId={id} />}
        </>
      )}
      <Tabs label="Integration activity" tabs={TABS} selected={tab} onSelect={setTab}>
        {tab === 'logs' && <LogsTab entries={logs} />}
        {tab === 'rejected' && <RejectedTab integrationId={id} onChange={() => void load()} />}
        {tab === 'deliveries' && <DeliveriesTab integrationId={id} />}
      </Tabs>
      {deleting && (
        <ConfirmDialog
          title={`Delete ${id}?`}
          confirmLabel="Delete"
          onConfirm={() => void remove()}
          onCancel={() => setDeleting(false)}
        >
          <p>Its log, rejected events and secrets are deleted with it. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
};
