import { breakerSettingsFor } from '../lambdas/domain/circuit-breaker.ts';
import { DEFAULT_RETRY_SCHEDULE_SECONDS } from '../lambdas/domain/delivery-rules.ts';
import type { LogEntry } from '../lambdas/domain/integration.ts';
import { WEBHOOK_QUEUE } from '../lib/resource-definitions.ts';
import {
  type BenchPipeline,
  benchPayload,
  INTEGRATIONS_PATH,
  type Published,
  publishPaced,
  startBenchPipeline,
  startTimingReceiver,
  type TimingReceiver,
  waitFor,
} from './pipeline-latency.ts';
import { printTable, progress, quantile, ratio, recordResults } from './report.ts';

export interface IsolationBenchOptions {
  /** Length of each measured phase (baseline, hanging), in seconds. */
  seconds: number;
  /** Events per second, one per ingest request; both integrations take every event. */
  rate: number;
  /** How long to wait at most for the hanging receiver's events once it answers again. */
  recoverySeconds: number;
}

const A = 'bench-isolation-a';
const B = 'bench-isolation-b';
/** What the local runtime's delivery poller runs side by side by default (local/sqs-poller.ts). */
const LOCAL_DELIVERY_SLOTS = Math.min(WEBHOOK_QUEUE.consumer?.maxConcurrency ?? 4, 4);
const BUCKET_MS = 5000;

const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(1)}`);

/** Ingest-to-receipt latency (ms) of each published event at `receiver`; events that never came are left out. */
const latencies = (published: Published, receiver: TimingReceiver): number[] =>
  [...published.sent].flatMap(([id, sent]) => {
    const arrived = receiver.arrivals.get(id);
    return arrived === undefined ? [] : [arrived - sent];
  });

/**
 * Waits until every event of `published` reached `receiver` (answered 200), or `timeoutMs` passed, saying
 * how many have every 10 s; how many arrived and how long it took.
 */
const awaitArrivals = async (
  receiver: TimingReceiver,
  published: Published,
  timeoutMs: number,
  label: string,
): Promise<{ arrived: number; seconds: number; complete: boolean }> => {
  const ids = [...published.sent.keys()];
  const arrived = () => ids.filter((id) => receiver.arrivals.has(id)).length;
  const started = performance.now();
  let noted = started;
  const complete = await waitFor(
    () => {
      const count = arrived();
      if (performance.now() - noted >= 10_000) {
        noted = performance.now();
        progress(
          `isolation: ${label}: ${count}/${ids.length} after ${((noted - started) / 1000).toFixed(0)} s`,
        );
      }
      return count === ids.length;
    },
    timeoutMs,
    label,
  ).then(
    () => true,
    () => false,
  );
  return { arrived: arrived(), seconds: (performance.now() - started) / 1000, complete };
};

/**
 * The delivery function's work since the last reset, which is what holds the poller's slots, and the AWS calls
 * of the whole pipeline (parked messages are received, read and put back again).
 */
const phaseWork = (pipeline: BenchPipeline, phaseMs: number): string[] => {
  const usage = pipeline.usage.get(WEBHOOK_QUEUE.consumer?.functionId ?? '');
  const calls = (prefix: string) =>
    pipeline.requests
      .snapshot()
      .filter(([name]) => name.startsWith(prefix))
      .reduce((sum, [, entry]) => sum + entry.calls, 0);
  return [
    String(usage?.invocations ?? 0),
    String(usage?.records ?? 0),
    String((usage?.records ?? 0) - (usage?.deleted ?? 0)),
    usage ? (usage.ms / usage.invocations).toFixed(0) : '-',
    usage ? (usage.ms / phaseMs).toFixed(2) : '-',
    String(calls('DynamoDB.')),
    String(calls('SQS.ChangeMessageVisibility')),
  ];
};

/**
 * Issue 11, isolation: does one hanging webhook receiver slow the other integrations? Two webhook
 * integrations, A and B, take every event; events go in one per request at `rate`/s. Baseline with both
 * receivers answering 200 at once; then A's receiver holds every request open (each delivery runs into
 * DELIVERY_TIMEOUT_MS); B's ingest-to-receipt latency is measured in both (receipt at B's receiver minus the
 * moment the ingest request was sent). Then A answers again and the bench waits for every event A missed.
 * Production settings throughout (timeout, retry schedule, circuit breaker); the local runtime's pollers.
 */
export const benchIsolation = async (options: IsolationBenchOptions): Promise<void> => {
  const receivers: TimingReceiver[] = [];
  let pipeline: BenchPipeline | undefined;
  try {
    const a = await startTimingReceiver();
    receivers.push(a);
    const b = await startTimingReceiver();
    receivers.push(b);
    progress('isolation: starting the local runtime (emulators, API, pollers), production delivery settings');
    pipeline = await startBenchPipeline({});
    const bench = pipeline;
    for (const [id, receiver] of [
      [A, a],
      [B, b],
    ] as const) {
      const registered = await bench.call('POST', INTEGRATIONS_PATH, {
        id,
        integration_type: 'permanent',
        callback_parameters: { callback_url: receiver.url(`/${id}`) },
      });
      if (registered.status !== 200) throw new Error(`registration of ${id} failed: ${registered.text}`);
    }

    let next = 0;
    const publish = (count: number) =>
      publishPaced(
        bench,
        Array.from({ length: count }, () => [benchPayload(next++)]),
        1000 / options.rate,
      );
    const deliverBoth = async (published: Published, label: string) => {
      for (const receiver of [a, b]) {
        const { complete } = await awaitArrivals(receiver, published, 120_000, label);
        if (!complete) throw new Error(`${label}: not every event reached both receivers in 120 s`);
      }
      await bench.waitDrained(60_000);
    };

    progress('isolation: warm-up (20 events)');
    await deliverBoth(await publish(20), 'warm-up');

    const events = options.seconds * options.rate;
    const phase = async (label: string) => {
      progress(`isolation: ${label}: ${events} events, ${options.rate}/s for ${options.seconds} s`);
      bench.resetUsage();
      bench.requests.reset();
      const started = performance.now();
      const published = await publish(events);
      const wait = await awaitArrivals(b, published, 300_000, `${label}: events at B`);
      const ms = performance.now() - started;
      progress(
        `isolation: ${label}: ${wait.arrived}/${events} at B, ${wait.seconds.toFixed(1)} s after publishing`,
      );
      return {
        published,
        latencies: latencies(published, b),
        work: phaseWork(bench, ms),
        missing: events - wait.arrived,
      };
    };

    const baseline = await phase('baseline, both receivers healthy');
    progress('isolation: baseline: waiting for A too, and for the queues to drain');
    await deliverBoth(baseline.published, 'baseline');

    a.hang(true);
    const hanging = await phase("A's receiver hanging");
    const heldDuringHang = a.held();

    a.hang(false);
    progress(
      `isolation: recovery: A answers 200 again; waiting up to ${options.recoverySeconds} s for its ${events} events ` +
        '(parked messages come back on their retry schedule: 10 s, 1 min, 5 min, 15 min...)',
    );
    const recovery = await awaitArrivals(
      a,
      hanging.published,
      options.recoverySeconds * 1000,
      'recovery: events at A',
    );
    const logs = await bench.call('GET', `${INTEGRATIONS_PATH}/${A}/logs`);
    const entries = logs.status === 200 ? ((logs.body as { entries: LogEntry[] }).entries ?? []) : [];

    // The report.
    const p50 = (values: number[]) => quantile(values, 0.5);
    const p95 = (values: number[]) => quantile(values, 0.95);
    const max = (values: number[]) => Math.max(...values);
    const p50Ratio = p50(hanging.latencies) / p50(baseline.latencies);
    const p95Ratio = p95(hanging.latencies) / p95(baseline.latencies);
    const breaker = breakerSettingsFor(DEFAULT_RETRY_SCHEDULE_SECONDS);
    console.log(
      `\nisolation: integration B's latency, ingest request sent → arrival at B's receiver (ms), ` +
        `${options.rate} events/s one per request, both integrations take every event, ` +
        `DELIVERY_TIMEOUT_MS ${bench.runtime.env.DELIVERY_TIMEOUT_MS ?? '10000 (default)'}, ` +
        `retry schedule ${bench.runtime.env.RETRY_SCHEDULE_SECONDS ?? `${DEFAULT_RETRY_SCHEDULE_SECONDS.join(',')} s (default)`}, ` +
        `breaker: opens after ${breaker.failureThreshold} consecutive failures or ${breaker.hangingThreshold} requests hanging, first trial after ${breaker.cooldownMs / 1000} s`,
    );
    const row = (label: string, phaseResult: typeof baseline) => [
      label,
      String(phaseResult.latencies.length),
      String(phaseResult.missing),
      fmt(p50(phaseResult.latencies)),
      fmt(p95(phaseResult.latencies)),
      fmt(max(phaseResult.latencies)),
    ];
    printTable(
      ['B, phase', 'events', 'missing', 'p50', 'p95', 'max'],
      [
        row('baseline (A healthy)', baseline),
        row('A hanging', hanging),
        [
          'ratio hanging / baseline',
          '',
          '',
          ratio(p50(hanging.latencies), p50(baseline.latencies)),
          ratio(p95(hanging.latencies), p95(baseline.latencies)),
          ratio(max(hanging.latencies), max(baseline.latencies)),
        ],
      ],
    );
    console.log(`target: B's p95 ratio ≤ 2 → met: ${p95Ratio <= 2 ? 'yes' : 'no'} (${p95Ratio.toFixed(2)})`);

    console.log(`\nB's latency while A hangs, by when the event was sent (${BUCKET_MS / 1000} s buckets)`);
    const start = Math.min(...hanging.published.sent.values());
    const buckets = new Map<number, number[]>();
    for (const [id, sent] of hanging.published.sent) {
      const arrived = b.arrivals.get(id);
      if (arrived === undefined) continue;
      const bucket = Math.floor((sent - start) / BUCKET_MS);
      buckets.set(bucket, [...(buckets.get(bucket) ?? []), arrived - sent]);
    }
    printTable(
      ['sent at (s)', 'events', 'p50', 'p95', 'max'],
      [...buckets]
        .sort(([x], [y]) => x - y)
        .map(([bucket, values]) => [
          `${(bucket * BUCKET_MS) / 1000}-${((bucket + 1) * BUCKET_MS) / 1000}`,
          String(values.length),
          fmt(p50(values)),
          fmt(p95(values)),
          fmt(max(values)),
        ]),
    );

    console.log(
      `\ndelivery function per phase (local poller: ${LOCAL_DELIVERY_SLOTS} invocations side by side, batches of ` +
        `${WEBHOOK_QUEUE.consumer?.batchSize}; an invocation ends with its slowest message)`,
    );
    printTable(
      [
        'phase',
        'invocations',
        'records',
        'put back',
        'ms/invocation',
        'slots busy (avg)',
        'DynamoDB calls',
        'ChangeMessageVisibility',
      ],
      [
        ['baseline', ...baseline.work],
        ['A hanging', ...hanging.work],
      ],
    );
    console.log(
      `A's receiver got ${heldDuringHang} requests while hanging (each held until the delivery timeout), for ` +
        `${events} events.`,
    );

    console.log("\nrecovery: A's receiver answers 200 again");
    printTable(
      ['A, events of the hanging phase', 'published', 'delivered', 'share', 'waited (s)', 'all delivered'],
      [
        [
          'after recovery',
          String(events),
          String(recovery.arrived),
          `${((100 * recovery.arrived) / events).toFixed(1)} %`,
          recovery.seconds.toFixed(1),
          recovery.complete ? 'yes' : `no (cap ${options.recoverySeconds} s)`,
        ],
      ],
    );

    console.log(`\nA's integration log (GET ${INTEGRATIONS_PATH}/${A}/logs: ${logs.status})`);
    const counts = new Map<string, number>();
    for (const entry of entries) counts.set(entry.action, (counts.get(entry.action) ?? 0) + 1);
    console.log(
      `entries by action: ${[...counts].map(([action, count]) => `${action} ${count}`).join(', ') || 'none'}`,
    );
    for (const action of ['deliveries_paused', 'deliveries_resumed'])
      console.log(`${action}: ${counts.has(action) ? 'yes' : 'no'}`);
    for (const entry of [...entries].reverse().filter((e) => e.action.startsWith('deliveries_')))
      console.log(`  ${entry.created_at} ${entry.action}: ${entry.reason}`);

    recordResults('isolation', {
      p50_ratio: p50Ratio,
      p95_ratio: p95Ratio,
      baseline_p95_ms: p95(baseline.latencies),
      hanging_p95_ms: p95(hanging.latencies),
      recovered: recovery.arrived / events,
    });
  } finally {
    await pipeline?.stop().catch((error: unknown) => console.error('isolation: runtime stop failed:', error));
    for (const receiver of receivers)
      await receiver
        .close()
        .catch((error: unknown) => console.error('isolation: receiver close failed:', error));
  }
};
