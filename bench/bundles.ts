import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAMBDA_NODE_OPTIONS } from '../lib/bundling.ts';
import { type Bundle, bundleFunction } from './bundle.ts';
import { coldImportMs, writeImportProbe } from './cold-import.ts';
import {
  BASELINE_SOURCE,
  clientPackages,
  clientsSource,
  FUNCTIONS,
  functionEnv,
  lambdaRuntimeEnv,
} from './functions.ts';
import { kib, median, printTable, progress, quantile, ratio, recordResults } from './report.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Measured {
  name: string;
  bundle: Bundle;
  /** Environment of the import: what the stack and Lambda set for this function. */
  env: Record<string, string>;
  /** Most size and import may be as a multiple of the baseline's; none for the baseline itself. */
  targetRatio?: number;
  samples: number[];
}

/**
 * What `bench/results.json` holds under `bundles`, per function: its ratios to the baseline, and those of its
 * SDK clients alone (`clients_*`), the least it could be while it uses them.
 */
export type BundleResults = Record<
  string,
  { size_ratio: number; import_ratio: number; clients_size_ratio: number; clients_import_ratio: number }
>;

/**
 * Bundle size and cold import time of every function, side by side with the baseline in the same run
 * (runs interleaved, so load from other processes on the machine hits all of them alike), against each
 * function's target; the ratios go to bench/results.json under `bundles`.
 */
export const benchBundles = async (runs: number): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  try {
    const targets: Measured[] = [];
    const bundled = async (
      name: string,
      input: Parameters<typeof bundleFunction>[0],
      env: Record<string, string>,
      targetRatio?: number,
    ): Promise<Measured> => {
      const outdir = join(dir, name);
      mkdirSync(outdir);
      const started = performance.now();
      const bundle = await bundleFunction(input, outdir);
      progress(`bundled ${name}: ${kib(bundle.bytes)} KiB in ${Math.round(performance.now() - started)} ms`);
      return { name, bundle, env, ...(targetRatio !== undefined && { targetRatio }), samples: [] };
    };
    // The baseline runs in a Lambda environment too (region, keys) and with the Node options AppFunction gives
    // every function (its bundle has a source map like theirs), without the stack's variables it never reads.
    targets.push(
      await bundled(
        'baseline (DynamoDB client)',
        { source: BASELINE_SOURCE, resolveDir: root },
        { ...lambdaRuntimeEnv('baseline'), NODE_OPTIONS: LAMBDA_NODE_OPTIONS },
      ),
    );
    for (const fn of FUNCTIONS) {
      targets.push(await bundled(fn.name, { entry: join(root, fn.entry) }, functionEnv(fn), fn.targetRatio));
    }
    // Each set of SDK clients a function uses, bundled alone like the baseline (same environment).
    const [baseline, ...functions] = targets;
    if (!baseline) return;
    const clientSets = new Map<string, string[]>();
    for (const fn of functions) {
      const packages = clientPackages(fn.bundle.byPackage);
      if (packages.length > 0) clientSets.set(packages.join(' + '), packages);
    }
    const floors = new Map<string, Measured>();
    for (const [set, packages] of clientSets) {
      const name = `clients: ${set.replaceAll('@aws-sdk/client-', '')}`;
      floors.set(
        set,
        await bundled(name, { source: clientsSource(packages), resolveDir: root }, baseline.env),
      );
    }
    const floorOf = (target: Measured) => floors.get(clientPackages(target.bundle.byPackage).join(' + '));
    const measured = [...targets, ...floors.values()];

    const probe = writeImportProbe(dir);
    // One discarded round: warms the file cache so the first measured run is not the only disk read.
    for (const target of measured) await coldImportMs(probe, target.bundle.file, target.env);
    for (let run = 1; run <= runs; run++) {
      for (const target of measured)
        target.samples.push(await coldImportMs(probe, target.bundle.file, target.env));
      if (run % 5 === 0 || run === runs) progress(`cold imports: ${run}/${runs} rounds`);
    }

    const baselineMs = median(baseline.samples);
    const results: BundleResults = {};
    const rows = targets.map((target) => {
      const sizeRatio = target.bundle.bytes / baseline.bundle.bytes;
      const importRatio = median(target.samples) / baselineMs;
      const floor = floorOf(target);
      if (target !== baseline) {
        results[target.name] = {
          size_ratio: sizeRatio,
          import_ratio: importRatio,
          clients_size_ratio: floor ? floor.bundle.bytes / baseline.bundle.bytes : 0,
          clients_import_ratio: floor ? median(floor.samples) / baselineMs : 0,
        };
      }
      const missed = [
        ...(target.targetRatio !== undefined && sizeRatio > target.targetRatio ? ['size'] : []),
        ...(target.targetRatio !== undefined && importRatio > target.targetRatio ? ['import'] : []),
      ];
      return [
        target.name,
        kib(target.bundle.bytes),
        kib(target.bundle.mapBytes),
        ratio(target.bundle.bytes, baseline.bundle.bytes),
        median(target.samples).toFixed(1),
        quantile(target.samples, 0.9).toFixed(1),
        ratio(median(target.samples), baselineMs),
        floor && target !== baseline ? ratio(floor.bundle.bytes, baseline.bundle.bytes) : '',
        floor && target !== baseline ? ratio(median(floor.samples), baselineMs) : '',
        target.targetRatio === undefined ? '' : `<= ${target.targetRatio.toFixed(1)}x`,
        target.targetRatio === undefined ? '' : missed.length === 0 ? 'yes' : `no (${missed.join(', ')})`,
      ];
    });
    console.log(
      `\nBundle size and cold import (median of ${runs} fresh node processes, node ${process.version})`,
    );
    printTable(
      [
        'function',
        'size KiB',
        'map KiB',
        'size/base',
        'import ms',
        'p90 ms',
        'import/base',
        'clients size',
        'clients import',
        'target',
        'met',
      ],
      rows,
    );
    const met = functions.filter((target) => rows.find((row) => row[0] === target.name)?.[10] === 'yes');
    console.log(`\n${met.length} of ${functions.length} functions within their target (size and import)`);
    console.log(
      "clients size / clients import: the function's AWS SDK clients alone, bundled and imported like the baseline",
    );
    for (const [set, floor] of floors)
      console.log(
        `  ${set}: ${kib(floor.bundle.bytes)} KiB, ${ratio(floor.bundle.bytes, baseline.bundle.bytes)} size, ${ratio(median(floor.samples), baselineMs)} import`,
      );
    console.log('\nLargest packages in each bundle (KiB of minified output)');
    for (const target of targets) {
      const top = target.bundle.byPackage.slice(0, 6).map(([name, bytes]) => `${name} ${kib(bytes)}`);
      console.log(`  ${target.name}: ${top.join(', ')}`);
    }
    recordResults('bundles', results);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
