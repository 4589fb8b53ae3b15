import * as oauth from 'oauth4webapi';
import type { ConsoleConfig } from './config.ts';

/**
 * Signing in deployed: Cognito's managed login with the authorization code flow and PKCE (a public client,
 * no secret in the page), through oauth4webapi. The verifier and state wait in sessionStorage while the
 * browser visits the login page.
 */

type CognitoConfig = Extract<ConsoleConfig, { auth: 'cognito' }>;

const PENDING = 'event-stream-console.pkce';

/** Where Cognito sends the browser back: the console's own URL, as registered on the app client. */
const redirectUri = (): string => new URL('./', document.baseURI).href;

const server = (config: CognitoConfig): oauth.AuthorizationServer => ({
  issuer: config.issuer,
  authorization_endpoint: `${config.domain}/oauth2/authorize`,
  token_endpoint: `${config.domain}/oauth2/token`,
  end_session_endpoint: `${config.domain}/logout`,
});

/** Sends the browser to the managed login page. */
export const startSignIn = async (config: CognitoConfig): Promise<void> => {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const url = new URL(`${config.domain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scopes.join(' '),
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  }).toString();
  window.location.assign(url.href);
};

/**
 * On the way back from the login page (`?code=...&state=...`): the access token, and the URL cleaned of
 * the code. Undefined when this page load is not such a return.
 */
export const finishSignIn = async (config: CognitoConfig): Promise<string | undefined> => {
  const current = new URL(window.location.href);
  if (!current.searchParams.has('code') && !current.searchParams.has('error')) return undefined;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as {
    verifier: string;
    state: string;
  } | null;
  sessionStorage.removeItem(PENDING);
  window.history.replaceState(null, '', redirectUri());
  if (!pending) throw new Error('The sign-in was not started from this tab: sign in again.');
  const as = server(config);
  const client: oauth.Client = { client_id: config.clientId };
  const parameters = oauth.validateAuthResponse(as, client, current.searchParams, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    parameters,
    redirectUri(),
    pending.verifier,
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response);
  return result.access_token;
};

/** Cognito's logout endpoint ends the managed login session too, then comes back to the console. */
export const signOutUrl = (config: CognitoConfig): string =>
  `${config.domain}/logout?${new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri() })}`;
