import type { Integration } from '../domain/integration.ts';
import type { IntegrationLog } from '../domain/ports/integrations.ts';
import type { Clock } from '../domain/ports/platform.ts';
import type { RateLimiterStore } from '../domain/ports/rate-limits.ts';
import {
  admit,
  claimRateLog,
  currentState,
  type RateChange,
  type RateGrant,
  type RateLimit,
  type RateLimitStateView,
  type RateState,
  rateView,
  release,
  SEND_TOLERANCE_MS,
  throttle,
} from '../domain/rate-limit.ts';

export interface RateGateDeps {
  store: RateLimiterStore;
  logs: Pick<IntegrationLog, 'append'>;
  clock: Clock;
  /** Waits this long (a timer; virtual time in tests). */
  wait: (ms: number) => Promise<void>;
  /** A fresh id for each batch's lease of lanes. */
  newLeaseId: () => string;
}

/** How much longer than the batch's written pause a later 429's pause must be to be written too. */
const PAUSE_GRAIN_MS = 1000;

/** May send now, or must come back at `heldUntil` (epoch ms) without a request. */
export type Turn = { go: true } | { go: false; heldUntil: number };

/**
 * Holds each rate-limited webhook integration to its `rate_limit` across every delivery process, with one
 * write of the shared limiter state per batch and integration to take slots and lanes, and one more at the
 * batch's end to give lanes back (`max_in_flight`) or count successes (while the rate is below its limit).
 * Integrations without a `rate_limit` never reach it.
 */
export class RateGate {
  constructor(private readonly deps: RateGateDeps) {}

  /** The limits of one delivery batch; `expected` says how many of its messages each integration has. */
  batch(expected: ReadonlyMap<string, number>): RateBatch {
    return new RateBatch(this, expected);
  }

  /** What GET shows of an integration's limiter. */
  async view(integration: Integration): Promise<RateLimitStateView | undefined> {
    const limit = integration.callback_parameters?.rate_limit;
    if (!limit) return undefined;
    const stored = await this.deps.store.get(integration.id);
    return rateView(stored, limit, integration.created_at, this.deps.clock.now().getTime());
  }

  /** @internal Takes what one batch may send of `requested` messages. */
  async admit(integration: Integration, limit: RateLimit, requested: number, leaseId: string) {
    const now = this.deps.clock.now().getTime();
    return this.change(integration, limit, (state) => {
      const { state: next, grant } = admit(state, limit, requested, leaseId, now);
      return { state: next, result: grant };
    });
  }

  /** @internal Gives a batch's lanes back and counts its successes. */
  async release(integration: Integration, limit: RateLimit, leaseId: string, delivered: number) {
    const now = this.deps.clock.now().getTime();
    await this.change(integration, limit, (state) => ({
      ...release(state, limit, leaseId, delivered, now),
      result: undefined,
    }));
  }

  /** @internal A 429: pauses the integration until `pausedUntil` (epoch ms) and halves its rate. */
  async throttled(integration: Integration, limit: RateLimit, pausedUntil: number): Promise<void> {
    const now = this.deps.clock.now().getTime();
    await this.change(integration, limit, (state) => ({
      ...throttle(state, pausedUntil, now),
      result: undefined,
    }));
  }

  /** @internal */
  wait(ms: number): Promise<void> {
    return ms > 0 ? this.deps.wait(ms) : Promise.resolve();
  }

  /** @internal */
  now(): number {
    return this.deps.clock.now().getTime();
  }

  /** @internal */
  newLeaseId(): string {
    return this.deps.newLeaseId();
  }

  /** Writes a change of the state; a change of the rate is logged, at most once a minute per integration. */
  private async change<T>(
    integration: Integration,
    limit: RateLimit,
    apply: (state: RateState) => { state: RateState; result: T; change?: RateChange },
  ): Promise<T> {
    const now = this.deps.clock.now();
    const { result, logged } = await this.deps.store.update(integration.id, (stored) => {
      const { state, result, change } = apply(currentState(stored, limit, integration.created_at));
      const claimed = change ? claimRateLog(state, now.getTime()) : undefined;
      return { state: claimed ?? state, result: { result, logged: claimed ? change : undefined } };
    });
    if (logged) {
      await this.deps.logs.append(integration.id, [
        {
          action: 'rate_changed',
          reason: `Rate of requests to URL ${integration.callback_parameters?.callback_url} ${logged.reason} (was ${logged.from}/s).`,
          created_at: now.toISOString(),
        },
      ]);
    }
    return result;
  }
}

/** One integration's share of a batch: what the limiter granted and how much of it is used. */
class Allotment {
  taken = 0;
  delivered = 0;
  /** A 429 seen in this batch: nothing more is sent before this. */
  pausedUntil = 0;
  /** The latest write of a pause by this batch, and the time it pauses the integration until. */
  pauseWrite: { until: number; done: Promise<void> } | undefined;
  private freeLanes: number;
  private readonly queue: (() => void)[] = [];

  constructor(
    readonly integration: Integration,
    readonly limit: RateLimit,
    readonly leaseId: string,
    readonly grant: RateGrant,
  ) {
    this.freeLanes = grant.lanes;
  }

  async lane(): Promise<void> {
    if (this.freeLanes > 0) {
      this.freeLanes -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  laneBack(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.freeLanes += 1;
  }
}

/** A granted place: the slot its request may leave at (epoch ms), within its integration's allotment. */
export interface RateTicket {
  slotAt: number;
  allotment: Allotment;
}

/** The rate limits of one delivery batch (see RateGate). */
export class RateBatch {
  private readonly allotments = new Map<string, Promise<Allotment>>();

  constructor(
    private readonly gate: RateGate,
    private readonly expected: ReadonlyMap<string, number>,
  ) {}

  /**
   * A place for one message of a rate-limited integration: the first message of the integration asks the
   * limiter for all of the batch's messages of it, the others share what it got.
   */
  async take(integration: Integration, limit: RateLimit): Promise<RateTicket | { heldUntil: number }> {
    let pending = this.allotments.get(integration.id);
    if (!pending) {
      const leaseId = this.gate.newLeaseId();
      const requested = Math.max(1, this.expected.get(integration.id) ?? 1);
      pending = this.gate
        .admit(integration, limit, requested, leaseId)
        .then((grant) => new Allotment(integration, limit, leaseId, grant));
      this.allotments.set(integration.id, pending);
    }
    const allotment = await pending;
    const { grant } = allotment;
    if (allotment.taken >= grant.granted) return { heldUntil: grant.retry_at };
    const index = allotment.taken++;
    return { slotAt: grant.first_slot_at + index * grant.interval_ms, allotment };
  }

  /**
   * Waits for a lane and the ticket's slot. Held when a 429 of this batch paused the integration
   * meanwhile; `done` must follow a `go`.
   */
  async turn(ticket: RateTicket): Promise<Turn> {
    const { allotment } = ticket;
    await allotment.lane();
    await this.gate.wait(ticket.slotAt - this.gate.now());
    const now = this.gate.now();
    if (allotment.pausedUntil > now) {
      allotment.laneBack();
      return { go: false, heldUntil: allotment.pausedUntil };
    }
    // Sent later than its slot allows (its lane freed late), it could crowd the next slot's request into
    // one second with too many others: it waits for a slot of its own instead.
    if (now > ticket.slotAt + SEND_TOLERANCE_MS) {
      allotment.laneBack();
      return { go: false, heldUntil: now };
    }
    return { go: true };
  }

  /** The request of a ticket ended: its lane is free; a success counts towards a higher rate. */
  done(ticket: RateTicket, delivered: boolean): void {
    if (delivered) ticket.allotment.delivered += 1;
    ticket.allotment.laneBack();
  }

  /** A 429: the integration pauses until `pausedUntil` (epoch ms) here at once, and everywhere with the write. */
  async throttled(ticket: RateTicket, pausedUntil: number): Promise<void> {
    const { allotment } = ticket;
    allotment.pausedUntil = Math.max(allotment.pausedUntil, pausedUntil);
    // Requests in flight together get their 429s together: a write of this batch's that pauses everyone
    // until at most a second before this one (Retry-After counts whole seconds) stands for it too.
    const earlier = allotment.pauseWrite;
    if (earlier && pausedUntil <= earlier.until + PAUSE_GRAIN_MS) {
      try {
        await earlier.done;
        return;
      } catch {
        // That write failed: this 429 writes its own pause.
      }
    }
    const write = {
      until: pausedUntil,
      done: this.gate.throttled(allotment.integration, allotment.limit, pausedUntil),
    };
    allotment.pauseWrite = write;
    try {
      await write.done;
    } catch (error) {
      if (allotment.pauseWrite === write) allotment.pauseWrite = undefined;
      throw error;
    }
  }

  /** Gives the batch's lanes back and counts its successes, where that changes the shared state. */
  async finish(): Promise<void> {
    const allotments = await Promise.allSettled(this.allotments.values());
    await Promise.all(
      allotments.map(async (settled) => {
        if (settled.status !== 'fulfilled') return;
        const { integration, limit, leaseId, grant, delivered } = settled.value;
        const holdsLanes = limit.max_in_flight !== undefined && grant.lanes > 0;
        // Successes only raise a rate below its limit: at the limit they need no write.
        if (!holdsLanes && !(grant.recovering && delivered > 0)) return;
        await this.gate.release(integration, limit, leaseId, delivered);
      }),
    );
  }
}
