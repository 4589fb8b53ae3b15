/**
 * `npm run bench`: prints ratios measured side by side in one run, so they hold on any machine.
 * Sections run one after another; add new ones (webhook delivery, S3 export, cost) below.
 * BENCH_RUNS sets the number of cold-import rounds (default 15).
 */
import { benchBundles } from './bundles.ts';
import { progress } from './report.ts';

const runs = Number(process.env.BENCH_RUNS ?? 15);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`BENCH_RUNS must be a positive integer, got ${process.env.BENCH_RUNS}`);

const started = performance.now();
progress('section: bundle size and cold import per function');
await benchBundles(runs);
progress(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
