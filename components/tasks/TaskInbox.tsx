"use client";
// The RM's inbox: their intervention tasks from GET /api/v1/tasks (scoped on the server), with counts by state as
// tabs, filters, search, sort and paging kept in the URL, a self-refreshing list and bulk acknowledge.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Badge, Button, Empty, Input, Select, Space, Table, Tabs, Tag, Typography } from "antd";
import type { TableProps } from "antd";
import type { SorterResult } from "antd/es/table/interface";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { formatDateTime } from "@/lib/format";
import type { TaskRow } from "@/lib/tasks/queries";
import { REASON_FAMILIES, SEVERITIES_DESC, TASK_STATUSES, type ReasonFamily, type Severity, type TaskStatus } from "@/lib/vocabulary";
import { EscalatedTag, getJson, PriorityTag, postJson, TaskStatusTag, useServerNow } from "./common";
import { SlaClock } from "./SlaClock";

const VIEWS = ["active", ...TASK_STATUSES, "all"] as const;
type View = (typeof VIEWS)[number];
const SORTS = ["urgency", "due", "priority", "opened", "customer"] as const;
type Sort = (typeof SORTS)[number];
const DEFAULT_PAGE_SIZE = 20;

type Counts = Record<TaskStatus, number> & { overdue: number; escalated: number };
type ListResponse = { rows: TaskRow[]; total: number; counts: Counts; page: number; pageSize: number; now: string };

type Filters = {
  status: View;
  priority?: Severity;
  reasonFamily?: ReasonFamily;
  overdue?: boolean;
  escalated?: boolean;
  q?: string;
  sort: Sort;
  order?: "asc" | "desc";
  page: number;
  pageSize: number;
};

function pick<T extends string>(v: string | null, values: readonly T[]): T | undefined {
  return v !== null && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}

function readFilters(p: URLSearchParams): Filters {
  const page = Number(p.get("page"));
  const pageSize = Number(p.get("pageSize"));
  return {
    status: pick(p.get("status"), VIEWS) ?? "active",
    priority: pick(p.get("priority"), SEVERITIES_DESC),
    reasonFamily: pick(p.get("reasonFamily"), REASON_FAMILIES),
    overdue: p.get("overdue") === "true" || undefined,
    escalated: p.get("escalated") === "true" || undefined,
    q: p.get("q")?.trim() || undefined,
    sort: pick(p.get("sort"), SORTS) ?? "urgency",
    order: pick(p.get("order"), ["asc", "desc"] as const),
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: [10, 20, 50, 100].includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/** The URL query for `f`, leaving out defaults so a plain /rm stays plain. */
function toQuery(f: Filters): string {
  const p = new URLSearchParams();
  if (f.status !== "active") p.set("status", f.status);
  if (f.priority) p.set("priority", f.priority);
  if (f.reasonFamily) p.set("reasonFamily", f.reasonFamily);
  if (f.overdue) p.set("overdue", "true");
  if (f.escalated) p.set("escalated", "true");
  if (f.q) p.set("q", f.q);
  if (f.sort !== "urgency") p.set("sort", f.sort);
  if (f.order) p.set("order", f.order);
  if (f.page > 1) p.set("page", String(f.page));
  if (f.pageSize !== DEFAULT_PAGE_SIZE) p.set("pageSize", String(f.pageSize));
  return p.toString();
}

function apiQuery(f: Filters): string {
  const p = new URLSearchParams({ status: f.status, sort: f.sort, page: String(f.page), pageSize: String(f.pageSize) });
  if (f.priority) p.set("priority", f.priority);
  if (f.reasonFamily) p.set("reasonFamily", f.reasonFamily);
  if (f.overdue) p.set("overdue", "true");
  if (f.escalated) p.set("escalated", "true");
  if (f.q) p.set("q", f.q);
  if (f.order) p.set("order", f.order);
  return p.toString();
}

// Table column → API sort; urgency (escalated, overdue, severity, deadline) is the default order.
const COLUMN_SORT: Record<string, Sort> = { priority: "priority", customer: "customer", sla: "due", openedAt: "opened" };

export function TaskInbox() {
  const t = useTranslations("tasks");
  const te = useTranslations("enums");
  const tc = useTranslations("common");
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const filters = useMemo(() => readFilters(new URLSearchParams(search.toString())), [search]);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<number[]>([]);

  const query = useQuery({
    queryKey: ["tasks", "inbox", apiQuery(filters)],
    queryFn: () => getJson<ListResponse>(`/api/v1/tasks?${apiQuery(filters)}`),
    placeholderData: keepPreviousData,
    // New tasks arrive from the worker at any time: poll, and refresh when the user comes back to the tab.
    refetchInterval: 15_000,
    refetchOnWindowFocus: true,
  });
  const now = useServerNow(query.data?.now);

  const go = (patch: Partial<Filters>, resetPage = true) => {
    const next = { ...filters, ...(resetPage ? { page: 1 } : {}), ...patch };
    const qs = toQuery(next);
    setSelected([]);
    router.push(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };

  const acknowledge = useMutation({
    mutationFn: (ids: number[]) => postJson<{ acknowledged: number[] }>("/api/v1/tasks/acknowledge", { ids }),
    onSuccess: (r) => {
      message.success(t("inbox.bulkAcknowledged", { n: r.acknowledged.length }));
      setSelected([]);
    },
    onError: (e: Error) => message.error(e.message),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["tasks"] }),
  });

  const counts = query.data?.counts;
  const countOf = (v: View): number | undefined => {
    if (!counts) return undefined;
    if (v === "active") return counts.open + counts.acknowledged + counts.in_progress;
    if (v === "all") return counts.open + counts.acknowledged + counts.in_progress + counts.resolved + counts.cancelled;
    return counts[v];
  };
  const filtered = Boolean(filters.priority || filters.reasonFamily || filters.overdue || filters.escalated || filters.q);

  const sortOrderOf = (key: string): "ascend" | "descend" | null => {
    if (COLUMN_SORT[key] !== filters.sort) return null;
    const def = filters.sort === "due" || filters.sort === "customer" ? "asc" : "desc";
    return (filters.order ?? def) === "asc" ? "ascend" : "descend";
  };

  const columns: NonNullable<TableProps<TaskRow>["columns"]> = [
    {
      key: "priority",
      title: t("columns.priority"),
      dataIndex: "priority",
      width: 90,
      sorter: true,
      sortOrder: sortOrderOf("priority"),
      render: (v: TaskRow["priority"]) => <PriorityTag value={v} />,
    },
    {
      key: "customer",
      title: t("columns.customer"),
      sorter: true,
      sortOrder: sortOrderOf("customer"),
      render: (_: unknown, r) => (
        <div style={{ minWidth: 0 }}>
          <Link href={`/tasks/${r.id}`} onClick={(e) => e.stopPropagation()} style={{ display: "block", overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }} title={r.customerName}>
            {r.customerName}
          </Link>
          <Typography.Text type="secondary" className="cw-num" style={{ fontSize: 12 }}>
            {r.customerNo} · #{r.id}
          </Typography.Text>
        </div>
      ),
    },
    { key: "reasonFamily", title: t("columns.reasonFamily"), dataIndex: "reasonFamily", width: 150, render: (v: string) => te(`reasonFamily.${v}`) },
    {
      key: "sla",
      title: t("columns.sla"),
      width: 200,
      sorter: true,
      sortOrder: sortOrderOf("sla"),
      render: (_: unknown, r) =>
        r.nextDueAt && r.nextDueKind ? (
          <SlaClock kind={r.nextDueKind} startAt={r.openedAt} dueAt={r.nextDueAt} now={now} />
        ) : r.outcome ? (
          <Typography.Text type="secondary">{t(`outcome.${r.outcome}`)}</Typography.Text>
        ) : (
          tc("none")
        ),
    },
    {
      key: "status",
      title: t("columns.status"),
      width: 150,
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <TaskStatusTag value={r.status} />
          {r.escalated ? <EscalatedTag /> : null}
        </Space>
      ),
    },
    { key: "warnings", title: t("columns.warnings"), dataIndex: "warningCount", width: 100, align: "right", render: (v: number) => <span className="cw-num">{v}</span> },
    {
      key: "openedAt",
      title: t("columns.openedAt"),
      dataIndex: "openedAt",
      width: 150,
      sorter: true,
      sortOrder: sortOrderOf("openedAt"),
      render: (v: string) => <span className="cw-num" style={{ whiteSpace: "nowrap" }}>{formatDateTime(v)}</span>,
    },
  ];

  const onTableChange: TableProps<TaskRow>["onChange"] = (pagination, _f, sorter, extra) => {
    if (extra.action === "sort") {
      const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<TaskRow> | undefined;
      const sort = s?.order && s.columnKey ? COLUMN_SORT[String(s.columnKey)] : undefined;
      go({ sort: sort ?? "urgency", order: sort ? (s!.order === "ascend" ? "asc" : "desc") : undefined });
    } else if (extra.action === "paginate") {
      go({ page: pagination.current ?? 1, pageSize: pagination.pageSize ?? DEFAULT_PAGE_SIZE }, pagination.pageSize !== filters.pageSize);
    }
  };

  const rows = query.data?.rows ?? [];
  const openSelected = selected.filter((id) => rows.some((r) => r.id === id && r.status === "open"));

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="task-inbox">
      <Tabs
        activeKey={filters.status}
        onChange={(k) => go({ status: k as View })}
        style={{ marginBottom: -8 }}
        items={VIEWS.map((v) => ({
          key: v,
          label: (
            <span data-testid={`inbox-tab-${v}`}>
              {t(`inbox.views.${v}`)}{" "}
              <Badge count={countOf(v) ?? 0} showZero overflowCount={9999} color={v === "open" ? "#d4380d" : v === "active" ? "#1d4ed8" : "#8c8c8c"} />
            </span>
          ),
        }))}
      />
      <Space wrap size={[8, 8]}>
        <Input.Search
          allowClear
          aria-label={t("inbox.search")}
          placeholder={t("inbox.search")}
          style={{ width: 260 }}
          // Uncontrolled, re-mounted when the URL's q changes (back/forward, clear filters).
          key={filters.q ?? ""}
          defaultValue={filters.q}
          onSearch={(v) => go({ q: v.trim() || undefined })}
        />
        <Select
          allowClear
          aria-label={t("inbox.filters.priority")}
          placeholder={t("inbox.filters.priority")}
          style={{ width: 130 }}
          value={filters.priority}
          onChange={(v) => go({ priority: v ?? undefined })}
          options={SEVERITIES_DESC.map((p) => ({ value: p, label: te(`severity.${p}`) }))}
        />
        <Select
          allowClear
          aria-label={t("inbox.filters.reasonFamily")}
          placeholder={t("inbox.filters.reasonFamily")}
          style={{ width: 160 }}
          value={filters.reasonFamily}
          onChange={(v) => go({ reasonFamily: v ?? undefined })}
          options={REASON_FAMILIES.map((f) => ({ value: f, label: te(`reasonFamily.${f}`) }))}
        />
        <Tag.CheckableTag
          checked={Boolean(filters.overdue)}
          onChange={(c) => go({ overdue: c || undefined })}
          data-testid="inbox-filter-overdue"
          style={{ border: "1px solid #ffa39e", padding: "2px 8px" }}
        >
          {t("inbox.filters.overdue", { n: counts?.overdue ?? 0 })}
        </Tag.CheckableTag>
        <Tag.CheckableTag
          checked={Boolean(filters.escalated)}
          onChange={(c) => go({ escalated: c || undefined })}
          data-testid="inbox-filter-escalated"
          style={{ border: "1px solid #ffa39e", padding: "2px 8px" }}
        >
          {t("inbox.filters.escalated", { n: counts?.escalated ?? 0 })}
        </Tag.CheckableTag>
        {filtered ? (
          <Button
            type="link"
            onClick={() => go({ priority: undefined, reasonFamily: undefined, overdue: undefined, escalated: undefined, q: undefined })}
          >
            {t("inbox.clearFilters")}
          </Button>
        ) : null}
        <Button type="primary" disabled={openSelected.length === 0} loading={acknowledge.isPending} onClick={() => acknowledge.mutate(openSelected)}>
          {t("inbox.bulkAcknowledge", { n: openSelected.length })}
        </Button>
      </Space>
      {query.isError ? <Alert type="error" showIcon title={t("inbox.loadFailed")} description={query.error.message} /> : null}
      <Table<TaskRow>
        size="small"
        rowKey="id"
        aria-label={t("inbox.tableLabel")}
        columns={columns}
        dataSource={rows}
        loading={query.isPending}
        tableLayout="fixed"
        scroll={{ x: 1000 }}
        onChange={onTableChange}
        onRow={(r) => ({
          onClick: (e) => {
            // Clicks on the selection checkbox or on a link do their own thing.
            if ((e.target as HTMLElement).closest(".ant-table-selection-column, a, button, label")) return;
            router.push(`/tasks/${r.id}`);
          },
          style: { cursor: "pointer" },
          "data-testid": `task-row-${r.id}`,
          "data-status": r.status,
        })}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys.map(Number)),
          getCheckboxProps: (r) => ({ disabled: r.status !== "open", "aria-label": t("inbox.select", { name: r.customerName }) }),
        }}
        locale={{
          emptyText: (
            <Empty
              description={
                filtered ? t("inbox.emptyFiltered") : filters.status === "active" || filters.status === "open" ? t("inbox.emptyActive") : t("inbox.emptyOther")
              }
            />
          ),
        }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: query.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => tc("total", { total }),
        }}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("inbox.autoRefresh")}
      </Typography.Text>
    </Space>
  );
}
