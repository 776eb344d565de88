import type { ComponentChildren } from 'preact';

/** One column of a {@link DataTable}: its header, and what each row shows in it. */
export interface Column<T> {
  readonly header: ComponentChildren;
  readonly cell: (row: T) => ComponentChildren;
  /** The cell's class (`num`, `mono`, …). */
  readonly class?: string;
}

/** What a {@link DataTable} shows. */
export interface DataTableProps<T> {
  readonly rows: readonly T[];
  /** A falsy entry is left out, so a column only some roles see reads `isAdmin && { … }`. */
  readonly columns: readonly (Column<T> | false)[];
  readonly rowKey: (row: T) => string | number;
  /** Names the table; only screen readers get it unless `showCaption`. */
  readonly caption?: ComponentChildren;
  readonly showCaption?: boolean;
  /** Shown as a paragraph instead of a table without rows; without it an empty table is shown. */
  readonly empty?: string;
  readonly rowTestId?: (row: T) => string;
  readonly testId?: string;
}

/** A table with one header cell per column and one row per item, so a page lists only its columns. */
export function DataTable<T>(props: DataTableProps<T>) {
  const { rows, rowKey, caption, empty, rowTestId } = props;
  if (rows.length === 0 && empty !== undefined) return <p>{empty}</p>;
  const columns = props.columns.filter((column): column is Column<T> => column !== false);
  return (
    <table data-testid={props.testId}>
      {caption === undefined ? null : <caption class={props.showCaption ? undefined : 'sr-only'}>{caption}</caption>}
      <TableHead headers={columns.map((column) => column.header)} />
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} data-testid={rowTestId?.(row)}>
            {columns.map((column, i) => (
              <td key={i} class={column.class}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A table's header row, one column header per entry. */
export function TableHead({ headers }: { headers: readonly ComponentChildren[] }) {
  return (
    <thead>
      <tr>
        {headers.map((header, i) => (
          <th key={i} scope="col">
            {header}
          </th>
        ))}
      </tr>
    </thead>
  );
}
