// The ledger from Postgres: loads the facts set-based (a few statements over tasks, follow-ups, task events and
// churn events), derives candidates with ./compute.ts, and appends the new ones in the period they land in. Idempotent
// (unique (source_key, rule), ON CONFLICT DO NOTHING) and serialised with period locking by one advisory lock.
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { businessTz } from "../time";
import { deriveCandidates, type Candidate, type ChurnFact, type TaskFact } from "./compute";
import { addDays, ENDING_KINDS, landingPeriod, periodOf, schemeFor, type SchemeVersion } from "./scheme";
import { approvedSchemes } from "./versions";

/** The advisory lock the engine and period locking share, so no entry lands in a period being locked. */
export const LEDGER_LOCK = sql`select pg_advisory_xact_lock(hashtext('incentive_ledger'))`;

const day = (ts: SQL) => sql`to_char((${ts} at time zone ${businessTz()}::text)::date, 'YYYY-MM-DD')`;
const intArray = (ids: readonly number[]) => sql`${`{${ids.join(",")}}`}::int[]`;

type TaskRow = {
  task_id: number;
  customer_id: number;
  assignee_id: number | null;
  first_contact_on: string | null;
  in_time: boolean | null;
  first_by: number | null;
  first_fu: number | null;
  contact_breached_on: string | null;
  contact_breach_rm: number | null;
  resolve_breached_on: string | null;
  resolve_breach_rm: number | null;
  closed_on: string | null;
  outcome: string | null;
  balance: string | number | null;
  contributors: { rmId: number; followUpIds: number[] }[] | null;
  shares: { rmId: number; points: number; followUpIds: number[]; of: number }[] | null;
};

/**
 * Who held the task when a deadline passed: the `from` of the first reassignment after that moment, else the
 * assignee now (reassignments are task_events with detail {from, to}).
 */
const holderAt = (ts: string) => sql.raw(`coalesce((select (e.detail->>'from')::int from task_events e
  where e.task_id = t.id and e.kind = 'reassigned' and e.at > t.${ts} order by e.at, e.id limit 1), t.assignee_id)`);

export async function loadTaskFacts(db: DbOrTx, taskIds?: readonly number[]): Promise<TaskFact[]> {
  // A join with the ids, not `= any(array)` in a filter: thousands of ids never become a per-row linear search.
  const only = taskIds ? sql`and t.id in (select unnest(${intArray(taskIds)}))` : sql``;
  const closed = sql`(t.closed_at at time zone ${businessTz()}::text)::date`;
  // The balance and the split are computed once, for a task whose shares the ledger does not hold yet.
  const unrecorded = sql`t.outcome in ('retained', 'restructured') and not exists (select 1 from incentive_ledger r where r.task_id = t.id and r.rule = 'retained')`;
  const rows = await db.execute<TaskRow>(sql`
    select t.id as task_id, t.customer_id, t.assignee_id,
      ${day(sql`t.first_contact_at`)} as first_contact_on, t.first_contact_at <= t.contact_due_at as in_time,
      fc.author_id as first_by, fc.id as first_fu,
      ${day(sql`t.contact_breached_at`)} as contact_breached_on,
      case when t.contact_breached_at is not null then ${holderAt("contact_breached_at")} end as contact_breach_rm,
      ${day(sql`t.resolve_breached_at`)} as resolve_breached_on,
      case when t.resolve_breached_at is not null then ${holderAt("resolve_breached_at")} end as resolve_breach_rm,
      ${day(sql`t.closed_at`)} as closed_on, t.outcome,
      case when ${unrecorded} then (
        select coalesce(sum(l.principal_fen - coalesce((select sum(a.amount_fen) from repayment_allocations a
            join repayments r on r.id = a.repayment_id
           where a.loan_id = l.id and a.component in ('principal', 'prepayment') and r.paid_on <= ${closed}), 0)), 0)
          from loans l where l.customer_id = t.customer_id and l.disbursed_on <= ${closed} and (l.closed_on is null or l.closed_on > ${closed})
      ) end as balance,
      case when ${unrecorded} then (
        select json_agg(json_build_object('rmId', x.author_id, 'followUpIds', x.ids) order by x.author_id)
          from (select f.author_id, array_agg(f.id order by f.id) as ids from follow_ups f where f.task_id = t.id group by f.author_id) x
      ) end as contributors,
      (select json_agg(json_build_object('rmId', r.rm_id, 'points', r.points, 'followUpIds', r.follow_up_ids, 'of', coalesce((r.basis->>'shareOf')::int, 1)) order by r.rm_id)
         from incentive_ledger r where r.task_id = t.id and r.rule = 'retained') as shares
    from tasks t
    left join lateral (select f.id, f.author_id from follow_ups f where f.task_id = t.id order by f.occurred_at, f.id limit 1) fc on t.first_contact_at is not null
    where (t.first_contact_at is not null or t.contact_breached_at is not null or t.resolve_breached_at is not null
           or t.outcome in ('retained', 'restructured')) ${only}`);
  return rows.map((r) => ({
    taskId: r.task_id,
    customerId: r.customer_id,
    assigneeId: r.assignee_id,
    firstContactOn: r.first_contact_on,
    firstContactInTime: !!r.in_time,
    firstContactBy: r.first_by,
    firstContactFollowUpId: r.first_fu,
    contactBreachedOn: r.contact_breached_on,
    contactBreachRm: r.contact_breach_rm,
    resolveBreachedOn: r.resolve_breached_on,
    resolveBreachRm: r.resolve_breach_rm,
    closedOn: r.closed_on,
    outcome: r.outcome,
    retainedBalanceFen: Number(r.balance ?? 0),
    contributors: r.contributors ?? [],
    shares: r.shares,
  }));
}

/** Churn events with their facts: all, or those with the given ids or of the given customers. */
export async function loadChurnFacts(
  db: DbOrTx,
  versions: readonly SchemeVersion[],
  only?: { customerIds?: readonly number[]; ids?: readonly number[] },
): Promise<ChurnFact[]> {
  const lookback = Math.max(1, ...versions.map((v) => v.body.churnNoFollowUp.lookbackDays));
  const where = only
    ? sql`ce.id in (select e.id from churn_events e where e.customer_id in (select unnest(${intArray(only.customerIds ?? [])}))
        union select unnest(${`{${(only.ids ?? []).join(",")}}`}::bigint[]))`
    : sql`true`;
  const rows = await db.execute<{ id: number; customer_id: number; rm_id: number; kind: string; effective_on: string; detected_on: string; dismissed: boolean; dismissed_on: string | null; fus: [number, string][] | null }>(sql`
    select ce.id::int as id, ce.customer_id, c.rm_id, ce.kind::text as kind, to_char(ce.effective_on, 'YYYY-MM-DD') as effective_on,
      to_char(ce.detected_on, 'YYYY-MM-DD') as detected_on, ce.status = 'dismissed' as dismissed,
      case when ce.status = 'dismissed' then ${day(sql`ce.decided_at`)} end as dismissed_on,
      (select json_agg(json_build_array(f.id, ${day(sql`f.occurred_at`)}) order by f.id) from follow_ups f
        where f.customer_id = ce.customer_id
          and f.occurred_at >= ((ce.effective_on - ${lookback}::int)::timestamp at time zone ${businessTz()}::text)
          and f.occurred_at < ((ce.effective_on + 1)::timestamp at time zone ${businessTz()}::text)) as fus
    from churn_events ce join customers c on c.id = ce.customer_id
    where ${where}`);
  return rows.map((r) => {
    const v = schemeFor(versions, periodOf(r.effective_on));
    const from = addDays(r.effective_on, -(v?.body.churnNoFollowUp.lookbackDays ?? lookback));
    return {
      id: r.id,
      customerId: r.customer_id,
      rmId: r.rm_id,
      kind: r.kind,
      effectiveOn: r.effective_on,
      detectedOn: r.detected_on,
      dismissed: r.dismissed,
      dismissedOn: r.dismissed_on,
      followUpIds: (r.fus ?? []).filter(([, d]) => d >= from && d <= r.effective_on).map(([id]) => id),
    };
  });
}

/**
 * The sources a derivation as of `asOf` can still add an entry for — a superset, so the bounded close appends exactly
 * what the whole history would (test/incentives-bounded.int.test.ts):
 *  - tasks with a first contact in time, a breach or a retained outcome whose entry is not in the ledger yet;
 *  - retention shares not settled: awaiting verification (or verification after a reversed forfeiture), verified
 *    but not clawed back while a relationship ended inside the longest clawback window, or clawed back by a churn
 *    event dismissed since (not reversed yet);
 *  - churn events of the scheme's kinds, not dismissed, detected by `asOf`, without their "no follow-up" entry.
 * Two aggregate passes over the ledger (cheap, no per-row facts), so the close reads the facts of a month's activity
 * plus the shares in their windows, not the history's. The churn events of the tasks' customers come along.
 */
export async function liveSources(tx: DbOrTx, versions: readonly SchemeVersion[], asOf: string): Promise<{ taskIds: number[]; churnIds: number[] }> {
  const clawDays = Math.max(1, ...versions.map((v) => v.body.clawback.days));
  const kinds = [...new Set(versions.flatMap((v) => v.body.churnNoFollowUp.kinds))];
  const ending = sql`${`{${[...ENDING_KINDS].join(",")}}`}::text[]`;
  // Two passes over the ledger: the tasks' own entries per task, the retention entries per share.
  const tasks = await tx.execute<{ id: number }>(sql`
    with k as (
      select task_id, bool_or(rule = 'first_contact') as fc, bool_or(rule = 'retained') as ret,
        bool_or(rule = 'sla_breach' and source_key like '%:contact') as cb, bool_or(rule = 'sla_breach' and source_key like '%:resolve') as rb
      from incentive_ledger where task_id is not null and rule in ('first_contact', 'sla_breach', 'retained') group by task_id
    ), s as (
      select source_key, min(task_id) as task_id, min(customer_id) as customer_id, min(event_on) filter (where rule = 'retained') as closed_on,
        bool_or(rule = 'retention_verified') as ver, bool_or(rule = 'clawback') as claw, bool_or(rule = 'clawback_reversed') as rev,
        max(churn_event_id) filter (where rule = 'clawback') as claw_churn
      from incentive_ledger where rule in ('retained', 'retention_verified', 'clawback', 'clawback_reversed') group by source_key
    )
    select t.id from tasks t left join k on k.task_id = t.id
    where (t.first_contact_at <= t.contact_due_at and k.fc is not true)
      or (t.contact_breached_at is not null and k.cb is not true)
      or (t.resolve_breached_at is not null and k.rb is not true)
      or (t.closed_at is not null and t.outcome in ('retained', 'restructured') and k.ret is not true)
    union
    select s.task_id from s left join churn_events cc on cc.id = s.claw_churn
    where s.closed_on is not null and (
      (not s.ver and (not s.claw or s.rev))
      or (not s.claw and exists (select 1 from churn_events ce where ce.customer_id = s.customer_id and ce.status <> 'dismissed' and ce.kind::text = any(${ending})
        and ce.effective_on > s.closed_on and ce.effective_on <= s.closed_on + ${clawDays}::int and ce.detected_on <= ${asOf}::date))
      or (s.claw and not s.rev and cc.status = 'dismissed'))`);
  const churns = await tx.execute<{ id: number }>(sql`
    select ce.id::int as id from churn_events ce
    where ce.status <> 'dismissed' and ce.detected_on <= ${asOf}::date and ce.kind::text = any(${`{${kinds.join(",")}}`}::text[])
      and not exists (select 1 from incentive_ledger r where r.churn_event_id = ce.id and r.rule = 'churn_no_followup')`);
  return { taskIds: tasks.map((r) => r.id).filter((id) => id != null), churnIds: churns.map((r) => r.id) };
}

export type DeriveResult = {
  candidates: number;
  inserted: number;
  byRule: Record<string, number>;
  tasks: number;
  churnEvents: number;
  /** Milliseconds per step (the benchmark prints them). */
  ms: { select: number; tasks: number; churns: number; keys: number; derive: number; append: number };
};

/**
 * Derives and appends every entry the facts justify as of `asOf` (a business day). By default only the sources that
 * can still earn or lose points are read (`liveSources`); `taskIds` narrows the run to some tasks (a settlement job),
 * their customers' churn events coming along for clawback; `unbounded` reads the whole history (the reference the
 * bounded run is tested against).
 */
export async function deriveLedger(db: DbOrTx, asOf: string, opts: { taskIds?: readonly number[]; unbounded?: boolean } = {}): Promise<DeriveResult> {
  return db.transaction(async (tx) => {
    await tx.execute(LEDGER_LOCK);
    // The as-of day's reads of a large portfolio are one pass each; the planner's JIT only costs here.
    await tx.execute(sql`set local jit = off`);
    const versions = await approvedSchemes(tx);
    const ms = { select: 0, tasks: 0, churns: 0, keys: 0, derive: 0, append: 0 };
    let t0 = performance.now();
    const lap = (k: keyof typeof ms) => {
      const now = performance.now();
      ms[k] = Math.round(now - t0);
      t0 = now;
    };
    if (!versions.length) return { candidates: 0, inserted: 0, byRule: {}, tasks: 0, churnEvents: 0, ms };
    const live = opts.taskIds ? { taskIds: [...opts.taskIds], churnIds: [] } : opts.unbounded ? null : await liveSources(tx, versions, asOf);
    lap("select");
    const tasks = live && !live.taskIds.length ? [] : await loadTaskFacts(tx, live?.taskIds);
    lap("tasks");
    const customers = [...new Set(tasks.map((t) => t.customerId))];
    const churns = live && !customers.length && !live.churnIds.length ? [] : await loadChurnFacts(tx, versions, live ? { customerIds: customers, ids: live.churnIds } : undefined);
    lap("churns");
    // The ledger keys of exactly those sources: the tasks' entries and the churn events' own.
    const known = await tx.execute<{ k: string; rule: string; churn_event_id: number | null; points: number }>(
      live
        ? sql`select source_key as k, rule, churn_event_id::int as churn_event_id, points from incentive_ledger where task_id in (select unnest(${intArray(live.taskIds)}))
            union all select source_key, rule, churn_event_id::int, points from incentive_ledger
            where source_key = any(${`{${churns.map((c) => `churn:${c.id}`).join(",")}}`}::text[]) and rule = 'churn_no_followup'`
        : sql`select source_key as k, rule, churn_event_id::int as churn_event_id, points from incentive_ledger`,
    );
    lap("keys");
    const have = new Set(known.map((r) => `${r.k}|${r.rule}`));
    const verified = new Set<string>();
    const clawed = new Set<string>();
    const reversed = new Set<string>();
    const clawbacks = new Map<string, { churnEventId: number | null; points: number }>();
    for (const r of known) {
      if (r.rule === "retention_verified") verified.add(r.k);
      else if (r.rule === "clawback_reversed") reversed.add(r.k);
      else if (r.rule === "clawback") {
        clawed.add(r.k);
        clawbacks.set(r.k, { churnEventId: r.churn_event_id, points: r.points });
      }
    }
    const all = deriveCandidates(tasks, churns, versions, asOf, { verified, clawed, clawbacks, reversed });
    const fresh = all.filter((c) => !have.has(`${c.sourceKey}|${c.rule}`));
    lap("derive");
    const inserted = await appendEntries(tx, fresh);
    lap("append");
    const byRule: Record<string, number> = {};
    for (const c of fresh) byRule[c.rule] = (byRule[c.rule] ?? 0) + 1;
    return { candidates: all.length, inserted, byRule, tasks: tasks.length, churnEvents: churns.length, ms };
  });
}

/** Appends candidates in the periods they land in (creating open periods as needed); returns how many were new. */
export async function appendEntries(tx: DbOrTx, fresh: readonly (Candidate & { adjustmentId?: number | null })[]): Promise<number> {
  if (!fresh.length) return 0;
  const months = [...new Set(fresh.map((c) => periodOf(c.eventOn)))];
  await tx.execute(sql`insert into incentive_periods (period) select unnest(${`{${months.join(",")}}`}::text[]) on conflict do nothing`);
  const locked = new Set((await tx.execute<{ period: string }>(sql`select period from incentive_periods where status = 'locked'`)).map((r) => r.period));
  const landed = fresh.map((c) => ({ ...c, period: landingPeriod(periodOf(c.eventOn), locked) }));
  const later = [...new Set(landed.map((c) => c.period))].filter((p) => !months.includes(p));
  if (later.length) await tx.execute(sql`insert into incentive_periods (period) select unnest(${`{${later.join(",")}}`}::text[]) on conflict do nothing`);
  let inserted = 0;
  for (let i = 0; i < landed.length; i += 5_000) {
    const chunk = landed.slice(i, i + 5_000);
    const res = await tx.execute(sql`
      insert into incentive_ledger (source_key, rule, rm_id, period, event_on, scheme_version_id, points, status, task_id,
        customer_id, churn_event_id, follow_up_ids, adjustment_id, basis)
      select x.source_key, x.rule, x.rm_id, x.period, x.event_on::date, x.scheme_version_id, x.points,
        x.status::incentive_entry_status, x.task_id, x.customer_id, x.churn_event_id,
        coalesce(array(select jsonb_array_elements_text(x.follow_up_ids)::int), '{}'), x.adjustment_id, x.basis
      from jsonb_to_recordset(${JSON.stringify(
        chunk.map((c) => ({
          source_key: c.sourceKey,
          rule: c.rule,
          rm_id: c.rmId,
          period: c.period,
          event_on: c.eventOn,
          scheme_version_id: c.schemeVersionId,
          points: c.points,
          status: c.status,
          task_id: c.taskId,
          customer_id: c.customerId,
          churn_event_id: c.churnEventId,
          follow_up_ids: c.followUpIds,
          adjustment_id: c.adjustmentId ?? null,
          basis: c.basis,
        })),
      )}::jsonb) as x(source_key text, rule text, rm_id int, period text, event_on text, scheme_version_id int, points int,
        status text, task_id int, customer_id int, churn_event_id bigint, follow_up_ids jsonb, adjustment_id int, basis jsonb)
      on conflict (source_key, rule) do nothing`);
    inserted += res.count ?? 0;
  }
  return inserted;
}
