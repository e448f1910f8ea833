"use client";
// One notification as a link to its task: unread dot, text, relative time.
import { Badge, Typography } from "antd";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useState, type ReactNode } from "react";
import type { NotificationRow } from "@/lib/tasks/notifications";
import { useNotificationText, useRelativeTime } from "./text";

/** The browser's clock, ticking each minute so "5 分钟前" stays true while the popover is open. */
export function useNowMs(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(id);
  }, []);
  return now;
}

export function NotificationItem({ n, onOpen }: { n: NotificationRow; onOpen: () => void }) {
  const t = useTranslations("notifications");
  const text = useNotificationText();
  const rel = useRelativeTime();
  const now = useNowMs();
  const unread = !n.readAt;
  const body: ReactNode = (
    <span style={{ display: "flex", gap: 10, alignItems: "flex-start", padding: "10px 4px" }}>
      <span style={{ width: 8, paddingTop: 2, flex: "none" }}>{unread ? <Badge status="processing" aria-label={t("unread")} /> : null}</span>
      <span style={{ flex: 1, minWidth: 0 }}>
        <Typography.Text strong={unread} style={{ display: "block", whiteSpace: "normal", wordBreak: "break-word", color: unread ? undefined : "rgba(0,0,0,0.65)" }}>
          {text(n)}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <time dateTime={n.createdAt}>{rel(n.createdAt, now)}</time>
        </Typography.Text>
      </span>
    </span>
  );
  // A digest lists warnings that opened no task: it leads to the open warnings (the RM's own, by scope).
  if (n.kind === "digest" || n.kind === "model_drift")
    return (
      <Link href={n.kind === "digest" ? "/warnings" : "/admin/model"} onClick={onOpen} data-unread={unread ? "true" : "false"} style={{ color: "inherit", display: "block" }}>
        {body}
      </Link>
    );
  if (!n.taskId) return <div>{body}</div>;
  return (
    <Link href={`/tasks/${n.taskId}`} onClick={onOpen} data-unread={unread ? "true" : "false"} style={{ color: "inherit", display: "block" }}>
      {body}
    </Link>
  );
}
