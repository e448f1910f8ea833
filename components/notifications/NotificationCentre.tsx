"use client";
// The full notification centre (/notifications): every notification of the caller, newest first, unread filter,
// pagination, "mark all read"; each row links to its task and opening it marks it read.
import { CheckOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Badge, Button, Empty, Segmented, Space, Typography } from "antd";
import type { TableProps } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { SeverityTag } from "@/components/warnings/SeverityTag";
import { DataTable } from "@/components/shell/DataTable";
import { QueryError } from "@/components/shell/QueryError";
import { useServerPagination } from "@/components/shell/pagination";
import { formatDateTime } from "@/lib/format";
import type { NotificationRow } from "@/lib/tasks/notifications";
import type { Severity } from "@/lib/vocabulary";
import { NOTIFICATIONS_KEY, fetchNotifications, useMarkRead } from "./api";
import { useNowMs } from "./NotificationItem";
import { useNotificationText, useRelativeTime } from "./text";

// The unread-dot column needs a header for screen readers only.
const VISUALLY_HIDDEN = { position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" } as const;

export function NotificationCentre() {
  const t = useTranslations("notifications");
  const tc = useTranslations("common");
  const pagination = useServerPagination();
  const text = useNotificationText();
  const rel = useRelativeTime();
  const now = useNowMs();
  const [q, setQ] = useState({ unread: false, page: 1, pageSize: 20 });
  const query = useQuery({
    queryKey: [NOTIFICATIONS_KEY, "list", q],
    queryFn: () => fetchNotifications(q),
    placeholderData: keepPreviousData,
    refetchInterval: 20_000,
    refetchOnWindowFocus: true,
  });
  const markRead = useMarkRead();
  const unread = query.data?.unread ?? 0;

  const columns: TableProps<NotificationRow>["columns"] = [
    {
      key: "state",
      title: <span style={VISUALLY_HIDDEN}>{t("columns.state")}</span>,
      width: 36,
      render: (_: unknown, n) => (n.readAt ? null : <Badge status="processing" aria-label={t("unread")} />),
    },
    {
      key: "message",
      title: t("columns.message"),
      render: (_: unknown, n) => {
        const label = <Typography.Text strong={!n.readAt}>{text(n)}</Typography.Text>;
        const href = n.taskId ? `/tasks/${n.taskId}` : n.kind === "digest" ? "/warnings" : n.kind === "model_drift" ? "/admin/model" : null;
        return href ? (
          <Link
            href={href}
            onClick={() => {
              if (!n.readAt) markRead.mutate({ ids: [n.id] });
            }}
          >
            {label}
          </Link>
        ) : (
          label
        );
      },
    },
    {
      key: "priority",
      title: t("columns.priority"),
      dataIndex: "priority",
      width: 90,
      render: (v: string | null) => (v ? <SeverityTag value={v as Severity} /> : tc("none")),
    },
    {
      key: "time",
      title: t("columns.time"),
      dataIndex: "createdAt",
      width: 170,
      render: (v: string) => (
        <time dateTime={v} title={formatDateTime(v)} className="cw-num">
          {rel(v, now)}
        </time>
      ),
    },
    {
      key: "actions",
      title: tc("actions"),
      width: 110,
      render: (_: unknown, n) =>
        n.readAt ? (
          <Typography.Text type="secondary">{t("read")}</Typography.Text>
        ) : (
          <Button size="small" type="link" style={{ padding: 0 }} onClick={() => markRead.mutate({ ids: [n.id] })}>
            {t("markRead")}
          </Button>
        ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <Space wrap>
          <Segmented<"all" | "unread">
            aria-label={t("filterLabel")}
            value={q.unread ? "unread" : "all"}
            onChange={(v) => setQ((s) => ({ ...s, unread: v === "unread", page: 1 }))}
            options={[
              { value: "all", label: t("filterAll") },
              { value: "unread", label: t("filterUnread") },
            ]}
          />
          <Typography.Text type="secondary">{t("unreadCount", { count: unread })}</Typography.Text>
        </Space>
        <Button icon={<CheckOutlined />} disabled={unread === 0} loading={markRead.isPending} onClick={() => markRead.mutate({ all: true })}>
          {t("markAllRead")}
        </Button>
      </Space>
      <QueryError error={query.error} title={t("loadError")} />
      <DataTable<NotificationRow>
        size="middle"
        label={t("tableLabel")}
        columns={columns}
        rows={query.data?.rows ?? []}
        loading={query.isFetching && !query.data}
        empty={<Empty description={q.unread ? t("emptyUnread") : t("empty")} />}
        pagination={pagination({
          page: q.page,
          pageSize: q.pageSize,
          total: query.data?.total,
          onChange: (page, pageSize) => setQ((s) => ({ ...s, page, pageSize })),
        })}
      />
    </Space>
  );
}
