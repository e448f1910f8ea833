"use client";
// The warning list behind /warnings. Data comes from GET /api/v1/warnings, which applies the caller's scope;
// this component holds the filters and paging, and shows counts by severity.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Card, Col, Empty, Input, Row, Space, Statistic, Tag } from "antd";
import type { TableProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { getJson } from "@/components/shell/api";
import { FilterSelect } from "@/components/shell/FilterSelect";
import { QueryError } from "@/components/shell/QueryError";
import { useServerPagination } from "@/components/shell/pagination";
import { formatDate } from "@/lib/format";
import { REASON_FAMILIES, SEVERITIES_DESC, SEVERITY_COLOUR, STAGES, WARNING_STATUSES, WILLS, type ReasonFamily, type Severity, type Stage, type WarningStatus, type Will } from "@/lib/vocabulary";
import type { WarningQuality } from "@/lib/insights/definitions";
import { DEFAULT_HORIZON_DAYS } from "@/lib/insights/params";
import type { WarningRow } from "@/lib/warnings/queries";
import { SeverityTag } from "./SeverityTag";

type Filters = {
  q?: string;
  ruleId?: number;
  severity?: Severity;
  stage?: Stage;
  will?: Will;
  reasonFamily?: ReasonFamily;
  status?: WarningStatus;
  branchId?: number;
  openedFrom?: string;
  openedTo?: string;
  /** The telemetry's drill-down: one rule version, and how its warnings turned out within `horizon` days. */
  ruleVersionId?: number;
  quality?: WarningQuality;
  horizon?: number;
  page: number;
  pageSize: number;
};
type ListResponse = { rows: WarningRow[]; total: number; bySeverity: Record<Severity, number> };

export function WarningTable({
  rules,
  initial,
}: {
  rules: { id: number; nameZh: string; nameEn: string }[];
  /** Filters from the address bar (a dashboard link); without any, the open warnings. */
  initial?: Partial<Filters>;
}) {
  const t = useTranslations("warnings");
  const te = useTranslations("enums");
  const tc = useTranslations("common");
  const pagination = useServerPagination();
  const en = useLocale() === "en";
  const [filters, setFilters] = useState<Filters>(initial && Object.keys(initial).length ? { page: 1, pageSize: 20, ...initial } : { status: "open", page: 1, pageSize: 20 });
  const query = useQuery({ queryKey: ["warnings", filters], queryFn: () => getJson<ListResponse>("/api/v1/warnings", filters), placeholderData: keepPreviousData });
  const update = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, page: 1, ...patch }));
  const filtered = Boolean(filters.q || filters.ruleId || filters.severity || filters.stage || filters.will || filters.reasonFamily || filters.status || filters.branchId || filters.openedFrom || filters.openedTo || filters.ruleVersionId || filters.quality);

  const enumSelect = <V extends string>(key: keyof Filters, label: string, values: readonly V[], ns: string) => (
    <FilterSelect<V>
      label={label}
      width={150}
      value={filters[key] as V | undefined}
      onChange={(v) => update({ [key]: v })}
      options={values.map((v) => {
        const key: string = `${ns}.${v}`;
        return { value: v, label: te(key) };
      })}
    />
  );

  const columns: NonNullable<TableProps<WarningRow>["columns"]> = [
    { key: "id", title: t("columns.id"), dataIndex: "id", width: 80, render: (v: number) => <Link href={`/warnings/${v}`}>#{v}</Link> },
    {
      key: "rule",
      title: t("columns.rule"),
      width: 220,
      ellipsis: true,
      render: (_: unknown, r) => <Link href={`/warnings/${r.id}`}>{en ? r.ruleNameEn : r.ruleNameZh}</Link>,
    },
    { key: "severity", title: t("columns.severity"), dataIndex: "severity", width: 90, render: (v: Severity) => <SeverityTag value={v} /> },
    {
      key: "customer",
      title: t("columns.customer"),
      width: 220,
      ellipsis: true,
      render: (_: unknown, r) => (
        <Link href={`/customers/${r.customerId}`} data-testid="warning-customer">
          {r.customerNo} {r.customerName}
        </Link>
      ),
    },
    {
      key: "loan",
      title: t("columns.loan"),
      width: 150,
      render: (_: unknown, r) => (r.loanId && r.contractNo ? <Link href={`/loans/${r.loanId}`}>{r.contractNo}</Link> : tc("none")),
    },
    { key: "stage", title: t("columns.stage"), dataIndex: "stage", width: 80, render: (v: string) => te(`churnStage.${v}`) },
    { key: "will", title: t("columns.will"), dataIndex: "will", width: 100, render: (v: string) => te(`churnWill.${v}`) },
    { key: "reasonFamily", title: t("columns.reasonFamily"), dataIndex: "reasonFamily", width: 130, render: (v: string) => te(`reasonFamily.${v}`) },
    {
      key: "status",
      title: t("columns.status"),
      dataIndex: "status",
      width: 90,
      render: (v: WarningStatus) => <Tag color={v === "open" ? "volcano" : "default"}>{te(`warningStatus.${v}`)}</Tag>,
    },
    { key: "openedOn", title: t("columns.openedOn"), dataIndex: "openedOn", width: 110, render: (v: string) => <span className="cw-num">{formatDate(v)}</span> },
    { key: "lastSeenOn", title: t("columns.lastSeenOn"), dataIndex: "lastSeenOn", width: 110, render: (v: string) => <span className="cw-num">{formatDate(v)}</span> },
  ];

  const counts = query.data?.bySeverity;
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Row gutter={12}>
        {SEVERITIES_DESC.map((s) => (
          <Col key={s} xs={12} md={6}>
            <Card size="small" hoverable onClick={() => update({ severity: filters.severity === s ? undefined : s })} style={{ borderTop: `3px solid var(--ant-color-${SEVERITY_COLOUR[s]}, ${SEVERITY_COLOUR[s]})` }}>
              <Statistic title={<SeverityTag value={s} />} value={counts?.[s] ?? 0} loading={!counts} />
            </Card>
          </Col>
        ))}
      </Row>
      <Space wrap>
        <Input.Search
          allowClear
          aria-label={t("search")}
          placeholder={t("search")}
          style={{ width: 240 }}
          onSearch={(v) => update({ q: v.trim() || undefined })}
        />
        <FilterSelect<number>
          label={t("filters.rule")}
          searchable
          width={220}
          value={filters.ruleId}
          onChange={(ruleId) => update({ ruleId })}
          options={rules.map((r) => ({ value: r.id, label: en ? r.nameEn : r.nameZh }))}
        />
        {enumSelect("severity", t("filters.severity"), SEVERITIES_DESC, "severity")}
        {enumSelect("stage", t("filters.stage"), STAGES, "churnStage")}
        {enumSelect("will", t("filters.will"), WILLS, "churnWill")}
        {enumSelect("reasonFamily", t("filters.reasonFamily"), REASON_FAMILIES, "reasonFamily")}
        {enumSelect("status", t("filters.status"), WARNING_STATUSES, "warningStatus")}
        {(filters.openedFrom || filters.openedTo || filters.branchId) && (
          // The dashboard's period and branch, which have no control of their own here: shown, and removable.
          <Tag closable onClose={() => update({ openedFrom: undefined, openedTo: undefined, branchId: undefined })} data-testid="warnings-link-filter">
            {[filters.branchId ? t("filters.branchPicked") : null, filters.openedFrom || filters.openedTo ? t("filters.openedBetween", { from: filters.openedFrom ?? "…", to: filters.openedTo ?? "…" }) : null].filter(Boolean).join(" · ")}
          </Tag>
        )}
        {(filters.ruleVersionId || filters.quality) && (
          <Tag closable onClose={() => update({ ruleVersionId: undefined, quality: undefined, horizon: undefined })} data-testid="warnings-quality-filter">
            {[
              filters.ruleVersionId ? t("filters.ruleVersion", { id: filters.ruleVersionId }) : null,
              filters.quality ? t(`filters.quality.${filters.quality}`, { h: filters.horizon ?? DEFAULT_HORIZON_DAYS }) : null,
            ]
              .filter(Boolean)
              .join(" · ")}
          </Tag>
        )}
      </Space>
      <QueryError error={query.error} title={t("loadFailed")} />
      <DataTable<WarningRow>
        columns={columns}
        rows={query.data?.rows ?? []}
        loading={query.isFetching}
        scroll={{ x: 1300 }}
        empty={<Empty description={filtered ? t("emptyFiltered") : t("empty")} />}
        pagination={pagination({
          page: filters.page,
          pageSize: filters.pageSize,
          total: query.data?.total,
          onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
        })}
      />
    </Space>
  );
}
