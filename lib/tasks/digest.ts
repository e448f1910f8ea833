// The weekly digest of warnings below the open threshold (./settings.ts, tasks.openThreshold): those warnings open no
// task, so once a week each RM gets one notification listing the ones still waiting on their customers — open, below
// the threshold, on no active task. One per (recipient, week), whoever runs it and however often: the notification's
// dedupe key is the week's Monday and the recipient, and the insert does nothing on conflict.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { todayIn } from "../time";
import { ACTIVE } from "./open";
import { loadOpenThreshold } from "./settings";

/** Warnings named in one digest, at most: the notification stays a small row; the count says how many there were. */
export const DIGEST_MAX_IDS = 200;

/** The Monday (YYYY-MM-DD) of the business week containing `day`. */
export function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

export type DigestResult = { week: string; sent: number; warnings: number };

/**
 * Writes this week's digests (week of `now` in the business time zone). The recipient is the customer's RM, or the
 * branch's active supervisors while that RM is inactive, as with tasks nobody may be left out of the loop.
 */
export async function sendWeeklyDigests(db: DbOrTx, now: Date): Promise<DigestResult> {
  const week = weekOf(todayIn(undefined, now));
  const threshold = await loadOpenThreshold(db);
  const rows = await db.execute<{ n: number; warnings: number }>(sql`
    with waiting as (
      select w.id, w.opened_on, w.customer_id, r.code, c.branch_id, c.rm_id, (u.active and u.role = 'rm') as rm_usable
      from warnings w join rules r on r.id = w.rule_id join customers c on c.id = w.customer_id join users u on u.id = c.rm_id
      where w.status = 'open' and w.severity < ${threshold}::severity
        and not exists (select 1 from task_warnings tw join tasks t on t.id = tw.task_id where tw.warning_id = w.id and t.status in ${ACTIVE})
    ), addressed as (
      select w.rm_id as user_id, w.* from waiting w where w.rm_usable
      union all
      select s.id as user_id, w.* from waiting w join users s on s.role = 'supervisor' and s.active and s.branch_id = w.branch_id where not w.rm_usable
    ), per_user as (
      select user_id, count(*)::int as n, count(distinct customer_id)::int as customers,
             count(*) filter (where opened_on > ${week}::date - 7)::int as fresh,
             (array_agg(id order by opened_on desc, id desc))[1:${DIGEST_MAX_IDS}] as ids,
             (select jsonb_object_agg(code, k) from (select a2.code, count(*) as k from addressed a2 where a2.user_id = a.user_id group by a2.code) x) as by_rule
      from addressed a group by user_id
    ), inserted as (
      insert into notifications (user_id, kind, task_id, dedupe_key, detail, created_at)
      select user_id, 'digest', null, 'digest:' || ${week} || ':u' || user_id,
             jsonb_build_object('week', ${week}::text, 'threshold', ${threshold}::text, 'count', n, 'customers', customers, 'new', fresh,
                                'warningIds', to_jsonb(ids), 'byRule', by_rule),
             ${now.toISOString()}::timestamptz
      from per_user
      on conflict (dedupe_key) do nothing
      returning (detail->>'count')::int as c
    )
    select count(*)::int as n, coalesce(sum(c), 0)::int as warnings from inserted`);
  return { week, sent: rows[0]?.n ?? 0, warnings: rows[0]?.warnings ?? 0 };
}
