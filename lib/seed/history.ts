// The demo's past (docs/churn.md, "Demo history"): after the portfolio is loaded, 18 months of operations are replayed
// up to the as-of date, so a new user sees warnings, tasks, follow-ups, outcomes and churn events spread over time
// instead of everything opened on the day of the load.
//
// Every week (and on the as-of day itself), in date order:
// - the warning rules are evaluated as of that day (the engine's as-of mode reads only rows dated on or before it),
//   so each warning opens on the day its rule first matched and closes when it stopped matching;
// - churn detection runs as of that day, so events are detected in the week they became visible;
// - the warnings that opened or re-opened that day go through the normal task opening (lib/tasks/open.ts: open
//   threshold, attach to the customer's active task), at 08:00 business time;
// - in between, the simulated RMs (./rmwork.ts) work their tasks at the times their plans say, SLA timers fire as
//   they would have, and promises to pay are settled against the repayments.
// What the simulation itself handled is not handed to the worker again: the warning outbox rows are marked done, and
// the notifications of tasks closed in the past are dropped. Tasks still open at the end are live: their timers are
// the worker's from then on.
import { sql } from "drizzle-orm";
import type { Actor } from "../auth/roles";
import { detectChurn } from "../churn/detect";
import type { Db } from "../db/client";
import { addMonths } from "../loans/schedule";
import { evaluateRules } from "../rules/evaluate";
import { addDays, localTime } from "../tasks/calendar";
import { openTasksForWarnings } from "../tasks/open";
import { fireDueTimers } from "../tasks/timers";
import { businessTz } from "../time";
import type { ReasonFamily, Role } from "../vocabulary";
import { alertVolumeOn } from "../warnings/volume";
import { perform, personaOf, planTask, type Action, type Fate, type SimTask, type WorkContext, type WorkCounts } from "./rmwork";

/** How far back the demo's history starts, and how often the rules and churn detection run over it. */
export const HISTORY_MONTHS = 18;
export const STEP_DAYS = 7;

export type HistoryStep = {
  step: number;
  steps: number;
  day: string;
  warningsOpened: number;
  tasksOpened: number;
  churnEvents: number;
  openTasks: number;
  activeCustomers: number;
  topRule: { code: string; share: number } | null;
};

export type HistorySummary = {
  from: string;
  to: string;
  steps: number;
  warnings: number;
  tasks: number;
  openTasks: number;
  followUps: number;
  promises: number;
  resolved: Record<string, number>;
  churnEvents: number;
  seconds: Record<string, number>;
};

/** The days the history evaluates: weekly from 18 months before the as-of date, and the as-of date itself. */
export function historyDays(asOf: string, months = HISTORY_MONTHS, stepDays = STEP_DAYS): string[] {
  const out: string[] = [];
  for (let d = addMonths(asOf, -months); d < asOf; d = addDays(d, stepDays)) out.push(d);
  out.push(asOf);
  return out;
}

/** Sorted insert: actions run in time order, ties by task and step, so the same seed replays the same way. */
function enqueue(queue: Action[], a: Action): void {
  const before = (x: Action) => x.at < a.at || (x.at === a.at && (x.taskId < a.taskId || (x.taskId === a.taskId && x.seq <= a.seq)));
  let lo = 0;
  let hi = queue.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(queue[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  queue.splice(lo, 0, a);
}

export type HistoryOptions = { asOf: string; seed: number; months?: number; stepDays?: number; now?: Date };

export async function simulateHistory(db: Db, opts: HistoryOptions, onStep?: (s: HistoryStep) => void): Promise<HistorySummary> {
  const tz = businessTz();
  // Seconds spent per phase (evaluation, detection, each kind of RM action …), for the benchmark record.
  const seconds: Record<string, number> = {};
  const timed = async <T>(phase: string, f: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await f();
    } finally {
      seconds[phase] = (seconds[phase] ?? 0) + (performance.now() - t) / 1000;
    }
  };
  const days = historyDays(opts.asOf, opts.months, opts.stepDays);
  const realNow = (opts.now ?? new Date()).getTime();
  const users = new Map<number, Actor>(
    (await db.execute<{ id: number; username: string; display_name: string; role: Role; branch_id: number | null }>(sql`
      select id, username, display_name, role::text as role, branch_id from users where role = 'rm' and active`)).map((u) => [
      u.id,
      { userId: u.id, username: u.username, displayName: u.display_name, role: u.role, branchId: u.branch_id },
    ]),
  );
  const fates = new Map<number, Fate>(
    (await db.execute<{ customer_id: number; behaviour: string; churns: boolean; stage: Fate["stage"]; will: Fate["will"]; reason_family: ReasonFamily | null; churn_on: string | null }>(sql`
      select customer_id, behaviour, churns, stage::text as stage, will::text as will, reason_family::text as reason_family, churn_on::text as churn_on
      from churn_truth`)).map((f) => [f.customer_id, { behaviour: f.behaviour, churns: f.churns, stage: f.stage, will: f.will, reasonFamily: f.reason_family, churnOn: f.churn_on }]),
  );
  const ctx: WorkContext = { db, users, fates, tasks: new Map<number, SimTask>(), closed: new Set(), contacted: new Set() };
  const counts: WorkCounts = { acknowledged: 0, followUps: 0, promises: 0, resolved: {} };
  const queue: Action[] = [];
  let warnings = 0;
  let tasks = 0;

  // Runs the actions due before `until`, in time order (an action may queue another: a promise's check, a look again).
  const workUntil = async (until: number) => {
    while (queue[0] && queue[0].at < until) {
      const next = queue.shift()!;
      const again = await timed("perform:" + next.kind, () => perform(ctx, next, counts));
      if (again) enqueue(queue, again);
    }
  };

  for (const [i, day] of days.entries()) {
    const last = i === days.length - 1;
    // The nightly run's results are in by 08:00; on the as-of day, no later than the moment of the load.
    const openAt = last ? Math.min(localTime(day, tz, "08:00"), realNow) : localTime(day, tz, "08:00");
    await workUntil(localTime(day, tz, "02:00"));
    // The worker's sweep: any timer a delayed job missed (a deadline tightened by a raised priority).
    await timed("sweep", () => fireDueTimers(db, new Date(localTime(day, tz, "02:00"))));
    const r = await timed('eval', () => evaluateRules(db, { kind: "all" }, day));
    const c = await timed('detect', () => detectChurn(db, { kind: "all" }, day));
    warnings += r.opened;
    // The warnings this run opened or re-opened, as the outbox hands them to the task worker; handled here, so the
    // rows are marked done (replayed by the worker, a warning whose task closed in the past would open a new one).
    const rows = await db.execute<{ id: number; warning_id: number }>(sql`
      select id::int as id, (payload ->> 'warningId')::int as warning_id from outbox
      where dispatched_at is null and topic in ('warning.opened', 'warning.reopened') order by id`);
    const fresh = [...new Set(rows.map((w) => w.warning_id))].sort((a, b) => a - b);
    let opened = 0;
    for (let k = 0; k < fresh.length; k += 5_000) {
      const o = await timed('open', () => openTasksForWarnings(db, fresh.slice(k, k + 5_000), new Date(openAt)));
      opened += o.opened;
    }
    if (rows.length) {
      await db.execute(sql`update outbox set dispatched_at = ${new Date(openAt).toISOString()}::timestamptz, confirmed_at = ${new Date(openAt).toISOString()}::timestamptz
        where id = any(${`{${rows.map((r) => r.id).join(",")}}`}::bigint[])`);
    }
    if (opened) {
      const created = await db.execute<{ id: number; customer_id: number; assignee_id: number | null; reason_family: ReasonFamily; timers: string[] }>(sql`
        select id, customer_id, assignee_id, reason_family::text as reason_family,
               array[contact_remind_at, contact_due_at, resolve_remind_at, resolve_due_at]::text[] as timers from tasks
        where opened_at = ${new Date(openAt).toISOString()}::timestamptz order by id`);
      for (const t of created) {
        const contactDue = new Date(t.timers[1]!).getTime();
        const resolveDue = new Date(t.timers[3]!).getTime();
        const plan =
          t.assignee_id === null ? [] : planTask(opts.seed, { id: t.id, customerId: t.customer_id, assigneeId: t.assignee_id, reasonFamily: t.reason_family, openedAt: openAt }, personaOf(opts.seed, t.assignee_id), fates.get(t.customer_id));
        // The SLA breaches' delayed jobs, as the worker would schedule them, where the plan lets them fire (a job
        // that would find the task contacted or closed does nothing); reminders are left to the weekly sweep: they
        // only notify, and a task closed by then needs none.
        const contacted = plan.find((a) => a.kind === "contact")?.at ?? Infinity;
        const closes = plan.find((a) => a.kind === "resolve")?.at ?? Infinity;
        if (contacted > contactDue) enqueue(queue, { at: contactDue, taskId: t.id, seq: -3, kind: "timer" });
        if (closes > resolveDue) enqueue(queue, { at: resolveDue, taskId: t.id, seq: -1, kind: "timer" });
        if (t.assignee_id === null) continue;
        ctx.tasks.set(t.id, { id: t.id, customerId: t.customer_id, assigneeId: t.assignee_id, reasonFamily: t.reason_family, openedAt: openAt });
        for (const a of plan) enqueue(queue, a);
      }
    }
    tasks += opened;
    const v = onStep ? await timed('volume', () => alertVolumeOn(db, day)) : null;
    onStep?.({
      step: i + 1,
      steps: days.length,
      day,
      warningsOpened: r.opened + r.reopened,
      tasksOpened: opened,
      churnEvents: c.inserted,
      openTasks: v!.openTasks,
      activeCustomers: v!.activeCustomers,
      topRule: v!.rules[0] ? { code: v!.rules[0].code, share: v!.rules[0].share } : null,
    });
    if (last) await workUntil(openAt + 1);
  }

  await timed("cleanup", () => db.execute(sql`delete from notifications n using tasks t where t.id = n.task_id and t.status in ('resolved', 'cancelled')`));
  const [end] = await db.execute<{ open: number; events: number }>(sql`
    select (select count(*) from tasks where status in ('open', 'acknowledged', 'in_progress'))::int as open,
           (select count(*) from churn_events)::int as events`);
  return {
    from: days[0]!,
    to: opts.asOf,
    steps: days.length,
    warnings,
    tasks,
    openTasks: end?.open ?? 0,
    followUps: counts.followUps,
    promises: counts.promises,
    resolved: counts.resolved,
    churnEvents: end?.events ?? 0,
    seconds: Object.fromEntries(Object.entries(seconds).map(([k, v]) => [k, Number(v.toFixed(1))])),
  };
}
