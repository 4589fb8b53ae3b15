import type { DeliveryMessage } from '../../../lambdas/domain/messages.ts';
import type { HttpSender, SendResult } from '../../../lambdas/domain/ports/deliveries.ts';
import type { WebhookDelivery } from '../../../lambdas/use-cases/webhook-delivery.ts';
import { WebhookDispatcher } from '../../../lambdas/use-cases/webhook-dispatcher.ts';
import { ApiKeyAuthorizer } from './deliveries.ts';
import type { MemoryClock } from './platform.ts';
import { deliveryProcess } from './webhook-delivery.ts';
import type { MemoryWorld } from './world.ts';

/**
 * Virtual time: `wait` registers a timer, and `run` moves the clock to the next timer whenever every
 * promise is waiting on one. The interleaving of concurrent batches is then deterministic, with no sleep.
 */
export class VirtualTime {
  private timers: { at: number; resolve: () => void }[] = [];
  constructor(private readonly clock: MemoryClock) {}

  wait = (ms: number): Promise<void> =>
    new Promise((resolve) => this.timers.push({ at: this.clock.now().getTime() + Math.max(0, ms), resolve }));

  async run<T>(work: Promise<T>): Promise<T> {
    let finished = false;
    work.then(
      () => (finished = true),
      () => (finished = true),
    );
    while (!finished) {
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      if (finished) break;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift();
      if (!next) throw new Error('stalled: nothing to wait for');
      if (next.at > this.clock.now().getTime()) this.clock.set(new Date(next.at));
      next.resolve();
    }
    return work;
  }
}

/** A receiver that takes `latencyMs` of virtual time per request, recording when each arrived. */
export class TimedReceiver implements HttpSender {
  readonly arrivals: { at: number; eventId: string; headers: Record<string, string> }[] = [];
  open = 0;
  maxOpen = 0;
  /** Answers by arrival number (0-based); else `answer`'s, else 200. */
  readonly answers = new Map<number, { status: number; headers: Record<string, string> }>();
  /** Answers by request, for those `answers` does not name. */
  answer: (eventId: string, headers: Record<string, string>) => number = () => 200;

  constructor(
    private readonly time: VirtualTime,
    private readonly clock: MemoryClock,
    private readonly latencyMs: number,
  ) {}

  async post(_url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
    const index = this.arrivals.length;
    const eventId = (JSON.parse(body) as { id: string }).id;
    this.arrivals.push({ at: this.clock.now().getTime(), eventId, headers });
    this.open += 1;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    await this.time.wait(this.latencyMs);
    this.open -= 1;
    const answer = this.answers.get(index) ?? { status: this.answer(eventId, headers), headers: {} };
    return { ok: true, ...answer, excerpt: '', durationMs: this.latencyMs };
  }
}

/**
 * A webhook queue with `pollers` consumers side by side, each taking batches of up to 10 visible messages
 * and putting back what its delivery says to retry, as SQS and the local runtime do.
 */
export const drain = async (
  world: MemoryWorld,
  time: VirtualTime,
  messages: DeliveryMessage[],
  processes: WebhookDelivery[],
  /** How many messages a receive hands out at most (SQS: up to 10). */
  batchSize = 10,
) => {
  const start = world.clock.now();
  const queue = messages.map((message) => ({ message, visibleAt: 0, receives: 0, firstSentAt: start }));
  // What the deliveries themselves queue (a held message's fresh copy) joins the queue as SQS would hand it out.
  let followed = world.queues.webhook.sent.length;
  const follow = () => {
    for (const { body, delaySeconds } of world.queues.webhook.sent.slice(followed)) {
      const now = world.clock.now();
      queue.push({
        message: JSON.parse(body) as DeliveryMessage,
        visibleAt: now.getTime() + delaySeconds * 1000,
        receives: 0,
        firstSentAt: now,
      });
    }
    followed = world.queues.webhook.sent.length;
  };
  const poll = async (delivery: WebhookDelivery) => {
    while (queue.length > 0) {
      const now = world.clock.now().getTime();
      const batch = queue.filter((entry) => entry.visibleAt <= now).slice(0, batchSize);
      if (batch.length === 0) {
        await time.wait(100);
        continue;
      }
      for (const entry of batch) entry.visibleAt = Number.POSITIVE_INFINITY;
      const context = delivery.newBatch(batch.map((entry) => entry.message));
      const decisions = await Promise.all(
        batch.map((entry) =>
          delivery.deliver(
            entry.message,
            { attempt: ++entry.receives, firstSentAt: entry.firstSentAt },
            context,
          ),
        ),
      );
      await delivery.finishBatch(context);
      const after = world.clock.now().getTime();
      batch.forEach((entry, i) => {
        const decision = decisions[i];
        if (!decision || decision.done) queue.splice(queue.indexOf(entry), 1);
        else entry.visibleAt = after + decision.retryInSeconds * 1000;
      });
      follow();
    }
  };
  await time.run(Promise.all(processes.map(poll)));
  return queue;
};

/** The world's dispatcher, sending to `sender` instead of its fake one. */
export const dispatcherTo = (world: MemoryWorld, sender: HttpSender): WebhookDispatcher =>
  new WebhookDispatcher({
    secrets: world.secrets,
    sender,
    authorizer: new ApiKeyAuthorizer(),
    clock: world.clock,
    userAgent: 'event-stream-test',
  });

/**
 * A delivery process (a Lambda instance) of the world sending to `receiver` in virtual time: retries after 1,
 * 5 and 30 s, a day's stop window.
 */
export const timedProcess = (
  world: MemoryWorld,
  time: VirtualTime,
  receiver: HttpSender,
  retryBudgetMs = 3_600_000,
): WebhookDelivery =>
  deliveryProcess(world, {
    retryBudgetMs,
    stopWindowMs: 86_400_000,
    retryScheduleSeconds: [1, 5, 30],
    dispatcher: dispatcherTo(world, receiver),
    wait: time.wait,
  });
