import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import type { Command } from 'commander';
import { type CliContext, unwrap } from './context.ts';

/** `event-types list` and `event-types schema get|put|delete`: the event catalog. */

const SCHEMA_PATH = '/api/v1/org/event_types/{name}/schema' as const;

/** A JSON Schema from a file, or from standard input when the file is `-` or not given. */
export const readSchemaFile = async (file: string | undefined): Promise<unknown> => {
  const source = file === undefined || file === '-' ? 'standard input' : file;
  const content = source === 'standard input' ? await text(process.stdin) : await readFile(source, 'utf8');
  try {
    return JSON.parse(content);
  } catch (error) {
    throw new Error(`${source}: not JSON: ${(error as Error).message}`);
  }
};

/** Registers the catalog commands on `program`. */
export const registerEventTypeCommands = (program: Command, cli: CliContext): void => {
  const types = program
    .command('event-types')
    .description('the event names seen in the last 30 days, and the JSON Schema of a name');

  types
    .command('list')
    .description('every event name seen in the last 30 days, and every name with a schema')
    .action(async () => {
      const client = await cli.client();
      const { event_types: list } = await unwrap(client.GET('/api/v1/org/event_types'));
      cli.print(list, { rows: list, columns: ['name', 'entity', 'first_seen', 'last_seen', 'has_schema'] });
    });

  const schema = types
    .command('schema')
    .description('the JSON Schema (draft 2020-12) payloads of an event name are checked against');
  const path = (name: string) => ({ params: { path: { name } } });

  schema
    .command('get <name>')
    .description("an event name's schema")
    .action(async (name: string) => {
      const client = await cli.client();
      const stored = await unwrap(client.GET(SCHEMA_PATH, path(name)));
      // The schema itself on a terminal too: it is what one saves to a file and edits.
      if (cli.format() === 'table') console.log(JSON.stringify(stored.schema, null, 2));
      else cli.print(stored);
    });

  schema
    .command('put <name> [file]')
    .description('set the schema of an event name from a JSON file (standard input without one)')
    .action(async (name: string, file: string | undefined) => {
      const body = { schema: (await readSchemaFile(file)) as Record<string, unknown> | boolean };
      const client = await cli.client();
      const stored = await unwrap(client.PUT(SCHEMA_PATH, { ...path(name), body }));
      cli.print(stored, {
        rows: [stored],
        columns: ['name', 'version', 'updated_at'],
      });
    });

  schema
    .command('delete <name>')
    .description('stop checking payloads of an event name')
    .action(async (name: string) => {
      const client = await cli.client();
      await unwrap(client.DELETE(SCHEMA_PATH, path(name)));
      cli.print({});
    });
};
