// A user's in-app notifications: their own only. Each names its task's customer only while the task is in the
// user's scope (a task reassigned away since keeps its notification, not the customer); the task page checks again.
import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { isoRow } from "./rows";
import { paging } from "../http/paging";

export const notificationQuerySchema = z.object({
  unread: z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1").optional(),
  ...paging(100),
});

/** What "mark read" takes: some of the caller's notifications, or all of them. */
export const markReadSchema = z.union([z.object({ ids: z.array(z.number().int().positive()).min(1).max(500) }), z.object({ all: z.literal(true) })]);

export type NotificationRow = {
  id: number;
  kind: string;
  taskId: number | null;
  customerName: string | null;
  customerNo: string | null;
  priority: string | null;
  detail: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
};

export async function listNotifications(db: DbOrTx, scope: Scope, userId: number, q: z.infer<typeof notificationQuerySchema>): Promise<{ rows: NotificationRow[]; total: number; unread: number }> {
  const rows = await db.execute<NotificationRow & { total: number }>(sql`
    select n.id::int as id, n.kind, n.task_id as "taskId", c.name as "customerName", c.customer_no as "customerNo",
           t.priority::text as priority, n.detail, n.created_at as "createdAt", n.read_at as "readAt", count(*) over ()::int as total
    from notifications n left join tasks t on t.id = n.task_id left join customers c on c.id = t.customer_id and ${scopeWhere(scope, SHAPES.task())}
    where n.user_id = ${userId} ${q.unread ? sql`and n.read_at is null` : sql``}
    order by n.id desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  return { rows: rows.map(({ total: _t, ...r }) => isoRow(r)), total: rows[0]?.total ?? 0, unread: await unreadCount(db, userId) };
}

export async function unreadCount(db: DbOrTx, userId: number): Promise<number> {
  const [r] = await db.execute<{ n: number }>(sql`select count(*)::int as n from notifications where user_id = ${userId} and read_at is null`);
  return r?.n ?? 0;
}

/** Marks some (or all) of the user's notifications read; returns the unread count left. */
export async function markRead(db: DbOrTx, userId: number, ids: readonly number[] | "all"): Promise<number> {
  if (ids === "all") await db.execute(sql`update notifications set read_at = now() where user_id = ${userId} and read_at is null`);
  else {
    const clean = ids.filter((id) => Number.isSafeInteger(id) && id > 0).slice(0, 500);
    if (clean.length) await db.execute(sql`update notifications set read_at = now() where user_id = ${userId} and read_at is null and id = any(${`{${clean.join(",")}}`}::bigint[])`);
  }
  return unreadCount(db, userId);
}
