import type { Command } from 'commander';
import { createEventStreamClient, type EventStreamClient } from '../api/client.ts';
import { loadLocalAuth } from '../local/auth.ts';
import { SIGNING_KEY_FILE } from '../local/paths.ts';
import { type OutputFormat, printValue, type TableView } from './output.ts';
import { DEFAULT_API_URL, readConfig, storedToken } from './settings.ts';

/** What every command needs: a client for the chosen deployment, and how to print. */
export interface CliContext {
  client(): Promise<EventStreamClient>;
  apiUrl(): Promise<string>;
  format(): OutputFormat;
  print(value: unknown, table?: TableView): void;
}

/** An answer of the API other than 2xx: its message (and field) is what the user sees. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const error = (body ?? {}) as { error_code?: string; message?: string; field?: string };
    const detail = error.message ?? `HTTP ${status}`;
    super(
      `${detail}${error.field ? ` (field: ${error.field})` : ''} [${status}${error.error_code ? ` ${error.error_code}` : ''}]`,
    );
  }
}

/** The data of a 2xx answer; an ApiFailure for anything else. */
export const unwrap = async <T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<NonNullable<T>> => {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiFailure(response.status, error);
  return data as NonNullable<T>;
};

interface GlobalOptions {
  apiUrl?: string;
  token?: string;
  output?: OutputFormat;
}

const isLoopback = (url: string): boolean => {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
};

/** The context of the running command, from the global options (read when the action runs). */
export const contextOf = (program: Command): CliContext => {
  const options = () => program.opts<GlobalOptions>();
  const apiUrl = async () =>
    options().apiUrl ?? process.env.EVENT_STREAM_API_URL ?? (await readConfig()).api_url ?? DEFAULT_API_URL;
  const format = (): OutputFormat => options().output ?? (process.stdout.isTTY ? 'table' : 'json');

  /**
   * `--token`, `EVENT_STREAM_TOKEN`, the token of `login`; without any of these, against the local runtime,
   * a token signed with its key in `.local/` (as `npm run token` issues).
   */
  const token = async (url: string): Promise<string | undefined> => {
    const given = options().token ?? process.env.EVENT_STREAM_TOKEN;
    if (given) return given;
    const stored = await storedToken();
    if (stored) return stored;
    if (isLoopback(url)) return (await loadLocalAuth(SIGNING_KEY_FILE)).issueToken();
    return undefined;
  };

  return {
    apiUrl,
    format,
    client: async () => {
      const url = await apiUrl();
      const value = await token(url);
      return createEventStreamClient({ baseUrl: url, token: () => value });
    },
    print: (value, table) => printValue(format(), value, table),
  };
};
