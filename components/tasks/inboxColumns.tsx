"use client";
// The inbox table's columns: priority, customer (linking to the task), reason family, SLA countdown, state,
// warnings and opening time; the sortable ones show the list's current order.
import { Space, Typography } from "antd";
import type { TableProps } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { formatDateTime } from "@/lib/format";
import type { TaskRow } from "@/lib/tasks/queries";
import { EscalatedTag, PriorityTag, TaskStatusTag } from "./common";
import { sortOrderOf, type Filters } from "./inboxFilters";
import { SlaClock } from "./SlaClock";

export function useInboxColumns(filters: Filters, now: number): NonNullable<TableProps<TaskRow>["columns"]> {
  const t = useTranslations("tasks");
  const te = useTranslations("enums");
  const tc = useTranslations("common");
  const sortOrder = (key: string) => sortOrderOf(filters, key);
  return [
    {
      key: "priority",
      title: t("columns.priority"),
      dataIndex: "priority",
      width: 90,
      sorter: true,
      sortOrder: sortOrder("priority"),
      render: (v: TaskRow["priority"]) => <PriorityTag value={v} />,
    },
    {
      key: "customer",
      title: t("columns.customer"),
      sorter: true,
      sortOrder: sortOrder("customer"),
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
      sortOrder: sortOrder("sla"),
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
      sortOrder: sortOrder("openedAt"),
      render: (v: string) => <span className="cw-num" style={{ whiteSpace: "nowrap" }}>{formatDateTime(v)}</span>,
    },
  ];
}
