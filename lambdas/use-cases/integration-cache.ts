import type { Integration } from '../domain/integration.ts';
import type { DeliveryMessage } from '../domain/messages.ts';
import type { IntegrationRepository } from '../domain/ports/integrations.ts';
import type { Clock } from '../domain/ports/platform.ts';

/** How long a delivery process uses an integration as read: how soon a stop or a change reaches it. */
export const INTEGRATION_MAX_AGE_MS = 1000;

export interface IntegrationCacheDeps {
  integrations: Pick<IntegrationRepository, 'get'>;
  clock: Clock;
  /**
   * Longest an integration is used as read: a stop, a change or a delete reaches a delivery process within
   * this time (at once for messages routed after it, which name the newer version).
   */
  maxAgeMs: number;
}

interface Entry {
  integration: Integration;
  readAt: number;
}

/**
 * The integrations a delivery process works for, as it last read them, so a warm process reads each one
 * about once per `maxAgeMs` instead of once per batch (the read was half of a batch's DynamoDB time). A
 * message names the integration version it was routed with: one newer than the copy kept, or of another
 * generation (the id deleted and registered anew), is read again at once. Only running copies are used; a
 * stopped one is read again, so a start is seen at once.
 */
export class IntegrationCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly deps: IntegrationCacheDeps) {}

  /** The integration `message` is for, as read at most `maxAgeMs` ago and no older than the message. */
  async get(
    message: Pick<DeliveryMessage, 'integration_id' | 'generation' | 'integration_version'>,
  ): Promise<Integration | undefined> {
    const { deps } = this;
    const now = deps.clock.now().getTime();
    const kept = this.entries.get(message.integration_id);
    const age = kept ? now - kept.readAt : Number.POSITIVE_INFINITY;
    // A stopped copy is never used: messages of a stopped integration are few (retries, held ones), and one
    // that comes right after a start must not be taken for stopped and left to a catch-up minutes later.
    if (
      kept &&
      age >= 0 &&
      age < deps.maxAgeMs &&
      kept.integration.status === 'running' &&
      isCurrentFor(kept.integration, message)
    )
      return kept.integration;
    const integration = await deps.integrations.get(message.integration_id);
    // Not kept when gone: such messages are few, and an id registered again must be seen at once.
    if (integration) this.entries.set(integration.id, { integration, readAt: now });
    else this.entries.delete(message.integration_id);
    return integration;
  }

  /** Reads the integration afresh next time (this process just changed it, e.g. stopped it). */
  forget(integrationId: string): void {
    this.entries.delete(integrationId);
  }
}

/**
 * Whether `integration` is at least as new as what `message` was routed with: a later generation (the message
 * is for an id since deleted and registered anew, so reading again cannot make it deliverable), or the same
 * one at a version no older than the message names. Generations are creation times, ISO strings of one form.
 */
export const isCurrentFor = (
  integration: Integration,
  message: Pick<DeliveryMessage, 'generation' | 'integration_version'>,
): boolean => {
  if (message.generation !== undefined && message.generation !== integration.created_at)
    return message.generation < integration.created_at;
  return message.integration_version === undefined || message.integration_version <= integration.version;
};
