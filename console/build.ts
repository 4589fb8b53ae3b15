import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/**
 * Builds the operator console (console/src, Preact + TypeScript) into the few files the console routes
 * serve: index.html, console.js, console.css. One esbuild run, about a quarter of a second, so the local
 * runtime builds it at start and the stack at synth: no build step to forget, no built files committed.
 */

const SOURCE = fileURLToPath(new URL('./src/main.tsx', import.meta.url));
const STYLES = fileURLToPath(new URL('./src/styles.css', import.meta.url));
const INDEX = fileURLToPath(new URL('./index.html', import.meta.url));

/** File name → contents, as served under `/console/`. */
export type ConsoleAssets = ReadonlyMap<string, Uint8Array>;

/** Bundles the console: everything it runs is in these files (no CDN, no fonts, nothing fetched elsewhere). */
export const buildConsoleAssets = (): ConsoleAssets => {
  const result = buildSync({
    entryPoints: { console: SOURCE, 'console-styles': STYLES },
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome120', 'firefox120', 'safari17'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'eof',
    logLevel: 'silent',
  });
  const assets = new Map<string, Uint8Array>([['index.html', readFileSync(INDEX)]]);
  for (const file of result.outputFiles) {
    const name = file.path.split(/[\\/]/).pop() ?? '';
    assets.set(name === 'console-styles.css' ? 'console.css' : name, file.contents);
  }
  return assets;
};

/** Writes the built console into `dir` (the stack ships it beside the console function's code). */
export const writeConsoleAssets = (dir: string, assets = buildConsoleAssets()): void => {
  mkdirSync(dir, { recursive: true });
  for (const [name, contents] of assets) writeFileSync(join(dir, name), contents);
};
