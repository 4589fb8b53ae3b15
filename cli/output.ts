/**
 * How the CLI prints: JSON (for scripts and pipes) or a table (for people), table by default on a terminal.
 */

export type OutputFormat = 'table' | 'json';

/** Rows and the columns to show of them; without one, an object prints as `key: value` lines. */
export interface TableView {
  rows: Record<string, unknown>[];
  columns: string[];
}

const cell = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** Aligned columns with a header line. */
export const formatTable = ({ rows, columns }: TableView): string => {
  const cells = rows.map((row) => columns.map((column) => cell(row[column])));
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...cells.map((line) => line[index]?.length ?? 0)),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.toUpperCase())), ...cells.map(line)].join('\n');
};

/** Prints `value` to stdout in the chosen format. */
export const printValue = (format: OutputFormat, value: unknown, table?: TableView): void => {
  if (format === 'json') {
    console.log(JSON.stringify(value, null, 2));
    return;
  }
  if (table) {
    console.log(table.rows.length > 0 ? formatTable(table) : '(none)');
    return;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) {
      console.log('OK');
      return;
    }
    const width = Math.max(...entries.map(([key]) => key.length));
    for (const [key, field] of entries) console.log(`${key.padEnd(width)}  ${cell(field)}`);
    return;
  }
  console.log(cell(value));
};
