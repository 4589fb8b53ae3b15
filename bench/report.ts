/** Small helpers shared by the benchmark sections: statistics, a plain-text table and the results file. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** The value at quantile `q` (0..1), nearest rank. */
export const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
};

export const kib = (bytes: number): string => (bytes / 1024).toFixed(1);
export const ratio = (value: number, baseline: number): string => `${(value / baseline).toFixed(2)}x`;

/** Prints rows under a header, columns padded; numbers right-aligned. */
export const printTable = (header: readonly string[], rows: ReadonlyArray<readonly string[]>): void => {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
};

export const progress = (message: string): void => {
  console.log(`[bench] ${message}`);
};

/** Where `npm run bench` leaves its ratios: one machine's measurement, never committed. */
export const RESULTS_FILE = fileURLToPath(new URL('results.json', import.meta.url));

/**
 * Sets `key` in bench/results.json to `value`, keeping what other sections wrote there (read, set, write);
 * returns the file's path.
 */
export const writeResults = (key: string, value: unknown, file = RESULTS_FILE): string => {
  const results: Record<string, unknown> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  results[key] = value;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
};

/** A section's figures for bench/results.json: numbers, nested under names. */
export type Figures = number | { readonly [name: string]: Figures };

/** Two decimals: more would only be this machine's noise. */
const rounded = (figures: Figures): Figures =>
  typeof figures === 'number'
    ? Math.round(figures * 100) / 100
    : Object.fromEntries(Object.entries(figures).map(([name, value]) => [name, rounded(value)]));

/** Writes a section's figures, rounded to 2 decimals, under `key` in bench/results.json and says so. */
export const recordResults = (key: string, figures: Figures): void => {
  const value = rounded(figures);
  progress(`${key} written to ${writeResults(key, value)}: ${JSON.stringify(value)}`);
};
