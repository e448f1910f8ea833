// Turns new (or re-opened) warnings into intervention tasks: one active task per customer. A warning on a customer
// with an active task attaches to it (raising its priority when more severe); otherwise a task opens for the
// customer's RM or, when that RM is inactive, the least-loaded active RM of the customer's branch. Idempotent: a
// warning already attached to an active task is skipped, so replaying an outbox row opens and attaches nothing.
// Warnings below the open threshold (setting tasks.openThreshold) open no task: they wait, open, for the customer's
// next task, which collects them when it opens, and meanwhile go into the RM's weekly digest (./digest.ts).
import { sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client";
import { notifications, taskEvents, tasks, taskWarnings } from "../db/schema";
import { isUniqueViolation } from "../errors";
import { ACTIVE_TASK_STATUSES, type ReasonFamily, type Severity, type Stage, type Will } from "../vocabulary";
import { priorityRank, slaTimers, type Priority, type SlaTimers } from "./calendar";
import { notify } from "./notify";
import { loadCalendar, loadOpenThreshold, loadSla } from "./settings";
import { withRetries } from "../retry";

// The first key of the per-customer advisory locks taken while opening tasks (the second is the customer id).
const TASK_LOCK_SPACE = 7_301;

export const ACTIVE = sql.raw(`(${ACTIVE_TASK_STATUSES.map((s) => `'${s}'`).join(", ")})`);

type Candidate = {
  id: number;
  customer_id: number;
  severity: Priority;
  reason_family: ReasonFamily;
  stage: Stage;
  will: Will;
  branch_id: number;
  rm_id: number;
  rm_usable: boolean;
};

/** `held`: warnings below the threshold on customers without an active task, left waiting for a later task. */
export type OpenResult = { opened: number; attached: number; raised: number; unassigned: number; held: number; taskIds: number[] };

function intArray(ids: readonly number[]): string {
  for (const id of ids) if (!Number.isSafeInteger(id)) throw new RangeError(`id must be an integer, got ${id}`);
  return `{${ids.join(",")}}`;
}

/** The most severe warning first; ties by id, so the choice is deterministic. */
function worst(ws: Candidate[]): Candidate {
  return ws.reduce((a, b) => (priorityRank(b.severity) > priorityRank(a.severity) || (b.severity === a.severity && b.id < a.id) ? b : a));
}

export async function openTasksForWarnings(db: Db, warningIds: readonly number[], now: Date): Promise<OpenResult> {
  const empty: OpenResult = { opened: 0, attached: 0, raised: 0, unassigned: 0, held: 0, taskIds: [] };
  if (warningIds.length === 0) return empty;
  const [cal, sla, threshold] = await Promise.all([loadCalendar(db), loadSla(db), loadOpenThreshold(db)]);
  const timers = new Map<Priority, SlaTimers>();
  const timersFor = (p: Priority, openedAt: Date) => (openedAt === now ? (timers.get(p) ?? timers.set(p, slaTimers(cal, sla, p, now)).get(p)!) : slaTimers(cal, sla, p, openedAt));

  // Another worker opened a task for one of these customers at the same moment: run again, it attaches.
  return withRetries(() => db.transaction((tx) => openInTx(tx, warningIds, now, timersFor, threshold)), {
    retryIf: (e) => isUniqueViolation(e) || (e as { code?: string }).code === "40P01",
  });
}

async function openInTx(tx: Tx, warningIds: readonly number[], now: Date, timersFor: (p: Priority, openedAt: Date) => SlaTimers, threshold: Severity): Promise<OpenResult> {
  // Jobs for overlapping customers run concurrently at event rates: take a transaction lock per customer, in id order
  // (no deadlocks), before reading, so the second job sees the first one's task and attaches instead of colliding.
  await tx.execute(sql`
    select pg_advisory_xact_lock(${TASK_LOCK_SPACE}::int, s.customer_id)
    from (select distinct customer_id from warnings where id = any(${intArray(warningIds)}::bigint[]) order by customer_id) s`);
  const candidates = [
    ...(await tx.execute<Candidate>(sql`
      select w.id::int as id, w.customer_id, w.severity::text as severity, w.reason_family::text as reason_family,
             w.stage::text as stage, w.will::text as will, c.branch_id, c.rm_id,
             (u.active and u.role = 'rm') as rm_usable
      from warnings w join customers c on c.id = w.customer_id join users u on u.id = c.rm_id
      where w.id = any(${intArray(warningIds)}::bigint[]) and w.status = 'open'
        and not exists (select 1 from task_warnings tw join tasks t on t.id = tw.task_id
                        where tw.warning_id = w.id and t.status in ${ACTIVE})
      order by w.customer_id, w.id`)),
  ];
  if (candidates.length === 0) return { opened: 0, attached: 0, raised: 0, unassigned: 0, held: 0, taskIds: [] };
  const byCustomer = new Map<number, Candidate[]>();
  for (const c of candidates) byCustomer.set(c.customer_id, [...(byCustomer.get(c.customer_id) ?? []), c]);
  const customerIds = [...byCustomer.keys()];

  // Active tasks of these customers, locked: a concurrent transition waits for us (and we for it).
  const existing = new Map<number, { id: number; priority: Priority; opened_at: Date; assignee_id: number | null }>();
  for (const t of await tx.execute<{ id: number; customer_id: number; priority: Priority; opened_at: string; assignee_id: number | null }>(sql`
    select id, customer_id, priority::text as priority, opened_at, assignee_id from tasks
    where customer_id = any(${intArray(customerIds)}::int[]) and status in ${ACTIVE}
    order by id for update`)) {
    existing.set(t.customer_id, { id: t.id, priority: t.priority, opened_at: new Date(t.opened_at), assignee_id: t.assignee_id });
  }

  // Assignees for new tasks: the owning RM, else the least-loaded active RM of the branch (ties: lowest id), counting
  // the tasks this batch hands out.
  // A customer without an active task gets one only for a warning at or above the threshold; below it, the warnings wait.
  const min = priorityRank(threshold);
  const fresh = customerIds.filter((c) => !existing.has(c) && byCustomer.get(c)!.some((w) => priorityRank(w.severity) >= min));
  const opening = new Set(fresh);
  const held = customerIds.filter((c) => !existing.has(c) && !opening.has(c)).reduce((n, c) => n + byCustomer.get(c)!.length, 0);
  // A task that opens collects the customer's waiting warnings: open, below the threshold, on no active task.
  const waiting = new Map<number, number[]>();
  if (fresh.length) {
    for (const w of await tx.execute<{ id: number; customer_id: number }>(sql`
      select w.id::int as id, w.customer_id from warnings w
      where w.customer_id = any(${intArray(fresh)}::int[]) and w.status = 'open' and w.severity < ${threshold}::severity
        and w.id <> all(${intArray(candidates.map((c) => c.id))}::bigint[])
        and not exists (select 1 from task_warnings tw join tasks t on t.id = tw.task_id
                        where tw.warning_id = w.id and t.status in ${ACTIVE})
      order by w.customer_id, w.id`)) {
      waiting.set(w.customer_id, [...(waiting.get(w.customer_id) ?? []), w.id]);
    }
  }
  const needFallback = [...new Set(fresh.map((c) => byCustomer.get(c)![0]!).filter((c) => !c.rm_usable).map((c) => c.branch_id))];
  const load = new Map<number, { id: number; n: number }[]>();
  if (needFallback.length) {
    for (const r of await tx.execute<{ id: number; branch_id: number; n: number }>(sql`
      select u.id, u.branch_id, (select count(*)::int from tasks t where t.assignee_id = u.id and t.status in ${ACTIVE}) as n
      from users u where u.role = 'rm' and u.active and u.branch_id = any(${intArray(needFallback)}::int[])
      order by u.id`)) {
      load.set(r.branch_id, [...(load.get(r.branch_id) ?? []), { id: r.id, n: r.n }]);
    }
  }
  const pick = (branchId: number): number | null => {
    const rms = load.get(branchId);
    if (!rms?.length) return null;
    const best = rms.reduce((a, b) => (b.n < a.n ? b : a));
    best.n++;
    return best.id;
  };

  const rows = fresh.map((customerId) => {
    const ws = byCustomer.get(customerId)!;
    const w = worst(ws);
    const assigneeId = w.rm_usable ? w.rm_id : pick(w.branch_id);
    return {
      customerId,
      assigneeId,
      via: w.rm_usable ? "owner" : assigneeId ? "least_loaded" : "unassigned",
      priority: w.severity,
      reasonFamily: w.reason_family,
      stage: w.stage,
      will: w.will,
      openedAt: now,
      ...timersFor(w.severity, now),
      warningIds: [...ws.map((x) => x.id), ...(waiting.get(customerId) ?? [])],
      joined: waiting.get(customerId) ?? [],
      branchId: w.branch_id,
    };
  });
  const taskIds: number[] = [];
  let unassigned = 0;
  if (rows.length) {
    // In slices: a statement carries at most 65,535 parameters.
    const idOf = new Map<number, number>();
    for (let i = 0; i < rows.length; i += 2_000) {
      const inserted = await tx
        .insert(tasks)
        .values(rows.slice(i, i + 2_000).map(({ via: _v, warningIds: _w, joined: _j, branchId: _b, ...r }) => r))
        .returning({ id: tasks.id, customerId: tasks.customerId });
      for (const r of inserted) idOf.set(r.customerId, r.id);
    }
    await tx.insert(taskEvents).values(
      rows.map((r) => ({
        taskId: idOf.get(r.customerId)!,
        kind: "opened",
        at: now,
        detail: { warningIds: r.warningIds, ...(r.joined.length ? { joined: r.joined } : {}), assigneeId: r.assigneeId, via: r.via, priority: r.priority },
      })),
    );
    await tx.insert(taskWarnings).values(rows.flatMap((r) => r.warningIds.map((warningId) => ({ taskId: idOf.get(r.customerId)!, warningId, attachedAt: now }))));
    // Assignees were just chosen among active RMs: one insert for all of them (the dedupe key has notify()'s shape).
    const assigned = rows.filter((r) => r.assigneeId);
    if (assigned.length) {
      await tx
        .insert(notifications)
        .values(assigned.map((r) => {
          const taskId = idOf.get(r.customerId)!;
          return { userId: r.assigneeId!, kind: "assigned", taskId, dedupeKey: `task:${taskId}:assigned:${r.assigneeId}:opened:u${r.assigneeId}`, detail: { priority: r.priority }, createdAt: now };
        }))
        .onConflictDoNothing();
    }
    for (const r of rows) {
      const taskId = idOf.get(r.customerId)!;
      taskIds.push(taskId);
      if (!r.assigneeId) {
        unassigned++;
        await notify(tx, { branchSupervisorsOf: r.branchId, kind: "unassigned", taskId, key: `task:${taskId}:unassigned`, detail: { priority: r.priority }, at: now });
      }
    }
  }

  // Attach to active tasks; raise their priority (and tighten deadlines not yet passed) when a warning is more severe.
  let attached = 0;
  let raised = 0;
  if (existing.size) {
    const links = [...existing].flatMap(([customerId, t]) => byCustomer.get(customerId)!.map((w) => ({ taskId: t.id, warningId: w.id, attachedAt: now })));
    await tx.insert(taskWarnings).values(links).onConflictDoNothing();
    await tx.insert(taskEvents).values([...existing].map(([customerId, t]) => ({ taskId: t.id, kind: "warnings_attached", at: now, detail: { warningIds: byCustomer.get(customerId)!.map((w) => w.id) } })));
    attached = links.length;
  }
  for (const [customerId, t] of existing) {
    const ws = byCustomer.get(customerId)!;
    const w = worst(ws);
    if (priorityRank(w.severity) > priorityRank(t.priority)) {
      const tm = timersFor(w.severity, t.opened_at);
      await tx.execute(sql`
        update tasks set priority = ${w.severity}::severity, reason_family = ${w.reason_family}::reason_family,
          stage = ${w.stage}::churn_stage, will = ${w.will}::churn_will,
          contact_remind_at = least(contact_remind_at, ${tm.contactRemindAt.toISOString()}::timestamptz), contact_due_at = least(contact_due_at, ${tm.contactDueAt.toISOString()}::timestamptz),
          resolve_remind_at = least(resolve_remind_at, ${tm.resolveRemindAt.toISOString()}::timestamptz), resolve_due_at = least(resolve_due_at, ${tm.resolveDueAt.toISOString()}::timestamptz),
          version = version + 1, updated_at = now()
        where id = ${t.id}`);
      await tx.insert(taskEvents).values({ taskId: t.id, kind: "priority_raised", at: now, detail: { from: t.priority, to: w.severity, warningId: w.id } });
      raised++;
    }
    taskIds.push(t.id);
  }
  return { opened: rows.length, attached, raised, unassigned, held, taskIds };
}

/**
 * A deactivated RM's active tasks go to the least-loaded active RM of each customer's branch (the same rule as
 * opening), with a "reassigned" event and notification; tasks of a branch with no active RM are left unassigned and
 * its supervisors told. Runs in the deactivation's transaction.
 */
export async function reassignFromInactive(tx: Tx, userId: number, now: Date, actorId: number | null): Promise<number> {
  const moved = await tx.execute<{ id: number; branch_id: number; version: number }>(sql`
    select t.id, c.branch_id, t.version from tasks t join customers c on c.id = t.customer_id
    where t.assignee_id = ${userId} and t.status in ${ACTIVE} order by t.id for update of t`);
  if (moved.length === 0) return 0;
  const load = new Map<number, { id: number; n: number }[]>();
  for (const r of await tx.execute<{ id: number; branch_id: number; n: number }>(sql`
    select u.id, u.branch_id, (select count(*)::int from tasks t where t.assignee_id = u.id and t.status in ${ACTIVE}) as n
    from users u where u.role = 'rm' and u.active and u.id <> ${userId}
      and u.branch_id = any(${intArray([...new Set(moved.map((m) => m.branch_id))])}::int[]) order by u.id`)) {
    load.set(r.branch_id, [...(load.get(r.branch_id) ?? []), { id: r.id, n: r.n }]);
  }
  for (const t of moved) {
    const rms = load.get(t.branch_id);
    const best = rms?.length ? rms.reduce((a, b) => (b.n < a.n ? b : a)) : null;
    if (best) best.n++;
    const to = best?.id ?? null;
    await tx.execute(sql`update tasks set assignee_id = ${to}, version = version + 1, updated_at = now() where id = ${t.id}`);
    const detail = { from: userId, to, reason: "assignee_deactivated" };
    await tx.insert(taskEvents).values({ taskId: t.id, kind: "reassigned", actorId, at: now, detail });
    if (to) await notify(tx, { userIds: [to], kind: "reassigned", taskId: t.id, key: `task:${t.id}:reassigned:v${t.version}`, detail: { ...detail, role: "to" }, at: now });
    else await notify(tx, { branchSupervisorsOf: t.branch_id, kind: "unassigned", taskId: t.id, key: `task:${t.id}:unassigned:v${t.version}`, detail, at: now });
  }
  return moved.length;
}
