import type { DeliveryView, LoggedEventView } from '../domain/api-responses.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { EVENT_LOG_SHARDS, type LoggedEvent } from '../domain/event.ts';
import type { DeliveryRecord, Integration } from '../domain/integration.ts';
import { isIntegrationId } from '../domain/integration-id.ts';
import {
  deliveryQuerySchema,
  eventQuerySchema,
  resolveRange,
  retryDeliveryQuerySchema,
} from '../domain/list-queries.ts';
import { decodePageToken, encodePageToken, queryFingerprint } from '../domain/page-token.ts';
import { DELIVERY_HISTORY_SHARDS, type DeliveryHistory } from '../domain/ports/deliveries.ts';
import type { EntityEvents, EventLogStore } from '../domain/ports/events.ts';
import type { IntegrationRepository } from '../domain/ports/integrations.ts';
import type { Clock } from '../domain/ports/platform.ts';
import { readMerged } from '../domain/sharded-merge.ts';
import { parseRequest } from '../domain/validate.ts';
import { envelopeOf } from './webhook-delivery.ts';
import { receiverRefused, type WebhookDispatcher } from './webhook-dispatcher.ts';

export interface HistoryQueriesDeps {
  integrations: IntegrationRepository;
  eventLog: EventLogStore;
  /** The events about one entity: `entity_id` queries read these instead of the whole range. */
  entityEvents: EntityEvents;
  history: DeliveryHistory;
  dispatcher: WebhookDispatcher;
  clock: Clock;
  retentionDays: number;
  /** Key that MACs page tokens. */
  tokenKey: string;
}

type Query = Record<string, string | undefined>;

/**
 * The diagnostic views: events of the last 30 days (IBM's event messages) and each integration's
 * delivery history with its attempts (Front Systems' delivery status), both paginated with opaque
 * tokens; and sending one delivery again now.
 */
export class HistoryQueries {
  constructor(private readonly deps: HistoryQueriesDeps) {}

  async events(query: Query): Promise<{ events: LoggedEventView[]; next_token?: string }> {
    const params = parseRequest(eventQuerySchema(), query, 'query');
    const range = resolveRange(params.from, params.to, this.deps.clock.now(), this.deps.retentionDays);
    // A range that ends before the window begins holds nothing (DynamoDB refuses an inverted BETWEEN).
    if (range.from > range.to) return { events: [] };
    const { next_token: token, ...rest } = params;
    // The parameters as given: a range left open keeps growing with `now`, page after page.
    const byEntity = params.entity_id !== undefined;
    // An index page's cursor means nothing to a range read: a token names the way it was read.
    const fingerprint = queryFingerprint({
      ...rest,
      kind: 'events',
      ...(byEntity && { indexed: this.deps.entityEvents.indexed }),
    });
    const cursor = token ? decodePageToken(this.deps.tokenKey, fingerprint, token) : undefined;
    const filters = {
      ...range,
      ...(params.name && { name: params.name }),
      ...(params.entity && { entity: params.entity }),
      includePayload: params.include_payload,
    };
    const page = params.entity_id
      ? await this.deps.entityEvents.page(params.entity_id, filters, cursor, params.limit)
      : await readMerged(
          EVENT_LOG_SHARDS,
          (shard, after, limit) => this.deps.eventLog.readShard(shard, filters, after, limit),
          cursor,
          params.limit,
        );
    return {
      events: page.items.map((event) => {
        const { payload, ...rest } = event;
        return params.include_payload ? { ...rest, payload } : rest;
      }),
      ...(page.cursor && { next_token: encodePageToken(this.deps.tokenKey, fingerprint, page.cursor) }),
    };
  }

  async deliveries(
    integrationId: string,
    query: Query,
  ): Promise<{ deliveries: DeliveryView[]; next_token?: string }> {
    const integration = await this.load(integrationId);
    const params = parseRequest(deliveryQuerySchema(), query, 'query');
    const range = resolveRange(params.from, params.to, this.deps.clock.now(), this.deps.retentionDays);
    if (range.from > range.to) return { deliveries: [] };
    const { next_token: token, ...rest } = params;
    const fingerprint = queryFingerprint({ ...rest, kind: 'deliveries', id: integration.id });
    const cursor = token ? decodePageToken(this.deps.tokenKey, fingerprint, token) : undefined;
    const page = await readMerged(
      DELIVERY_HISTORY_SHARDS,
      (shard, after, limit) =>
        this.deps.history.readShard(
          integration,
          shard,
          {
            ...range,
            ...(params.status && { status: params.status }),
            ...(params.name && { name: params.name }),
            ...(params.entity_id && { entityId: params.entity_id }),
          },
          after,
          limit,
        ),
      cursor,
      params.limit,
      true,
    );
    const payloads = params.include_payload
      ? await Promise.all(
          page.items.map((record) => this.deps.eventLog.get(record.received_at, record.event_id)),
        )
      : [];
    return {
      deliveries: page.items.map((record, index) => this.view(record, params, payloads[index])),
      ...(page.cursor && { next_token: encodePageToken(this.deps.tokenKey, fingerprint, page.cursor) }),
    };
  }

  /** Sends one delivery again now, as the rejected-event retry does: 200 when accepted, else 502. */
  async retryDelivery(integrationId: string, eventId: string, query: Query) {
    const integration = await this.load(integrationId);
    const { received_at: receivedAt } = parseRequest(retryDeliveryQuerySchema(), query, 'query');
    if (!integration.callback_parameters) {
      throw new ValidationError(
        `Integration ${integrationId} delivers to S3; only webhook deliveries are resent.`,
      );
    }
    const record = await this.deps.history.get(integration, receivedAt, eventId);
    const event = record && (await this.deps.eventLog.get(record.received_at, eventId));
    if (!record || !event) {
      throw new NotFoundError(
        `No delivery of event ${eventId} received at ${receivedAt} to integration ${integrationId} in the last 30 days.`,
      );
    }
    const result = await this.deps.dispatcher.dispatch(integration, event);
    const now = this.deps.clock.now();
    const { outcome } = result;
    const status = 'status' in outcome ? outcome.status : undefined;
    const delivered = outcome.kind === 'delivered';
    await this.deps.history.recordAttempt(integration, event, delivered ? 'delivered' : record.status, {
      at: now.toISOString(),
      duration_ms: result.durationMs,
      ...(status !== undefined && { status_code: status }),
      ...(!delivered && { error: outcome.kind === 'retry' ? outcome.reason : `HTTP status code ${status}` }),
    });
    if (delivered) return { id: eventId, status: 'delivered' as const, status_code: status };
    throw receiverRefused(eventId, outcome);
  }

  private view(
    record: DeliveryRecord,
    params: { include_attempts: boolean; include_payload: boolean },
    event: LoggedEvent | undefined,
  ): DeliveryView {
    const last = record.attempts.at(-1);
    return {
      event_id: record.event_id,
      name: record.name,
      ...(record.entity_id !== undefined && { entity_id: record.entity_id }),
      status: record.status,
      received_at: record.received_at,
      updated_at: record.updated_at,
      attempt_count: record.attempts.length,
      ...(last && { last_attempt: last }),
      ...(params.include_attempts && { attempts: record.attempts }),
      ...(params.include_payload && event && { event: envelopeOf(event) }),
    };
  }

  private async load(id: string): Promise<Integration> {
    const integration = isIntegrationId(id) ? await this.deps.integrations.get(id) : undefined;
    if (!integration) throw new NotFoundError(`Integration ${id} not found.`);
    return integration;
  }
}
