import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { LoggedEvent } from '../lambdas/domain/event.ts';
import { eventLogStore, eventLogWriter } from '../lambdas/functions/parts/stores.ts';
import { REPLAY_ENTRY } from '../lambdas/functions/replay.ts';
import { parseConfig } from '../lambdas/shared/config.ts';
import { localSqsClient } from '../local/resources.ts';
import {
  benchPayload,
  INTEGRATIONS_PATH,
  sleep,
  startBenchPipeline,
  startTimingReceiver,
  waitFor,
} from './pipeline-latency.ts';
import { printTable, progress, ratio } from './report.ts';

export interface ReplayBenchOptions {
  /** Events written to the log and replayed. */
  events: number;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** Runs `work` with `concurrency` workers over `count` indexes. */
const pool = async (count: number, concurrency: number, work: (index: number) => Promise<void>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
};

/**
 * A replay of a large range to one webhook integration through the local runtime (a temporary integration
 * over a past range: replay queue, replay function page by page, webhook queue, delivery function), sampling
 * this process's heap and RSS every 100 ms. Baselines in the same run: the heap before the replay, the heap
 * of simply holding the whole range in memory (what the paged replay must avoid), and a bare POST loop of
 * the same bodies to the same receiver for throughput.
 */
export const benchReplayMemory = async (options: ReplayBenchOptions): Promise<void> => {
  const { events } = options;
  progress('replay: starting the local runtime');
  const receiver = await startTimingReceiver();
  const pipeline = await startBenchPipeline(
    {
      // No pause between pages and a 1 s settle: the replay runs flat out, so the bench measures the
      // pipeline rather than the pacing meant to leave room for live traffic.
      REPLAY_PAUSE_SECONDS: '0',
      REPLAY_SETTLE_SECONDS: '1',
      TEMPORARY_END_GRACE_SECONDS: '1',
    },
    { scheduleIntervalMs: 1000 },
  );
  try {
    // The event log as the replay function builds it, on the runtime's clients.
    const config = parseConfig(REPLAY_ENTRY, pipeline.runtime.env);
    const eventLog = eventLogStore(config, pipeline.runtime.platform);
    // Written as the fan-out writes it.
    const { FANOUT_ENTRY } = await import('../lambdas/functions/fanout.ts');
    const logWriter = eventLogWriter(
      parseConfig(FANOUT_ENTRY, pipeline.runtime.env),
      pipeline.runtime.platform,
    );
    progress(`replay: writing ${events} events into the event log`);
    const writeStarted = performance.now();
    const first = Date.now() - 10 * 60_000;
    const at = (n: number) => new Date(first + Math.floor((n * 5 * 60_000) / events)).toISOString();
    await pool(events, 32, async (n) => {
      const event: LoggedEvent = {
        id: crypto.randomUUID(),
        tenant: config.TENANT,
        published_at: at(n),
        received_at: at(n),
        ...benchPayload(n),
      };
      await logWriter.put(event);
      if ((n + 1) % 5000 === 0) progress(`replay: ${n + 1} events written`);
    });
    progress(`replay: written in ${((performance.now() - writeStarted) / 1000).toFixed(1)} s`);

    // Baseline heap: after a full collection (the child runs with --expose-gc), nothing in flight.
    await sleep(500);
    gc();
    const base = process.memoryUsage();
    let peakHeap = 0;
    let peakRss = 0;
    let peakLive = 0;
    let peakQueued = 0;
    const sample = () => {
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed - base.heapUsed);
      peakRss = Math.max(peakRss, now.rss - base.rss);
    };
    const sampler = setInterval(sample, 100);
    // Every second: the live heap (after a full collection; heapUsed alone includes garbage not yet collected)
    // and how many deliveries wait in the webhook queue, which fauxqs keeps in this process's heap.
    const sqs = localSqsClient(pipeline.runtime.endpoints);
    const webhookQueueUrl = pipeline.runtime.queues.WebhookQueue?.url ?? '';
    let sampling = true;
    const liveSampler = (async () => {
      while (sampling) {
        await sleep(1000);
        gc();
        peakLive = Math.max(peakLive, process.memoryUsage().heapUsed - base.heapUsed);
        const { Attributes = {} } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: webhookQueueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        peakQueued = Math.max(
          peakQueued,
          Object.values(Attributes).reduce((sum, value) => sum + Number(value), 0),
        );
      }
    })();

    const id = 'bench-replay';
    const started = performance.now();
    let replayMs: number;
    try {
      const registered = await pipeline.call('POST', INTEGRATIONS_PATH, {
        id,
        integration_type: 'temporary',
        starts_at: new Date(first - 60_000).toISOString(),
        ends_at: new Date(first + 6 * 60_000).toISOString(),
        callback_parameters: { callback_url: receiver.url('/replay') },
      });
      if (registered.status !== 200) throw new Error(`registration failed: ${registered.text}`);
      progress(`replay: temporary integration registered over the range; replaying ${events} events`);
      let reported = 0;
      await waitFor(
        () => {
          const arrived = receiver.distinct('/replay');
          if (arrived - reported >= 5000) {
            reported = arrived - (arrived % 5000);
            const seconds = ((performance.now() - started) / 1000).toFixed(1);
            progress(`replay: ${arrived} events arrived (${seconds} s)`);
          }
          return arrived >= events;
        },
        240_000,
        `all ${events} replayed events at the receiver`,
      );
      replayMs = performance.now() - started;
    } finally {
      // Also on failure: a live timer would keep the process from exiting.
      sample();
      clearInterval(sampler);
      sampling = false;
      await liveSampler.catch(() => undefined);
      sqs.destroy();
    }
    const arrived = receiver.distinct('/replay');
    if (arrived !== events) throw new Error(`expected ${events} distinct events, got ${arrived}`);
    const duplicates = receiver.requests() - arrived;

    // It finishes by itself: stops, logs and is deleted once everything up to ends_at went out.
    let finished = 'not within 45 s';
    const finishStarted = performance.now();
    try {
      await waitFor(
        async () => (await pipeline.call('GET', `$INTEGRATIONS_PATH/${id}`)).status === 404,
        45_000,
        'self-deletion',
      );
      finished = `${((performance.now() - finishStarted) / 1000).toFixed(1)} s after the last delivery`;
    } catch {
      // Reported below; the numbers above stand.
    }
    await pipeline.waitDrained(30_000);

    // Memory reference: the whole range held at once, as a replay without paging would.
    progress('replay: reading the whole range into memory (the reference a paged replay avoids)');
    gc();
    const before = process.memoryUsage().heapUsed;
    const held: LoggedEvent[] = [];
    for (let shard = 0; shard < 8; shard++) {
      let after: string | undefined;
      do {
        const page = await eventLog.readShard(
          shard,
          { from: new Date(first - 60_000).toISOString(), to: new Date().toISOString() },
          after,
          1000,
        );
        held.push(...page.items.map(({ item }) => item));
        after = page.lastEvaluatedSk;
      } while (after);
    }
    gc();
    const heldBytes = process.memoryUsage().heapUsed - before;
    if (held.length !== events) throw new Error(`read ${held.length} events back, expected ${events}`);
    held.length = 0;

    // Throughput baseline: the same number of POSTs of delivery-sized bodies to the same receiver, 10 in flight.
    progress(`replay: bare POST loop, ${events} requests, 10 in flight`);
    const body = JSON.stringify({ id: 'x', tenant: config.TENANT, published_at: at(0), ...benchPayload(0) });
    const bareStarted = performance.now();
    await pool(events, 10, async (n) => {
      const response = await fetch(receiver.url('/bare'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body.replace('"x"', `"bare-${n}"`),
      });
      await response.arrayBuffer();
    });
    const bareMs = performance.now() - bareStarted;

    const replayRate = (events * 1000) / replayMs;
    const bareRate = (events * 1000) / bareMs;
    console.log(
      `\nreplay of ${events} events to one webhook integration (temporary integration over a past range)`,
    );
    printTable(
      ['measure', 'value', 'vs baseline'],
      [
        ['events delivered (distinct ids)', String(arrived), ''],
        ['duplicate deliveries', String(duplicates), ''],
        [
          'replay: events/s, registration to last arrival',
          replayRate.toFixed(0),
          ratio(replayRate, bareRate),
        ],
        ['bare POST loop (10 in flight): requests/s', bareRate.toFixed(0), '1.00x'],
        ['peak live heap growth (after GC, each second), MiB', mib(peakLive), ratio(peakLive, heldBytes)],
        ['peak heap growth incl. garbage (every 100 ms), MiB', mib(peakHeap), ratio(peakHeap, heldBytes)],
        ['heap of the whole range held at once, MiB', mib(heldBytes), '1.00x'],
        ['peak RSS growth during the replay, MiB', mib(peakRss), ''],
        ['heap before the replay, MiB', mib(base.heapUsed), ''],
        ['peak deliveries waiting in the webhook queue (fauxqs, in this heap)', String(peakQueued), ''],
      ],
    );
    console.log(
      [
        `finished and deleted itself: ${finished}.`,
        'Heap samples every 100 ms cover this whole process: besides the replay and delivery handlers, fauxqs (the',
        'queued deliveries), the local API and the receiver (a set of the ids) run here too; DynamoDB Local runs in',
        'its JVM. Growth that does not scale with the range is what bounded means: compare with the range held at once.',
      ].join('\n'),
    );
  } finally {
    await pipeline.stop();
    await receiver.close();
  }
};
