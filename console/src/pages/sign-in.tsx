import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Field } from '../components/field.tsx';
import { type Session, sessionFromToken } from '../token-claims.ts';

/** The local runtime's sign-in: paste a token from `npm run token`. */
export const TokenSignIn = ({
  onSignIn,
  notice,
}: {
  onSignIn: (session: Session) => void;
  /** Why the operator is back here (an expired session). */
  notice?: string | undefined;
}) => {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const submit = (event: Event) => {
    event.preventDefault();
    const session = sessionFromToken(token);
    if ('error' in session) setError(session.error);
    else onSignIn(session);
  };
  return (
    <SignInFrame error={notice}>
      <form onSubmit={submit}>
        <Field
          label="Token"
          error={error}
          hint="The output of npm run -s token (all scopes), or npm run -s token -- --scope eventstream/read for read-only"
        >
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              rows={4}
              value={token}
              onInput={(event) => setToken(event.currentTarget.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              spellcheck={false}
              autoComplete="off"
            />
          )}
        </Field>
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
    </SignInFrame>
  );
};

/** The deployed sign-in: Cognito's managed login page, through the authorization code flow with PKCE. */
export const CognitoSignIn = ({ onStart, error }: { onStart: () => void; error?: string | undefined }) => (
  <SignInFrame error={error}>
    <p>Sign in with your operator account.</p>
    <button type="button" class="primary" onClick={onStart}>
      Sign in
    </button>
  </SignInFrame>
);

/** The page around either sign-in, with why the operator is (back) here. */
const SignInFrame = ({ error, children }: { error: string | undefined; children: ComponentChildren }) => (
  <main id="main" class="sign-in">
    <h1>Event Stream console</h1>
    {error && (
      <p class="error" role="alert">
        {error}
      </p>
    )}
    {children}
  </main>
);
