// In-app notifications. Each carries a dedupe key (per recipient), so a replayed job or a re-run sweep notifies
// nobody twice.
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";

export const NOTIFICATION_KINDS = ["assigned", "unassigned", "reminder", "escalated", "reassigned", "promise_broken", "next_action", "digest", "model_drift"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export type NotifyTo = { userIds: readonly number[] } | { branchSupervisorsOf: number };

/** Recipients as SQL: given users (only active ones), or the active supervisors of a branch. */
function recipients(to: NotifyTo): SQL {
  if ("userIds" in to) {
    const ids = to.userIds.filter((id) => Number.isSafeInteger(id));
    return sql`select id from users where active and id = any(${`{${ids.join(",")}}`}::int[])`;
  }
  return sql`select id from users where active and role = 'supervisor' and branch_id = ${to.branchSupervisorsOf}::int`;
}

export async function notify(
  tx: DbOrTx,
  n: NotifyTo & { kind: NotificationKind; taskId: number | null; key: string; detail?: object; at?: Date },
): Promise<number> {
  const rows = await tx.execute(sql`
    insert into notifications (user_id, kind, task_id, dedupe_key, detail, created_at)
    select r.id, ${n.kind}, ${n.taskId}::int, ${n.key} || ':u' || r.id, ${JSON.stringify(n.detail ?? {})}::jsonb, ${(n.at ?? new Date()).toISOString()}::timestamptz
    from (${recipients(n)}) r
    on conflict (dedupe_key) do nothing
    returning id`);
  return rows.length;
}
