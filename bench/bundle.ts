import { statSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { LAMBDA_BUNDLING } from '../lib/bundling.ts';

export interface Bundle {
  /** The ESM module Lambda would load (`index.mjs`). */
  file: string;
  bytes: number;
  mapBytes: number;
  /** Output bytes per package (`@scope/name`, `name`) or `(own code)`, largest first. */
  byPackage: Array<[string, number]>;
}

/** `.../node_modules/@smithy/core/dist/x.js` → `@smithy/core`; files outside node_modules are ours. */
const packageOf = (inputPath: string): string => {
  const at = inputPath.lastIndexOf('node_modules/');
  if (at === -1) return '(own code)';
  const [first = '', second = ''] = inputPath.slice(at + 'node_modules/'.length).split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
};

export type BundleInput = { entry: string } | { source: string; resolveDir: string };

/**
 * esbuild options of every Lambda bundle, from the settings `AppFunction` hands NodejsFunction (which passes
 * them to esbuild as `--target`, `--platform=node`, `--format`, `--minify`, `--sourcemap`,
 * `--sources-content`, `--banner:js`, `--main-fields` and `--external`, with `--bundle`).
 */
export const LAMBDA_ESBUILD_OPTIONS = {
  bundle: true,
  format: LAMBDA_BUNDLING.format,
  platform: LAMBDA_BUNDLING.platform,
  target: LAMBDA_BUNDLING.target,
  minify: LAMBDA_BUNDLING.minify,
  sourcemap: LAMBDA_BUNDLING.sourcemap,
  sourcesContent: LAMBDA_BUNDLING.sourcesContent,
  mainFields: [...LAMBDA_BUNDLING.mainFields],
  banner: { js: LAMBDA_BUNDLING.banner },
  external: [...LAMBDA_BUNDLING.external],
} satisfies BuildOptions;

/** Bundles one function exactly as `AppFunction` does (same esbuild settings) into `outdir/index.mjs`. */
export const bundleFunction = async (input: BundleInput, outdir: string): Promise<Bundle> => {
  const file = join(outdir, 'index.mjs');
  const result = await build({
    ...('entry' in input
      ? { entryPoints: [input.entry] }
      : {
          stdin: {
            contents: input.source,
            resolveDir: input.resolveDir,
            sourcefile: 'baseline.ts',
            loader: 'ts',
          },
        }),
    ...LAMBDA_ESBUILD_OPTIONS,
    outfile: file,
    logLevel: 'warning',
    metafile: true,
  });
  const sizes = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [inputPath, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(inputPath);
      sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
    }
  }
  const byPackage = [...sizes].sort((a, b) => b[1] - a[1]);
  return { file, bytes: statSync(file).size, mapBytes: statSync(`${file}.map`).size, byPackage };
};
