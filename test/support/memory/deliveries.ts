import { shardOf } from '../../../lambdas/domain/event.ts';
import { entityOf } from '../../../lambdas/domain/event-names.ts';
import type {
  DeliveryAttempt,
  DeliveryRecord,
  DeliveryStatus,
  Integration,
} from '../../../lambdas/domain/integration.ts';
import type { CallbackParameters } from '../../../lambdas/domain/integration-schema.ts';
import {
  DELIVERY_HISTORY_SHARDS,
  type DeliveryEventRef,
  type DeliveryHistory,
  type DeliveryRangeQuery,
  type DeliveryState,
  type DeliveryStateStore,
  type HistoryWriter,
  type HttpSender,
  type ReceiverAuthorizer,
  type SendResult,
} from '../../../lambdas/domain/ports/deliveries.ts';
import type { Clock } from '../../../lambdas/domain/ports/platform.ts';
import type { SecretValues } from '../../../lambdas/domain/secrets.ts';
import { type ShardPage, shardReadStart } from '../../../lambdas/domain/sharded-merge.ts';

const MINUTE_MS = 60_000;
const DAY_S = 86_400;

interface StoredState extends DeliveryState {
  last_retry_log_at?: string;
}

/**
 * Delivery state with the DynamoDB adapter's conditions: `recordMissed` keeps the earliest point,
 * `clearCatchUp` clears only the point it saw, a success is written at most once a minute unless a failure
 * came since, `failing_since` keeps the first failure, a retry-log slot is handed out once a minute.
 */
export class MemoryDeliveryStateStore implements DeliveryStateStore {
  private readonly states = new Map<string, StoredState>();

  async get(integrationId: string): Promise<DeliveryState> {
    const { last_retry_log_at: _, ...state } = this.states.get(integrationId) ?? {};
    return { ...state };
  }

  async recordSuccess(integrationId: string, at: Date): Promise<void> {
    const state = this.state(integrationId);
    const stale = new Date(at.getTime() - MINUTE_MS).toISOString();
    if (state.failing_since || !state.last_success_at || state.last_success_at < stale) {
      state.last_success_at = at.toISOString();
      delete state.failing_since;
    }
  }

  async recordFailure(integrationId: string, at: Date): Promise<DeliveryState> {
    const state = this.state(integrationId);
    state.failing_since ??= at.toISOString();
    return this.get(integrationId);
  }

  async recordMissed(integrationId: string, receivedAt: string): Promise<void> {
    const state = this.state(integrationId);
    if (state.catch_up_from === undefined || state.catch_up_from > receivedAt)
      state.catch_up_from = receivedAt;
  }

  async clearCatchUp(integrationId: string, seen: string): Promise<void> {
    const state = this.states.get(integrationId);
    if (state?.catch_up_from === seen) delete state.catch_up_from;
  }

  async resetHealth(integrationId: string): Promise<void> {
    delete this.state(integrationId).failing_since;
  }

  async notePaused(integrationId: string, at: Date): Promise<boolean> {
    const state = this.state(integrationId);
    if (state.paused_since !== undefined) return false;
    state.paused_since = at.toISOString();
    return true;
  }

  async noteResumed(integrationId: string): Promise<boolean> {
    const state = this.states.get(integrationId);
    if (state?.paused_since === undefined) return false;
    delete state.paused_since;
    return true;
  }

  async claimRetryLogSlot(integrationId: string, at: Date): Promise<boolean> {
    const state = this.state(integrationId);
    const stale = new Date(at.getTime() - MINUTE_MS).toISOString();
    if (state.last_retry_log_at !== undefined && state.last_retry_log_at >= stale) return false;
    state.last_retry_log_at = at.toISOString();
    return true;
  }

  async delete(integrationId: string): Promise<void> {
    this.states.delete(integrationId);
  }

  /** Whether anything is stored for it (after a delete: nothing). */
  has(integrationId: string): boolean {
    return this.states.has(integrationId);
  }

  private state(integrationId: string): StoredState {
    let state = this.states.get(integrationId);
    if (!state) {
      state = {};
      this.states.set(integrationId, state);
    }
    return state;
  }
}

interface StoredRecord {
  pk: string;
  sk: string;
  record: DeliveryRecord;
  expiresAt: number;
  /** Set on a temporary integration's pending record; removed by any attempt that ends it. */
  pendingFor?: string;
}

/**
 * The delivery history as the DynamoDB adapter keeps it: per generation of an integration (id and
 * `created_at`), sharded by event id, sort key `{received_at}#{event id}`, read newest first. A pending
 * record (temporary integrations) replaces any earlier one; each attempt appends and sets the status.
 */
export class MemoryDeliveryHistory implements DeliveryHistory {
  private readonly items = new Map<string, StoredRecord>();

  constructor(
    private readonly clock: Clock,
    private readonly retentionDays = 30,
  ) {}

  async recordPending(integration: Integration, event: DeliveryEventRef): Promise<boolean> {
    const key = this.key(integration, event.received_at, event.id);
    const stored = this.items.get(`${key.pk}|${key.sk}`);
    // As the table's conditional write: never over a delivered record; earlier attempts are kept.
    if (stored?.record.status === 'delivered') return false;
    this.items.set(`${key.pk}|${key.sk}`, {
      ...key,
      record: {
        event_id: event.id,
        name: event.name,
        ...(event.entity_id !== undefined && { entity_id: event.entity_id }),
        received_at: event.received_at,
        status: 'pending',
        updated_at: this.clock.now().toISOString(),
        attempts: stored?.record.attempts ?? [],
      },
      expiresAt: this.expiresAt(event.received_at),
      ...(integration.integration_type === 'temporary' && { pendingFor: generation(integration) }),
    });
    return true;
  }

  /** Notes attempts and applies them on `flush`, as the table's batch writes do. */
  batch(): HistoryWriter {
    const noted: Parameters<HistoryWriter['record']>[] = [];
    return {
      record: (...args) => {
        noted.push(args);
      },
      flush: async () => {
        for (const args of noted.splice(0)) await this.recordAttempt(...args);
      },
    };
  }

  async recordAttempt(
    integration: Integration,
    event: DeliveryEventRef,
    status: DeliveryStatus,
    attempt: DeliveryAttempt,
  ): Promise<void> {
    const key = this.key(integration, event.received_at, event.id);
    const stored = this.items.get(`${key.pk}|${key.sk}`);
    const next: StoredRecord = {
      ...key,
      record: {
        event_id: event.id,
        name: event.name,
        ...(event.entity_id !== undefined && { entity_id: event.entity_id }),
        received_at: event.received_at,
        status,
        updated_at: attempt.at,
        attempts: [...(stored?.record.attempts ?? []), structuredClone(attempt)],
      },
      expiresAt: this.expiresAt(event.received_at),
      ...(status === 'pending' && stored?.pendingFor !== undefined && { pendingFor: stored.pendingFor }),
    };
    this.items.set(`${key.pk}|${key.sk}`, next);
  }

  async deliveredAmong(
    integration: Integration,
    events: readonly DeliveryEventRef[],
    anyFinal = false,
  ): Promise<Set<string>> {
    const delivered = new Set<string>();
    for (const event of events) {
      const record = await this.get(integration, event.received_at, event.id);
      if (record && (anyFinal ? record.status !== 'pending' : record.status === 'delivered'))
        delivered.add(event.id);
    }
    return delivered;
  }

  async get(
    integration: Integration,
    receivedAt: string,
    eventId: string,
  ): Promise<DeliveryRecord | undefined> {
    const key = this.key(integration, receivedAt, eventId);
    const stored = this.items.get(`${key.pk}|${key.sk}`);
    return stored && !this.expired(stored) ? structuredClone(stored.record) : undefined;
  }

  async readShard(
    integration: Integration,
    shard: number,
    query: DeliveryRangeQuery,
    afterSk: string | undefined,
    limit: number,
  ): Promise<ShardPage<DeliveryRecord>> {
    const pk = `${generation(integration)}#${shard}`;
    const start = shardReadStart({ ...query, descending: true }, afterSk);
    if (start === 'done') return { items: [] };
    const after = start.afterSk;
    const upper = `${query.to}\uffff`;
    const evaluated = [...this.items.values()]
      .filter((item) => item.pk === pk && item.sk >= query.from && item.sk <= upper)
      .filter((item) => after === undefined || item.sk < after)
      .sort((a, b) => b.sk.localeCompare(a.sk))
      .slice(0, limit);
    const items = evaluated
      .filter((item) => !query.status || item.record.status === query.status)
      .filter((item) => !query.name || item.record.name === query.name)
      .filter((item) => !query.entity || entityOf(item.record.name) === query.entity)
      .filter((item) => !query.entityId || item.record.entity_id === query.entityId)
      .filter((item) => !this.expired(item))
      .map((item) => ({ sk: item.sk, item: structuredClone(item.record) }));
    const last = evaluated.at(-1);
    return { items, ...(evaluated.length === limit && last && { lastEvaluatedSk: last.sk }) };
  }

  async hasPending(integration: Integration): Promise<boolean> {
    const wanted = generation(integration);
    return [...this.items.values()].some((item) => item.pendingFor === wanted);
  }

  private key(integration: Integration, receivedAt: string, eventId: string) {
    return {
      pk: `${generation(integration)}#${shardOf(eventId, DELIVERY_HISTORY_SHARDS)}`,
      sk: `${receivedAt}#${eventId}`,
    };
  }

  private expiresAt(receivedAt: string): number {
    return Math.floor(Date.parse(receivedAt) / 1000) + this.retentionDays * DAY_S;
  }

  private expired(item: StoredRecord): boolean {
    return item.expiresAt <= Math.floor(this.clock.now().getTime() / 1000);
  }
}

const generation = (integration: Integration) => `${integration.id}@${integration.created_at}`;

/** One request the fake sender received. */
export interface SentRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * A receiver with scripted answers: each `answer` or `fail` is used once, in order; when the script is
 * empty it answers 200.
 */
export class FakeHttpSender implements HttpSender {
  readonly requests: SentRequest[] = [];
  private readonly script: (SendResult | 'hang')[] = [];

  answer(status: number, headers: Record<string, string> = {}, excerpt = ''): this {
    this.script.push({ ok: true, status, headers, excerpt, durationMs: 12 });
    return this;
  }

  fail(error: string): this {
    this.script.push({ ok: false, error, durationMs: 10_000 });
    return this;
  }

  /** The next request hangs until its signal calls it off. */
  hang(): this {
    this.script.push('hang');
    return this;
  }

  async post(
    url: string,
    body: string,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<SendResult> {
    this.requests.push({ url, body, headers });
    const next = this.script.shift() ?? { ok: true, status: 200, headers: {}, excerpt: '', durationMs: 12 };
    if (next !== 'hang') return next;
    return new Promise((resolve) =>
      signal?.addEventListener('abort', () =>
        resolve({ ok: false, error: String(signal.reason), durationMs: 0 }),
      ),
    );
  }
}

/** Bearer the integration's api_key when it has one; other schemes are the HTTP adapter's own tests. */
export class ApiKeyAuthorizer implements ReceiverAuthorizer {
  async authorization(
    _integrationId: string,
    _params: CallbackParameters,
    secrets: SecretValues,
  ): Promise<string | undefined> {
    const key = secrets['callback_parameters.api_key'];
    return key ? `Bearer ${key}` : undefined;
  }
}
