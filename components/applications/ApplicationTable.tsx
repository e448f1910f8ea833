"use client";
// The loan applications list behind /applications — the dashboard funnel's drill-down. Data comes from
// GET /api/v1/applications, which applies the caller's scope; the filters (funnel step, submission dates, branch)
// live in the address bar so a dashboard link, a reload or a shared link shows the same list.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Empty, Space, Tag, Typography } from "antd";
import type { TableProps } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect, useState } from "react";
import { getJson } from "@/components/shell/api";
import { DataTable } from "@/components/shell/DataTable";
import { BranchFilter, DateRangeFilter, FilterSelect } from "@/components/shell/FilterSelect";
import { QueryError } from "@/components/shell/QueryError";
import { useServerPagination } from "@/components/shell/pagination";
import type { ApplicationRow, FunnelStep } from "@/lib/applications/queries";
import { formatDate, formatYuan } from "@/lib/format";
import type { ApplicationStatus } from "@/lib/vocabulary";

export const STEPS: FunnelStep[] = ["applied", "approved", "drawn", "decided", "rejected", "withdrawn", "pending"];
export type ApplicationFilters = { step?: FunnelStep; submittedFrom?: string; submittedTo?: string; branchId?: number };
type Filters = ApplicationFilters & { page: number; pageSize: number };
type ListResponse = { rows: ApplicationRow[]; total: number };

const STATUS_COLOUR: Record<ApplicationStatus, string> = { submitted: "blue", approved: "cyan", drawn: "green", rejected: "red", withdrawn: "default" };

export function ApplicationTable({ initialFilters = {}, branches = null }: { initialFilters?: ApplicationFilters; branches?: { id: number; name: string; nameEn: string }[] | null }) {
  const t = useTranslations("applications");
  const te = useTranslations("enums");
  const tc = useTranslations("common");
  const pagination = useServerPagination();
  const [filters, setFilters] = useState<Filters>({ ...initialFilters, page: 1, pageSize: 20 });
  useEffect(() => {
    const { page: _p, pageSize: _s, ...f } = filters;
    const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => [k, String(v)])).toString();
    window.history.replaceState(null, "", q ? `?${q}` : window.location.pathname);
  }, [filters]);
  const query = useQuery({ queryKey: ["applications", filters], queryFn: () => getJson<ListResponse>("/api/v1/applications", filters), placeholderData: keepPreviousData });
  const update = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, page: 1, ...patch }));
  const filtered = Boolean(filters.step || filters.submittedFrom || filters.submittedTo || filters.branchId);

  const columns: NonNullable<TableProps<ApplicationRow>["columns"]> = [
    { key: "applicationNo", title: t("columns.applicationNo"), dataIndex: "applicationNo", width: 150 },
    {
      key: "customer",
      title: t("columns.customer"),
      width: 240,
      ellipsis: true,
      render: (_: unknown, r) => (
        <Link href={`/customers/${r.customerId}`}>
          {r.customerNo} {r.customerName}
        </Link>
      ),
    },
    { key: "product", title: t("columns.product"), dataIndex: "product", width: 140, ellipsis: true },
    { key: "amount", title: t("columns.amount"), dataIndex: "amountFen", width: 150, align: "right", render: (v: number) => <span className="cw-num">{formatYuan(v)}</span> },
    { key: "submittedOn", title: t("columns.submittedOn"), dataIndex: "submittedOn", width: 110, render: (v: string) => <span className="cw-num">{formatDate(v)}</span> },
    { key: "decidedOn", title: t("columns.decidedOn"), dataIndex: "decidedOn", width: 110, render: (v: string | null) => (v ? <span className="cw-num">{formatDate(v)}</span> : tc("none")) },
    { key: "cycle", title: t("columns.cycleDays"), dataIndex: "cycleDays", width: 100, align: "right", render: (v: number | null) => (v == null ? tc("none") : v) },
    { key: "status", title: t("columns.status"), dataIndex: "status", width: 100, render: (v: ApplicationStatus) => <Tag color={STATUS_COLOUR[v]}>{te(`applicationStatus.${v}`)}</Tag> },
    { key: "loan", title: t("columns.loan"), width: 150, render: (_: unknown, r) => (r.loanId && r.contractNo ? <Link href={`/loans/${r.loanId}`}>{r.contractNo}</Link> : tc("none")) },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Text type="secondary">{t("hint")}</Typography.Text>
      <Space wrap>
        <FilterSelect<FunnelStep> label={t("filters.step")} width={170} value={filters.step} onChange={(step) => update({ step })} options={STEPS.map((v) => ({ value: v, label: t(`step.${v}`) }))} />
        {branches ? <BranchFilter label={t("filters.branch")} branches={branches} value={filters.branchId} onChange={(branchId) => update({ branchId })} /> : null}
        <DateRangeFilter
          label={t("filters.submitted")}
          placeholder={[t("filters.from"), t("filters.to")]}
          from={filters.submittedFrom}
          to={filters.submittedTo}
          onChange={(submittedFrom, submittedTo) => update({ submittedFrom, submittedTo })}
        />
        {query.data ? (
          <Typography.Text type="secondary" data-testid="applications-total">
            {t("total", { n: query.data.total })}
          </Typography.Text>
        ) : null}
      </Space>
      <QueryError error={query.error} title={t("loadFailed")} />
      <DataTable<ApplicationRow>
        columns={columns}
        rows={query.data?.rows ?? []}
        loading={query.isFetching}
        scroll={{ x: 1250 }}
        empty={<Empty description={filtered ? t("emptyFiltered") : t("empty")} />}
        pagination={pagination({ page: filters.page, pageSize: filters.pageSize, total: query.data?.total, onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })) })}
      />
    </Space>
  );
}
