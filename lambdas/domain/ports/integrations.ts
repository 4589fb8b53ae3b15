import type { Integration, LogEntry, RejectedEvent } from '../integration.ts';
import type { SecretValues } from '../secrets.ts';

/** What the use cases need to keep integrations, their logs, rejected events and secrets. */

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
