import { useState } from 'preact/hooks';
import type { components } from '../../../api/schema.ts';
import { call, type ShownError } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorMessage, Notice, Time } from '../components/messages.tsx';
import { useConsole } from '../context.ts';
import { INTEGRATION } from '../paths.ts';

type Secret = components['schemas']['SigningSecret'];

/**
 * The webhook signing secret receivers verify `webhook-signature` with: hidden until revealed (it lets its
 * holder forge deliveries, so reading it needs the write scope), and "Rotate".
 */
export const SigningSecret = ({ integrationId }: { integrationId: string }) => {
  const { api } = useConsole();
  const [secret, setSecret] = useState<Secret>();
  const [error, setError] = useState<ShownError>();
  const [notice, setNotice] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const params = { params: { path: { integration_id: integrationId } } };

  const reveal = async () => {
    const result = await call(() => api.GET(`${INTEGRATION}/signing_secret`, params));
    setError(result.error);
    if (!result.error) setSecret(result.data);
  };
  const rotate = async () => {
    setConfirming(false);
    const result = await call(() => api.POST(`${INTEGRATION}/signing_secret/_rotate`, params));
    setError(result.error);
    if (result.error) return;
    setSecret(result.data);
    setNotice('Rotated: the previous secret keeps signing beside the new one for 24 hours.');
  };

  return (
    <section aria-labelledby="signing-secret-title" class="panel">
      <h2 id="signing-secret-title">Signing secret</h2>
      <Notice text={notice} />
      <ErrorMessage error={error} />
      {secret ? (
        <dl>
          <dt>Current</dt>
          <dd>
            <code>{secret.signing_secret}</code>
          </dd>
          {secret.previous_signing_secret && (
            <>
              <dt>Previous (still signing)</dt>
              <dd>
                <code>{secret.previous_signing_secret}</code> until{' '}
                <Time value={secret.previous_signing_secret_expires_at} />
              </dd>
            </>
          )}
        </dl>
      ) : (
        <p>Hidden. Receivers verify the webhook-signature header with it.</p>
      )}
      <div class="actions">
        {secret ? (
          <button type="button" onClick={() => setSecret(undefined)}>
            Hide
          </button>
        ) : (
          <button type="button" onClick={() => void reveal()}>
            Reveal
          </button>
        )}
        <button type="button" onClick={() => setConfirming(true)}>
          Rotate
        </button>
      </div>
      {confirming && (
        <ConfirmDialog
          title="Rotate the signing secret?"
          confirmLabel="Rotate"
          onConfirm={() => void rotate()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            Deliveries are signed with both secrets for 24 hours: give the new one to the receiver within that
            time.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
};
