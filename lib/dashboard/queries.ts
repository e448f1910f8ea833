// The supervisor dashboard's figures, one set-based statement per section, every one scoped (lib/auth/scope.ts).
// The definitions (what "overdue", "SLA compliance", "retention" mean) are written down in docs/telemetry.md;
// the integration test checks each figure against its own SQL. The churn section reads churn_events (docs/churn.md).
import "server-only";
import { keptAnswers } from "../http/keptAnswers";
import { sql, type SQL } from "drizzle-orm";
import { scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { NotFound } from "../errors";
import { ACTIVE } from "../tasks/open";
import { businessTz } from "../time";
import type { Classification, ReasonFamily, Severity, Stage, TaskOutcome, Will } from "../vocabulary";
import { monthEnds, monthsOf, yearEarlier, type Period } from "./period";
import { snapshotted } from "./snapshots";

/** How many month-ends the NPL trend shows, ending with the period's last month. */
export const TREND_MONTHS = 12;

/**
 * The scope the dashboard reads: a supervisor's branch (naming another branch is not found), an admin's whole bank or
 * the branch it picked. Roles without a dashboard never get here (the guard refuses them).
 */
export async function dashboardScope(db: DbOrTx, scope: Scope, branchId: number | undefined): Promise<Scope> {
  if (branchId === undefined) return scope;
  if (scope.kind === "branch") {
    if (branchId !== scope.branchId) throw new NotFound("branch");
    return scope;
  }
  if (scope.kind !== "all") throw new NotFound("branch");
  const [b] = await db.execute<{ id: number }>(sql`select id from branches where id = ${branchId}`);
  if (!b) throw new NotFound("branch");
  return { kind: "branch", branchId, contact: true };
}

export type Intervention = {
  /** Now (whatever the period): active tasks by state, escalated and overdue among them. */
  open: number;
  acknowledged: number;
  inProgress: number;
  escalated: number;
  overdue: number;
  /** In the period. */
  resolved: number;
  contactSla: { decided: number; met: number };
  resolveSla: { decided: number; met: number };
  outcomes: Record<TaskOutcome, number>;
  retention: { intervened: number; retained: number };
  /** The same intervened customers, lost when a churn event (not dismissed) took effect after the task opened. */
  retentionByEvents: { intervened: number; retained: number };
  /** Per current assignee (null = unassigned); hours from the task opening to its first contact. */
  firstContact: { assigneeId: number | null; assigneeName: string | null; tasks: number; medianHours: number | null; p90Hours: number | null }[];
  firstContactAll: { tasks: number; medianHours: number | null; p90Hours: number | null };
};

export type Portfolio = {
  asOf: string | null;
  /** Unsettled loans by class now: loans, customers (with at least one such loan), outstanding principal. */
  mix: { classification: Classification; loans: number; customers: number; balanceFen: number }[];
  /** Month-ends: outstanding principal by class and the NPL ratio (次级 + 可疑 + 损失, by balance). */
  trend: { monthEnd: string; byClass: Record<Classification, number>; totalFen: number; nplFen: number; nplRatio: number | null }[];
  warnings: { ruleId: number; ruleNameZh: string; ruleNameEn: string; severity: Severity; count: number }[];
};

export type Funnel = {
  applied: number;
  appliedFen: number;
  approved: number;
  approvedFen: number;
  drawn: number;
  drawnFen: number;
  rejected: number;
  withdrawn: number;
  pending: number;
  /** Days from submission to decision, over the period's decided applications. */
  cycle: { decided: number; avgDays: number | null; medianDays: number | null; p90Days: number | null };
};

/** Churned customers, events, lost balance (exposure) and direct loss, in the period and a year earlier. */
export type ChurnFigures = { customers: number; events: number; balanceFen: number; lossFen: number };
export type ChurnCompare = { current: ChurnFigures; previous: ChurnFigures };
export type ChurnSection = {
  /** The period's window a year earlier (same days, one year back). */
  previous: Period;
  total: ChurnCompare;
  /** Each month the period touches ("YYYY-MM"), against the same month a year earlier. */
  months: ({ month: string } & ChurnCompare)[];
  byStage: ({ stage: Stage } & ChurnCompare)[];
  byWill: ({ will: Will } & ChurnCompare)[];
  /** null = undetermined. */
  byReason: ({ reasonFamily: ReasonFamily | null } & ChurnCompare)[];
  /** GB/T 4754 section letter of the customer's industry. */
  byIndustry: ({ industry: string } & ChurnCompare)[];
  byBranch: ({ branchId: number; branchName: string; branchNameEn: string } & ChurnCompare)[];
};

/**
 * `now`: the instant the figures are as of (the app's clock, as the request saw it). `computedAt`: when they were
 * read from the database (wall clock) — a kept answer (see the cache below) is up to DASHBOARD_STALE_MS old.
 */
export type Dashboard = { period: Period; now: string; computedAt: string; branchId: number | null; intervention: Intervention; portfolio: Portfolio; funnel: Funnel; churn: ChurnSection };

/** The period's bounds as instants: from its first day's midnight to the day after its last, in the business zone. */
function bounds(p: Period): { lo: SQL; hi: SQL } {
  const tz = businessTz();
  return {
    lo: sql`(${p.from}::date::timestamp at time zone ${tz})`,
    hi: sql`((${p.to}::date + 1)::timestamp at time zone ${tz})`,
  };
}

const num = (v: unknown): number => (v == null ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v == null ? null : Math.round(Number(v) * 10) / 10);

export async function intervention(db: DbOrTx, scope: Scope, p: Period, now: Date): Promise<Intervention> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const { lo, hi } = bounds(p);
  const nextDue = sql`(case when t.status not in ${ACTIVE} then null when t.first_contact_at is null then t.contact_due_at else t.resolve_due_at end)`;
  const opened = sql`(t.opened_at >= ${lo} and t.opened_at < ${hi})`;
  const closed = sql`(t.status = 'resolved' and t.closed_at >= ${lo} and t.closed_at < ${hi})`;
  const hours = sql`extract(epoch from t.first_contact_at - t.opened_at) / 3600`;
  // One scan of the scope's tasks: the counts in one row, the per-RM percentiles as rows of the same statement.
  const rows = await db.execute<Record<string, unknown>>(sql`
    with t as (select t.* from tasks t join customers c on c.id = t.customer_id where ${scopeWhere(scope, SHAPES.task())}),
    counts as (
      select count(*) filter (where t.status = 'open') as open, count(*) filter (where t.status = 'acknowledged') as acknowledged,
             count(*) filter (where t.status = 'in_progress') as in_progress,
             count(*) filter (where t.status in ${ACTIVE} and t.escalated) as escalated,
             count(*) filter (where ${nextDue} < ${at}) as overdue,
             count(*) filter (where ${closed}) as resolved,
             count(*) filter (where ${opened} and t.status <> 'cancelled' and (t.first_contact_at is not null or t.contact_due_at <= ${at})) as contact_decided,
             count(*) filter (where ${opened} and t.status <> 'cancelled' and t.first_contact_at <= t.contact_due_at) as contact_met,
             count(*) filter (where ${opened} and t.status <> 'cancelled' and (t.status = 'resolved' or t.resolve_due_at <= ${at})) as resolve_decided,
             count(*) filter (where ${opened} and t.status = 'resolved' and t.closed_at <= t.resolve_due_at) as resolve_met
      from t
    ),
    outcomes as (select t.outcome::text as outcome, count(*) as n from t where ${closed} group by t.outcome),
    -- Intervened customers: a task resolved in the period with an outcome other than false alarm; retained when the
    -- latest of those ended retained, restructured or recovered.
    last_outcome as (
      select distinct on (t.customer_id) t.customer_id, t.outcome, (t.opened_at at time zone ${businessTz()})::date as opened_on from t
      where ${closed} and t.outcome <> 'false_alarm' order by t.customer_id, t.closed_at desc, t.id desc
    ),
    contact as (
      select t.assignee_id, count(*) as n, percentile_cont(0.5) within group (order by ${hours}) as med,
             percentile_cont(0.9) within group (order by ${hours}) as p90, grouping(t.assignee_id) as total
      from t where ${opened} and t.first_contact_at is not null
      group by grouping sets ((t.assignee_id), ())
    )
    select 'counts' as part, to_jsonb(counts) as v from counts
    union all select 'outcomes', coalesce(jsonb_object_agg(outcome, n), '{}') from outcomes
    union all select 'retention', jsonb_build_object('intervened', count(*), 'retained', count(*) filter (where outcome in ('retained', 'restructured', 'recovered'))) from last_outcome
    -- The same customers judged by the churn events: lost when one (not dismissed) took effect in the period, on or
    -- after the intervened task's opening day.
    union all select 'retentionByEvents', jsonb_build_object('intervened', count(*), 'retained', count(*) filter (where not exists (
        select 1 from churn_events e where e.customer_id = o.customer_id and e.status <> 'dismissed'
          and e.effective_on >= greatest(o.opened_on, ${p.from}::date) and e.effective_on <= ${p.to}::date)))
      from last_outcome o
    union all select 'contact', jsonb_build_object('assigneeId', c.assignee_id, 'assigneeName', u.display_name, 'tasks', c.n, 'med', c.med, 'p90', c.p90, 'total', c.total = 1)
      from contact c left join users u on u.id = c.assignee_id`);
  const part = (name: string) => rows.filter((r) => r.part === name).map((r) => r.v as Record<string, unknown>);
  const c = part("counts")[0] ?? {};
  const o = part("outcomes")[0] ?? {};
  const r = part("retention")[0] ?? {};
  const re = part("retentionByEvents")[0] ?? {};
  const contact = part("contact");
  const all = contact.find((x) => x.total);
  return {
    open: num(c.open),
    acknowledged: num(c.acknowledged),
    inProgress: num(c.in_progress),
    escalated: num(c.escalated),
    overdue: num(c.overdue),
    resolved: num(c.resolved),
    contactSla: { decided: num(c.contact_decided), met: num(c.contact_met) },
    resolveSla: { decided: num(c.resolve_decided), met: num(c.resolve_met) },
    outcomes: { retained: num(o.retained), restructured: num(o.restructured), recovered: num(o.recovered), churned: num(o.churned), false_alarm: num(o.false_alarm) },
    retention: { intervened: num(r.intervened), retained: num(r.retained) },
    retentionByEvents: { intervened: num(re.intervened), retained: num(re.retained) },
    firstContact: contact
      .filter((x) => !x.total)
      .map((x) => ({ assigneeId: x.assigneeId == null ? null : Number(x.assigneeId), assigneeName: (x.assigneeName as string | null) ?? null, tasks: num(x.tasks), medianHours: numOrNull(x.med), p90Hours: numOrNull(x.p90) }))
      .sort((a, b) => (b.medianHours ?? 0) - (a.medianHours ?? 0)),
    firstContactAll: { tasks: num(all?.tasks), medianHours: numOrNull(all?.med), p90Hours: numOrNull(all?.p90) },
  };
}

const CLASSES: Classification[] = ["normal", "special_mention", "substandard", "doubtful", "loss"];
const NPL = new Set<Classification>(["substandard", "doubtful", "loss"]);

export async function portfolio(db: DbOrTx, scope: Scope, p: Period, asOfToday: string): Promise<Portfolio> {
  const scoped = scopeWhere(scope, SHAPES.customerAs("c"));
  // Month-ends up to the period's end; the current month's point is its as-of day, not a future month-end.
  const ends = monthEnds(p.to, TREND_MONTHS).map((d) => (d > asOfToday ? asOfToday : d));
  // Past month-ends come from their snapshots (./snapshots.ts) where written — summed by branch, so only for a bank or
  // branch scope; the ones not written yet are derived live below; today's point is the mix (loan_state) itself.
  const byBranch = scope.kind === "all" ? sql`true` : scope.kind === "branch" ? sql`s.branch_id = ${scope.branchId}` : null;
  const snapped = byBranch ? await snapshotted(db, ends.filter((d) => d < asOfToday)) : new Set<string>();
  const live = ends.filter((d) => d !== asOfToday && !snapped.has(d));
  const none = Promise.resolve([] as { month_end: string; classification: Classification; balance: string }[]);
  const [mixRows, snapRows, trendRows, warnRows] = await Promise.all([
    db.execute<{ classification: Classification; loans: number; customers: number; balance: string; as_of: string | null }>(sql`
      select ls.classification::text as classification, count(*)::int as loans, count(distinct l.customer_id)::int as customers,
             sum(ls.outstanding_principal_fen)::bigint as balance, max(ls.as_of)::text as as_of
      from loan_state ls join loans l on l.id = ls.loan_id join customers c on c.id = l.customer_id
      where not ls.settled and ${scoped}
      group by ls.classification`),
    snapped.size
      ? db.execute<{ month_end: string; classification: Classification; balance: string }>(sql`
          select s.month_end::text as month_end, s.classification::text as classification, sum(s.balance_fen)::bigint as balance
          from portfolio_month_ends s where s.month_end = any(${`{${[...snapped].join(",")}}`}::date[]) and ${byBranch}
          group by s.month_end, s.classification`)
      : none,
    // At each month-end: the loans disbursed by then and not settled, in the class of their latest state change on
    // or before it (a loan that never changed is normal), at principal less the principal repaid by then. Set-based:
    // the history and the repayments are bucketed by month-end once and joined on (loan, month-end), never probed
    // per loan and month.
    !live.length
      ? none
      : db.execute<{ month_end: string; classification: Classification; balance: string }>(sql`
      with ends as (select unnest(${`{${live.join(",")}}`}::date[]) as d),
      l as (select l.id, l.principal_fen, l.disbursed_on from loans l join customers c on c.id = l.customer_id
            where ${scoped} and l.disbursed_on <= ${live.at(-1)!}::date),
      hist as (
        select distinct on (h.loan_id, e.d) h.loan_id, e.d, h.classification, (h.after ->> 'settled')::boolean as settled
        from loan_state_history h join l on l.id = h.loan_id join ends e on h.changed_on <= e.d
        order by h.loan_id, e.d, h.seq desc
      ),
      -- Principal repaid per loan and month-end bucket (the first month-end on or after the payment), then summed up
      -- to each month-end.
      paid_b as (
        select ra.loan_id, (select min(e.d) from ends e where e.d >= r.paid_on) as b, sum(ra.amount_fen) as amt
        from repayment_allocations ra join repayments r on r.id = ra.repayment_id join l on l.id = ra.loan_id
        where ra.component in ('principal', 'prepayment') and r.paid_on <= ${live.at(-1)!}::date
        group by 1, 2
      ),
      paid as (select p.loan_id, e.d, sum(p.amt) as amt from paid_b p join ends e on p.b <= e.d group by 1, 2)
      select e.d::text as month_end, coalesce(h.classification, 'normal')::text as classification,
             sum(l.principal_fen - coalesce(p.amt, 0))::bigint as balance
      from ends e join l on l.disbursed_on <= e.d
      left join hist h on h.loan_id = l.id and h.d = e.d
      left join paid p on p.loan_id = l.id and p.d = e.d
      where not coalesce(h.settled, false)
      group by e.d, coalesce(h.classification, 'normal')`),
    db.execute<{ rule_id: number; name_zh: string; name_en: string; severity: Severity; n: number }>(sql`
      select w.rule_id, rv.name_zh, rv.name_en, w.severity::text as severity, w.n
      from (select w.rule_id, w.severity, count(*)::int as n from warnings w join customers c on c.id = w.customer_id
            where ${scoped} and w.opened_on between ${p.from}::date and ${p.to}::date group by w.rule_id, w.severity) w
      join lateral (select name_zh, name_en from rule_versions rv where rv.rule_id = w.rule_id order by rv.version desc limit 1) rv on true
      order by w.n desc, w.rule_id, w.severity`),
  ]);
  const mix = CLASSES.map((k) => {
    const r = mixRows.find((x) => x.classification === k);
    return { classification: k, loans: r?.loans ?? 0, customers: r?.customers ?? 0, balanceFen: num(r?.balance) };
  });
  const nowRows = mixRows.map((r) => ({ month_end: asOfToday, classification: r.classification, balance: r.balance }));
  const pointRows = [...snapRows, ...trendRows, ...(ends.includes(asOfToday) ? nowRows : [])];
  const trend = [...new Set(ends)].map((monthEnd) => {
    const byClass = Object.fromEntries(CLASSES.map((k) => [k, num(pointRows.find((x) => x.month_end === monthEnd && x.classification === k)?.balance)])) as Record<Classification, number>;
    const totalFen = CLASSES.reduce((s, k) => s + byClass[k], 0);
    const nplFen = CLASSES.filter((k) => NPL.has(k)).reduce((s, k) => s + byClass[k], 0);
    return { monthEnd, byClass, totalFen, nplFen, nplRatio: totalFen > 0 ? nplFen / totalFen : null };
  });
  const asOf = mixRows.reduce<string | null>((m, r) => (r.as_of && (!m || r.as_of > m) ? r.as_of : m), null);
  return {
    asOf,
    mix,
    trend,
    warnings: warnRows.map((w) => ({ ruleId: w.rule_id, ruleNameZh: w.name_zh, ruleNameEn: w.name_en, severity: w.severity, count: w.n })),
  };
}

export async function funnel(db: DbOrTx, scope: Scope, p: Period): Promise<Funnel> {
  const [r] = await db.execute<Record<string, unknown>>(sql`
    with a as (
      select a.status, a.amount_fen, a.submitted_on, a.decided_on,
             a.status = 'drawn' or exists (select 1 from loans l where l.application_id = a.id) as drawn
      from applications a join customers c on c.id = a.customer_id
      where ${scopeWhere(scope, SHAPES.customerAs("c"))} and a.submitted_on between ${p.from}::date and ${p.to}::date
    )
    select count(*) as applied, coalesce(sum(amount_fen), 0) as applied_fen,
           count(*) filter (where status in ('approved', 'drawn') or drawn) as approved,
           coalesce(sum(amount_fen) filter (where status in ('approved', 'drawn') or drawn), 0) as approved_fen,
           count(*) filter (where drawn) as drawn, coalesce(sum(amount_fen) filter (where drawn), 0) as drawn_fen,
           count(*) filter (where status = 'rejected') as rejected, count(*) filter (where status = 'withdrawn') as withdrawn,
           count(*) filter (where status = 'submitted') as pending,
           count(*) filter (where decided_on is not null and status in ('approved', 'drawn', 'rejected')) as decided,
           avg(decided_on - submitted_on) filter (where decided_on is not null and status in ('approved', 'drawn', 'rejected')) as avg_days,
           percentile_cont(0.5) within group (order by decided_on - submitted_on) filter (where decided_on is not null and status in ('approved', 'drawn', 'rejected')) as med_days,
           percentile_cont(0.9) within group (order by decided_on - submitted_on) filter (where decided_on is not null and status in ('approved', 'drawn', 'rejected')) as p90_days
    from a`);
  return {
    applied: num(r?.applied),
    appliedFen: num(r?.applied_fen),
    approved: num(r?.approved),
    approvedFen: num(r?.approved_fen),
    drawn: num(r?.drawn),
    drawnFen: num(r?.drawn_fen),
    rejected: num(r?.rejected),
    withdrawn: num(r?.withdrawn),
    pending: num(r?.pending),
    cycle: { decided: num(r?.decided), avgDays: numOrNull(r?.avg_days), medianDays: numOrNull(r?.med_days), p90Days: numOrNull(r?.p90_days) },
  };
}

const ZERO: ChurnFigures = { customers: 0, events: 0, balanceFen: 0, lossFen: 0 };

/**
 * Churn events that are not dismissed, effective in the period and in the same window a year earlier: distinct
 * customers, events, lost balance (exposure_fen) and direct loss (principal + interest lost), by month, stage, will,
 * reason family, industry section and branch. One statement: each window joined to its events, then grouping sets.
 */
export async function churn(db: DbOrTx, scope: Scope, p: Period): Promise<ChurnSection> {
  const prev = yearEarlier(p);
  const rows = await db.execute<Record<string, unknown>>(sql`
    with w(cur, lo, hi) as (values (true, ${p.from}::date, ${p.to}::date), (false, ${prev.from}::date, ${prev.to}::date)),
    e as (
      select w.cur, e.customer_id, e.stage::text as stage, e.will::text as will, e.reason_family::text as reason,
             left(c.industry_code, 1) as industry, c.branch_id,
             -- a year-earlier event counts under the month a year later, the month it is compared with
             to_char(case when w.cur then e.effective_on else (e.effective_on + interval '1 year')::date end, 'YYYY-MM') as month,
             e.exposure_fen, e.principal_lost_fen + e.interest_lost_fen as loss
      from churn_events e join customers c on c.id = e.customer_id join w on e.effective_on between w.lo and w.hi
      where e.status <> 'dismissed' and ${scopeWhere(scope, SHAPES.customerAs("c"))}
    )
    select cur, month, stage, will, reason, industry, branch_id,
           grouping(month, stage, will, reason, industry, branch_id) as g,
           count(distinct customer_id)::int as customers, count(*)::int as events,
           sum(exposure_fen)::bigint as balance, sum(loss)::bigint as loss
    from e group by grouping sets ((cur), (cur, month), (cur, stage), (cur, will), (cur, reason), (cur, industry), (cur, branch_id))`);
  const branches = await db.execute<{ id: number; name: string; name_en: string }>(sql`select id, name, name_en from branches order by id`);
  // grouping() bits, left to right: month, stage, will, reason, industry, branch_id (1 = not grouped by it).
  const ALL = 0b111111;
  const only = (bit: number) => ALL & ~(1 << (5 - bit));
  const fig = (r: Record<string, unknown> | undefined): ChurnFigures =>
    r ? { customers: num(r.customers), events: num(r.events), balanceFen: num(r.balance), lossFen: num(r.loss) } : ZERO;
  const pick = (g: number, col: string) => {
    const keys = new Map<string | null, ChurnCompare>();
    for (const r of rows.filter((x) => Number(x.g) === g)) {
      const k = r[col] == null ? null : String(r[col]);
      const c = keys.get(k) ?? { current: ZERO, previous: ZERO };
      keys.set(k, r.cur ? { ...c, current: fig(r) } : { ...c, previous: fig(r) });
    }
    return keys;
  };
  const totalRow = (cur: boolean) => rows.find((x) => Number(x.g) === ALL && x.cur === cur);
  const byMonth = pick(only(0), "month");
  const months = monthsOf(p).map((month) => ({ month, ...(byMonth.get(month) ?? { current: ZERO, previous: ZERO }) }));
  const list = <K extends string>(g: number, col: string, key: K) =>
    [...pick(g, col).entries()].map(([k, v]) => ({ [key]: k, ...v }) as { [P in K]: string | null } & ChurnCompare).sort((a, b) => b.current.balanceFen - a.current.balanceFen || b.previous.balanceFen - a.previous.balanceFen);
  return {
    previous: prev,
    total: { current: fig(totalRow(true)), previous: fig(totalRow(false)) },
    months,
    byStage: list(only(1), "stage", "stage") as ChurnSection["byStage"],
    byWill: list(only(2), "will", "will") as ChurnSection["byWill"],
    byReason: list(only(3), "reason", "reasonFamily") as ChurnSection["byReason"],
    byIndustry: list(only(4), "industry", "industry") as ChurnSection["byIndustry"],
    byBranch: list(only(5), "branch_id", "branchId").map(({ branchId, ...v }) => {
      const b = branches.find((x) => x.id === Number(branchId));
      return { branchId: Number(branchId), branchName: b?.name ?? "", branchNameEn: b?.name_en ?? "", ...v };
    }),
  };
}

// Every supervisor of a branch (and every admin) reads the same figures, and a page polls them: answers are kept per
// scope, period and business day (../http/keptAnswers.ts: fresh 30 s, then served stale up to 5 min while one
// recomputation replaces them). Each answer carries its computedAt, which the page shows.
const kept = keptAnswers<Dashboard>();

/** The whole dashboard: the four sections in flight together (each one statement), kept (above). */
export async function dashboard(db: DbOrTx, scope: Scope, params: { branchId?: number; period: Period; now: Date; today: string }): Promise<Dashboard> {
  // The scope is resolved first (a supervisor naming another branch is not found): the key is the resolved scope, so
  // an answer is only ever served to readers of the same branch or the bank.
  const s = await dashboardScope(db, scope, params.branchId);
  // A background recomputation reads in one read-only transaction: its statements run one after another on one
  // connection, without parallel workers, leaving the cores to the requests it serves stale answers to (at 1M, seven
  // statements at once with their workers took both cores for 3–4 s per branch); and from one snapshot.
  return kept([s.kind, s.kind === "branch" ? s.branchId : null, params.period, params.today], ({ background }) =>
    background && "$client" in db
      ? db.transaction(
          async (tx) => {
            await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
            return compute(tx, s, params);
          },
          { isolationLevel: "repeatable read", accessMode: "read only" },
        )
      : compute(db, s, params),
  );
}

async function compute(db: DbOrTx, s: Scope, params: { period: Period; now: Date; today: string }): Promise<Dashboard> {
  const computedAt = new Date().toISOString();
  const [i, pq, f, ch] = await Promise.all([
    intervention(db, s, params.period, params.now),
    portfolio(db, s, params.period, params.today),
    funnel(db, s, params.period),
    churn(db, s, params.period),
  ]);
  return { period: params.period, now: params.now.toISOString(), computedAt, branchId: s.kind === "branch" ? s.branchId : null, intervention: i, portfolio: pq, funnel: f, churn: ch };
}
