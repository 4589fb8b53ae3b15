import { ConflictError, LimitExceededError } from '../../../lambdas/domain/errors.ts';
import {
  type Integration,
  LOG_ENTRY_LIMIT,
  type LogEntry,
  REJECTED_EVENT_LIMIT,
  type RejectedEvent,
} from '../../../lambdas/domain/integration.ts';
import type {
  IntegrationLog,
  IntegrationRepository,
  RejectedEventStore,
  SecretStore,
} from '../../../lambdas/domain/ports/integrations.ts';
import type { SecretValues } from '../../../lambdas/domain/secrets.ts';

/**
 * Integrations in a map, with the DynamoDB adapter's guarantees: create refuses a duplicate id before the
 * count limit (the transaction's put check is read first), update is conditional on the version it read.
 */
export class MemoryIntegrationRepository implements IntegrationRepository {
  private readonly items = new Map<string, Integration>();

  async list(): Promise<Integration[]> {
    return [...this.items.values()].map((item) => structuredClone(item));
  }

  async get(id: string): Promise<Integration | undefined> {
    const item = this.items.get(id);
    return item && structuredClone(item);
  }

  async create(integration: Integration, maxCount: number): Promise<void> {
    if (this.items.has(integration.id)) {
      throw new ConflictError(
        'integration_exists',
        `An integration with id ${integration.id} already exists.`,
      );
    }
    if (this.items.size >= maxCount) {
      throw new LimitExceededError(`At most ${maxCount} integrations can be registered.`);
    }
    this.items.set(integration.id, structuredClone(integration));
  }

  async update(integration: Integration): Promise<void> {
    const stored = this.items.get(integration.id);
    if (!stored || stored.version !== integration.version - 1) {
      throw new ConflictError(
        'concurrent_modification',
        `Integration ${integration.id} was changed or deleted by another request; read it again and retry.`,
      );
    }
    this.items.set(integration.id, structuredClone(integration));
  }

  async delete(id: string): Promise<boolean> {
    return this.items.delete(id);
  }

  /** Stores it as it is (test set-up: no limit, no version check). */
  seed(integration: Integration): Integration {
    this.items.set(integration.id, structuredClone(integration));
    return integration;
  }
}

interface StoredEntry extends LogEntry {
  sk: string;
}

/**
 * Logs kept to the newest 50, ordered as the DynamoDB adapter orders them: by
 * `{created_at}#{index in its call}#{call}` descending.
 */
export class MemoryIntegrationLog implements IntegrationLog {
  private readonly logs = new Map<string, StoredEntry[]>();
  private calls = 0;

  async append(integrationId: string, entries: LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const call = String(this.calls++).padStart(8, '0');
    const log = this.logs.get(integrationId) ?? [];
    entries.forEach((entry, index) => {
      log.push({ ...entry, sk: `${entry.created_at}#${String(index).padStart(2, '0')}#${call}` });
    });
    log.sort((a, b) => b.sk.localeCompare(a.sk));
    this.logs.set(integrationId, log.slice(0, LOG_ENTRY_LIMIT));
  }

  async list(integrationId: string): Promise<LogEntry[]> {
    return (this.logs.get(integrationId) ?? []).map(({ action, reason, created_at }) => ({
      action,
      reason,
      created_at,
    }));
  }

  async deleteAll(integrationId: string): Promise<void> {
    this.logs.delete(integrationId);
  }

  /** The actions logged, newest first. */
  async actions(integrationId: string): Promise<string[]> {
    return (await this.list(integrationId)).map((entry) => entry.action);
  }
}

/** Rejected events keyed by event id (a second rejection replaces the first), the newest 30 kept. */
export class MemoryRejectedEventStore implements RejectedEventStore {
  private readonly stores = new Map<string, Map<string, RejectedEvent>>();

  async put(integrationId: string, rejected: RejectedEvent): Promise<void> {
    const store = this.stores.get(integrationId) ?? new Map<string, RejectedEvent>();
    store.set(rejected.id, structuredClone(rejected));
    this.stores.set(integrationId, store);
    const sorted = this.sorted(store);
    for (const old of sorted.slice(REJECTED_EVENT_LIMIT)) store.delete(old.id);
  }

  async list(integrationId: string): Promise<RejectedEvent[]> {
    return this.sorted(this.stores.get(integrationId)).map((item) => structuredClone(item));
  }

  async get(integrationId: string, eventId: string): Promise<RejectedEvent | undefined> {
    const item = this.stores.get(integrationId)?.get(eventId);
    return item && structuredClone(item);
  }

  async delete(integrationId: string, eventId: string): Promise<boolean> {
    return this.stores.get(integrationId)?.delete(eventId) ?? false;
  }

  async deleteAll(integrationId: string): Promise<void> {
    this.stores.delete(integrationId);
  }

  private sorted(store: Map<string, RejectedEvent> | undefined): RejectedEvent[] {
    return [...(store?.values() ?? [])].sort(
      (a, b) => b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id),
    );
  }
}

/** Secrets per integration; `get` of an unknown one is empty, as the Secrets Manager adapter's is. */
export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, SecretValues>();
  /** Make the next `put` fail (Secrets Manager down). */
  failNextPut = false;

  async put(integrationId: string, secrets: SecretValues): Promise<void> {
    if (this.failNextPut) {
      this.failNextPut = false;
      throw new Error('Secrets Manager unavailable');
    }
    this.values.set(integrationId, structuredClone(secrets));
  }

  async get(integrationId: string): Promise<SecretValues> {
    return structuredClone(this.values.get(integrationId) ?? {});
  }

  async delete(integrationId: string): Promise<void> {
    this.values.delete(integrationId);
  }
}
