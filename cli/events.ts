import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { components, operations } from '../api/schema.ts';
import { ApiFailure, type CliContext, unwrap } from './context.ts';

/** `events publish` and `events query`. */

type PublishedEvent = components['schemas']['PublishedEvent'];
type EventQuery = NonNullable<operations['queryEvents']['parameters']['query']>;

/** The API's limit per request. */
export const EVENTS_PER_REQUEST = 100;
const MAX_TRIES = 6;

/**
 * Events from a file: a JSON array, the API's own publish body (`{"events": [...]}`, also pretty-printed), or
 * NDJSON (one event per line, blank lines skipped).
 */
export const parseEventsFile = (text: string, file: string): PublishedEvent[] => {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const events: unknown = JSON.parse(trimmed);
    if (!Array.isArray(events)) throw new Error(`${file}: expected a JSON array of events`);
    return events as PublishedEvent[];
  }
  const whole = parseWhole(trimmed);
  if (whole !== null && typeof whole === 'object' && 'events' in whole && Array.isArray(whole.events))
    return whole.events as PublishedEvent[];
  return trimmed
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, number }) => {
      try {
        return JSON.parse(line) as PublishedEvent;
      } catch (error) {
        throw new Error(`${file}:${number}: not JSON: ${(error as Error).message}`);
      }
    });
};

/** The file as one JSON value, or undefined when it is not one (NDJSON of several lines). */
const parseWhole = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Splits a list into chunks of `size`. */
export const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );

/**
 * How long to wait before try `attempt` + 1: Retry-After when the API sends one, else exponential backoff
 * with full jitter (0.5 s, 1 s, 2 s... capped at 20 s).
 */
export const backoffMs = (attempt: number, retryAfter: string | null, random = Math.random): number => {
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
  return Math.round(random() * Math.min(500 * 2 ** attempt, 20_000));
};

const retriable = (status: number): boolean => status === 429 || status >= 500;

const MAX_KEY_LENGTH = 255;

/**
 * The `Idempotency-Key` of each request of one `events publish`: the given key for a single request, else
 * `{key}-1`, `{key}-2`, ... Without a key, a random one per invocation, so the command's own retries of a
 * request that reached the API are answered with the first ids instead of publishing again. A request
 * whose events all carry their ids gets no key at all: the API keys it by those ids, which also catches
 * the same events published again by any later run (an explicit key would take their place).
 */
export const requestKeys = (
  batches: readonly (readonly PublishedEvent[])[],
  given: string | undefined,
  random: () => string = randomUUID,
): { base: string; keys: (string | undefined)[] } => {
  const base = given ?? `cli-${random()}`;
  const keys = batches.map((batch, index) => {
    if (batch.every((event) => event.id !== undefined)) return undefined;
    return batches.length === 1 ? base : `${base}-${index + 1}`;
  });
  const longest = keys.reduce((most, key) => Math.max(most, key?.length ?? 0), 0);
  if (given !== undefined && (!/^[\x20-\x7e]+$/.test(given) || longest > MAX_KEY_LENGTH)) {
    throw new Error(
      `--idempotency-key: must be printable ASCII, at most ${MAX_KEY_LENGTH} characters with the -{n} suffix of each request`,
    );
  }
  return { base, keys };
};

/** A failed run's error, saying how to finish the file without publishing an accepted request twice. */
const resumable = (error: Error, base: string, keys: readonly (string | undefined)[]): Error => {
  if (keys.every((key) => key === undefined)) return error;
  error.message += `\nRun again with --idempotency-key ${base} to publish the rest: requests already accepted are not published twice.`;
  return error;
};

/** Registers the event commands on `program`. */
export const registerEventCommands = (program: Command, cli: CliContext): void => {
  const events = program.command('events').description('publish events and query the 30-day event log');

  events
    .command('publish <file>')
    .description(
      `publish the events of a file (NDJSON, a JSON array or {"events": [...]}), ${EVENTS_PER_REQUEST} per request, retrying on 429 and 5xx`,
    )
    .option(
      '--idempotency-key <key>',
      'name the requests for 24 hours (request n of several: <key>-n), so running the command again publishes nothing twice; default a random key per run; requests whose events all carry an id are keyed by their ids instead',
    )
    .action(async (file: string, flags: { idempotencyKey?: string }) => {
      const all = parseEventsFile(await readFile(file, 'utf8'), file);
      if (all.length === 0) throw new Error(`${file} holds no events`);
      const batches = chunk(all, EVENTS_PER_REQUEST);
      const { base, keys } = requestKeys(batches, flags.idempotencyKey);
      const client = await cli.client();
      const bar = process.stderr.isTTY
        ? new SingleBar({ format: 'publishing [{bar}] {value}/{total} events', stream: process.stderr })
        : undefined;
      bar?.start(all.length, 0);
      const ids: string[] = [];
      let requests = 0;
      try {
        for (const [index, batch] of batches.entries()) {
          const key = keys[index];
          const headers = key === undefined ? {} : { 'Idempotency-Key': key };
          for (let attempt = 0; ; attempt += 1) {
            requests += 1;
            const result = await client
              .POST('/api/v1/org/events', { body: { events: batch }, params: { header: headers } })
              .catch((error: unknown) => ({ failure: error as Error }));
            if ('failure' in result) {
              // The connection failed: the API may or may not have taken the batch; its key (or its
              // events' ids) makes a resend safe.
              if (attempt + 1 >= MAX_TRIES) throw resumable(result.failure, base, keys);
              await sleep(backoffMs(attempt, null));
              continue;
            }
            const { data, error, response } = result;
            if (response.ok && data) {
              ids.push(...data.ids);
              break;
            }
            if (!retriable(response.status) || attempt + 1 >= MAX_TRIES)
              throw resumable(new ApiFailure(response.status, error), base, keys);
            await sleep(backoffMs(attempt, response.headers.get('retry-after')));
          }
          bar?.update(ids.length);
        }
      } finally {
        bar?.stop();
      }
      cli.print(
        { published: ids.length, requests, ids },
        { rows: [{ published: ids.length, requests }], columns: ['published', 'requests'] },
      );
    });

  events
    .command('query')
    .description('events of the last 30 days, oldest first')
    .option('--name <event_name>', 'only events of this name, such as order.created')
    .option('--entity <entity>', 'only events of this entity, such as order')
    .option('--entity-id <id>', 'only events about this entity, such as an order id')
    .option('--from <time>', 'received from (RFC 3339 or epoch ms)')
    .option('--to <time>', 'received until (RFC 3339 or epoch ms)')
    .option('--include-payload', "include each event's payload")
    .option('--limit <n>', 'events per page, 1..500')
    .option('--next-token <token>', 'the next_token of the previous page')
    .action(
      async (flags: {
        name?: string;
        entity?: string;
        entityId?: string;
        from?: string;
        to?: string;
        includePayload?: boolean;
        limit?: string;
        nextToken?: string;
      }) => {
        const query: EventQuery = {
          ...(flags.name && { name: flags.name }),
          ...(flags.entity && { entity: flags.entity }),
          ...(flags.entityId && { entity_id: flags.entityId }),
          ...(flags.from && { from: flags.from }),
          ...(flags.to && { to: flags.to }),
          ...(flags.includePayload && { include_payload: 'true' }),
          ...(flags.limit && { limit: flags.limit }),
          ...(flags.nextToken && { next_token: flags.nextToken }),
        };
        const client = await cli.client();
        const page = await unwrap(client.GET('/api/v1/org/events', { params: { query } }));
        cli.print(page, {
          rows: page.events,
          columns: ['received_at', 'id', 'name', 'entity_id', 'published_at'],
        });
        if (cli.format() === 'table' && page.next_token)
          console.log(`next page: --next-token ${page.next_token}`);
      },
    );
};
