import { retryDelaySeconds } from '../domain/delivery-rules.ts';
import type { LoggedEvent } from '../domain/event.ts';
import type { DeliveryStatus, Integration, LogAction } from '../domain/integration.ts';
import type { DeliveryMessage } from '../domain/messages.ts';
import type { DeliveryHistory, DeliveryStateStore } from '../domain/ports/deliveries.ts';
import type { EventLogStore } from '../domain/ports/events.ts';
import type {
  IntegrationLog,
  IntegrationRepository,
  RejectedEventStore,
} from '../domain/ports/integrations.ts';
import type { Clock, Metrics, OperationLog } from '../domain/ports/platform.ts';
import { sameGeneration, wants } from './delivery-router.ts';
import type { IntegrationStopper } from './integration-stopper.ts';
import type { DispatchResult, WebhookDispatcher } from './webhook-dispatcher.ts';

export interface WebhookDeliveryDeps {
  integrations: IntegrationRepository;
  stopper: Pick<IntegrationStopper, 'stopIfStill'>;
  eventLog: EventLogStore;
  dispatcher: WebhookDispatcher;
  rejected: RejectedEventStore;
  history: DeliveryHistory;
  logs: IntegrationLog;
  deliveryState: DeliveryStateStore;
  metrics: Metrics;
  log: OperationLog;
  clock: Clock;
  settings: {
    retryBudgetMs: number;
    stopWindowMs: number;
    retryScheduleSeconds: readonly number[];
  };
}

/** How often this message has been tried, from SQS's own bookkeeping. */
export interface AttemptInfo {
  /** 1 on the first receive. */
  attempt: number;
  /** When the fan-out first enqueued it: the start of the retry budget. */
  firstSentAt: Date;
}

/** Done (delivered, rejected, dropped, failed for good) or to be tried again after a delay. */
export type DeliveryDecision = { done: true } | { done: false; retryInSeconds: number };

const DONE: DeliveryDecision = { done: true };
const MAX_REASON = 400;

/**
 * Delivers one queued (event, integration) pair and decides what happens next, per the product's
 * rules: 2xx delivered, 400 rejected and kept, 410 stops the integration, anything else retried with
 * backoff until the budget runs out (then failed, retriable by API); an integration failing for the
 * whole stop window is stopped. Every attempt goes into the delivery history.
 */
export class WebhookDelivery {
  constructor(private readonly deps: WebhookDeliveryDeps) {}

  async deliver(
    message: DeliveryMessage,
    attempt: AttemptInfo,
    integrations = new Map<string, Promise<Integration | undefined>>(),
  ): Promise<DeliveryDecision> {
    const { deps } = this;
    let pending = integrations.get(message.integration_id);
    if (!pending) {
      pending = deps.integrations.get(message.integration_id);
      integrations.set(message.integration_id, pending);
    }
    // Read the event while the integration is looked up: the reads of a batch then share one request.
    const eventRead = deps.eventLog.get(message.received_at, message.event_id);
    eventRead.catch(() => {}); // awaited below, or not needed
    const integration = await pending;
    // Deleted, no longer a webhook integration, or the id registered anew since the message was queued.
    if (!integration?.callback_parameters || !sameGeneration(integration, message)) return DONE;
    if (integration.status !== 'running') {
      await deps.deliveryState.recordMissed(integration.id, message.received_at);
      return DONE;
    }
    // A message handed out again after a crash that followed its delivery (between the receiver's answer and
    // SQS's delete) finds its record delivered: not sent twice. A consistent read per message.
    const recordRead = deps.history.get(integration, message.received_at, message.event_id);
    recordRead.catch(() => {}); // awaited below, or not needed
    const event = await eventRead;
    if ((await recordRead)?.status === 'delivered') {
      deps.metrics.count('WebhookAlreadyDelivered');
      return DONE;
    }
    // Filters changed (PATCH while stopped) since the message was queued: it no longer wants this event.
    if (event && !wants(integration, event)) return DONE;
    if (!event) {
      deps.metrics.count('WebhookEventExpired');
      deps.log.warn('Event no longer in the event log; not delivered', {
        integration_id: integration.id,
        event_id: message.event_id,
      });
      return DONE;
    }
    const result = await deps.dispatcher.dispatch(integration, event);
    const { outcome, url } = result;
    const now = deps.clock.now();
    const fields = {
      integration_id: integration.id,
      event_id: event.id,
      event_name: event.name,
      attempt: attempt.attempt,
      outcome: outcome.kind,
      status_code: 'status' in outcome ? outcome.status : undefined,
      duration_ms: result.durationMs,
    };
    if (outcome.kind === 'delivered') {
      deps.log.debug('Delivered', fields);
      deps.metrics.duration('DeliveryLatency', now.getTime() - Date.parse(event.received_at));
    } else {
      deps.log.info('Delivery not accepted', {
        ...fields,
        ...(outcome.kind === 'retry' && { reason: outcome.reason }),
      });
    }
    switch (outcome.kind) {
      case 'delivered':
        deps.metrics.count('WebhookDelivered');
        await Promise.all([
          this.record(integration, event, 'delivered', result, now),
          deps.deliveryState.recordSuccess(integration.id, now),
        ]);
        return DONE;
      case 'rejected':
        deps.metrics.count('WebhookRejected');
        await deps.rejected.put(integration.id, {
          id: event.id,
          created_at: now.toISOString(),
          event: envelopeOf(event),
          received_at: event.received_at,
          status_code: outcome.status,
          response_excerpt: outcome.excerpt.slice(0, 1000),
        });
        await Promise.all([
          this.record(integration, event, 'rejected', result, now),
          this.log(
            integration.id,
            'event_rejected',
            `Request to URL ${url} was rejected (HTTP status code 400) for event ${event.id} (${event.name}).`,
            now,
          ),
          // A 400 is an answer: the receiver is up, so it counts as contact for the stop window.
          deps.deliveryState.recordSuccess(integration.id, now),
        ]);
        return DONE;
      case 'gone':
        deps.metrics.count('WebhookGone');
        await this.record(integration, event, 'pending', result, now, 'HTTP status code 410 (Gone)');
        await deps.deliveryState.recordMissed(integration.id, message.received_at);
        await this.stop(
          integration.id,
          `Request to URL ${url} answered HTTP status code 410 (Gone); integration stopped. Start it again to catch up.`,
        );
        return DONE;
      case 'retry':
        return this.retryOrGiveUp(integration, message, event, attempt, result, outcome, now);
    }
  }

  private async retryOrGiveUp(
    integration: Integration,
    message: DeliveryMessage,
    event: LoggedEvent,
    attempt: AttemptInfo,
    result: DispatchResult,
    outcome: { reason: string; retryAfterSeconds?: number },
    now: Date,
  ): Promise<DeliveryDecision> {
    const { deps } = this;
    const reason = `Request to URL ${result.url} failed. Reason: ${outcome.reason}.`.slice(0, MAX_REASON);
    const state = await deps.deliveryState.recordFailure(integration.id, now);
    const failingSince = state.failing_since ? Date.parse(state.failing_since) : now.getTime();
    if (now.getTime() - failingSince >= deps.settings.stopWindowMs) {
      deps.metrics.count('WebhookIntegrationStopped');
      await this.record(integration, event, 'pending', result, now, outcome.reason);
      await deps.deliveryState.recordMissed(integration.id, message.received_at);
      const hours = Math.round((deps.settings.stopWindowMs / 3_600_000) * 10) / 10;
      await this.stop(
        integration.id,
        `No successful delivery to URL ${result.url} since ${new Date(failingSince).toISOString()} (stop window ${hours} h); integration stopped. Last failure: ${outcome.reason}. Start it again to catch up.`,
      );
      return DONE;
    }
    if (now.getTime() - attempt.firstSentAt.getTime() >= deps.settings.retryBudgetMs) {
      deps.metrics.count('WebhookFailed');
      await Promise.all([
        this.record(integration, event, 'failed', result, now, outcome.reason),
        this.log(
          integration.id,
          'delivery_failed',
          `Gave up on event ${event.id} (${event.name}) after ${attempt.attempt} attempts; it can be sent again with POST .../deliveries/${event.id}/_retry. ${reason}`,
          now,
        ),
      ]);
      return DONE;
    }
    deps.metrics.count('WebhookRetried');
    await this.record(integration, event, 'pending', result, now, outcome.reason);
    if (await deps.deliveryState.claimRetryLogSlot(integration.id, now)) {
      await this.log(
        integration.id,
        'retry_triggered',
        `${reason} Event ${event.id} (${event.name}), attempt ${attempt.attempt}.`,
        now,
      );
    }
    return {
      done: false,
      retryInSeconds: retryDelaySeconds(
        attempt.attempt,
        outcome.retryAfterSeconds,
        deps.settings.retryScheduleSeconds,
      ),
    };
  }

  private record(
    integration: Integration,
    event: LoggedEvent,
    status: DeliveryStatus,
    result: DispatchResult,
    now: Date,
    error?: string,
  ): Promise<void> {
    const statusCode = 'status' in result.outcome ? result.outcome.status : undefined;
    return this.deps.history.recordAttempt(integration, event, status, {
      at: now.toISOString(),
      duration_ms: result.durationMs,
      ...(statusCode !== undefined && { status_code: statusCode }),
      ...(error !== undefined && { error }),
    });
  }

  private async stop(integrationId: string, reason: string): Promise<void> {
    await this.deps.stopper.stopIfStill(integrationId, reason);
  }

  private async log(integrationId: string, action: LogAction, reason: string, now: Date) {
    await this.deps.logs.append(integrationId, [{ action, reason, created_at: now.toISOString() }]);
  }
}

/** The event as receivers get it (the log's own fields left out). */
export const envelopeOf = (event: LoggedEvent) => ({
  id: event.id,
  tenant: event.tenant,
  name: event.name,
  published_at: event.published_at,
  payload: event.payload,
});
