"use client";
// Browser-side access to the caller's notifications (GET /api/v1/notifications, the "mark read" action), shared by
// the header bell and the notification centre. Every write invalidates both (the "notifications" query key prefix).
import { useQueryClient } from "@tanstack/react-query";
import { getJson } from "@/components/shell/api";
import { useAction } from "@/components/shell/useAction";
import type { NotificationRow } from "@/lib/tasks/notifications";
import { markReadAction } from "./actions";

export type NotificationPage = { rows: NotificationRow[]; total: number; unread: number };

export const NOTIFICATIONS_KEY = "notifications";

export function fetchNotifications(q: { unread?: boolean; page: number; pageSize: number }): Promise<NotificationPage> {
  return getJson<NotificationPage>("/api/v1/notifications", { page: q.page, pageSize: q.pageSize, unread: q.unread || undefined });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useAction(markReadAction, { onSettled: () => qc.invalidateQueries({ queryKey: [NOTIFICATIONS_KEY] }) });
}
