import { parseArgs } from 'node:util';
import { loadLocalAuth, parseScopes } from './auth.ts';
import { SIGNING_KEY_FILE } from './paths.ts';

/**
 * `npm run -s token [-- --scope eventstream/read --scope eventstream/write] [--expires 3600]`: prints an access
 * token for the local API as the last line, signed with the key in `.local/` (created if absent), so it works
 * before and while `npm start` runs.
 */
const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      scope: { type: 'string', multiple: true },
      expires: { type: 'string', default: '3600' },
    },
  });
  const expiresIn = Number(values.expires);
  if (!Number.isInteger(expiresIn) || expiresIn <= 0) throw new Error('--expires takes a number of seconds');
  const scopes = parseScopes(values.scope);
  const auth = await loadLocalAuth(SIGNING_KEY_FILE);
  console.log(await auth.issueToken({ scopes, expiresIn }));
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
