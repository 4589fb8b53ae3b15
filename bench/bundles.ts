import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Bundle, bundleFunction } from './bundle.ts';
import { coldImportMs, writeImportProbe } from './cold-import.ts';
import { BASELINE_SOURCE, FUNCTION_ENV, FUNCTIONS } from './functions.ts';
import { kib, median, printTable, progress, quantile, ratio } from './report.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Measured {
  name: string;
  bundle: Bundle;
  samples: number[];
}

/**
 * Bundle size and cold import time of every function, side by side with the baseline in the same run
 * (runs interleaved, so load from other processes on the machine hits all of them alike).
 */
export const benchBundles = async (runs: number): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  try {
    const targets: Measured[] = [];
    const bundleInto = async (name: string, input: Parameters<typeof bundleFunction>[0]) => {
      const outdir = join(dir, name);
      mkdirSync(outdir);
      const started = performance.now();
      const bundle = await bundleFunction(input, outdir);
      progress(`bundled ${name}: ${kib(bundle.bytes)} KiB in ${Math.round(performance.now() - started)} ms`);
      targets.push({ name, bundle, samples: [] });
    };
    await bundleInto('baseline (DynamoDB client)', { source: BASELINE_SOURCE, resolveDir: root });
    for (const fn of FUNCTIONS) await bundleInto(fn.name, { entry: join(root, fn.entry) });

    const probe = writeImportProbe(dir);
    // One discarded round: warms the file cache so the first measured run is not the only disk read.
    for (const target of targets) await coldImportMs(probe, target.bundle.file, FUNCTION_ENV);
    for (let run = 1; run <= runs; run++) {
      for (const target of targets)
        target.samples.push(await coldImportMs(probe, target.bundle.file, FUNCTION_ENV));
      if (run % 5 === 0 || run === runs) progress(`cold imports: ${run}/${runs} rounds`);
    }

    const [baseline] = targets;
    if (!baseline) return;
    const baselineMs = median(baseline.samples);
    console.log(
      `\nBundle size and cold import (median of ${runs} fresh node processes, node ${process.version})`,
    );
    printTable(
      ['function', 'size KiB', 'map KiB', 'size/base', 'import ms', 'p90 ms', 'import/base'],
      targets.map((target) => [
        target.name,
        kib(target.bundle.bytes),
        kib(target.bundle.mapBytes),
        ratio(target.bundle.bytes, baseline.bundle.bytes),
        median(target.samples).toFixed(1),
        quantile(target.samples, 0.9).toFixed(1),
        ratio(median(target.samples), baselineMs),
      ]),
    );
    console.log('\nLargest packages in each bundle (KiB of minified output)');
    for (const target of targets) {
      const top = target.bundle.byPackage.slice(0, 6).map(([name, bytes]) => `${name} ${kib(bytes)}`);
      console.log(`  ${target.name}: ${top.join(', ')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
