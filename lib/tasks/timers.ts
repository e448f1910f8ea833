// SLA reminders and escalations, next-action reminders and promise-to-pay checks. Postgres is the truth: each timer
// is a column on the task and fires by setting its "fired" column once (update … where fired is null), so delayed
// jobs, the minute sweep and a replay after a restart can all call these functions: whoever comes first fires it,
// the rest find nothing to do. Delayed jobs only make timers punctual; the sweep re-creates the ones Redis lost.
import { sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { businessTz } from "../time";
import { enqueueBulk, queueOf, type Queues } from "../pipeline/queues";
import { localDate } from "./calendar";
import { ACTIVE } from "./open";

export const TIMERS = ["contact_remind", "contact_breach", "resolve_remind", "resolve_breach"] as const;
export type TimerKind = (typeof TIMERS)[number];

// For each timer: when it is due, which column records it fired, and whether it still applies.
const TIMER_SQL: Record<TimerKind, { due: SQL; fired: string; applies: SQL }> = {
  contact_remind: { due: sql`t.contact_remind_at`, fired: "contact_reminded_at", applies: sql`t.first_contact_at is null` },
  contact_breach: { due: sql`t.contact_due_at`, fired: "contact_breached_at", applies: sql`t.first_contact_at is null` },
  resolve_remind: { due: sql`t.resolve_remind_at`, fired: "resolve_reminded_at", applies: sql`true` },
  resolve_breach: { due: sql`t.resolve_due_at`, fired: "resolve_breached_at", applies: sql`true` },
};

function only(taskIds: readonly number[] | undefined): SQL {
  if (!taskIds) return sql`true`;
  for (const id of taskIds) if (!Number.isSafeInteger(id)) throw new RangeError(`task id must be an integer, got ${id}`);
  return sql`t.id = any(${`{${taskIds.join(",")}}`}::int[])`;
}

export type FireResult = Record<TimerKind, number> & { notifications: number };

/** Fires every SLA timer due by `now` (optionally only for some tasks). */
export async function fireDueTimers(db: Db, now: Date, taskIds?: readonly number[]): Promise<FireResult> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const out = { contact_remind: 0, contact_breach: 0, resolve_remind: 0, resolve_breach: 0, notifications: 0 } as FireResult;
  await db.transaction(async (tx) => {
    for (const kind of TIMERS) {
      const t = TIMER_SQL[kind];
      const breach = kind.endsWith("breach");
      const timer = kind.startsWith("contact") ? "contact" : "resolve";
      // A breach flags the task as escalated and tells the assignee and the branch's supervisors; a reminder tells
      // the assignee only. One statement per timer kind over every due task.
      const [r] = await tx.execute<{ n: number; notified: number }>(sql`
        with f as (
          update tasks t set ${sql.raw(t.fired)} = ${at}, updated_at = now(), version = version + 1
            ${breach ? sql`, escalated = true, escalated_at = coalesce(t.escalated_at, ${at}), escalation_reason = coalesce(t.escalation_reason, ${`${timer}_overdue`})` : sql``}
          where t.status in ${ACTIVE} and ${t.applies} and t.${sql.raw(t.fired)} is null and ${t.due} <= ${at} and ${only(taskIds)}
          returning t.id, t.assignee_id, t.customer_id, t.priority, ${t.due} as due_at
        ), ev as (
          insert into task_events (task_id, kind, at, detail)
          select id, ${breach ? "escalated" : "reminded"}, ${at}, jsonb_build_object('timer', ${timer}::text, 'dueAt', due_at) from f
        ), rcpt as (
          select f.id, f.assignee_id as user_id, f.due_at, f.priority from f where f.assignee_id is not null
          ${breach ? sql`union
          select f.id, u.id, f.due_at, f.priority from f join customers c on c.id = f.customer_id
          join users u on u.role = 'supervisor' and u.active and u.branch_id = c.branch_id` : sql``}
        ), n as (
          insert into notifications (user_id, kind, task_id, dedupe_key, detail, created_at)
          select user_id, ${breach ? "escalated" : "reminder"}, id, 'task:' || id || ':' || ${kind}::text || ':u' || user_id,
                 jsonb_build_object('timer', ${timer}::text, 'dueAt', due_at, 'priority', priority), ${at}
          from rcpt
          on conflict (dedupe_key) do nothing
          returning 1
        )
        select (select count(*)::int from f) as n, (select count(*)::int from n) as notified`);
      out[kind] = r?.n ?? 0;
      out.notifications += r?.notified ?? 0;
    }
  });
  return out;
}

/**
 * Promises to pay, from the repayment data: kept once the customer's repayments from the day of the promise to its
 * due date add up to the promised amount; broken when the due date has passed without that (the assignee is told).
 */
export async function checkPromises(db: Db, now: Date): Promise<{ kept: number; broken: number }> {
  const today = localDate(now.getTime(), businessTz());
  const at = sql`${now.toISOString()}::timestamptz`;
  return db.transaction(async (tx) => {
    const paid = sql`(select coalesce(sum(r.amount_fen), 0) from repayments r join loans l on l.id = r.loan_id
                      where l.customer_id = f.customer_id
                        and r.paid_on between (f.occurred_at at time zone ${businessTz()})::date and f.promise_due_on)`;
    const kept = await tx.execute(sql`
      with k as (
        update follow_ups f set promise_status = 'kept', promise_settled_at = ${at}
        where f.promise_status = 'pending' and ${paid} >= f.promise_amount_fen
        returning f.id, f.task_id, f.promise_amount_fen
      )
      insert into task_events (task_id, kind, at, detail)
      select task_id, 'promise_kept', ${at}, jsonb_build_object('followUpId', id, 'amountFen', promise_amount_fen) from k
      returning task_id`);
    const broken = await tx.execute(sql`
      with b as (
        update follow_ups f set promise_status = 'broken', promise_settled_at = ${at}
        where f.promise_status = 'pending' and f.promise_due_on < ${today}::date and ${paid} < f.promise_amount_fen
        returning f.id, f.task_id, f.promise_amount_fen, f.promise_due_on, ${paid} as paid_fen
      ), ev as (
        insert into task_events (task_id, kind, at, detail)
        select task_id, 'promise_broken', ${at}, jsonb_build_object('followUpId', id, 'amountFen', promise_amount_fen, 'paidFen', paid_fen, 'dueOn', promise_due_on) from b
      )
      insert into notifications (user_id, kind, task_id, dedupe_key, detail, created_at)
      select t.assignee_id, 'promise_broken', b.task_id, 'followup:' || b.id || ':promise_broken:u' || t.assignee_id,
             jsonb_build_object('amountFen', b.promise_amount_fen, 'paidFen', b.paid_fen, 'dueOn', b.promise_due_on), ${at}
      from b join tasks t on t.id = b.task_id where t.assignee_id is not null
      on conflict (dedupe_key) do nothing
      returning task_id`);
    return { kept: kept.length, broken: broken.length };
  });
}

/** Next-action dates recorded on follow-ups remind the task's assignee at 09:00 business time on that day. */
export async function fireNextActions(db: Db, now: Date): Promise<number> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const rows = await db.execute(sql`
    with f as (
      update follow_ups f set next_action_notified_at = ${at}
      from tasks t
      where t.id = f.task_id and t.status in ${ACTIVE} and f.next_action_on is not null and f.next_action_notified_at is null
        and ((f.next_action_on + time '09:00') at time zone ${businessTz()}) <= ${at}
      returning f.id, f.task_id, t.assignee_id, f.next_action_on
    )
    insert into notifications (user_id, kind, task_id, dedupe_key, detail, created_at)
    select assignee_id, 'next_action', task_id, 'followup:' || id || ':next_action:u' || assignee_id, jsonb_build_object('on', next_action_on), ${at}
    from f where assignee_id is not null
    on conflict (dedupe_key) do nothing
    returning 1`);
  return rows.length;
}

export function timerJobId(taskId: number, kind: TimerKind, dueAt: Date): string {
  return `task-${taskId}-${kind}-${dueAt.getTime()}`;
}

/**
 * Delayed jobs for the pending timers of some tasks (or of every active task whose timer falls due within
 * `horizonMs`, for the reconciler). Job ids carry the due time, so a re-prioritised task gets a new job while the
 * old one, when it runs, simply finds nothing due. Returns how many jobs were (re-)created.
 */
export async function scheduleTimers(db: DbOrTx, queues: Queues, now: Date, opts: { taskIds?: readonly number[]; horizonMs?: number }): Promise<number> {
  const horizon = sql`${new Date(now.getTime() + (opts.horizonMs ?? 400 * 86_400_000)).toISOString()}::timestamptz`;
  const rows = await db.execute<{ id: number; kind: TimerKind; due_at: string }>(sql`
    select t.id, k.kind, k.due_at from tasks t
    cross join lateral (values
      ('contact_remind', t.contact_remind_at, t.contact_reminded_at is null and t.first_contact_at is null),
      ('contact_breach', t.contact_due_at, t.contact_breached_at is null and t.first_contact_at is null),
      ('resolve_remind', t.resolve_remind_at, t.resolve_reminded_at is null),
      ('resolve_breach', t.resolve_due_at, t.resolve_breached_at is null)
    ) as k(kind, due_at, pending)
    where t.status in ${ACTIVE} and k.pending and k.due_at <= ${horizon} and ${only(opts.taskIds)}
    order by k.due_at limit 10000`);
  const queue = queueOf(queues, "tasks.timer");
  const jobs: { payload: { taskId: number }; opts: { jobId: string; delay: number } }[] = [];
  for (const r of rows) {
    const due = new Date(r.due_at);
    const jobId = timerJobId(r.id, r.kind, due);
    if (!opts.taskIds && (await queue.getJob(jobId))) continue;
    jobs.push({ payload: { taskId: r.id }, opts: { jobId, delay: Math.max(0, due.getTime() - now.getTime()) } });
  }
  // One round trip per 1,000 (new tasks: four timers each, after the batch's commit).
  for (let i = 0; i < jobs.length; i += 1_000) await enqueueBulk(queues, "tasks.timer", jobs.slice(i, i + 1_000));
  return jobs.length;
}
