/**
 * `npm run bench`: prints ratios measured side by side in one run, so they hold on any machine.
 * Sections run in order; BENCH_ONLY=bundles,webhook picks some of them.
 * Settings: BENCH_RUNS (cold-import rounds, default 15), BENCH_EVENTS (webhook events, default 2000),
 * BENCH_ROUNDS (webhook rounds, default 3), BENCH_CONCURRENCY (webhook requests in flight, a multiple of 10,
 * default 10), BENCH_S3_BYTES (bytes of events exported, default 52,000,000: one file), BENCH_S3_PAYLOAD (payload
 * bytes per exported event, default 10,000). Above 10, invocations run side by side in one module scope, unlike Lambda: Powertools then
 * warns "No application metrics to publish" whenever one invocation's flush has emptied the other's metrics.
 */
import { benchBundles } from './bundles.ts';
import { progress } from './report.ts';
import { benchS3Export } from './s3-export.ts';
import { benchWebhookThroughput } from './webhook-throughput.ts';

const positive = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${process.env[name]}`);
  return value;
};

const sections: Record<string, { title: string; run: () => Promise<void> }> = {
  bundles: {
    title: 'bundle size and cold import per function',
    run: () => benchBundles(positive('BENCH_RUNS', 15)),
  },
  webhook: {
    title: 'webhook delivery throughput vs a bare HTTP POST loop',
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
    run: () =>
      benchS3Export({
        bytes: positive('BENCH_S3_BYTES', 52_000_000),
        payloadBytes: positive('BENCH_S3_PAYLOAD', 10_000),
      }),
  },
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
  progress(`section ${name}: ${section.title}`);
  await section.run();
}
progress(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
