import type { CircuitBreakers } from '../domain/circuit-breaker.ts';
import { mayRepeatDelivery, retryDelaySeconds } from '../domain/delivery-rules.ts';
import {
  eventIdOfKey,
  type MessageOrder,
  type OrderTurn,
  orderTurn,
  receivedAtOfKey,
  replayHoldsBack,
  UNLOGGED_KEY_MS,
} from '../domain/entity-order.ts';
import { type LoggedEvent, passesFilters, shardOf } from '../domain/event.ts';
import type { DeliveryStatus, Integration, LogAction } from '../domain/integration.ts';
import { type DeliveryMessage, eventOfMessage } from '../domain/messages.ts';
import type { DeliveryHistory, DeliveryStateStore, HistoryWriter } from '../domain/ports/deliveries.ts';
import type { EventLogStore } from '../domain/ports/events.ts';
import type { IntegrationLog, RejectedEventStore } from '../domain/ports/integrations.ts';
import type { EntityQueueRef, EntityQueues } from '../domain/ports/ordering.ts';
import type { Clock, MessageQueue, Metrics, OperationLog } from '../domain/ports/platform.ts';
import type { ReplayJob, ReplayStore } from '../domain/ports/replays.ts';
import { MAX_PAUSE_SECONDS } from '../domain/rate-limit.ts';
import { retentionWindowStart } from '../domain/retention.ts';
import { BatchTurns } from './batch-turns.ts';
import { sameGeneration, wants } from './delivery-router.ts';
import { type IntegrationCache, isCurrentFor } from './integration-cache.ts';
import type { IntegrationStopper } from './integration-stopper.ts';
import type { RateBatch, RateGate, RateTicket } from './rate-gate.ts';
import type { DispatchResult, WebhookDispatcher } from './webhook-dispatcher.ts';

export interface WebhookDeliveryDeps {
  /** The integrations as this process last read them (for at most a second). */
  integrations: IntegrationCache;
  stopper: Pick<IntegrationStopper, 'stopIfStill'>;
  eventLog: EventLogStore;
  dispatcher: WebhookDispatcher;
  /** This process's breakers: one per integration, so a failing receiver does not take every slot. */
  breakers: CircuitBreakers;
  /** Holds rate-limited integrations to their `rate_limit`; others never reach it. */
  rateGate: RateGate;
  rejected: RejectedEventStore;
  history: DeliveryHistory;
  logs: IntegrationLog;
  deliveryState: DeliveryStateStore;
  /** Ordered integrations' entity queues: a message goes only when its event is the oldest of its entity. */
  entityQueues: EntityQueues;
  /** Replays in progress: an ordered integration's messages wait while one is still queueing older events. */
  replays: Pick<ReplayStore, 'get'>;
  /** The webhook queue: a message held back for its turn goes back as a fresh copy. */
  webhookQueue: Pick<MessageQueue, 'sendDelayed'>;
  metrics: Metrics;
  log: OperationLog;
  clock: Clock;
  settings: {
    retryBudgetMs: number;
    stopWindowMs: number;
    retryScheduleSeconds: readonly number[];
    /** Keys of events older than the window no longer hold their entity back. */
    retentionDays: number;
  };
}

/** How often this message has been tried, from SQS's own bookkeeping. */
export interface AttemptInfo {
  /** 1 on the first receive. */
  attempt: number;
  /** When the fan-out first enqueued it: the start of the retry budget. */
  firstSentAt: Date;
}

/**
 * What the messages of one delivery batch share: the integrations they read (one read each) and the
 * writer their attempts go into (written together when the batch is done).
 */
export interface DeliveryBatch {
  integrations: Map<string, Promise<Integration | undefined>>;
  history: HistoryWriter;
  rate: RateBatch;
  /** The turns of one entity's messages within the batch (ordered integrations). */
  turns: BatchTurns;
  /** The replay job of each ordered integration of the batch, read once. */
  replayJobs: Map<string, Promise<ReplayJob | undefined>>;
}

/** What a batch is made of, as `newBatch` needs it: each message's integration and order. */
export type BatchMessage = Pick<DeliveryMessage, 'integration_id' | 'order'>;

/**
 * An ordered message's place: its entity queue and key, and once it may go, its position in the stream and
 * the holder of its claim to send.
 */
interface OrderPlace {
  queue: EntityQueueRef;
  key: string;
  position?: number;
  holder?: string;
}

/** Done (delivered, rejected, dropped, failed for good) or to be tried again after a delay. */
export type DeliveryDecision = { done: true } | { done: false; retryInSeconds: number };

const DONE: DeliveryDecision = { done: true };
/**
 * Done here, but the event is to come again (the integration is stopped, its catch-up brings it): an ordered
 * message then keeps its place in its entity's queue.
 */
const COMES_AGAIN: DeliveryDecision = { done: true };
/** How far before its first failure the catch-up after a pause starts. */
const RESUME_MARGIN_MS = 60_000;
const MAX_REASON = 400;
/** Longest a message waits for its entity's older messages in the same batch before it goes back instead. */
const MAX_TURN_WAIT_MS = 15_000;
/**
 * How long a delivery's claim to send its entity's head lasts: past the function's timeout, so a copy never
 * sends while the claim holder may still be at the receiver; a crashed holder's claim runs out. A holder that
 * puts its message back ends its claim at once.
 */
const CLAIM_MS = 90_000;
/** Logged heads a process remembers (see loggedHeads); more start the set over. */
const MAX_LOGGED_HEADS = 1000;
/** SQS's longest message delay. */
const MAX_DELAY_SECONDS = 900;
/**
 * A message held back by its integration's rate limit comes back as soon as a slot is expected (at least
 * 1 s) for this many receives; after that no sooner than its retry schedule, as a breaker-parked one, so a
 * long backlog cannot carry it to the queue's maxReceiveCount (40) before its retry budget is spent.
 */
export const RATE_PARKS_BEFORE_BACKOFF = 10;

/**
 * Delivers one queued (event, integration) pair and decides what happens next, per the product's
 * rules: 2xx delivered, 400 rejected and kept, 410 stops the integration, anything else retried with
 * backoff until the budget runs out (then failed, retriable by API); an integration failing for the
 * whole stop window is stopped. Every attempt goes into the delivery history. After a few consecutive
 * failures an integration's messages are parked without a request (see CircuitBreakers) until a trial
 * request gets an answer.
 */
export class WebhookDelivery {
  /**
   * Heads older than UNLOGGED_KEY_MS found in the log: nearly always an event retried for long, with every
   * held message of its entity asking again (each a read of its whole publish) until it is finished.
   */
  private readonly loggedHeads = new Set<string>();

  constructor(private readonly deps: WebhookDeliveryDeps) {}

  /**
   * A batch context for `deliver`; `finishBatch` must run before the batch's messages are deleted.
   * `messages` are those `deliver` will be called for: a rate-limited integration asks its limiter once for
   * all of its messages, and an entity's messages take turns.
   */
  newBatch(messages: readonly BatchMessage[] = []): DeliveryBatch {
    const expected = new Map<string, number>();
    for (const { integration_id: id } of messages) expected.set(id, (expected.get(id) ?? 0) + 1);
    return {
      integrations: new Map(),
      history: this.deps.history.batch(),
      rate: this.deps.rateGate.batch(expected),
      turns: new BatchTurns(messages),
      replayJobs: new Map(),
    };
  }

  /** Writes the batch's attempts and gives its rate-limit lanes back; throws when either failed. */
  async finishBatch(batch: DeliveryBatch): Promise<void> {
    const [history, rate] = await Promise.allSettled([batch.history.flush(), batch.rate.finish()]);
    if (history.status === 'rejected') throw history.reason;
    if (rate.status === 'rejected') throw rate.reason;
  }

  /**
   * Delivers one message of `batch`. Without a batch, the message is a batch of its own, its attempt
   * written before this returns.
   */
  async deliver(
    message: DeliveryMessage,
    attempt: AttemptInfo,
    batch?: DeliveryBatch,
  ): Promise<DeliveryDecision> {
    if (batch) return this.deliverInTurn(message, attempt, batch);
    const own = this.newBatch([message]);
    try {
      return await this.deliverInTurn(message, attempt, own);
    } finally {
      await this.finishBatch(own);
    }
  }

  /**
   * An ordered message waits for the older messages of its entity in the batch, and once done takes its key
   * out of its entity's queue (unless its event comes again with a catch-up), so the next may go.
   */
  private async deliverInTurn(
    message: DeliveryMessage,
    attempt: AttemptInfo,
    batch: DeliveryBatch,
  ): Promise<DeliveryDecision> {
    const { order } = message;
    if (!order) return this.deliverIn(message, attempt, batch, {});
    const waitFrom = this.deps.clock.now().getTime();
    const done = await batch.turns.wait(message.integration_id, order);
    try {
      // Behind a long chain of its entity in this batch (each up to a delivery timeout), it goes back to the
      // queue rather than run the invocation into its own timeout.
      if (this.deps.clock.now().getTime() - waitFrom > MAX_TURN_WAIT_MS)
        return await this.holdForOrder(message);
      const placed: { place?: OrderPlace } = {};
      const decision = await this.deliverIn(message, attempt, batch, placed);
      const { place } = placed;
      if (decision.done && decision !== COMES_AGAIN && place)
        await this.deps.entityQueues.finish(place.queue, place.key, place.position);
      // Back to the queue (a retry, a park, a stop): a copy may send it meanwhile; this one then waits.
      else if (place?.holder) await this.deps.entityQueues.release(place.queue, place.key, place.holder);
      return decision;
    } finally {
      done();
    }
  }

  private async deliverIn(
    message: DeliveryMessage,
    attempt: AttemptInfo,
    batch: DeliveryBatch,
    placed: { place?: OrderPlace },
  ): Promise<DeliveryDecision> {
    const { deps } = this;
    const { integrations, history: writer } = batch;
    let pending = integrations.get(message.integration_id);
    if (!pending) {
      pending = deps.integrations.get(message);
      integrations.set(message.integration_id, pending);
    }
    // Read the event while the integration is looked up: the reads of a batch then share one request.
    const carried = eventOfMessage(message);
    const eventRead = carried
      ? Promise.resolve(carried)
      : deps.eventLog.get(message.received_at, message.event_id, message.chunk);
    eventRead.catch(() => {}); // awaited below, or not needed
    let integration = await pending;
    // The batch's copy came for its first message: one routed after a change (a newer version, a new
    // generation) reads the integration again, and the batch's later messages use that read.
    if (integration && !isCurrentFor(integration, message)) {
      pending = deps.integrations.get(message);
      integrations.set(message.integration_id, pending);
      integration = await pending;
    }
    // Deleted, no longer a webhook integration, or the id registered anew since the message was queued.
    if (!integration?.callback_parameters || !sameGeneration(integration, message)) return DONE;
    if (integration.status !== 'running') {
      await deps.deliveryState.recordMissed(integration.id, message.received_at);
      return COMES_AGAIN;
    }
    // A message handed out again after a crash that followed its delivery (between the receiver's answer and
    // SQS's delete), or queued again by a fan-out that ran twice, finds its record delivered: not sent twice.
    // One consistent read per publish, only where the message may repeat a delivery (most live ones cannot).
    // An ordered message reads it only once its turn has come: most of its receives are holds.
    const readRecord = () =>
      mayRepeatDelivery(attempt.attempt, attempt.firstSentAt, message.received_at)
        ? deps.history.get(integration, message.received_at, message.event_id)
        : Promise.resolve(undefined);
    const recordRead = message.order ? undefined : readRecord();
    recordRead?.catch(() => {}); // awaited below, or not needed
    const event = await eventRead;
    const { order } = message;
    // Whatever ends this message from here takes its key out of its entity's queue.
    if (order)
      placed.place = {
        queue: {
          integrationId: integration.id,
          generation: integration.created_at,
          entityId: order.entity_id,
        },
        key: order.key,
      };
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
    if (order && placed.place && integration.callback_parameters.ordering === 'entity') {
      const turn = await this.turnOf(integration, placed.place.queue, order, batch);
      if (turn.go) {
        // Another copy of this message (a replay's, a fan-out run twice) may be at the receiver right now.
        const now = deps.clock.now().getTime();
        const holder = `${attempt.firstSentAt.toISOString()}#${message.held_since ?? ''}`;
        if (!(await deps.entityQueues.claim(placed.place.queue, order.key, holder, now + CLAIM_MS, now))) {
          placed.place = undefined;
          return this.holdForOrder(message);
        }
        placed.place.position = turn.position;
        placed.place.holder = holder;
      } else if (turn.finished) {
        placed.place = undefined;
        deps.metrics.count('WebhookAlreadyDelivered');
        return DONE;
      } else {
        if (turn.head) await this.dropIfNeverLogged(placed.place.queue, turn.head);
        return this.holdForOrder(message);
      }
    }
    if ((await (recordRead ?? readRecord()))?.status === 'delivered') {
      deps.metrics.count('WebhookAlreadyDelivered');
      // Its key came back (a fan-out or replay placed it again after it was finished): it took its position
      // when it was sent, so the next event does not skip a number.
      if (placed.place) delete placed.place.position;
      return DONE;
    }
    const limit = integration.callback_parameters.rate_limit;
    let ticket: RateTicket | undefined;
    if (limit) {
      const place = await batch.rate.take(integration, limit);
      if (!('slotAt' in place)) return this.parkForRate(writer, integration, event, attempt, place.heldUntil);
      const turn = await batch.rate.turn(place);
      if (!turn.go) return this.parkForRate(writer, integration, event, attempt, turn.heldUntil);
      ticket = place;
    }
    const breakerKey = `${integration.id}#${integration.created_at}`;
    const admission = deps.breakers.admit(breakerKey, deps.clock.now());
    if (!admission.send) {
      if (ticket) batch.rate.done(ticket, false);
      return this.park(writer, integration, event, attempt, admission);
    }
    let result: DispatchResult;
    try {
      result = await this.sendWatched(
        integration,
        event,
        breakerKey,
        admission.trial,
        placed.place?.position,
      );
    } catch (error) {
      if (ticket) batch.rate.done(ticket, false);
      throw error;
    }
    const { outcome, url } = result;
    const now = deps.clock.now();
    const pausedUntil = ticket ? await this.noteRateOutcome(batch.rate, ticket, outcome, now) : undefined;
    if (outcome.kind === 'retry') {
      if (deps.breakers.failed(breakerKey, now, admission.trial, outcome.reason) === 'opened') {
        const { failureThreshold } = deps.breakers.settings;
        await this.notePaused(
          integration.id,
          url,
          `${failureThreshold} consecutive failures, the last: ${outcome.reason}`,
          now,
        );
      }
    } else if (deps.breakers.succeeded(breakerKey) === 'closed') {
      await this.noteResumed(integration.id, url, now);
    }
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
        this.record(writer, integration, event, 'delivered', result, now);
        await deps.deliveryState.recordSuccess(integration.id, now);
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
        this.record(writer, integration, event, 'rejected', result, now);
        await Promise.all([
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
        this.record(writer, integration, event, 'pending', result, now, 'HTTP status code 410 (Gone)');
        await deps.deliveryState.recordMissed(integration.id, message.received_at);
        await this.stop(
          integration.id,
          `Request to URL ${url} answered HTTP status code 410 (Gone); integration stopped. Start it again to catch up.`,
        );
        return COMES_AGAIN;
      case 'retry': {
        const decision = await this.retryOrGiveUp(
          writer,
          integration,
          message,
          event,
          attempt,
          result,
          outcome,
          now,
        );
        // A throttled message comes back no sooner than the pause it caused ends.
        if (decision.done || pausedUntil === undefined) return decision;
        const pause = Math.ceil((pausedUntil - now.getTime()) / 1000);
        return { done: false, retryInSeconds: Math.max(decision.retryInSeconds, pause) };
      }
    }
  }

  /**
   * Frees a rate-limited request's lane; a 429 pauses the whole integration until its Retry-After (the
   * retry schedule's first step without one, at most MAX_PAUSE_SECONDS) and halves its rate. Returns the end
   * of that pause.
   */
  private async noteRateOutcome(
    rate: RateBatch,
    ticket: RateTicket,
    outcome: DispatchResult['outcome'],
    now: Date,
  ): Promise<number | undefined> {
    if (outcome.kind !== 'retry' || outcome.status !== 429) {
      rate.done(ticket, outcome.kind === 'delivered');
      return undefined;
    }
    const seconds = Math.min(
      outcome.retryAfterSeconds ?? this.deps.settings.retryScheduleSeconds[0] ?? 1,
      MAX_PAUSE_SECONDS,
    );
    const pausedUntil = now.getTime() + Math.max(1, seconds) * 1000;
    // Paused in this batch before the lane is free, so no message of it waiting for the lane goes.
    const pausing = rate.throttled(ticket, pausedUntil);
    rate.done(ticket, false);
    await pausing;
    this.deps.metrics.count('WebhookThrottled');
    return pausedUntil;
  }

  /**
   * Puts a message back without a request while its integration's rate limit holds it: until a slot is
   * expected, and once it has come back often, no sooner than its retry schedule (RATE_PARKS_BEFORE_BACKOFF).
   * It keeps its retry budget, as a breaker-parked message does.
   */
  private async parkForRate(
    writer: HistoryWriter,
    integration: Integration,
    event: LoggedEvent,
    attempt: AttemptInfo,
    heldUntil: number,
  ): Promise<DeliveryDecision> {
    const { deps } = this;
    const now = deps.clock.now();
    deps.metrics.count('WebhookRateLimited');
    if (this.budgetSpent(attempt, now)) {
      const error = 'Not sent: held back by the rate limit until the retry budget was spent';
      writer.record(integration, event, 'failed', { at: now.toISOString(), duration_ms: 0, error });
      await this.giveUp(event, integration.id, attempt, now, `${error}.`);
      return DONE;
    }
    return { done: false, retryInSeconds: this.heldBackSeconds(attempt, heldUntil - now.getTime()) };
  }

  /**
   * How long a held-back message waits: until `untilMs` passes (at least 1 s) for RATE_PARKS_BEFORE_BACKOFF
   * receives, then no sooner than its retry schedule, so a long hold cannot carry it to the queue's
   * maxReceiveCount before its retry budget is spent.
   */
  private heldBackSeconds(attempt: AttemptInfo, untilMs: number): number {
    const backoff = attempt.attempt - RATE_PARKS_BEFORE_BACKOFF;
    const scheduled =
      backoff > 0 ? retryDelaySeconds(backoff, undefined, this.deps.settings.retryScheduleSeconds) : 0;
    return Math.max(1, Math.ceil(untilMs / 1000), scheduled);
  }

  /**
   * Whether an ordered message may go: its key must be the oldest of its entity's queue that can still come,
   * and no replay of the integration may still be queueing events older than it.
   */
  private async turnOf(
    integration: Integration,
    queue: EntityQueueRef,
    order: MessageOrder,
    batch: DeliveryBatch,
  ): Promise<OrderTurn> {
    const { deps } = this;
    let job = batch.replayJobs.get(integration.id);
    if (!job) {
      job = deps.replays.get(integration.id);
      batch.replayJobs.set(integration.id, job);
    }
    const [state, replay] = await Promise.all([deps.entityQueues.get(queue), job]);
    if (replay && replayHoldsBack(replay, order.key)) return { go: false, finished: false };
    const now = deps.clock.now();
    return orderTurn(state, order.key, {
      windowStart: retentionWindowStart(now, deps.settings.retentionDays).toISOString(),
      wantsName: (name) => passesFilters(integration.filter_conditions, name),
    });
  }

  /**
   * Takes a key out of its entity's queue when it has held the entity back for UNLOGGED_KEY_MS and its event
   * never reached the log (its publish failed after placing it, and was not repeated): no message will ever
   * finish it. A repeat of that publish later places it again, and it is delivered, out of order.
   */
  private async dropIfNeverLogged(queue: EntityQueueRef, head: string): Promise<void> {
    const { deps } = this;
    const receivedAt = receivedAtOfKey(head);
    if (deps.clock.now().getTime() - Date.parse(receivedAt) < UNLOGGED_KEY_MS) return;
    if (this.loggedHeads.has(head)) return;
    if (await deps.eventLog.get(receivedAt, eventIdOfKey(head))) {
      if (this.loggedHeads.size >= MAX_LOGGED_HEADS) this.loggedHeads.clear();
      this.loggedHeads.add(head);
      return;
    }
    if (!(await deps.entityQueues.drop(queue, head))) return;
    deps.metrics.count('OrderKeyDropped');
    deps.log.warn('Dropped an entity queue key whose event never reached the event log', {
      integration_id: queue.integrationId,
      entity_id: queue.entityId,
      event_id: eventIdOfKey(head),
      received_at: receivedAt,
    });
  }

  /**
   * Puts an ordered message back while an older event of its entity is on its way, as a fresh copy (one SQS
   * request, as a visibility change would be): waiting is not failing, so the copy's receive count and retry
   * budget start when its turn comes, and the retry schedule of its own attempts is not pushed back by the
   * receives it spent waiting. It comes back after a tenth of the time it has been held so far (1 s to
   * 15 min): promptly behind a quick predecessor, seldom behind one retried for hours.
   */
  private async holdForOrder(message: DeliveryMessage): Promise<DeliveryDecision> {
    const { deps } = this;
    deps.metrics.count('WebhookHeldForOrder');
    const now = deps.clock.now();
    const heldSince = message.held_since ?? now.toISOString();
    const heldSeconds = (now.getTime() - Date.parse(heldSince)) / 1000;
    const delay = Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.round(heldSeconds / 10)));
    await deps.webhookQueue.sendDelayed(JSON.stringify({ ...message, held_since: heldSince }), delay);
    return COMES_AGAIN;
  }

  private async retryOrGiveUp(
    writer: HistoryWriter,
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
      this.record(writer, integration, event, 'pending', result, now, outcome.reason);
      await deps.deliveryState.recordMissed(integration.id, message.received_at);
      const hours = Math.round((deps.settings.stopWindowMs / 3_600_000) * 10) / 10;
      await this.stop(
        integration.id,
        `No successful delivery to URL ${result.url} since ${new Date(failingSince).toISOString()} (stop window ${hours} h); integration stopped. Last failure: ${outcome.reason}. Start it again to catch up.`,
      );
      return COMES_AGAIN;
    }
    if (this.budgetSpent(attempt, now)) {
      this.record(writer, integration, event, 'failed', result, now, outcome.reason);
      await this.giveUp(event, integration.id, attempt, now, reason);
      return DONE;
    }
    deps.metrics.count('WebhookRetried');
    this.record(writer, integration, event, 'pending', result, now, outcome.reason);
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

  /**
   * Sends with the breaker watching: once this request has run as long as a hanging one to its receiver
   * does, the breaker looks at every request in flight there, and may open and call them all off.
   */
  private async sendWatched(
    integration: Integration,
    event: LoggedEvent,
    key: string,
    trial: boolean,
    entityPosition: number | undefined,
  ): Promise<DispatchResult> {
    const { deps } = this;
    const controller = new AbortController();
    const landed = deps.breakers.started(key, deps.clock.now(), trial, () =>
      controller.abort('called off: requests to this receiver hang, deliveries paused'),
    );
    const hangsAfter = deps.breakers.hangsAfterMs(key);
    let pausing: Promise<void> | undefined;
    const watch =
      hangsAfter === undefined
        ? undefined
        : setTimeout(() => {
            const now = deps.clock.now();
            if (deps.breakers.checkHanging(key, now) !== 'opened') return;
            const url = integration.callback_parameters?.callback_url ?? '';
            pausing = this.notePaused(
              integration.id,
              url,
              `requests without an answer for ${hangsAfter} ms`,
              now,
            );
          }, hangsAfter);
    try {
      const result = await deps.dispatcher.dispatch(integration, event, controller.signal, entityPosition);
      const { outcome } = result;
      landed('status' in outcome && outcome.status !== undefined ? result.durationMs : undefined);
      return result;
    } catch (error) {
      landed();
      // A trial that ended without the receiver's outcome: the next message may try.
      if (trial) deps.breakers.released(key);
      throw error;
    } finally {
      clearTimeout(watch);
      await pausing;
    }
  }

  /**
   * Puts a message back without a request while its integration's breaker is open: until the breaker lets a
   * trial through, and no sooner than its retry schedule says, so a parked message is received no more
   * often than a failing one (the queue's maxReceiveCount holds) and keeps its retry budget.
   */
  private async park(
    writer: HistoryWriter,
    integration: Integration,
    event: LoggedEvent,
    attempt: AttemptInfo,
    { until, lastFailure }: { until: Date; lastFailure: string },
  ): Promise<DeliveryDecision> {
    const { deps } = this;
    const now = deps.clock.now();
    deps.metrics.count('WebhookParked');
    if (this.budgetSpent(attempt, now)) {
      const error = `Not sent: deliveries are paused after consecutive failures. Last failure: ${lastFailure}`;
      writer.record(integration, event, 'failed', { at: now.toISOString(), duration_ms: 0, error });
      await this.giveUp(event, integration.id, attempt, now, `${error.slice(0, MAX_REASON)}.`);
      return DONE;
    }
    const untilSeconds = Math.ceil((until.getTime() - now.getTime()) / 1000);
    // Spread over a cooldown after the trial, by event: parked together, a receiver's messages would all come
    // back at the trial at once, and re-parking a thousand of them holds every delivery slot for seconds.
    const spread = Math.floor((shardOf(event.id, 256) / 256) * (deps.breakers.settings.cooldownMs / 1000));
    const scheduled = retryDelaySeconds(attempt.attempt, undefined, deps.settings.retryScheduleSeconds);
    return { done: false, retryInSeconds: Math.max(1, untilSeconds + spread, scheduled) };
  }

  private budgetSpent(attempt: AttemptInfo, now: Date): boolean {
    return now.getTime() - attempt.firstSentAt.getTime() >= this.deps.settings.retryBudgetMs;
  }

  private async giveUp(
    event: LoggedEvent,
    integrationId: string,
    attempt: AttemptInfo,
    now: Date,
    reason: string,
  ): Promise<void> {
    this.deps.metrics.count('WebhookFailed');
    await this.log(
      integrationId,
      'delivery_failed',
      `Gave up on event ${event.id} (${event.name}) after ${attempt.attempt} attempts; it can be sent again with POST .../deliveries/${event.id}/_retry?received_at=${event.received_at}. ${reason}`,
      now,
    );
  }

  /** Logs the opening once across processes: each process opens its own breaker, the first one says so. */
  private async notePaused(integrationId: string, url: string, reason: string, now: Date): Promise<void> {
    this.deps.metrics.count('WebhookBreakerOpened');
    if (!(await this.deps.deliveryState.notePaused(integrationId, now))) return;
    const { cooldownMs } = this.deps.breakers.settings;
    await this.log(
      integrationId,
      'deliveries_paused',
      `Deliveries to URL ${url} paused (${reason.slice(0, 300)}); events are kept and retried on their schedule, and one trial request is sent after ${Math.round(cooldownMs / 1000)} s, then less often while it fails.`,
      now,
    );
  }

  /**
   * Logs the closing once across processes, and notes a catch-up point: what was parked or failed while the
   * receiver was down would otherwise come back on its retry schedule (up to hours later); housekeeping
   * replays from the point within a minute, skipping what was delivered, and the parked messages then find
   * their records delivered.
   */
  private async noteResumed(integrationId: string, url: string, now: Date): Promise<void> {
    const { deps } = this;
    const state = await deps.deliveryState.get(integrationId);
    if (!(await deps.deliveryState.noteResumed(integrationId))) return;
    const since = [state.failing_since, state.paused_since]
      .filter((at): at is string => at !== undefined)
      .sort()[0];
    // Events received a little before the first failure may have failed with it (queue lag).
    if (since)
      await deps.deliveryState.recordMissed(
        integrationId,
        new Date(Date.parse(since) - RESUME_MARGIN_MS).toISOString(),
      );
    await this.log(
      integrationId,
      'deliveries_resumed',
      `Deliveries to URL ${url} resumed: a trial request was answered. What was held back since ${since ?? 'the pause'} is replayed by housekeeping (within a minute once the integration is 5 minutes past its last change); the rest follows at its next retry.`,
      now,
    );
  }

  private record(
    writer: HistoryWriter,
    integration: Integration,
    event: LoggedEvent,
    status: DeliveryStatus,
    result: DispatchResult,
    now: Date,
    error?: string,
  ): void {
    const statusCode = 'status' in result.outcome ? result.outcome.status : undefined;
    writer.record(integration, event, status, {
      at: now.toISOString(),
      duration_ms: result.durationMs,
      ...(statusCode !== undefined && { status_code: statusCode }),
      ...(error !== undefined && { error }),
    });
  }

  private async stop(integrationId: string, reason: string): Promise<void> {
    await this.deps.stopper.stopIfStill(integrationId, reason);
    // Its next messages here see the stop at once, not after the kept copy's second.
    this.deps.integrations.forget(integrationId);
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
  ...(event.entity_id !== undefined && { entity_id: event.entity_id }),
});
