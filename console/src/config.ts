/**
 * What the console learns from `config.json`, served beside it: whether to ask for a pasted token (the
 * local runtime) or to sign in with the stack's Cognito user pool (deployed).
 */
export type ConsoleConfig =
  | { auth: 'token' }
  | {
      auth: 'cognito';
      /** The user pool's issuer URL (`https://cognito-idp.{region}.amazonaws.com/{pool id}`). */
      issuer: string;
      /** The managed login domain (`https://{prefix}.auth.{region}.amazoncognito.com`). */
      domain: string;
      clientId: string;
      scopes: string[];
    };

/** Reads `config.json` next to the page; a broken or missing one is an error the page shows. */
export const loadConfig = async (): Promise<ConsoleConfig> => {
  const response = await fetch(new URL('config.json', document.baseURI));
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const config = (await response.json()) as ConsoleConfig;
  if (config.auth !== 'token' && config.auth !== 'cognito') throw new Error('config.json: unknown auth');
  return config;
};
