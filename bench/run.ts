/**
 * `npm run bench`: prints ratios measured side by side in one run, so they hold on any machine, and writes them
 * to bench/results.json, each section under its own key (bundles, webhook, s3, cost_usd_per_million, isolation).
 * Sections run in order; BENCH_ONLY=bundles,webhook picks some of them.
 * Settings: BENCH_RUNS (cold-import rounds, default 15), BENCH_EVENTS (webhook events, default 2000),
 * BENCH_ROUNDS (webhook rounds, default 3), BENCH_CONCURRENCY (webhook requests in flight, a multiple of 10,
 * default 10), BENCH_S3_BYTES (bytes of events exported, default 52,000,000: one file), BENCH_S3_PAYLOAD (payload
 * bytes per exported event, default 10,000), BENCH_LATENCY_EVENTS (latency: events one per request, and again in
 * requests of 100; default 300), BENCH_COST_EVENTS (cost: events per scenario, default 1000), BENCH_REPLAY_EVENTS
 * (replay: events replayed, default 20,000), BENCH_ORDERED_EVENTS and BENCH_ORDERED_ENTITIES (ordering: events over
 * entities, default 2000 over 100), BENCH_ISOLATION_SECONDS (isolation: length of the baseline and hanging
 * phases, default 40), BENCH_ISOLATION_RECOVERY_SECONDS (isolation: longest wait for the hanging receiver's events
 * once it answers again, default 600). Above 10, invocations run side by side in one module scope, unlike Lambda: Powertools then
 * warns "No application metrics to publish" whenever one invocation's flush has emptied the other's metrics.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { benchAwsCost } from './aws-cost.ts';
import { benchBundles } from './bundles.ts';
import { benchE2eThroughput } from './e2e-throughput.ts';
import { benchIsolation } from './isolation.ts';
import { benchOrderedThroughput } from './ordered-throughput.ts';
import { benchPipelineLatency } from './pipeline-latency.ts';
import { benchReplayMemory } from './replay-memory.ts';
import { progress } from './report.ts';
import { benchS3Export } from './s3-export.ts';
import { benchWebhookThroughput } from './webhook-throughput.ts';

const positive = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${process.env[name]}`);
  return value;
};

/**
 * `isolated` sections start the whole local runtime, whose handlers read their config and build their SDK clients
 * once, at import: a second runtime in the same process would reach the first one's stopped emulators. Each
 * runs in a process of its own (this script again, with BENCH_ONLY naming it), with --expose-gc for heap baselines.
 */
const sections: Record<string, { title: string; isolated?: true; run: () => Promise<void> }> = {
  bundles: {
    title: 'bundle size and cold import per function',
    run: () => benchBundles(positive('BENCH_RUNS', 15)),
  },
  webhook: {
    title: 'webhook delivery throughput vs a bare HTTP POST loop',
    isolated: true,
    run: () =>
      benchWebhookThroughput({
        events: positive('BENCH_EVENTS', 2000),
        integrations: 2,
        concurrency: positive('BENCH_CONCURRENCY', 10),
        rounds: positive('BENCH_ROUNDS', 3),
      }),
  },
  s3: {
    title: 'S3 export throughput vs a bare multipart upload; peak memory for one 50 MiB file',
    isolated: true,
    run: () =>
      benchS3Export({
        bytes: positive('BENCH_S3_BYTES', 52_000_000),
        payloadBytes: positive('BENCH_S3_PAYLOAD', 10_000),
      }),
  },
  e2e: {
    title: 'end-to-end throughput through the local runtime vs a bare POST loop of the same bodies',
    isolated: true,
    run: () =>
      benchE2eThroughput({
        events: positive('BENCH_E2E_EVENTS', 2000),
        integrations: 2,
        concurrency: 10,
      }),
  },
  latency: {
    title: 'end-to-end latency from ingest to receipt through the local runtime vs a bare POST',
    isolated: true,
    run: () => {
      const events = positive('BENCH_LATENCY_EVENTS', 300);
      return benchPipelineLatency({ single: events, rate: 20, batched: events });
    },
  },
  isolation: {
    title: 'one hanging webhook receiver: latency of the other integration, recovery of its events',
    isolated: true,
    run: () =>
      benchIsolation({
        seconds: positive('BENCH_ISOLATION_SECONDS', 40),
        rate: 20,
        recoverySeconds: positive('BENCH_ISOLATION_RECOVERY_SECONDS', 600),
      }),
  },
  ordering: {
    title: 'ordered delivery per entity: throughput against unordered, order at the receiver',
    isolated: true,
    run: () =>
      benchOrderedThroughput({
        events: positive('BENCH_ORDERED_EVENTS', 2000),
        entities: positive('BENCH_ORDERED_ENTITIES', 100),
      }),
  },
  cost: {
    title: 'AWS requests and USD per million events, beside EventBridge',
    isolated: true,
    run: () => benchAwsCost({ events: positive('BENCH_COST_EVENTS', 1000) }),
  },
  replay: {
    title: 'replay of 20,000 events to one webhook: peak heap, throughput vs a bare POST loop',
    isolated: true,
    run: () => benchReplayMemory({ events: positive('BENCH_REPLAY_EVENTS', 20_000) }),
  },
};

/** Runs one section in a child process of its own; throws if it fails. */
const runIsolated = async (name: string): Promise<void> => {
  const child = spawn(
    process.execPath,
    [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url)],
    {
      env: {
        // This script imports every section, and with them lambdas/shared/powertools.ts, whose logger and
        // metrics read these at import, before a section's runtime could set them: without them every
        // delivery prints its EMF metrics and every failed one an INFO line.
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        POWERTOOLS_METRICS_DISABLED: 'true',
        ...process.env,
        BENCH_ONLY: name,
        BENCH_CHILD: '1',
      },
      stdio: 'inherit',
    },
  );
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  if (code !== 0) throw new Error(`section ${name} failed (exit ${code ?? signal})`);
};

const only = process.env.BENCH_ONLY?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = only?.filter((name) => !(name in sections)) ?? [];
if (unknown.length > 0)
  throw new Error(
    `BENCH_ONLY names unknown sections (${unknown.join(', ')}); known: ${Object.keys(sections).join(', ')}`,
  );

const started = performance.now();
for (const [name, section] of Object.entries(sections)) {
  if (only && !only.includes(name)) continue;
  if (section.isolated && !process.env.BENCH_CHILD) {
    await runIsolated(name);
    continue;
  }
  progress(`section ${name}: ${section.title}`);
  await section.run();
}
if (!process.env.BENCH_CHILD) progress(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
