import { classifyResponse, type DeliveryOutcome } from '../domain/delivery-rules.ts';
import { ReceiverError } from '../domain/errors.ts';
import type { EventEnvelope } from '../domain/event.ts';
import type { Integration } from '../domain/integration.ts';
import type { HttpSender, ReceiverAuthorizer } from '../domain/ports/deliveries.ts';
import type { SecretStore } from '../domain/ports/integrations.ts';
import type { Clock } from '../domain/ports/platform.ts';
import { activeSigningSecrets } from '../domain/secrets.ts';
import { signatureHeaders } from '../domain/webhook-signature.ts';

export interface WebhookDispatcherDeps {
  secrets: SecretStore;
  sender: HttpSender;
  authorizer: ReceiverAuthorizer;
  clock: Clock;
  userAgent: string;
}

/** One attempt's result: the outcome and what the log needs to describe it. */
export interface DispatchResult {
  outcome: DeliveryOutcome;
  url: string;
  durationMs: number;
}

/**
 * Sends one event to one webhook integration, once: body, signature, receiver auth. Used by the
 * delivery Lambda and by the API's retry of a rejected event, so both send exactly the same request.
 */
export class WebhookDispatcher {
  constructor(private readonly deps: WebhookDispatcherDeps) {}

  /**
   * `signal` calls the request off (see CircuitBreakers.checkHanging): a failed attempt, retried.
   * `entityPosition`: the event's position in its entity's stream, for an ordered integration.
   */
  async dispatch(
    integration: Integration,
    event: EventEnvelope,
    signal?: AbortSignal,
    entityPosition?: number,
  ): Promise<DispatchResult> {
    const params = integration.callback_parameters;
    if (!params) throw new Error(`Integration ${integration.id} has no callback_parameters`);
    const secrets = integration.has_secrets
      ? await this.deps.secrets.get(integration.id, integration.updated_at)
      : {};
    const body = JSON.stringify({
      id: event.id,
      tenant: event.tenant,
      name: event.name,
      published_at: event.published_at,
      payload: event.payload,
    });
    const send = async (refresh: boolean) => {
      const now = this.deps.clock.now();
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': this.deps.userAgent,
        ...signatureHeaders(
          activeSigningSecrets(secrets, now),
          event.id,
          Math.floor(now.getTime() / 1000),
          body,
        ),
      };
      let authorization: string | undefined;
      try {
        authorization = await this.deps.authorizer.authorization(integration.id, params, secrets, {
          refresh,
        });
      } catch (error) {
        // No credentials (token endpoint down, bad key): a failed attempt like any other, retried.
        return { ok: false as const, error: (error as Error).message, durationMs: 0 };
      }
      if (event.entity_id !== undefined) headers[ENTITY_ID_HEADER] = headerSafe(event.entity_id);
      if (entityPosition !== undefined) headers[ENTITY_POSITION_HEADER] = String(entityPosition);
      if (authorization) headers.authorization = authorization;
      return this.deps.sender.post(params.callback_url, body, headers, signal);
    };
    let result = await send(false);
    if (result.ok && result.status === 401 && params.oauth) {
      // The cached token may have been revoked early: fetch a new one, once.
      result = await send(true);
    }
    const outcome: DeliveryOutcome = result.ok
      ? classifyResponse(result.status, result.excerpt, result.headers['retry-after'], this.deps.clock.now())
      : { kind: 'retry', reason: result.error };
    return { outcome, url: params.callback_url, durationMs: result.durationMs };
  }
}

/** Names the entity an event is about, for receivers that route or order by it without parsing the body. */
export const ENTITY_ID_HEADER = 'event-entity-id';

/**
 * An ordered integration's position of the event in its entity's stream: 1, 2, 3… in the order sent. A
 * retry of the same event repeats its number; a jump tells the receiver an event in between failed for good.
 */
export const ENTITY_POSITION_HEADER = 'event-entity-position';

/**
 * A header value carries visible ASCII only, and HTTP trims its ends: an entity id with anything else
 * (non-Latin letters, control characters, a `%`, spaces at an end) is sent percent-encoded as UTF-8, which
 * leaves every plain id as it is.
 */
export const headerSafe = (value: string): string =>
  /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value) && !value.includes('%')
    ? value
    : encodeURIComponent(value);

/** The 502 for a send on request that ended in anything but delivered, with what the receiver answered. */
export const receiverRefused = (eventId: string, outcome: DeliveryOutcome): ReceiverError => {
  const status = 'status' in outcome ? outcome.status : undefined;
  const detail = outcome.kind === 'retry' ? outcome.reason : `HTTP status code ${status}`;
  return new ReceiverError(`The receiver did not accept event ${eventId}: ${detail}.`, status, detail);
};
