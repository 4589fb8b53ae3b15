import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { components, operations } from '../api/schema.ts';
import { type CliContext, unwrap } from './context.ts';
import { formatTable } from './output.ts';

/** `rejected ...`, `deliveries ...` and `tail`: what happened to the events of an integration. */

type Delivery = components['schemas']['Delivery'];
type DeliveryQuery = NonNullable<operations['listDeliveries']['parameters']['query']>;
type OrgDeliveryQuery = NonNullable<operations['listOrgDeliveries']['parameters']['query']>;

const BY_ID = '/api/v1/org/integrations/eventstream/{integration_id}' as const;
const DELIVERY_COLUMNS = [
  'received_at',
  'event_id',
  'name',
  'entity_id',
  'status',
  'attempt_count',
  'last_status',
  'last_error',
];

const ORG_DELIVERY_COLUMNS = [
  'received_at',
  'integration_id',
  'target',
  'event_id',
  'event_name',
  'entity_id',
  'status',
  'attempts',
  'status_code',
  'file',
];

const deliveryRow = (delivery: Delivery): Record<string, unknown> => ({
  ...delivery,
  last_status: delivery.last_attempt?.status_code,
  last_error: delivery.last_attempt?.error,
});

interface DeliveryFlags {
  status?: DeliveryQuery['status'];
  name?: string;
  entityId?: string;
  from?: string;
  to?: string;
  includePayload?: boolean;
  includeAttempts?: boolean;
  limit?: string;
  nextToken?: string;
}

const deliveryQuery = (flags: DeliveryFlags): DeliveryQuery => ({
  ...(flags.status && { status: flags.status }),
  ...(flags.name && { name: flags.name }),
  ...(flags.entityId && { entity_id: flags.entityId }),
  ...(flags.from && { from: flags.from }),
  ...(flags.to && { to: flags.to }),
  ...(flags.includePayload && { include_payload: 'true' }),
  ...(flags.includeAttempts && { include_attempts: 'true' }),
  ...(flags.limit && { limit: flags.limit }),
  ...(flags.nextToken && { next_token: flags.nextToken }),
});

/** Registers the history commands on `program`. */
export const registerHistoryCommands = (program: Command, cli: CliContext): void => {
  const path = (id: string) => ({ integration_id: id });
  const event = (id: string, eventId: string) => ({ integration_id: id, event_id: eventId });

  const rejected = program.command('rejected').description('events a receiver refused with HTTP 400');
  rejected
    .command('list <id>')
    .description('the last 30 rejected events of an integration')
    .action(async (id: string) => {
      const client = await cli.client();
      const { rejected_events: list } = await unwrap(
        client.GET(`${BY_ID}/rejected_events`, { params: { path: path(id) } }),
      );
      cli.print(list, { rows: list, columns: ['created_at', 'id'] });
    });
  rejected
    .command('get <id> <event>')
    .description('one rejected event, as the receiver got it')
    .action(async (id: string, eventId: string) => {
      const client = await cli.client();
      cli.print(
        await unwrap(
          client.GET(`${BY_ID}/rejected_events/{event_id}`, { params: { path: event(id, eventId) } }),
        ),
      );
    });
  rejected
    .command('delete <id> <event>')
    .description('remove a handled event from the list')
    .action(async (id: string, eventId: string) => {
      const client = await cli.client();
      cli.print(
        await unwrap(
          client.DELETE(`${BY_ID}/rejected_events/{event_id}`, { params: { path: event(id, eventId) } }),
        ),
      );
    });
  rejected
    .command('retry <id> <event>')
    .description('send it to the receiver again now')
    .action(async (id: string, eventId: string) => {
      const client = await cli.client();
      cli.print(
        await unwrap(
          client.POST(`${BY_ID}/rejected_events/{event_id}/_retry`, { params: { path: event(id, eventId) } }),
        ),
      );
    });

  const deliveries = program
    .command('deliveries')
    .description('delivery history (30 days): of an integration, or of all of them');
  deliveries
    .command('list <id>')
    .description('one page of deliveries, newest first')
    .option('--status <status>', 'pending, delivered, rejected or failed')
    .option('--name <event_name>', 'only events of this name')
    .option('--entity-id <id>', 'only events about this entity, such as an order id')
    .option('--from <time>', 'received from (RFC 3339 or epoch ms)')
    .option('--to <time>', 'received until (RFC 3339 or epoch ms)')
    .option('--include-payload', 'include each event')
    .option('--include-attempts', 'include every attempt')
    .option('--limit <n>', 'deliveries per page, 1..200')
    .option('--next-token <token>', 'the next_token of the previous page')
    .action(async (id: string, flags: DeliveryFlags) => {
      const client = await cli.client();
      const page = await unwrap(
        client.GET(`${BY_ID}/deliveries`, { params: { path: path(id), query: deliveryQuery(flags) } }),
      );
      cli.print(page, { rows: page.deliveries.map(deliveryRow), columns: DELIVERY_COLUMNS });
      if (cli.format() === 'table' && page.next_token)
        console.log(`next page: --next-token ${page.next_token}`);
    });
  deliveries
    .command('search')
    .description(
      'deliveries of every integration, newest event first: --entity-id 1234 says what happened to order 1234',
    )
    .option('--integration <id>', 'only the deliveries of this integration')
    .option('--status <status>', 'pending, delivered, rejected or failed')
    .option('--name <event_name>', 'only events of this name')
    .option('--entity <entity>', 'only events of this entity type, such as order')
    .option('--entity-id <id>', 'only events about this entity, such as an order id')
    .option('--from <time>', 'received from (RFC 3339 or epoch ms)')
    .option('--to <time>', 'received until (RFC 3339 or epoch ms)')
    .option('--limit <n>', 'deliveries per page, 1..200')
    .option('--next-token <token>', 'the next_token of the previous page')
    .action(async (flags: DeliveryFlags & { integration?: string; entity?: string }) => {
      const client = await cli.client();
      const query: OrgDeliveryQuery = {
        ...(flags.integration && { integration_id: flags.integration }),
        ...(flags.status && { status: flags.status }),
        ...(flags.name && { event_name: flags.name }),
        ...(flags.entity && { entity: flags.entity }),
        ...(flags.entityId && { entity_id: flags.entityId }),
        ...(flags.from && { from: flags.from }),
        ...(flags.to && { to: flags.to }),
        ...(flags.limit && { limit: flags.limit }),
        ...(flags.nextToken && { next_token: flags.nextToken }),
      };
      const page = await unwrap(client.GET('/api/v1/org/deliveries', { params: { query } }));
      cli.print(page, { rows: page.deliveries, columns: ORG_DELIVERY_COLUMNS });
      if (cli.format() === 'table' && page.next_token)
        console.log(`next page: --next-token ${page.next_token}`);
    });
  deliveries
    .command('retry <id> <event> <received_at>')
    .description("send one event to the webhook again now (its received_at as 'deliveries list' shows it)")
    .action(async (id: string, eventId: string, receivedAt: string) => {
      const client = await cli.client();
      cli.print(
        await unwrap(
          client.POST(`${BY_ID}/deliveries/{event_id}/_retry`, {
            params: { path: event(id, eventId), query: { received_at: receivedAt } },
          }),
        ),
      );
    });

  program
    .command('tail <id>')
    .description('print deliveries as they happen (new ones and changes of state) until Ctrl-C')
    .option('--interval <ms>', 'how often to poll', '2000')
    .option('--status <status>', 'only deliveries in this state')
    .action(async (id: string, flags: { interval: string; status?: DeliveryQuery['status'] }) => {
      const client = await cli.client();
      const interval = Number(flags.interval);
      if (!Number.isFinite(interval) || interval < 100)
        throw new Error('--interval takes milliseconds (>= 100)');
      const seen = new Map<string, string>();
      const query: DeliveryQuery = { limit: '200', ...(flags.status && { status: flags.status }) };
      let first = true;
      process.once('SIGINT', () => process.exit(0));
      for (;;) {
        const page = await unwrap(client.GET(`${BY_ID}/deliveries`, { params: { path: path(id), query } }));
        // Newest first from the API; printed oldest first, like a log.
        const changed = page.deliveries
          .filter((delivery) => {
            const state = `${delivery.status}|${delivery.attempt_count}`;
            const before = seen.get(delivery.event_id);
            seen.set(delivery.event_id, state);
            return !first && before !== state;
          })
          .reverse();
        for (const delivery of changed) {
          if (cli.format() === 'json') console.log(JSON.stringify(delivery));
          else
            console.log(
              formatTable({ rows: [deliveryRow(delivery)], columns: DELIVERY_COLUMNS }).split('\n')[1],
            );
        }
        // On stderr, so JSON lines on stdout stay clean.
        if (first) console.error(`Watching ${id}; Ctrl-C to stop.`);
        first = false;
        await sleep(interval);
      }
    });
};
