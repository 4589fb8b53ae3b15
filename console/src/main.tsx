import { render } from 'preact';
import { App } from './app.tsx';
import { finishSignIn } from './cognito.ts';
import { loadConfig } from './config.ts';
import { storeSession } from './session.ts';
import { sessionFromToken } from './token-claims.ts';

/** Boots the console: reads config.json, completes a sign-in coming back from Cognito, renders. */
const boot = async (root: HTMLElement) => {
  let signInError: string | undefined;
  try {
    const config = await loadConfig();
    if (config.auth === 'cognito') {
      try {
        const token = await finishSignIn(config);
        const session = token ? sessionFromToken(token) : undefined;
        if (session && 'error' in session) signInError = session.error;
        else if (session) storeSession(session);
      } catch (error) {
        signInError = `Sign-in failed: ${(error as Error).message}`;
      }
    }
    render(<App config={config} signInError={signInError} />, root);
  } catch (error) {
    render(
      <main id="main">
        <h1>Event Stream console</h1>
        <p role="alert" class="error">
          The console could not start: {(error as Error).message}
        </p>
      </main>,
      root,
    );
  }
};

const root = document.getElementById('app');
if (root) void boot(root);
