"use client";
// The customer list used by /customers and the RM and supervisor homes. Data comes from GET /api/v1/customers,
// which applies the caller's scope; this component only holds the filters, sorting and paging.
import { ReloadOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Alert, Button, Input, Select, Space, Table, Typography } from "antd";
import type { TableProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect, useState, type ReactNode } from "react";
import type { CustomerRow } from "@/lib/customers/queries";
import { formatCount, formatDate, formatWan, formatYuan } from "@/lib/format";
import { SECTIONS, industryName } from "@/lib/reference/industries";
import { StatusTag } from "@/components/shell/StatusTag";

export type CustomerStatus = CustomerRow["status"];
type SortKey = "customerNo" | "name" | "registeredCapital" | "onboardedOn" | "outstanding";
type Order = "asc" | "desc";

export type CustomerFilters = {
  q?: string;
  branchId?: number;
  rmId?: number;
  status?: CustomerStatus;
  industry?: string;
  page: number;
  pageSize: number;
  sort: SortKey;
  order: Order;
};

type Option = { id: number; name: string };
type ListResponse = { rows: CustomerRow[]; total: number; page: number; pageSize: number };

const DEFAULTS: CustomerFilters = { page: 1, pageSize: 20, sort: "customerNo", order: "asc" };
const STATUSES: CustomerStatus[] = ["active", "dormant", "churned"];

function toParams(f: CustomerFilters): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== "") p.set(k, String(v));
  return p;
}

async function fetchCustomers(f: CustomerFilters): Promise<ListResponse> {
  const res = await fetch(`/api/v1/customers?${toParams(f).toString()}`, { headers: { accept: "application/json" } });
  const body = (await res.json().catch(() => null)) as (ListResponse & { error?: { message: string } }) | null;
  if (!res.ok || !body) throw new Error(body?.error?.message ?? res.statusText);
  return body;
}

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
  const tc = useTranslations("common");
  const te = useTranslations("enums");
  const locale = useLocale();
  const [filters, setFilters] = useState<CustomerFilters>({ ...DEFAULTS, ...initial });
  const [search, setSearch] = useState(initial?.q ?? "");

  const query = useQuery({
    queryKey: ["customers", filters],
    queryFn: () => fetchCustomers(filters),
    placeholderData: keepPreviousData,
  });

  useEffect(() => {
    if (!syncUrl) return;
    const p = toParams(filters);
    for (const [k, v] of Object.entries(DEFAULTS)) if (p.get(k) === String(v)) p.delete(k);
    const qs = p.toString();
    window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname);
  }, [filters, syncUrl]);

  const update = (patch: Partial<CustomerFilters>) => setFilters((f) => ({ ...f, page: 1, ...patch }));
  const filtered = Boolean(filters.q || filters.branchId || filters.rmId || filters.status || filters.industry);

  const sortOrder = (key: SortKey) => (filters.sort === key ? (filters.order === "asc" ? "ascend" : "descend") : null);

  const columns: NonNullable<TableProps<CustomerRow>["columns"]> = [
    {
      key: "customerNo",
      title: t("columns.customerNo"),
      dataIndex: "customerNo",
      sorter: true,
      sortOrder: sortOrder("customerNo"),
      width: 105,
      fixed: "left",
      render: (v: string, r) => <Link href={`/customers/${r.id}`}>{v}</Link>,
    },
    {
      key: "name",
      title: t("columns.name"),
      dataIndex: "name",
      sorter: true,
      sortOrder: sortOrder("name"),
      width: 200,
      ellipsis: true,
      render: (v: string, r) => <Link href={`/customers/${r.id}`}>{v}</Link>,
    },
    {
      key: "industry",
      title: t("columns.industry"),
      dataIndex: "industryCode",
      width: 170,
      ellipsis: true,
      render: (v: string) => (
        <span title={`${v} ${industryName(v, locale)}`}>
          <Typography.Text type="secondary" className="cw-num">
            {v}
          </Typography.Text>{" "}
          {industryName(v, locale)}
        </span>
      ),
    },
    { key: "region", title: t("columns.region"), dataIndex: "region", width: 100, ellipsis: true },
  ];
  if (showBranch) {
    columns.push({
      key: "branch",
      title: t("columns.branch"),
      dataIndex: locale === "en" ? "branchNameEn" : "branchName",
      width: 120,
      ellipsis: true,
    });
  }
  if (showRm) columns.push({ key: "rm", title: t("columns.rm"), dataIndex: "rmName", width: 100 });
  columns.push(
    {
      key: "registeredCapital",
      title: t("columns.registeredCapitalWan"),
      dataIndex: "registeredCapitalFen",
      sorter: true,
      sortOrder: sortOrder("registeredCapital"),
      align: "right",
      width: 150,
      render: (v: number) => <span className="cw-num">{formatWan(v)}</span>,
    },
    {
      key: "onboardedOn",
      title: t("columns.onboardedOn"),
      dataIndex: "onboardedOn",
      sorter: true,
      sortOrder: sortOrder("onboardedOn"),
      width: 125,
      render: (v: string) => <span className="cw-num">{formatDate(v)}</span>,
    },
    {
      key: "status",
      title: t("columns.status"),
      dataIndex: "status",
      width: 80,
      render: (v: CustomerStatus) => <StatusTag kind="customerStatus" value={v} />,
    },
    { key: "activeLoans", title: t("columns.activeLoans"), dataIndex: "activeLoans", align: "right", width: 80 },
    {
      key: "outstanding",
      title: t("columns.activePrincipal"),
      dataIndex: "principalFen",
      sorter: true,
      sortOrder: sortOrder("outstanding"),
      align: "right",
      width: 145,
      // The money column stays in view when the table scrolls sideways.
      fixed: "right",
      render: (v: number) => <span className="cw-num">{formatYuan(v)}</span>,
    },
  );

  const onChange: TableProps<CustomerRow>["onChange"] = (pagination, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = s?.order ? (s.columnKey as SortKey) : DEFAULTS.sort;
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

  const reset = () => {
    setSearch("");
    setFilters({ ...DEFAULTS });
  };

  return (
    <div>
      {title}
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          aria-label={t("searchLabel")}
          placeholder={t("searchPlaceholder")}
          allowClear
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            if (!e.target.value) update({ q: undefined });
          }}
          onSearch={(v) => update({ q: v.trim() || undefined })}
          enterButton={tc("search")}
          style={{ width: 360 }}
        />
        {branches && (
          <Select<number>
            aria-label={t("filters.branch")}
            placeholder={t("filters.allBranches")}
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            value={filters.branchId}
            onChange={(v) => update({ branchId: v ?? undefined })}
            options={branches.map((b) => ({ value: b.id, label: b.name }))}
            style={{ width: 160 }}
          />
        )}
        {rms && (
          <Select<number>
            aria-label={t("filters.rm")}
            placeholder={t("filters.allRms")}
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            value={filters.rmId}
            onChange={(v) => update({ rmId: v ?? undefined })}
            options={rms.map((r) => ({ value: r.id, label: r.name }))}
            style={{ width: 150 }}
          />
        )}
        <Select<CustomerStatus>
          aria-label={t("filters.status")}
          placeholder={t("filters.allStatuses")}
          allowClear
          value={filters.status}
          onChange={(v) => update({ status: v ?? undefined })}
          options={STATUSES.map((s) => ({ value: s, label: te(`customerStatus.${s}`) }))}
          style={{ width: 130 }}
        />
        <Select<string>
          aria-label={t("filters.industry")}
          placeholder={t("filters.allIndustries")}
          allowClear
          showSearch={{ optionFilterProp: "label" }}
          value={filters.industry}
          onChange={(v) => update({ industry: v ?? undefined })}
          options={SECTIONS.map((s) => ({ value: s.letter, label: `${s.letter} ${locale.startsWith("zh") ? s.zh : s.en}` }))}
          style={{ width: 260 }}
          popupMatchSelectWidth={false}
        />
        <Button onClick={reset} disabled={!filtered && filters.sort === DEFAULTS.sort && filters.order === DEFAULTS.order}>
          {tc("reset")}
        </Button>
      </Space>
      {query.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={t("loadFailed")}
          description={query.error.message}
          action={
            <Button size="small" icon={<ReloadOutlined />} onClick={() => void query.refetch()}>
              {tc("retry")}
            </Button>
          }
        />
      )}
      <Table<CustomerRow>
        rowKey="id"
        size="middle"
        aria-label={t("tableLabel")}
        columns={columns}
        dataSource={query.data?.rows ?? []}
        loading={query.isFetching}
        onChange={onChange}
        scroll={{ x: columns.reduce((w, c) => w + (typeof c.width === "number" ? c.width : 120), 0) }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: query.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => tc("total", { total: formatCount(total) }),
        }}
        locale={{
          emptyText: query.isPending ? " " : filtered ? t("emptyFiltered") : (emptyHint ?? t("empty")),
        }}
      />
    </div>
  );
}
