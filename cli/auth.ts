import type { Command } from 'commander';
import { loadLocalAuth, parseScopes } from '../local/auth.ts';
import { SIGNING_KEY_FILE } from '../local/paths.ts';
import type { CliContext } from './context.ts';
import { configFile, fetchClientCredentialsToken, readConfig, writeConfig } from './settings.ts';

/** `login` (a deployment's client credentials) and `token` (the local runtime's). */

/** Registers the auth commands on `program`. */
export const registerAuthCommands = (program: Command, cli: CliContext): void => {
  program
    .command('login')
    .description(
      "store a deployment's client credentials (the stack outputs) in your config and fetch a token; " +
        'later commands refresh it when it expires',
    )
    .requiredOption('--client-id <id>', 'the app client id (stack output AuthClientId)')
    .option('--client-secret <secret>', 'the app client secret (or EVENT_STREAM_CLIENT_SECRET)')
    .requiredOption('--token-url <url>', 'the OAuth token URL (stack output AuthTokenUrl)')
    .option('--scope <scopes>', 'space-separated scopes to ask for (default: all the client may have)')
    .action(async (flags: { clientId: string; clientSecret?: string; tokenUrl: string; scope?: string }) => {
      const clientSecret = flags.clientSecret ?? process.env.EVENT_STREAM_CLIENT_SECRET;
      if (!clientSecret) throw new Error('--client-secret or EVENT_STREAM_CLIENT_SECRET is required');
      const credentials = {
        client_id: flags.clientId,
        client_secret: clientSecret,
        token_url: flags.tokenUrl,
        ...(flags.scope && { scope: flags.scope }),
      };
      const token = await fetchClientCredentialsToken(credentials);
      const apiUrl = program.opts<{ apiUrl?: string }>().apiUrl;
      const file = configFile();
      await writeConfig({
        ...(await readConfig(file)),
        ...credentials,
        ...token,
        ...(apiUrl && { api_url: apiUrl }),
      });
      // Never the secret: only where it is kept.
      cli.print({
        logged_in: true,
        client_id: flags.clientId,
        token_expires_at: new Date(token.expires_at).toISOString(),
        config: file,
      });
    });

  program
    .command('token')
    .description('print an access token for the local runtime (signed with its key in .local/)')
    .option(
      '--scope <scope>',
      'a scope to grant (repeatable; default all)',
      (value, previous: string[] = []) => [...previous, value],
    )
    .option('--expires <seconds>', 'lifetime in seconds', '3600')
    .action(async (flags: { scope?: string[]; expires: string }) => {
      const expiresIn = Number(flags.expires);
      if (!Number.isInteger(expiresIn) || expiresIn <= 0)
        throw new Error('--expires takes a number of seconds');
      const auth = await loadLocalAuth(SIGNING_KEY_FILE);
      console.log(await auth.issueToken({ scopes: parseScopes(flags.scope), expiresIn }));
    });
};
