"use client";
// The customer list used by /customers and the RM and supervisor homes. Data comes from GET /api/v1/customers,
// which applies the caller's scope; this component only holds the filters, sorting and paging.
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import type { TableProps } from "antd";
import { useTranslations } from "next-intl";
import { useEffect, useState, type ReactNode } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { getJson, queryString } from "@/components/shell/api";
import { QueryError } from "@/components/shell/QueryError";
import { useServerPagination } from "@/components/shell/pagination";
import type { CustomerRow } from "@/lib/customers/queries";
import type { Classification, CustomerStatus } from "@/lib/vocabulary";
import { useCustomerColumns, type CustomerSortKey } from "./customerColumns";
import { CustomerFilterBar } from "./CustomerFilterBar";

type Order = "asc" | "desc";

export type CustomerFilters = {
  q?: string;
  branchId?: number;
  rmId?: number;
  status?: CustomerStatus;
  industry?: string;
  classification?: Classification;
  page: number;
  pageSize: number;
  sort: CustomerSortKey;
  order: Order;
};

type Option = { id: number; name: string };
type ListResponse = { rows: CustomerRow[]; total: number; page: number; pageSize: number };

const DEFAULTS: CustomerFilters = { page: 1, pageSize: 20, sort: "customerNo", order: "asc" };

export function CustomerTable({
  branches,
  rms,
  initial,
  syncUrl = false,
  showBranch = true,
  showRm = true,
  title,
  emptyHint,
}: {
  /** Offer a branch filter (admins and HR see every branch). */
  branches?: Option[];
  /** Offer a relationship-manager filter. */
  rms?: Option[];
  initial?: Partial<CustomerFilters>;
  /** Mirror the filters into the address bar so a reload or a shared link keeps them. */
  syncUrl?: boolean;
  showBranch?: boolean;
  showRm?: boolean;
  title?: ReactNode;
  /** What an empty, unfiltered list means for this reader. */
  emptyHint?: string;
}) {
  const t = useTranslations("customers");
  const pagination = useServerPagination();
  const [filters, setFilters] = useState<CustomerFilters>({ ...DEFAULTS, ...initial });
  const [search, setSearch] = useState(initial?.q ?? "");

  const query = useQuery({
    queryKey: ["customers", filters],
    queryFn: () => getJson<ListResponse>("/api/v1/customers", filters),
    placeholderData: keepPreviousData,
  });

  useEffect(() => {
    if (!syncUrl) return;
    // Defaults stay out of the address bar.
    const shown = Object.fromEntries(Object.entries(filters).filter(([k, v]) => DEFAULTS[k as keyof CustomerFilters] !== v));
    const qs = queryString(shown);
    window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname);
  }, [filters, syncUrl]);

  const update = (patch: Partial<CustomerFilters>) => setFilters((f) => ({ ...f, page: 1, ...patch }));
  const filtered = Boolean(filters.q || filters.branchId || filters.rmId || filters.status || filters.industry || filters.classification);
  const columns = useCustomerColumns({
    sortOrder: (key) => (filters.sort === key ? (filters.order === "asc" ? "ascend" : "descend") : null),
    showBranch,
    showRm,
  });

  const onChange: TableProps<CustomerRow>["onChange"] = (pagination, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = s?.order ? (s.columnKey as CustomerSortKey) : DEFAULTS.sort;
    const order: Order = s?.order === "descend" ? "desc" : "asc";
    setFilters((f) => {
      const sortChanged = key !== f.sort || order !== f.order;
      return {
        ...f,
        sort: key,
        order,
        pageSize: pagination.pageSize ?? f.pageSize,
        page: sortChanged || pagination.pageSize !== f.pageSize ? 1 : (pagination.current ?? 1),
      };
    });
  };

  return (
    <div>
      {title}
      <CustomerFilterBar
        search={search}
        onSearchText={setSearch}
        chosen={filters}
        update={update}
        branches={branches}
        rms={rms}
        canReset={filtered || filters.sort !== DEFAULTS.sort || filters.order !== DEFAULTS.order}
        onReset={() => {
          setSearch("");
          setFilters({ ...DEFAULTS });
        }}
      />
      <QueryError error={query.error} title={t("loadFailed")} onRetry={() => void query.refetch()} style={{ marginBottom: 12 }} />
      <DataTable<CustomerRow>
        size="middle"
        label={t("tableLabel")}
        columns={columns}
        rows={query.data?.rows ?? []}
        loading={query.isFetching}
        onChange={onChange}
        scroll={{ x: columns.reduce((w, c) => w + (typeof c.width === "number" ? c.width : 120), 0) }}
        pagination={pagination({ page: filters.page, pageSize: filters.pageSize, total: query.data?.total })}
        empty={query.isPending ? " " : filtered ? t("emptyFiltered") : (emptyHint ?? t("empty"))}
      />
    </div>
  );
}
