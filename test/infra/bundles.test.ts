import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ESBUILD_OPTIONS } from '../../bench/bundle.ts';
import { ALL_FUNCTIONS } from '../../bench/functions.ts';
import { root } from './synth.ts';

/**
 * Packages no function may ship. The X-Ray SDK has been in maintenance mode since 2026-02-25 and loses all
 * support on 2027-02-25: tracing comes from Lambda's active tracing, or OpenTelemetry through the ADOT layer.
 */
const FORBIDDEN_PACKAGES = ['aws-xray-sdk-core'];

/** The package a metafile input belongs to (`node_modules/@scope/name/...` → `@scope/name`), or undefined. */
const packageOf = (input: string): string | undefined => {
  const at = input.lastIndexOf('node_modules/');
  if (at === -1) return undefined;
  const [first = '', second = ''] = input.slice(at + 'node_modules/'.length).split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
};

describe('function bundles, built as AppFunction builds them', () => {
  let outdir: string;
  let metafile: Metafile;

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'bundles-'));
    // One build with every entry point: one bundle per function, as fast as esbuild goes.
    const result = await build({
      ...LAMBDA_ESBUILD_OPTIONS,
      entryPoints: Object.fromEntries(ALL_FUNCTIONS.map((fn) => [fn.name, join(root, fn.entry)])),
      outdir,
      outExtension: { '.js': '.mjs' },
      write: false,
      metafile: true,
      logLevel: 'error',
    });
    metafile = result.metafile;
  }, 60_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /** Packages each function's bundle takes an input from, by function name. */
  const packagesByFunction = (): Record<string, Set<string | undefined>> =>
    Object.fromEntries(
      Object.values(metafile.outputs)
        .filter((output) => output.entryPoint !== undefined)
        .map((output) => {
          const fn = ALL_FUNCTIONS.find((candidate) => output.entryPoint?.endsWith(candidate.entry));
          const packages = new Set(Object.keys(output.inputs).map(packageOf));
          return [fn?.name ?? output.entryPoint, packages];
        }),
    );

  it('builds one bundle per function the stack deploys', () => {
    expect(Object.keys(packagesByFunction()).sort()).toEqual(ALL_FUNCTIONS.map((fn) => fn.name).sort());
  });

  it('bundles no X-Ray SDK into any function', () => {
    // Read from the whole build, tree-shaken inputs included: a package imported and then dropped still counts.
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((input) => packageOf(input) === '@aws-sdk/client-dynamodb')).toBe(true);
    expect(inputs.filter((input) => FORBIDDEN_PACKAGES.includes(packageOf(input) ?? ''))).toEqual([]);
    for (const [name, packages] of Object.entries(packagesByFunction())) {
      expect(
        FORBIDDEN_PACKAGES.filter((pkg) => packages.has(pkg)),
        name,
      ).toEqual([]);
    }
  });
});
