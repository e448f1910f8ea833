"use client";
// Browser-side access to the caller's notifications (GET /api/v1/notifications, POST …/read), shared by the header
// bell and the notification centre. Every write invalidates both (the "notifications" query key prefix).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { NotificationRow } from "@/lib/tasks/notifications";

export type NotificationPage = { rows: NotificationRow[]; total: number; unread: number };

export const NOTIFICATIONS_KEY = "notifications";

export async function fetchNotifications(q: { unread?: boolean; page: number; pageSize: number }): Promise<NotificationPage> {
  const p = new URLSearchParams({ page: String(q.page), pageSize: String(q.pageSize) });
  if (q.unread) p.set("unread", "true");
  const res = await fetch(`/api/v1/notifications?${p.toString()}`, { headers: { accept: "application/json" } });
  const body = (await res.json().catch(() => null)) as (NotificationPage & { error?: { message: string } }) | null;
  if (!res.ok || !body) throw new Error(body?.error?.message ?? res.statusText);
  return body;
}

async function postRead(body: { ids: number[] } | { all: true }): Promise<{ unread: number }> {
  // keepalive: marking read on a click that also navigates away must still reach the server.
  const res = await fetch("/api/v1/notifications/read", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
    keepalive: true,
  });
  const out = (await res.json().catch(() => null)) as { unread: number; error?: { message: string } } | null;
  if (!res.ok || !out) throw new Error(out?.error?.message ?? res.statusText);
  return out;
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: postRead,
    onSettled: () => qc.invalidateQueries({ queryKey: [NOTIFICATIONS_KEY] }),
  });
}
