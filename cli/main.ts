import { Command, Option } from 'commander';
import { registerAuthCommands } from './auth.ts';
import { contextOf } from './context.ts';
import { registerEventTypeCommands } from './event-types.ts';
import { registerEventCommands } from './events.ts';
import { registerHistoryCommands } from './history.ts';
import { registerIntegrationCommands } from './integrations.ts';
import { DEFAULT_API_URL } from './settings.ts';

/**
 * `event-stream`: the REST API from a terminal, through the typed client. Any 4xx/5xx exits 1 with the
 * API's message (and the field at fault).
 */
const program = new Command('event-stream')
  .description('Manage an Event Stream deployment: integrations, events, event types, deliveries.')
  .option(
    '--api-url <url>',
    `the server root (env EVENT_STREAM_API_URL; default the local runtime, ${DEFAULT_API_URL})`,
  )
  .option('--token <jwt>', 'an access token (env EVENT_STREAM_TOKEN; default the one `login` stored)')
  .addOption(
    new Option('--output <format>', 'table (default on a terminal) or json').choices(['table', 'json']),
  )
  .showHelpAfterError();

const cli = contextOf(program);
registerIntegrationCommands(program, cli);
registerHistoryCommands(program, cli);
registerEventCommands(program, cli);
registerEventTypeCommands(program, cli);
registerAuthCommands(program, cli);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
