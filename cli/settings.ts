import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import * as z from 'zod';

/**
 * Where the CLI talks to and with which token: flags, then environment, then what `login` stored in the
 * user's config file (client credentials and the last access token, mode 0600), then the local runtime.
 */

/** The local runtime's address (`npm start`). */
export const DEFAULT_API_URL = 'http://127.0.0.1:4000';

/** Refresh this long before a stored token expires, so it does not lapse mid-command. */
const EXPIRY_MARGIN_MS = 60_000;

const configSchema = z.object({
  api_url: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  token_url: z.string().optional(),
  scope: z.string().optional(),
  access_token: z.string().optional(),
  /** Epoch milliseconds. */
  expires_at: z.number().optional(),
});

export type StoredConfig = z.infer<typeof configSchema>;

/** `$XDG_CONFIG_HOME/event-stream/config.json`, else `~/.config/event-stream/config.json`. */
export const configFile = (env: NodeJS.ProcessEnv = process.env): string =>
  join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'event-stream', 'config.json');

/** The stored config; empty when there is none yet. */
export const readConfig = async (file = configFile()): Promise<StoredConfig> => {
  try {
    return configSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
  }
};

/** Writes the config readable by its owner only: it holds a client secret. */
export const writeConfig = async (config: StoredConfig, file = configFile()): Promise<void> => {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; an older, looser file is tightened too.
  await chmod(file, 0o600);
};

interface TokenAnswer {
  access_token: string;
  expires_in?: number;
}

/** The OAuth client-credentials grant (the stack's Cognito app client, or any RFC 6749 server). */
export const fetchClientCredentialsToken = async (credentials: {
  token_url: string;
  client_id: string;
  client_secret: string;
  scope?: string | undefined;
}): Promise<{ access_token: string; expires_at: number }> => {
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  if (credentials.scope) body.set('scope', credentials.scope);
  const basic = Buffer.from(
    `${encodeURIComponent(credentials.client_id)}:${encodeURIComponent(credentials.client_secret)}`,
  ).toString('base64');
  const response = await fetch(credentials.token_url, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`The token endpoint answered ${response.status}: ${text.slice(0, 300)}`);
  }
  const answer = JSON.parse(text) as TokenAnswer;
  if (typeof answer.access_token !== 'string') throw new Error('The token endpoint sent no access_token.');
  return { access_token: answer.access_token, expires_at: Date.now() + (answer.expires_in ?? 3600) * 1000 };
};

/**
 * The token from `login`'s stored credentials: the stored one while it is valid, else a new one (stored
 * for the next command). Undefined when nobody logged in.
 */
export const storedToken = async (file = configFile()): Promise<string | undefined> => {
  const config = await readConfig(file);
  if (config.access_token && (config.expires_at ?? 0) - EXPIRY_MARGIN_MS > Date.now())
    return config.access_token;
  if (!config.client_id || !config.client_secret || !config.token_url) return undefined;
  const fresh = await fetchClientCredentialsToken({
    token_url: config.token_url,
    client_id: config.client_id,
    client_secret: config.client_secret,
    scope: config.scope,
  });
  await writeConfig({ ...config, ...fresh }, file);
  return fresh.access_token;
};
