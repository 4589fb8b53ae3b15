/**
 * The esbuild settings every Lambda is bundled with, as plain data (no CDK import): `AppFunction` turns
 * them into NodejsFunction bundling options and the benchmark bundles with the very same values, so the
 * sizes and import times it prints are those of what gets deployed.
 */

/** Node's `require` inside an ESM bundle, for the CommonJS dependencies esbuild inlines (AWS SDK, Powertools). */
export const ESM_REQUIRE_SHIM =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Node's options in every function (AppFunction sets them): stack traces through the bundle's source map.
 * The benchmark imports the bare-client baseline with them too, as a function of this stack would run.
 */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

export const LAMBDA_BUNDLING = {
  format: 'esm',
  platform: 'node',
  target: 'node24',
  minify: true,
  sourcemap: true,
  // Stack traces need the mappings, not the original sources: keeps the .map small to read at cold start.
  sourcesContent: false,
  // Prefer packages' ESM builds: better tree shaking and no CommonJS wrappers.
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_SHIM,
  // Everything is bundled, the AWS SDK included: a pinned SDK version and a smaller cold start than the
  // runtime's full SDK on disk.
  external: [] as string[],
} as const;
