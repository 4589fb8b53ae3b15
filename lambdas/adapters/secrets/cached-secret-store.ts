import type { SecretStore } from '../../domain/ports/integrations.ts';
import type { Clock } from '../../domain/ports/platform.ts';
import type { SecretValues } from '../../domain/secrets.ts';

/**
 * Reads through to another SecretStore and keeps values for a few minutes, so a delivery does not cost a
 * Secrets Manager call (and its price) per request. Writes and deletes pass through and drop the entry.
 */
export class CachedSecretStore implements SecretStore {
  private readonly cache = new Map<
    string,
    { value: Promise<SecretValues>; expiresAt: number; revision?: string }
  >();

  constructor(
    private readonly inner: SecretStore,
    private readonly clock: Clock,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  /** A different `revision` than the cached one (the integration changed) reads through at once. */
  get(integrationId: string, revision?: string): Promise<SecretValues> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(integrationId);
    if (cached && cached.expiresAt > now && cached.revision === revision) return cached.value;
    const value = this.inner.get(integrationId);
    this.cache.set(integrationId, {
      value,
      expiresAt: now + this.ttlMs,
      ...(revision !== undefined && { revision }),
    });
    value.catch(() => this.cache.delete(integrationId));
    return value;
  }

  async put(integrationId: string, secrets: SecretValues): Promise<void> {
    this.cache.delete(integrationId);
    await this.inner.put(integrationId, secrets);
  }

  async delete(integrationId: string): Promise<void> {
    this.cache.delete(integrationId);
    await this.inner.delete(integrationId);
  }
}
