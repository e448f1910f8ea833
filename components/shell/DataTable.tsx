"use client";
// The bank's data table: antd's Table with the defaults every list shares (row key "id", small rows, an accessible
// name, the empty text, a pager only once the rows run past one page), so a screen names only what differs.
import { Table, type TablePaginationConfig, type TableProps } from "antd";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";

/** Client-side pages: `size` rows each; `total` adds the "N in all" line; `always` keeps the pager on one page too. */
export type Pager = { size: number; total?: boolean; always?: boolean; sizeChanger?: false; defaultCurrent?: number };

export type DataTableProps<T> = Omit<TableProps<T>, "dataSource" | "pagination" | "locale" | "aria-label"> & {
  rows: readonly T[];
  /** The table's accessible name. */
  label?: string;
  empty?: ReactNode;
  /** Client-side paging; or `pagination` for a server-paged list (useServerPagination). Neither: every row, no pager. */
  pager?: Pager;
  pagination?: TablePaginationConfig;
  /** A totals row under the rows (none when there are no rows). */
  totals?: Totals;
};

/** `label` over the first `span` columns, then one right-aligned figure a column, then `rest` empty columns. */
export type Totals = { label: ReactNode; span?: number; figures: ReactNode[]; rest?: number };

function TotalsRow({ label, span = 1, figures, rest = 0 }: Totals) {
  return (
    <Table.Summary.Row>
      <Table.Summary.Cell index={0} colSpan={span > 1 ? span : undefined}>
        {label}
      </Table.Summary.Cell>
      {figures.map((figure, i) => (
        <Table.Summary.Cell key={i} index={span + i} align="right">
          {figure}
        </Table.Summary.Cell>
      ))}
      {rest > 0 && <Table.Summary.Cell index={span + figures.length} colSpan={rest} />}
    </Table.Summary.Row>
  );
}

export function DataTable<T extends object>({ rows, label, empty, pager, pagination, totals, rowKey = "id", size = "small", ...rest }: DataTableProps<T>) {
  const tc = useTranslations("common");
  const paged: TablePaginationConfig | false =
    pagination ??
    (pager && (pager.always || rows.length > pager.size)
      ? {
          pageSize: pager.size,
          ...(pager.total && { showTotal: (total: number) => tc("total", { total }) }),
          ...(pager.sizeChanger === false && { showSizeChanger: false }),
          ...(pager.defaultCurrent !== undefined && { defaultCurrent: pager.defaultCurrent }),
        }
      : false);
  return (
    <Table<T>
      {...rest}
      rowKey={rowKey}
      size={size}
      aria-label={label}
      dataSource={rows}
      pagination={paged}
      locale={empty === undefined ? undefined : { emptyText: empty }}
      summary={totals && (() => (rows.length ? <TotalsRow {...totals} /> : null))}
    />
  );
}
