import type { LoggedEvent } from './event.ts';
import type { FailedDelivery, Integration, LogEntry, RejectedEvent } from './integration.ts';
import type { CallbackParameters } from './integration-schema.ts';
import type { SecretValues } from './secrets.ts';

/**
 * What the use cases need from storage. Adapters (DynamoDB, Secrets Manager) implement these; the use
 * cases never import an adapter.
 */
export interface IntegrationRepository {
  list(): Promise<Integration[]>;
  get(id: string): Promise<Integration | undefined>;
  /** Creates it unless the id exists (ConflictError) or `maxCount` integrations exist (LimitExceededError). */
  create(integration: Integration, maxCount: number): Promise<void>;
  /** Writes it if the stored version is still `integration.version - 1` (else ConflictError). */
  update(integration: Integration): Promise<void>;
  /** Deletes it; false when it did not exist. */
  delete(id: string): Promise<boolean>;
}

export interface IntegrationLog {
  /** Appends an entry and trims the log to its newest `LOG_ENTRY_LIMIT` entries. */
  append(integrationId: string, entries: LogEntry[]): Promise<void>;
  /** Newest first. */
  list(integrationId: string): Promise<LogEntry[]>;
  deleteAll(integrationId: string): Promise<void>;
}

export interface RejectedEventStore {
  /** Stores it and trims to the newest `REJECTED_EVENT_LIMIT`. */
  put(integrationId: string, rejected: RejectedEvent): Promise<void>;
  /** Newest first. */
  list(integrationId: string): Promise<RejectedEvent[]>;
  get(integrationId: string, eventId: string): Promise<RejectedEvent | undefined>;
  delete(integrationId: string, eventId: string): Promise<boolean>;
  deleteAll(integrationId: string): Promise<void>;
}

export interface SecretStore {
  /** Creates or replaces the integration's secret. */
  put(integrationId: string, secrets: SecretValues): Promise<void>;
  /**
   * The integration's secret values; empty when it has none. `revision` (the integration's
   * `updated_at`) lets a cache tell a stale entry from a current one.
   */
  get(integrationId: string, revision?: string): Promise<SecretValues>;
  /** Deletes it at once (no recovery window: a re-registered id must not inherit it). */
  delete(integrationId: string): Promise<void>;
}

/** The 30-day event log. */
export interface EventLogStore {
  /** Writes events; writing the same event again (same id and received_at) changes nothing. */
  put(event: LoggedEvent): Promise<void>;
  /** The event, or undefined when it is not there or has expired (TTL deletes late). */
  get(receivedAt: string, eventId: string): Promise<LoggedEvent | undefined>;
}

/** What the fan-out puts on the webhook or export queue for each (event, integration). */
export interface DeliveryMessage {
  integration_id: string;
  event_id: string;
  received_at: string;
}

/** An SQS queue seen as a place to put message bodies; batching is the adapter's business. */
export interface MessageQueue {
  /** Sends all bodies (in as few requests as the service allows); rejects if any could not be sent. */
  sendAll(bodies: string[]): Promise<void>;
  /** Sends one body, batched with others sent in the same tick. */
  send(body: string): Promise<void>;
}

/** Delivery health and catch-up bookkeeping of an integration, kept apart from its configuration. */
export interface DeliveryState {
  last_success_at?: string;
  /** First failure since the last success. */
  failing_since?: string;
  /** The earliest event it missed while stopped: where a start catches up from. */
  catch_up_from?: string;
}

export interface DeliveryStateStore {
  get(integrationId: string): Promise<DeliveryState>;
  /** Notes a success (written at most about once a minute per integration) and clears `failing_since`. */
  recordSuccess(integrationId: string, at: Date): Promise<void>;
  /** Notes a failure; returns the state after it (with `failing_since`). */
  recordFailure(integrationId: string, at: Date): Promise<DeliveryState>;
  /** Keeps the earliest `received_at` of an event it did not get. */
  recordMissed(integrationId: string, receivedAt: string): Promise<void>;
  /** True at most once a minute per integration: lets retry log entries be coalesced. */
  claimRetryLogSlot(integrationId: string, at: Date): Promise<boolean>;
  delete(integrationId: string): Promise<void>;
}

export interface FailedDeliveryStore {
  put(integrationId: string, failed: FailedDelivery): Promise<void>;
  list(integrationId: string): Promise<FailedDelivery[]>;
  deleteAll(integrationId: string): Promise<void>;
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
  post(url: string, body: string, headers: Record<string, string>): Promise<SendResult>;
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

/**
 * Closes an S3 integration's open export file now (it would otherwise wait for the 5-minute flush): on
 * stop, and on delete while its credentials still exist.
 */
export interface ExportFlusher {
  flush(integration: Integration): Promise<void>;
}

/** Counters for dashboards and alarms. */
export interface Metrics {
  count(name: string, value?: number): void;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
