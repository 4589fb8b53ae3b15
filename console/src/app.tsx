import { Component, type ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { consoleApiClient } from './api.ts';
import { signOutUrl, startSignIn } from './cognito.ts';
import type { ConsoleConfig } from './config.ts';
import { ConsoleContext } from './context.ts';
import { EventsPage } from './pages/events.tsx';
import { IntegrationPage } from './pages/integration.tsx';
import { IntegrationsPage } from './pages/integrations.tsx';
import { CognitoSignIn, TokenSignIn } from './pages/sign-in.tsx';
import { type Route, useRoute } from './router.ts';
import { clearSession, storedSession, storeSession } from './session.ts';
import type { Session } from './token-claims.ts';

interface AppProps {
  config: ConsoleConfig;
  /** A sign-in that failed on the way back from the login page. */
  signInError?: string | undefined;
}

/** The console: the sign-in page until there is a session, then the pages the route names. */
export const App = ({ config, signInError }: AppProps) => {
  const [session, setSession] = useState<Session | undefined>(storedSession);
  const [expired, setExpired] = useState<string>();
  const signOut = (reason?: string) => {
    clearSession();
    setSession(undefined);
    setExpired(reason);
    if (!reason && config.auth === 'cognito') window.location.assign(signOutUrl(config));
  };
  const api = useMemo(
    () => session && consoleApiClient(session.token, () => signOut('Your session expired: sign in again.')),
    [session],
  );

  if (!session || !api) {
    if (config.auth === 'cognito') {
      return <CognitoSignIn onStart={() => void startSignIn(config)} error={expired ?? signInError} />;
    }
    return (
      <TokenSignIn
        notice={expired}
        onSignIn={(next) => {
          storeSession(next);
          setExpired(undefined);
          setSession(next);
        }}
      />
    );
  }
  return (
    <ConsoleContext.Provider value={{ api, session, signOut: () => signOut() }}>
      <Layout session={session} onSignOut={() => signOut()}>
        <ErrorBoundary>
          <Page />
        </ErrorBoundary>
      </Layout>
    </ConsoleContext.Provider>
  );
};

const Page = () => {
  const route: Route = useRoute();
  switch (route.page) {
    case 'integrations':
      return <IntegrationsPage />;
    case 'integration':
      return <IntegrationPage key={route.id} id={route.id} />;
    case 'events':
      return <EventsPage key={route.entityId ?? ''} entityId={route.entityId} />;
    case 'not-found':
      return (
        <section>
          <h1>Not found</h1>
          <p>
            <a href="#/integrations">Integrations</a>
          </p>
        </section>
      );
  }
};

const Layout = ({
  session,
  onSignOut,
  children,
}: {
  session: Session;
  onSignOut: () => void;
  children: ComponentChildren;
}) => (
  <>
    <a class="skip" href="#main">
      Skip to content
    </a>
    <header>
      <nav aria-label="Console">
        <span class="brand">Event Stream</span>
        <a href="#/integrations">Integrations</a>
        <a href="#/events">Events</a>
        <a href="../api/v1/org/docs">API reference</a>
      </nav>
      <div class="who">
        <span>{session.canWrite ? 'Full access' : 'Read-only'}</span>
        <span class="scopes">{session.scopes.join(' ')}</span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </header>
    <main id="main">{children}</main>
  </>
);

/** A rendering bug shows a message instead of a blank page; the console stays usable. */
class ErrorBoundary extends Component<{ children: ComponentChildren }, { error?: Error }> {
  override state: { error?: Error } = {};
  override componentDidCatch(error: Error) {
    this.setState({ error });
  }
  render() {
    if (this.state.error) {
      return (
        <p class="error" role="alert">
          Something went wrong showing this page: {this.state.error.message}.{' '}
          <a href="#/integrations">Back</a>
        </p>
      );
    }
    return this.props.children;
  }
}
