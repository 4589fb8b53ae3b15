import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import type { components } from '../api/schema.ts';
import { type CliContext, unwrap } from './context.ts';

/** `integrations ...`, `logs` and `replay`: managing integrations. */

type RegisterBody = components['schemas']['RegisterIntegration'];
type UpdateBody = components['schemas']['UpdateIntegration'];
type CallbackView = components['schemas']['CallbackParametersView'];

const BY_ID = '/api/v1/org/integrations/eventstream/{integration_id}' as const;
const INTEGRATION_COLUMNS = [
  'id',
  'status',
  'integration_type',
  'destination',
  'ordering',
  'rate_limit',
  'starts_at',
  'ends_at',
];

/** Collects a repeatable option into a list. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

interface DestinationFlags {
  url?: string;
  apiKey?: string;
  ratePerSecond?: number;
  maxInFlight?: number;
  ordering?: string;
  bucket?: string;
  prefix?: string;
  region?: string;
  roleArn?: string;
  externalId?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  event?: string[];
  entity?: string[];
}

/** The destination and filter options shared by create, update and replay. */
const destinationOptions = (command: Command): Command =>
  command
    .option('--url <callback_url>', 'webhook: where events are POSTed')
    .option('--api-key <key>', 'webhook: sent as Authorization: Bearer <key>')
    .option('--rate-per-second <n>', 'webhook: most requests per second (1..1000)', Number)
    .option('--max-in-flight <n>', 'webhook: most requests open at once (1..100)', Number)
    .addOption(
      new Option(
        '--ordering <ordering>',
        'webhook: entity sends the events of one entity_id one at a time, in publish order',
      ).choices(['none', 'entity']),
    )
    .option('--bucket <bucket>', 'S3 export: the bucket')
    .option('--prefix <key_prefix>', 'S3 export: the key prefix')
    .option('--region <aws_region>', 'S3 export: the bucket region', 'us-east-1')
    .option('--role-arn <arn>', 'S3 export: a role to assume (with --external-id)')
    .option('--external-id <id>', 'S3 export: the external id of --role-arn')
    .option('--access-key-id <id>', 'S3 export: access key id (with --secret-access-key)')
    .option('--secret-access-key <secret>', 'S3 export: secret access key')
    .option('--event <name>', 'deliver only this event (repeatable), such as order.created', collect)
    .option('--entity <name>', 'deliver only events of this entity (repeatable), such as order', collect);

/** The webhook options that only make sense with --url (a PATCH replaces callback_parameters as a whole). */
const WEBHOOK_FLAGS = [
  ['apiKey', '--api-key'],
  ['ratePerSecond', '--rate-per-second'],
  ['maxInFlight', '--max-in-flight'],
  ['ordering', '--ordering'],
] as const;

/** The request body's destination and filters from the flags; webhook options without --url are refused. */
export const destinationOf = (flags: DestinationFlags): Record<string, unknown> => {
  const body: Record<string, unknown> = {};
  const orphans = WEBHOOK_FLAGS.filter(([flag]) => !flags.url && flags[flag] !== undefined);
  if (orphans.length > 0) {
    throw new Error(
      `${orphans.map(([, option]) => option).join(', ')} ${orphans.length === 1 ? 'needs' : 'need'} --url: ` +
        'callback_parameters is sent as a whole',
    );
  }
  if (flags.url) {
    const rateLimit = {
      ...(flags.ratePerSecond !== undefined && { per_second: flags.ratePerSecond }),
      ...(flags.maxInFlight !== undefined && { max_in_flight: flags.maxInFlight }),
    };
    body.callback_parameters = {
      callback_url: flags.url,
      ...(flags.apiKey && { api_key: flags.apiKey }),
      ...(Object.keys(rateLimit).length > 0 && { rate_limit: rateLimit }),
      ...(flags.ordering && { ordering: flags.ordering }),
    };
  }
  if (flags.bucket) {
    body.s3_parameters = {
      bucket: flags.bucket,
      key_prefix: flags.prefix ?? '',
      aws_region: flags.region,
      ...(flags.roleArn && { role_arn: flags.roleArn }),
      ...(flags.externalId && { external_id: flags.externalId }),
      ...(flags.accessKeyId && { aws_access_key_id: flags.accessKeyId }),
      ...(flags.secretAccessKey && { aws_secret_access_key: flags.secretAccessKey }),
    };
  }
  if (flags.event?.length || flags.entity?.length) {
    body.filter_conditions = {
      ...(flags.event?.length && { event_filter: flags.event }),
      ...(flags.entity?.length && { entity_filter: flags.entity }),
    };
  }
  return body;
};

const readJsonFile = async (file: string): Promise<Record<string, unknown>> => {
  const value: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${file} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
};

type Row = Record<string, unknown>;

/** `5/s, 2 in flight`; `none` without a limit. */
export const rateLimitText = (limit: CallbackView['rate_limit']): string =>
  [
    limit?.per_second !== undefined && `${limit.per_second}/s`,
    limit?.max_in_flight !== undefined && `${limit.max_in_flight} in flight`,
  ]
    .filter(Boolean)
    .join(', ') || 'none';

/** A webhook's ordering and rate limit as a field each (nothing for S3), for the table output. */
const webhookSettings = (integration: Row): Row => {
  const callback = integration.callback_parameters as CallbackView | undefined;
  return callback
    ? { ordering: callback.ordering ?? 'none', rate_limit: rateLimitText(callback.rate_limit) }
    : {};
};

/** An integration as a row of `integrations list`. */
export const integrationRow = (integration: Row): Row => {
  const callback = integration.callback_parameters as Row | undefined;
  const s3 = integration.s3_parameters as Row | undefined;
  return {
    ...integration,
    destination: callback ? callback.callback_url : s3 ? `s3://${s3.bucket}/${s3.key_prefix}` : '',
    ...webhookSettings(integration),
  };
};

/** Registers the integration commands on `program`. */
export const registerIntegrationCommands = (program: Command, cli: CliContext): void => {
  const integrations = program.command('integrations').description('register and manage integrations');
  const byId = (id: string) => ({ params: { path: { integration_id: id } } });

  integrations
    .command('list')
    .description('list every integration')
    .action(async () => {
      const client = await cli.client();
      const { integrations: list } = await unwrap(client.GET('/api/v1/org/integrations/eventstream'));
      cli.print(list, { rows: list.map(integrationRow), columns: INTEGRATION_COLUMNS });
    });

  integrations
    .command('get <id>')
    .description('show one integration (secrets masked)')
    .action(async (id: string) => {
      const client = await cli.client();
      const integration = await unwrap(client.GET(BY_ID, byId(id)));
      // On a terminal, the webhook's ordering and rate limit in a line each too (JSON: the API's answer as is).
      cli.print(cli.format() === 'table' ? { ...integration, ...webhookSettings(integration) } : integration);
    });

  destinationOptions(
    integrations
      .command('create')
      .description(
        'register an integration (it starts at once): --file <json>, or flags for the common fields',
      )
      .option('--file <json>', 'the registration body as a JSON file (flags override its fields)')
      .option('--id <id>', 'the integration id: lowercase letters, digits and dashes')
      .option('--type <type>', 'permanent or temporary')
      .option('--starts-at <time>', 'deliver events from this time (RFC 3339)')
      .option('--ends-at <time>', 'temporary: the end of the replay (RFC 3339)'),
  ).action(
    async (
      flags: DestinationFlags & {
        file?: string;
        id?: string;
        type?: string;
        startsAt?: string;
        endsAt?: string;
      },
    ) => {
      const body = {
        ...(flags.file ? await readJsonFile(flags.file) : { integration_type: 'permanent' }),
        ...(flags.id && { id: flags.id }),
        ...(flags.type && { integration_type: flags.type }),
        ...(flags.startsAt && { starts_at: flags.startsAt }),
        ...(flags.endsAt && { ends_at: flags.endsAt }),
        ...destinationOf(flags),
      };
      const client = await cli.client();
      cli.print(
        await unwrap(client.POST('/api/v1/org/integrations/eventstream', { body: body as RegisterBody })),
      );
    },
  );

  destinationOptions(
    integrations
      .command('update <id>')
      .description('change the destination or filters of a stopped integration: --file <json> or flags')
      .option('--file <json>', 'the update body as a JSON file (flags override its fields)'),
  ).action(async (id: string, flags: DestinationFlags & { file?: string }) => {
    // --region has a default for create; an update sends S3 fields only when --bucket is given.
    const body = { ...(flags.file ? await readJsonFile(flags.file) : {}), ...destinationOf(flags) };
    const client = await cli.client();
    cli.print(await unwrap(client.PATCH(BY_ID, { ...byId(id), body: body as UpdateBody })));
  });

  integrations
    .command('delete <id>')
    .description('delete an integration with its log, rejected events and secrets')
    .action(async (id: string) => {
      const client = await cli.client();
      cli.print(await unwrap(client.DELETE(BY_ID, byId(id))));
    });

  integrations
    .command('start <id>')
    .description('start delivering (catches up on what was published while stopped)')
    .action(async (id: string) => {
      const client = await cli.client();
      cli.print(await unwrap(client.POST(`${BY_ID}/_start`, byId(id))));
    });

  integrations
    .command('stop <id>')
    .description('stop delivering')
    .action(async (id: string) => {
      const client = await cli.client();
      cli.print(await unwrap(client.POST(`${BY_ID}/_stop`, byId(id))));
    });

  integrations
    .command('test <id>')
    .description('send a test event (webhook) or write a test object (S3) now')
    .action(async (id: string) => {
      const client = await cli.client();
      cli.print(await unwrap(client.POST(`${BY_ID}/_test`, byId(id))));
    });

  program
    .command('logs <id>')
    .description("an integration's last 50 log entries, newest first")
    .action(async (id: string) => {
      const client = await cli.client();
      const { entries } = await unwrap(client.GET(`${BY_ID}/logs`, byId(id)));
      cli.print(entries, { rows: entries, columns: ['created_at', 'action', 'reason'] });
    });

  destinationOptions(
    program
      .command('replay <id>')
      .description(
        'replay a period to a destination: registers a temporary integration <id> that sends the events ' +
          'between --from and --to, then stops and deletes itself',
      )
      .requiredOption('--from <time>', 'start of the period (RFC 3339)')
      .requiredOption('--to <time>', 'end of the period (RFC 3339)'),
  ).action(async (id: string, flags: DestinationFlags & { from: string; to: string }) => {
    if (!flags.url && !flags.bucket)
      throw new Error('replay needs a destination: --url <callback> or --bucket <b> --prefix <p>');
    const body = {
      id,
      integration_type: 'temporary',
      starts_at: flags.from,
      ends_at: flags.to,
      ...destinationOf(flags),
    };
    const client = await cli.client();
    cli.print(
      await unwrap(client.POST('/api/v1/org/integrations/eventstream', { body: body as RegisterBody })),
    );
  });
};
