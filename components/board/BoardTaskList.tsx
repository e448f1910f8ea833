"use client";
// The board's task list: the branch's tasks, escalated and overdue first (sort=urgency), narrowed by the matrix
// cell clicked above, with reassign in place. Rows link to the task page.
import { SwapOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Empty, Input, Select, Space, Tag, Typography } from "antd";
import type { TableProps } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { getJson } from "@/components/shell/api";
import { SeverityTag } from "@/components/warnings/SeverityTag";
import { formatDate } from "@/lib/format";
import type { TaskRow } from "@/lib/tasks/queries";
import { ACTIVE_TASK_STATUSES, TASK_STATUSES, type TaskOutcome } from "@/lib/vocabulary";
import { useNowMs } from "@/components/notifications/NotificationItem";
import { QueryError } from "@/components/shell/QueryError";
import { useServerPagination } from "@/components/shell/pagination";
import { ReassignModal } from "./ReassignModal";
import { SlaClock } from "../tasks/SlaClock";

export type ListFilter = {
  assigneeId?: number | "none";
  status?: "active" | "all" | TaskRow["status"];
  overdue?: boolean;
  escalated?: boolean;
  outcome?: TaskOutcome;
  openedFrom?: string;
  openedTo?: string;
  closedFrom?: string;
  closedTo?: string;
};

export type ListResponse = { rows: TaskRow[]; total: number; now?: string };

export const STATUS_COLOUR: Record<TaskRow["status"], string> = { open: "blue", acknowledged: "cyan", in_progress: "geekblue", resolved: "green", cancelled: "default" };
const STATUS_OPTIONS = ["active", ...TASK_STATUSES, "all"] as const;
const ACTIVE = new Set<string>(ACTIVE_TASK_STATUSES);

export function BoardTaskList({
  initial,
  branchId,
  filter,
  filterLabel,
  onClearFilter,
  onStatusChange,
  title,
}: {
  /** The server-rendered first page of the default view (active tasks, by urgency, no branch picked). */
  initial: ListResponse;
  branchId?: number;
  filter: ListFilter;
  filterLabel?: string;
  onClearFilter: () => void;
  onStatusChange: (status: NonNullable<ListFilter["status"]>) => void;
  title: ReactNode;
}) {
  const t = useTranslations("board");
  const te = useTranslations("enums");
  const tc = useTranslations("common");
  const pagination = useServerPagination();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [search, setSearch] = useState<string>();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20, key: "" });
  const [reassigning, setReassigning] = useState<TaskRow | null>(null);

  // A new filter or search starts again at page 1.
  const filterKey = JSON.stringify([branchId, filter, search]);
  const page = paging.key === filterKey ? paging.page : 1;
  const params = { ...filter, status: filter.status ?? "active", branchId, q: search, sort: "urgency", page, pageSize: paging.pageSize };
  const isDefault = branchId === undefined && !search && page === 1 && paging.pageSize === 20 && JSON.stringify(filter) === JSON.stringify({ status: "active" });
  const query = useQuery({
    queryKey: ["board", "tasks", params],
    queryFn: () => getJson<ListResponse>("/api/v1/tasks", params),
    initialData: isDefault ? initial : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const browserNow = useNowMs();
  // The server's clock (which a test run may move) keeps the countdowns in line with the overdue flags.
  const nowMs = query.data?.now ? new Date(query.data.now).getTime() : browserNow;

  // The same SLA countdown as the inbox and the task page.
  const due = (r: TaskRow) => {
    if (!r.nextDueAt || !r.nextDueKind) return r.closedAt ? <Typography.Text type="secondary">{t("closed", { date: formatDate(r.closedAt) })}</Typography.Text> : tc("none");
    return <SlaClock kind={r.nextDueKind} startAt={r.openedAt} dueAt={r.nextDueAt} now={nowMs} />;
  };

  const columns: TableProps<TaskRow>["columns"] = [
    { key: "priority", title: t("columns.priority"), dataIndex: "priority", width: 80, render: (v: TaskRow["priority"]) => <SeverityTag value={v} /> },
    {
      key: "customer",
      title: t("columns.customer"),
      render: (_: unknown, r) => (
        <span>
          <Link href={`/tasks/${r.id}`}>{r.customerName}</Link>
          <Typography.Text type="secondary" className="cw-num" style={{ display: "block", fontSize: 12 }}>
            {r.customerNo}
          </Typography.Text>
        </span>
      ),
    },
    { key: "reasonFamily", title: t("columns.reasonFamily"), dataIndex: "reasonFamily", width: 140, render: (v: string) => te(`reasonFamily.${v}`) },
    {
      key: "status",
      title: t("columns.status"),
      width: 200,
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <Tag color={STATUS_COLOUR[r.status]} style={{ marginInlineEnd: 0 }}>
            {t(`status.${r.status}`)}
          </Tag>
          {r.escalated && ACTIVE.has(r.status) && (
            <Tag color="red" style={{ marginInlineEnd: 0 }}>
              {t("states.escalated")}
            </Tag>
          )}
          {r.overdue && (
            <Tag color="volcano" style={{ marginInlineEnd: 0 }}>
              {t("states.overdue")}
            </Tag>
          )}
        </Space>
      ),
    },
    { key: "assignee", title: t("columns.assignee"), dataIndex: "assigneeName", width: 110, render: (v: string | null) => v ?? <Typography.Text type="warning">{t("unassigned")}</Typography.Text> },
    { key: "due", title: t("columns.due"), width: 130, render: (_: unknown, r) => due(r) },
    { key: "opened", title: t("columns.opened"), dataIndex: "openedAt", width: 110, render: (v: string) => <span className="cw-num">{formatDate(v)}</span> },
    {
      key: "actions",
      title: t("columns.actions"),
      width: 100,
      render: (_: unknown, r) =>
        ACTIVE.has(r.status) ? (
          <Button size="small" icon={<SwapOutlined />} aria-label={t("reassignLabel", { customer: r.customerName })} onClick={() => setReassigning(r)}>
            {t("reassign")}
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 12 }} wrap>
        <Space wrap align="center">
          {title}
          {filterLabel && (
            <Tag closable color="processing" onClose={onClearFilter} closeIcon={<span aria-label={t("clearFilter")}>×</span>} style={{ fontSize: 13, padding: "2px 8px" }}>
              {t("filterOn", { filter: filterLabel })}
            </Tag>
          )}
        </Space>
        <Space wrap>
          <Input.Search allowClear aria-label={t("search")} placeholder={t("search")} style={{ width: 280 }} onSearch={(v) => setSearch(v.trim() || undefined)} />
          <Select
            aria-label={t("statusFilter")}
            style={{ width: 150 }}
            value={filter.status ?? "active"}
            disabled={filter.overdue || filter.escalated}
            onChange={onStatusChange}
            options={STATUS_OPTIONS.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
        </Space>
      </Space>
      <QueryError error={query.error} title={t("loadError")} style={{ marginBottom: 12 }} />
      <DataTable<TaskRow>
        size="middle"
        label={t("tableLabel")}
        columns={columns}
        rows={query.data?.rows ?? []}
        loading={query.isFetching && !query.data}
        onRow={(r) => (r.escalated && ACTIVE.has(r.status) ? { style: { background: "#fff7f6" } } : {})}
        empty={<Empty description={t("emptyList")} />}
        pagination={pagination({
          page,
          pageSize: paging.pageSize,
          total: query.data?.total,
          onChange: (p, pageSize) => setPaging({ page: p, pageSize, key: filterKey }),
        })}
      />
      {reassigning && (
        <ReassignModal
          key={reassigning.id}
          task={reassigning}
          onClose={() => setReassigning(null)}
          onDone={(name) => {
            setReassigning(null);
            void message.success(t("reassigned", { name }));
            void qc.invalidateQueries({ queryKey: ["board"] });
            void qc.invalidateQueries({ queryKey: ["task"] });
          }}
        />
      )}
    </>
  );
}
