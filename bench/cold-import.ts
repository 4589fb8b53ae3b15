import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Writes the probe a fresh `node` runs: it times only the bundle's import (module evaluation, clients and
 * config built at module scope), which is what a cold start adds on top of the runtime's own start.
 */
export const writeImportProbe = (dir: string): string => {
  const probe = join(dir, 'import-probe.mjs');
  writeFileSync(
    probe,
    [
      'const start = performance.now();',
      'await import(process.argv[2]);',
      'process.stdout.write(String(performance.now() - start));',
    ].join('\n'),
  );
  return probe;
};

/** Milliseconds one fresh `node` process takes to import `file`; rejects if the import throws. */
export const coldImportMs = async (
  probe: string,
  file: string,
  env: Record<string, string>,
): Promise<number> => {
  const { stdout } = await run(process.execPath, [probe, pathToFileURL(file).href], {
    // A clean environment: nothing of the parent (tsx loaders, AWS settings) leaks into the measurement.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    timeout: 20_000,
  });
  const ms = Number(stdout);
  if (!Number.isFinite(ms)) throw new Error(`Import probe printed ${JSON.stringify(stdout)} for ${file}`);
  return ms;
};
