import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../shared/config.ts';
import { type ConsoleConfigBody, createConsoleHandler } from './handler.ts';

/**
 * Entry point of the console function. The stack builds the console and copies its files next to this
 * module's bundle (lib/console.ts); its settings say how operators sign in.
 */

const FILES = ['index.html', 'console.js', 'console.css'];

const config = parseConfig('lambdas/handlers/console/index.ts', process.env);

const signIn: ConsoleConfigBody =
  config.CONSOLE_AUTH_ISSUER && config.CONSOLE_AUTH_DOMAIN && config.CONSOLE_CLIENT_ID
    ? {
        auth: 'cognito',
        issuer: config.CONSOLE_AUTH_ISSUER,
        domain: config.CONSOLE_AUTH_DOMAIN,
        clientId: config.CONSOLE_CLIENT_ID,
        scopes: (config.CONSOLE_SCOPES ?? '').split(' ').filter(Boolean),
      }
    : // An external identity provider: operators paste a token it issued.
      { auth: 'token' };

export const handler = createConsoleHandler({
  assets: () =>
    new Map(FILES.map((name) => [name, readFileSync(fileURLToPath(new URL(`./${name}`, import.meta.url)))])),
  config: signIn,
});
