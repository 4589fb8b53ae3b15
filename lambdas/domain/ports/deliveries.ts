import type { LoggedEvent } from '../event.ts';
import type { DeliveryAttempt, DeliveryRecord, DeliveryStatus, Integration } from '../integration.ts';
import type { CallbackParameters } from '../integration-schema.ts';
import type { SecretValues } from '../secrets.ts';
import type { ShardPage } from '../sharded-merge.ts';

/** Delivery bookkeeping (health, catch-up points, history) and the HTTP side of a webhook delivery. */

/** Delivery health and catch-up bookkeeping of an integration, kept apart from its configuration. */
export interface DeliveryState {
  last_success_at?: string;
  /** First failure since the last success. */
  failing_since?: string;
  /** The earliest event it missed while stopped: where a start catches up from. */
  catch_up_from?: string;
  /** Set while deliveries are paused by a breaker: since when. */
  paused_since?: string;
}

export interface DeliveryStateStore {
  get(integrationId: string): Promise<DeliveryState>;
  /** Notes a success (written at most about once a minute per integration) and clears `failing_since`. */
  recordSuccess(integrationId: string, at: Date): Promise<void>;
  /** Notes a failure; returns the state after it (with `failing_since`). */
  recordFailure(integrationId: string, at: Date): Promise<DeliveryState>;
  /** Keeps the earliest `received_at` of an event it did not get. */
  recordMissed(integrationId: string, receivedAt: string): Promise<void>;
  /** Forgets the catch-up point if it is still `seen` (a replay has taken it over since it was read). */
  clearCatchUp(integrationId: string, seen: string): Promise<void>;
  /** Forgets past failures: a started integration gets a whole stop window before it is stopped again. */
  resetHealth(integrationId: string): Promise<void>;
  /**
   * Notes that deliveries to its receiver are paused (a breaker opened); true only for the first process
   * to say so since they last resumed, which then logs it.
   */
  notePaused(integrationId: string, at: Date): Promise<boolean>;
  /** Notes that they resumed; true only for the first process to say so since they were paused. */
  noteResumed(integrationId: string): Promise<boolean>;
  /** True at most once a minute per integration: lets retry log entries be coalesced. */
  claimRetryLogSlot(integrationId: string, at: Date): Promise<boolean>;
  delete(integrationId: string): Promise<void>;
}

/** The event of a delivery, as far as the history needs it. */
export type DeliveryEventRef = Pick<LoggedEvent, 'id' | 'name' | 'received_at' | 'entity_id'>;

/** The shards of one integration's history, as `readShard` reads them. */
export const DELIVERY_HISTORY_SHARDS = 8;

/**
 * Attempts noted one by one and written together: a delivery batch's outcomes cost one write per
 * integration and publish they belong to, not one per delivery.
 */
export interface HistoryWriter {
  /** Notes an attempt and the status it led to; nothing is written before `flush`. */
  record(
    integration: Integration,
    event: DeliveryEventRef,
    status: DeliveryStatus,
    attempt: DeliveryAttempt,
  ): void;
  /** Writes what was noted since the last flush; throws when it could not. */
  flush(): Promise<void>;
}

/** A time range of an integration's delivery history (by `received_at`, inclusive), optionally filtered. */
export interface DeliveryRangeQuery {
  from: string;
  to: string;
  status?: DeliveryStatus;
  name?: string;
  /** The entity type: the part of the event name before the dot. */
  entity?: string;
  entityId?: string;
}

/** Every delivery of every integration, 30 days. */
export interface DeliveryHistory {
  /**
   * Notes a temporary integration's delivery as queued (what `hasPending` asks about); false (and nothing
   * written) when its record already says delivered, so the caller does not queue it again.
   */
  recordPending(integration: Integration, event: DeliveryEventRef): Promise<boolean>;
  /** A writer for the attempts of one batch of deliveries. */
  batch(): HistoryWriter;
  /** Appends an attempt and sets the status it led to, written now (a resend, one at a time). */
  recordAttempt(
    integration: Integration,
    event: DeliveryEventRef,
    status: DeliveryStatus,
    attempt: DeliveryAttempt,
  ): Promise<void>;
  get(integration: Integration, receivedAt: string, eventId: string): Promise<DeliveryRecord | undefined>;
  readShard(
    integration: Integration,
    shard: number,
    query: DeliveryRangeQuery,
    afterSk: string | undefined,
    limit: number,
  ): Promise<ShardPage<DeliveryRecord>>;
  /** Whether any delivery of the integration is still pending. */
  hasPending(integration: Integration): Promise<boolean>;
  /**
   * The ids among `events` whose delivery record says delivered, or with `anyFinal` delivered, rejected or
   * failed (a consistent read): what a replay must not send again.
   */
  deliveredAmong(
    integration: Integration,
    events: readonly DeliveryEventRef[],
    anyFinal?: boolean,
  ): Promise<Set<string>>;
}

/** The answer of one HTTP request to a receiver, or why there was none. */
export type SendResult =
  | {
      ok: true;
      status: number;
      headers: Record<string, string | undefined>;
      excerpt: string;
      durationMs: number;
    }
  | { ok: false; error: string; durationMs: number };

/** POSTs to receivers, refusing addresses the deployment must not reach. */
export interface HttpSender {
  /** `signal` calls the request off: it then ends as a failure saying why. */
  post(url: string, body: string, headers: Record<string, string>, signal?: AbortSignal): Promise<SendResult>;
}

/** Builds the Authorization header a receiver asked for (api_key, OAuth client credentials, JWT). */
export interface ReceiverAuthorizer {
  /** `refresh` forces a new OAuth token (after a 401 with a cached one). */
  authorization(
    integrationId: string,
    params: CallbackParameters,
    secrets: SecretValues,
    options?: { refresh?: boolean },
  ): Promise<string | undefined>;
}
