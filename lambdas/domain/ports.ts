import type { LoggedEvent } from './event.ts';
import type {
  DeliveryAttempt,
  DeliveryRecord,
  DeliveryStatus,
  Integration,
  LogEntry,
  RejectedEvent,
} from './integration.ts';
import type { CallbackParameters } from './integration-schema.ts';
import type { SecretValues } from './secrets.ts';
import type { ShardPage } from './sharded-merge.ts';

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

/** A time range of the event log (by `received_at`, inclusive), optionally filtered. */
export interface EventRangeQuery {
  from: string;
  to: string;
  name?: string;
  entity?: string;
  /** Default true; false leaves payloads out of the read. */
  includePayload?: boolean;
  /**
   * A strongly consistent read: sees every write that completed before it. Replays need it (see FanOut);
   * it costs twice the read units.
   */
  consistent?: boolean;
  descending?: boolean;
}

/** The 30-day event log. */
export interface EventLogStore {
  /** Writes events; writing the same event again (same id and received_at) changes nothing. */
  put(event: LoggedEvent): Promise<void>;
  /** The event, or undefined when it is not there or has expired (TTL deletes late). */
  get(receivedAt: string, eventId: string): Promise<LoggedEvent | undefined>;
  /** When an event was received, from its id alone; undefined when unknown or expired. */
  receivedAtOf(eventId: string): Promise<string | undefined>;
  /** One page of one shard of a range (expired events left out). */
  readShard(
    shard: number,
    query: EventRangeQuery,
    afterSk: string | undefined,
    limit: number,
  ): Promise<ShardPage<LoggedEvent>>;
  /**
   * Whether any event received in `[from, to)` is still stored, expired or not: tells a catch-up whether
   * the part of its range that left the window held anything (TTL deletes days late, so it usually does
   * when there was something).
   */
  hasEventsReceivedBetween(from: string, to: string): Promise<boolean>;
}

/** What the fan-out puts on the webhook or export queue for each (event, integration). */
export interface DeliveryMessage {
  integration_id: string;
  /** The integration's `created_at`: a message for an id deleted and registered again is not delivered. */
  generation?: string;
  event_id: string;
  received_at: string;
}

/** An SQS queue seen as a place to put message bodies; batching is the adapter's business. */
export interface MessageQueue {
  /** Sends all bodies (in as few requests as the service allows); rejects if any could not be sent. */
  sendAll(bodies: string[]): Promise<void>;
  /** Sends one body, batched with others sent in the same tick. */
  send(body: string): Promise<void>;
  /** Sends one body that becomes visible after `delaySeconds` (at most 900). */
  sendDelayed(body: string, delaySeconds: number): Promise<void>;
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
  /** Forgets the catch-up point if it is still `seen` (a replay has taken it over since it was read). */
  clearCatchUp(integrationId: string, seen: string): Promise<void>;
  /** Forgets past failures: a started integration gets a whole stop window before it is stopped again. */
  resetHealth(integrationId: string): Promise<void>;
  /** True at most once a minute per integration: lets retry log entries be coalesced. */
  claimRetryLogSlot(integrationId: string, at: Date): Promise<boolean>;
  delete(integrationId: string): Promise<void>;
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
  /** Drops whatever is still staged (on delete, after the flush): a later integration with the same id starts clean. */
  discard(integrationId: string): Promise<void>;
}

/** A replay in progress: a range of the event log being queued for one integration, page by page. */
export interface ReplayJob {
  integration_id: string;
  job_id: string;
  /** Incremented by each page; every advance is conditional on it. */
  step: number;
  /** The range as asked for (`from` moves when a pass starts over). */
  range_from: string;
  from: string;
  to: string;
  /** A catch-up point this step took over, to be cleared once the step is recorded. */
  clears_catch_up?: string;
  /** Shard being read, and the last sort key read in it. */
  shard: number;
  after_sk?: string;
  /**
   * Not completed before this instant: a catch-up waits for catch-up points noted by fan-outs and
   * deliveries that read the integration as stopped just before its start (they land within a
   * function timeout); a registration's replay has nothing to wait for.
   */
  settle_until: string;
  queued: number;
  started_at: string;
  /** When the job last moved (created or advanced): a job quiet for long has lost its message. */
  advanced_at?: string;
  reason: string;
  completed_at?: string;
}

/** The message that drives a replay, one page per receive. */
export interface ReplayMessage {
  integration_id: string;
  job_id: string;
}

export interface ReplayStore {
  get(integrationId: string): Promise<ReplayJob | undefined>;
  /** Creates the integration's job, replacing (and so cancelling) any earlier one. */
  put(job: ReplayJob): Promise<void>;
  /** Deletes the job if it is still `jobId` (a newer one is left alone). */
  deleteIf(integrationId: string, jobId: string): Promise<void>;
  /** Writes the job's next state if its step is still `expectedStep`; false when another run got there first. */
  advance(job: ReplayJob, expectedStep: number): Promise<boolean>;
  delete(integrationId: string): Promise<void>;
}

/** The event of a delivery, as far as the history needs it. */
export type DeliveryEventRef = Pick<LoggedEvent, 'id' | 'name' | 'received_at'>;

/** The shards of one integration's history, as `readShard` reads them. */
export const DELIVERY_HISTORY_SHARDS = 8;

/** Every delivery of every integration, 30 days. */
export interface DeliveryHistory {
  /** Notes deliveries as queued (writes made in the same tick are batched). */
  recordPending(integration: Integration, event: DeliveryEventRef): Promise<void>;
  /** Appends an attempt and sets the status it led to. */
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
    query: { from: string; to: string; status?: DeliveryStatus; name?: string },
    afterSk: string | undefined,
    limit: number,
  ): Promise<ShardPage<DeliveryRecord>>;
  /** Whether any delivery of the integration is still pending. */
  hasPending(integration: Integration): Promise<boolean>;
}

/** Counters and timings for dashboards and alarms. */
export interface Metrics {
  count(name: string, value?: number): void;
  /** A duration in milliseconds (e.g. ingest-to-delivery latency). */
  duration(name: string, milliseconds: number): void;
}

/** Structured log lines; every line of a delivery names its integration and event. */
export interface OperationLog {
  debug(message: string, fields: Record<string, unknown>): void;
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
