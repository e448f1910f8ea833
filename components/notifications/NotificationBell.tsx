"use client";
// The header bell: the unread count (polled every 20 s and on window focus) and a popover with the latest
// notifications, each linking to its task (opening one marks it read), "mark all read" and the full centre.
import { BellOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Badge, Button, Empty, Popover, Space, Spin, Typography } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { useHydrated } from "@/components/shell/useHydrated";
import { NOTIFICATIONS_KEY, fetchNotifications, useMarkRead } from "./api";
import { NotificationItem } from "./NotificationItem";

const LATEST = 8;

export function NotificationBell() {
  const t = useTranslations("notifications");
  const [open, setOpen] = useState(false);
  // Tests wait for hydration before clicking the bell.
  const hydrated = useHydrated();
  const query = useQuery({
    queryKey: [NOTIFICATIONS_KEY, "latest"],
    queryFn: () => fetchNotifications({ page: 1, pageSize: LATEST }),
    refetchInterval: 20_000,
    refetchOnWindowFocus: true,
    staleTime: 5_000,
  });
  const markRead = useMarkRead();
  const unread = query.data?.unread ?? 0;
  const rows = query.data?.rows ?? [];

  const content = (
    <div style={{ width: 400, maxWidth: "calc(100vw - 32px)" }}>
      <Space style={{ width: "100%", justifyContent: "space-between", padding: "4px 0 8px", borderBottom: "1px solid #f0f0f0" }}>
        <Typography.Text strong>
          {t("latest")}
          {unread > 0 && (
            <Typography.Text type="secondary" style={{ fontWeight: 400, marginInlineStart: 8 }}>
              {t("unreadCount", { count: unread })}
            </Typography.Text>
          )}
        </Typography.Text>
        <Button size="small" type="link" disabled={unread === 0} loading={markRead.isPending} onClick={() => markRead.mutate({ all: true })}>
          {t("markAllRead")}
        </Button>
      </Space>
      {query.isError ? (
        <Alert type="error" showIcon style={{ margin: "8px 0" }} title={t("loadError")} />
      ) : query.isPending ? (
        <div style={{ padding: 24, textAlign: "center" }}>
          <Spin />
        </div>
      ) : rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("empty")} style={{ margin: "16px 0" }} />
      ) : (
        <ul aria-label={t("listLabel")} style={{ listStyle: "none", margin: 0, padding: 0, maxHeight: 420, overflowY: "auto" }}>
          {rows.map((n) => (
            <li key={n.id} style={{ borderBottom: "1px solid #f5f5f5" }}>
              <NotificationItem
                n={n}
                onOpen={() => {
                  if (!n.readAt) markRead.mutate({ ids: [n.id] });
                  setOpen(false);
                }}
              />
            </li>
          ))}
        </ul>
      )}
      <div style={{ textAlign: "center", paddingTop: 8 }}>
        <Link href="/notifications" onClick={() => setOpen(false)}>
          {t("viewAll")}
        </Link>
      </div>
    </div>
  );

  return (
    <Popover content={content} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight" arrow={false}>
      <Button
        type="text"
        aria-label={unread > 0 ? t("bellUnread", { count: unread }) : t("bell")}
        data-testid="notification-bell"
        data-hydrated={hydrated ? "true" : "false"}
        icon={
          <Badge count={unread} overflowCount={99} size="small" data-testid="notification-unread">
            <BellOutlined style={{ fontSize: 18 }} />
          </Badge>
        }
      />
    </Popover>
  );
}
