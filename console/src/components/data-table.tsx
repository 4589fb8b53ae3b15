import type { ComponentChildren } from 'preact';

interface DataTableProps<T> {
  /** Undefined while loading. */
  rows: readonly T[] | undefined;
  /** Read by screen readers (visually hidden: the heading above says it). */
  caption: string;
  /** Column headers; `false` leaves a column out (Actions, without the write scope). */
  columns: readonly (string | false)[];
  /** What to say when there are no rows. */
  empty: string;
  /** One `<tr>` per row, its cells in the order of `columns`. */
  row: (item: T) => ComponentChildren;
}

/** A table of API results with its loading and empty states. */
export const DataTable = <T,>({ rows, caption, columns, empty, row }: DataTableProps<T>) => {
  if (!rows) return <p>Loading…</p>;
  if (rows.length === 0) return <p>{empty}</p>;
  return (
    <table>
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.filter(Boolean).map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{rows.map(row)}</tbody>
    </table>
  );
};

/** The next page of a list the API pages with `next_token`, when there is one. */
export const LoadMore = ({
  nextToken,
  onLoad,
}: {
  nextToken: string | undefined;
  onLoad: (token: string) => void;
}) =>
  nextToken ? (
    <button type="button" onClick={() => onLoad(nextToken)}>
      Load more
    </button>
  ) : null;
