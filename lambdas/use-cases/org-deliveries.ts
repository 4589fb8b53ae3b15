import type { OrgDeliveryView } from '../domain/api-responses.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { LoggedEvent } from '../domain/event.ts';
import { entityOf } from '../domain/event-names.ts';
import type { DeliveryRecord, Integration } from '../domain/integration.ts';
import { orgDeliveryQuerySchema, resolveRange } from '../domain/list-queries.ts';
import { decodePageToken, encodePageToken, queryFingerprint } from '../domain/page-token.ts';
import {
  DELIVERY_HISTORY_SHARDS,
  type DeliveryHistory,
  type DeliveryRangeQuery,
} from '../domain/ports/deliveries.ts';
import type { EntityEvents } from '../domain/ports/events.ts';
import type { IntegrationRepository } from '../domain/ports/integrations.ts';
import type { Clock } from '../domain/ports/platform.ts';
import { readMerged, type ShardCursor } from '../domain/sharded-merge.ts';
import { parseRequest } from '../domain/validate.ts';

export interface OrgDeliveriesDeps {
  integrations: Pick<IntegrationRepository, 'list'>;
  history: Pick<DeliveryHistory, 'readShard' | 'get'>;
  entityEvents: EntityEvents;
  clock: Clock;
  retentionDays: number;
  /** Key that MACs page tokens. */
  tokenKey: string;
}

type Query = Record<string, string | undefined>;
type Found = { integration: Integration; record: DeliveryRecord };

/**
 * The deliveries of every integration in one list, newest event first: NewStore's observability view and
 * the support question "did the ERP get everything for order 1234?" in one call. With `entity_id` and the
 * entity index, the entity's events are read from the index and each one's record looked up per
 * integration; otherwise every integration's history shards are merged (each integration adds 8 reads to
 * a page, and a filter that matches little makes several pages).
 */
export class OrgDeliveries {
  constructor(private readonly deps: OrgDeliveriesDeps) {}

  async list(query: Query): Promise<{ deliveries: OrgDeliveryView[]; next_token?: string }> {
    const params = parseRequest(orgDeliveryQuerySchema(), query, 'query');
    const range = resolveRange(params.from, params.to, this.deps.clock.now(), this.deps.retentionDays);
    const integrations = await this.integrationsOf(params.integration_id);
    if (range.from > range.to || integrations.length === 0) return { deliveries: [] };
    const byIndex = params.entity_id !== undefined && this.deps.entityEvents.indexed;
    const { next_token: token, ...rest } = params;
    const fingerprint = queryFingerprint({ ...rest, kind: 'org-deliveries', byIndex });
    const cursor = token ? decodePageToken(this.deps.tokenKey, fingerprint, token) : undefined;
    const filters = {
      ...range,
      ...(params.status && { status: params.status }),
      ...(params.event_name && { name: params.event_name }),
      ...(params.entity && { entity: params.entity }),
    };
    const page =
      byIndex && params.entity_id
        ? await this.byEntity(integrations, params.entity_id, filters, cursor, params.limit)
        : await this.merged(
            integrations,
            { ...filters, ...(params.entity_id && { entityId: params.entity_id }) },
            cursor,
            params.limit,
          );
    return {
      deliveries: page.items.map(view),
      ...(page.cursor && { next_token: encodePageToken(this.deps.tokenKey, fingerprint, page.cursor) }),
    };
  }

  private async integrationsOf(id: string | undefined): Promise<Integration[]> {
    const all = (await this.deps.integrations.list()).sort((a, b) => (a.id < b.id ? -1 : 1));
    if (id === undefined) return all;
    const one = all.filter((integration) => integration.id === id);
    if (one.length === 0) throw new NotFoundError(`Integration ${id} not found.`);
    return one;
  }

  /**
   * Every integration's history shards merged newest first. Each shard's keys get its name appended, so
   * keys are unique across shards and one position continues them all: the token stays small however
   * many integrations there are, and one registered or deleted between pages shifts nothing.
   */
  private async merged(
    integrations: readonly Integration[],
    filters: DeliveryRangeQuery,
    cursor: ShardCursor | undefined,
    limit: number,
  ): Promise<{ items: Found[]; cursor?: ShardCursor }> {
    const shards = integrations.flatMap((integration) =>
      Array.from({ length: DELIVERY_HISTORY_SHARDS }, (_, shard) => ({
        integration,
        shard,
        name: `${integration.id}@${integration.created_at}#${shard}`,
      })),
    );
    const position = cursor?.[0] ?? undefined;
    const start =
      position === undefined ? undefined : Object.fromEntries(shards.map((_, i) => [i, position]));
    const page = await readMerged(
      shards.length,
      async (index, after, size) => {
        const { integration, shard, name } = shards[index] as (typeof shards)[number];
        const native = after === undefined ? undefined : nativeAfter(after, name);
        const read = await this.deps.history.readShard(integration, shard, filters, native, size);
        return {
          items: read.items.map(({ sk, item }) => ({
            sk: `${sk}${SEPARATOR}${name}`,
            item: { integration, record: item },
          })),
          ...(read.lastEvaluatedSk !== undefined && {
            lastEvaluatedSk: `${read.lastEvaluatedSk}${SEPARATOR}${name}`,
          }),
        };
      },
      start,
      limit,
      true,
    );
    return {
      items: page.items,
      ...(page.cursor && page.position !== undefined && { cursor: { 0: page.position } }),
    };
  }

  /**
   * The entity's events from the index, newest first, and each one's record in every integration's
   * history. A page takes whole events only, as many as fit `limit` deliveries with every integration.
   */
  private async byEntity(
    integrations: readonly Integration[],
    entityId: string,
    filters: { from: string; to: string; status?: DeliveryRecord['status']; name?: string; entity?: string },
    cursor: ShardCursor | undefined,
    limit: number,
  ): Promise<{ items: Found[]; cursor?: ShardCursor }> {
    const { status, ...eventFilters } = filters;
    const events = await this.deps.entityEvents.page(
      entityId,
      { ...eventFilters, descending: true, includePayload: false },
      cursor,
      Math.max(1, Math.floor(limit / integrations.length)),
    );
    const found = await Promise.all(
      events.items.flatMap((event: LoggedEvent) =>
        integrations.map(async (integration): Promise<Found | undefined> => {
          const record = await this.deps.history.get(integration, event.received_at, event.id);
          if (!record || (status && record.status !== status)) return undefined;
          return { integration, record: { ...record, entity_id: record.entity_id ?? entityId } };
        }),
      ),
    );
    return {
      items: found.filter((item): item is Found => item !== undefined),
      ...(events.cursor && { cursor: events.cursor }),
    };
  }
}

/** Between a history key and its shard's name: sorts before every character of either. */
const SEPARATOR = '\u0001';

/**
 * Where shard `name` reads on from a merged position (`{key}\u0001{shard name}`, or a bare key): after the
 * key itself, unless the position stopped at that key in a shard that sorts after this one, which leaves
 * this shard's entry at the same key (the same event, another integration) still to be read.
 */
const nativeAfter = (position: string, name: string): string => {
  const at = position.lastIndexOf(SEPARATOR);
  if (at < 0) return position;
  const key = position.slice(0, at);
  return name < position.slice(at + 1) ? `${key}\u0000` : key;
};

/** One row of the list: the delivery and the integration it went to. */
const view = ({ integration, record }: Found): OrgDeliveryView => {
  const last = record.attempts.at(-1);
  const s3 = integration.s3_parameters !== undefined;
  const file = record.attempts.findLast((attempt) => attempt.file !== undefined)?.file;
  return {
    integration_id: integration.id,
    integration_type: integration.integration_type,
    target: s3 ? 's3' : 'webhook',
    status: record.status,
    event_id: record.event_id,
    event_name: record.name,
    entity: entityOf(record.name),
    ...(record.entity_id !== undefined && { entity_id: record.entity_id }),
    received_at: record.received_at,
    attempted_at: last?.at ?? record.updated_at,
    attempts: record.attempts.length,
    ...(last?.status_code !== undefined && { status_code: last.status_code }),
    ...(!s3 && last && { response_time_ms: last.duration_ms }),
    ...(file !== undefined && { file }),
  };
};
