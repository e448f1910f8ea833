// The report's figures, read once from the data and stored as its snapshot. Every read takes the report's scope (a
// branch, or the bank) and the period; the definitions are in docs/reports.md and reuse docs/churn.md (the events,
// their amounts) and docs/telemetry.md (balance and class at a date, NPL, approval cycle) unchanged. Each figure is
// checked against independent SQL in test/reports.int.test.ts.
import "server-only";
import { sql } from "drizzle-orm";
import { scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { LPR_KINDS } from "../rules/features";
import { businessTz } from "../time";
import { REASON_FAMILIES, STAGES, WILLS, type ChurnKind } from "../vocabulary";
import { addDays, periodOf, previousPeriod, type Period } from "./period";
import {
  LATE_DAYS,
  type BasicRow,
  type BasicSection,
  type DistLine,
  type LossSection,
  type Measure,
  type MeasuresSection,
  type NplPoint,
  type ReasonSection,
  type Snapshot,
  type TopCase,
} from "./sections";

export const TOP_CASES = 10;
const num = (v: unknown): number => (v == null ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v == null ? null : Math.round(Number(v) * 10) / 10);

export type GenerateParams = { period: string; asOf: string; evidenceDays: number; lprMarginBp: number };
type Progress = (pct: number, phase: string) => Promise<void>;

/** The events a report counts: not dismissed, effective in [from, to], of a customer in scope. */
const eventsIn = (scope: Scope, from: string, to: string) => sql`
  select ce.* from churn_events ce join customers c on c.id = ce.customer_id
  where ${scopeWhere(scope, SHAPES.customerAs("c"))} and ce.status <> 'dismissed' and ce.effective_on between ${from}::date and ${to}::date`;

export async function basicSection(db: DbOrTx, scope: Scope, p: Period): Promise<BasicSection> {
  const rows = await db.execute<Record<string, unknown>>(sql`
    select e.id, c.customer_no, c.name, c.legal_rep, c.registered_capital_fen, c.industry_code, u.display_name as rm_name,
           l.contract_no, a.application_no, coalesce(l.principal_fen, a.amount_fen, 0) as amount_fen, e.exposure_fen,
           e.principal_lost_fen, e.interest_lost_fen, e.interest_forgone_fen, e.effective_on::text as effective_on,
           e.stage::text as stage, e.kind::text as kind, e.will::text as will, e.reason_family::text as reason_family, e.status::text as status
    from (${eventsIn(scope, p.from, p.to)}) e join customers c on c.id = e.customer_id left join users u on u.id = c.rm_id
    left join loans l on l.id = e.loan_id left join applications a on a.id = e.application_id
    order by e.effective_on, e.id`);
  const out: BasicRow[] = rows.map((r) => ({
    eventId: num(r.id),
    customerNo: String(r.customer_no),
    company: String(r.name),
    legalRep: String(r.legal_rep),
    registeredCapitalFen: num(r.registered_capital_fen),
    industryCode: String(r.industry_code),
    rmName: (r.rm_name as string | null) ?? null,
    contractNo: (r.contract_no as string | null) ?? null,
    applicationNo: (r.application_no as string | null) ?? null,
    amountFen: num(r.amount_fen),
    exposureFen: num(r.exposure_fen),
    principalLostFen: num(r.principal_lost_fen),
    interestLostFen: num(r.interest_lost_fen),
    interestForgoneFen: num(r.interest_forgone_fen),
    effectiveOn: String(r.effective_on),
    stage: r.stage as BasicRow["stage"],
    kind: r.kind as BasicRow["kind"],
    will: r.will as BasicRow["will"],
    reasonFamily: (r.reason_family as BasicRow["reasonFamily"]) ?? null,
    status: r.status as BasicRow["status"],
  }));
  return {
    rows: out,
    events: out.length,
    customers: new Set(out.map((r) => r.customerNo)).size,
    amountFen: out.reduce((s, r) => s + r.amountFen, 0),
    exposureFen: out.reduce((s, r) => s + r.exposureFen, 0),
  };
}

export async function reasonSection(db: DbOrTx, scope: Scope, period: string, p: Period, basic: BasicSection, evidenceDays: number): Promise<ReasonSection> {
  const prevName = previousPeriod(period);
  const prev = periodOf(prevName)!;
  const tz = businessTz();
  // One pass over both periods, grouped three ways.
  const dist = await db.execute<Record<string, unknown>>(sql`
    with e as (select e.*, e.effective_on >= ${p.from}::date as cur, coalesce(e.reason_family::text, 'undetermined') as rf
               from (${eventsIn(scope, prev.from, p.to)}) e)
    select cur, grouping(rf) as g_rf, grouping(stage) as g_stage, rf, stage::text as stage, will::text as will,
           count(*) as events, count(distinct customer_id) as customers, sum(exposure_fen) as exposure,
           sum(principal_lost_fen + interest_lost_fen) as loss
    from e group by cur, grouping sets ((rf), (stage), (will))`);
  const lines = (dim: "rf" | "stage" | "will", keys: readonly string[]): DistLine[] =>
    keys.map((key) => {
      const pick = (cur: boolean) =>
        dist.find((r) => r.cur === cur && r[dim] === key && (dim === "rf" ? num(r.g_rf) === 0 : dim === "stage" ? num(r.g_stage) === 0 && num(r.g_rf) === 1 : num(r.g_rf) === 1 && num(r.g_stage) === 1));
      const c = pick(true);
      const pr = pick(false);
      return { key, events: num(c?.events), customers: num(c?.customers), exposureFen: num(c?.exposure), lossFen: num(c?.loss), prevEvents: num(pr?.events), prevExposureFen: num(pr?.exposure) };
    });

  // The main drivers: reason family × kind, by events then exposure.
  const pairs = new Map<string, { reasonFamily: string; kind: ChurnKind; events: number; exposureFen: number }>();
  for (const r of basic.rows) {
    const rf = r.reasonFamily ?? "undetermined";
    const k = `${rf}|${r.kind}`;
    const cur = pairs.get(k) ?? { reasonFamily: rf, kind: r.kind, events: 0, exposureFen: 0 };
    cur.events++;
    cur.exposureFen += r.exposureFen;
    pairs.set(k, cur);
  }
  const drivers = [...pairs.values()]
    .sort((a, b) => b.events - a.events || b.exposureFen - a.exposureFen || a.reasonFamily.localeCompare(b.reasonFamily) || a.kind.localeCompare(b.kind))
    .slice(0, 3)
    .map((d) => ({ ...d, share: basic.events ? d.events / basic.events : 0 }));

  // The top cases by direct loss (then exposure), each with what preceded it in the evidence window.
  const top = await db.execute<Record<string, unknown>>(sql`
    with top as (
      select e.id, e.customer_id, e.kind::text as kind, e.effective_on, e.reason_family::text as reason_family,
             e.principal_lost_fen + e.interest_lost_fen as loss, e.exposure_fen,
             (e.effective_on - ${evidenceDays}::int)::timestamp at time zone ${tz} as lo,
             (e.effective_on + 1)::timestamp at time zone ${tz} as hi
      from (${eventsIn(scope, p.from, p.to)}) e
      order by e.principal_lost_fen + e.interest_lost_fen desc, e.exposure_fen desc, e.id limit ${TOP_CASES}
    )
    select top.id, c.customer_no, c.name, top.kind, top.effective_on::text as effective_on, top.reason_family, top.loss, top.exposure_fen,
      (select coalesce(jsonb_agg(jsonb_build_object('ruleZh', rv.name_zh, 'ruleEn', rv.name_en, 'severity', w.severity, 'openedOn', w.opened_on,
                                                    'leadDays', top.effective_on - w.opened_on) order by w.opened_on, w.id), '[]')
       from warnings w join lateral (select name_zh, name_en from rule_versions rv where rv.rule_id = w.rule_id order by rv.version desc limit 1) rv on true
       where w.customer_id = top.customer_id and w.opened_on between top.effective_on - ${evidenceDays}::int and top.effective_on) as warnings,
      (select jsonb_build_object('openedAt', t.opened_at, 'firstContactAt', t.first_contact_at,
                                 'contactHours', round((extract(epoch from t.first_contact_at - t.opened_at) / 3600)::numeric, 1),
                                 'contactLate', coalesce(t.first_contact_at > t.contact_due_at, t.contact_due_at < top.hi))
       from tasks t where t.customer_id = top.customer_id and t.opened_at >= top.lo and t.opened_at < top.hi
       order by t.opened_at desc, t.id desc limit 1) as task,
      (select jsonb_build_object('count', count(*), 'first', min(f.occurred_at), 'last', max(f.occurred_at),
                                 'byType', coalesce((select jsonb_object_agg(x.type, x.n) from (select f2.type, count(*) as n from follow_ups f2
                                    where f2.customer_id = top.customer_id and f2.occurred_at >= top.lo and f2.occurred_at < top.hi group by f2.type) x), '{}'))
       from follow_ups f where f.customer_id = top.customer_id and f.occurred_at >= top.lo and f.occurred_at < top.hi) as follow_ups
    from top join customers c on c.id = top.customer_id
    order by top.loss desc, top.exposure_fen desc, top.id`);
  const iso = (v: unknown) => (v == null ? null : new Date(String(v)).toISOString());
  const topCases: TopCase[] = top.map((r) => {
    const t = r.task as Record<string, unknown> | null;
    const f = r.follow_ups as Record<string, unknown>;
    return {
      eventId: num(r.id),
      customerNo: String(r.customer_no),
      company: String(r.name),
      kind: r.kind as ChurnKind,
      effectiveOn: String(r.effective_on),
      lossFen: num(r.loss),
      exposureFen: num(r.exposure_fen),
      reasonFamily: (r.reason_family as TopCase["reasonFamily"]) ?? null,
      warnings: (r.warnings as TopCase["warnings"]).map((w) => ({ ...w, leadDays: num(w.leadDays) })),
      task: t ? { openedAt: iso(t.openedAt)!, firstContactAt: iso(t.firstContactAt), contactHours: t.contactHours == null ? null : num(t.contactHours), contactLate: Boolean(t.contactLate) } : null,
      followUps: { count: num(f.count), byType: Object.fromEntries(Object.entries((f.byType as Record<string, unknown>) ?? {}).map(([k, v]) => [k, num(v)])), first: iso(f.first), last: iso(f.last) },
    };
  });
  return {
    previous: { period: prevName, ...prev },
    byReason: lines("rf", [...REASON_FAMILIES, "undetermined"]),
    byStage: lines("stage", STAGES),
    byWill: lines("will", WILLS),
    drivers,
    topCases,
  };
}

/**
 * Balance and NPL at two dates (docs/telemetry.md "balance at d", "class at d"), for the scope and for the bank (the
 * share). A date on or after a month-end snapshot (lib/dashboard/snapshots.ts) starts from the latest one and applies
 * only what changed since (nplFromSnapshot); a date before any snapshot (or `live`) is derived from the
 * whole history. Both give the same figures (test/reports.int.test.ts).
 */
export async function nplAt(db: DbOrTx, scope: Scope, dates: [string, string], opts: { live?: boolean } = {}): Promise<[NplPoint, NplPoint]> {
  const base = opts.live ? new Map<string, string>() : await snapshotBases(db, dates);
  const live = [...new Set(dates.filter((d) => !base.has(d)))];
  const rows = (
    await Promise.all([
      ...(live.length ? [nplLive(db, scope, live)] : []),
      ...[...new Set(dates)].filter((d) => base.has(d)).map((d) => nplFromSnapshot(db, scope, d, base.get(d)!)),
    ])
  ).flat();
  const point = (d: string): NplPoint => {
    const r = rows.find((x) => x.d === d);
    const total = num(r?.total);
    const npl = num(r?.npl);
    const bank = num(r?.bank);
    return { date: d, totalFen: total, nplFen: npl, ratio: total > 0 ? npl / total : null, bankTotalFen: bank, share: bank > 0 ? total / bank : null };
  };
  return [point(dates[0]), point(dates[1])];
}

/** For each date, the latest month-end on or before it that has a complete snapshot (none: not in the map). */
async function snapshotBases(db: DbOrTx, dates: string[]): Promise<Map<string, string>> {
  const rows = await db.execute<{ d: string; m: string | null }>(sql`
    select x.d::text as d, (select max(s.month_end) from month_end_snapshots s where s.month_end <= x.d)::text as m
    from unnest(${`{${dates.join(",")}}`}::date[]) as x(d)`);
  return new Map(rows.filter((r) => r.m != null).map((r) => [r.d, r.m!]));
}

type NplRow = { d: string; bank: unknown; total: unknown; npl: unknown };

/** Set-based, like the dashboard's trend: history and repayments bucketed by date once. */
async function nplLive(db: DbOrTx, scope: Scope, dates: string[]): Promise<NplRow[]> {
  const last = dates.reduce((a, b) => (a > b ? a : b));
  return db.execute<NplRow>(sql`
    with ends as (select distinct unnest(${`{${dates.join(",")}}`}::date[]) as d),
    l as (select l.id, l.principal_fen, l.disbursed_on, ${scopeWhere(scope, SHAPES.customerAs("c"))} as mine
          from loans l join customers c on c.id = l.customer_id where l.disbursed_on <= ${last}::date),
    hist as (
      select distinct on (h.loan_id, e.d) h.loan_id, e.d, h.classification, (h.after ->> 'settled')::boolean as settled
      from loan_state_history h join ends e on h.changed_on <= e.d
      order by h.loan_id, e.d, h.seq desc
    ),
    paid as (
      select ra.loan_id, e.d, sum(ra.amount_fen) as amt
      from repayment_allocations ra join repayments r on r.id = ra.repayment_id join ends e on r.paid_on <= e.d
      where ra.component in ('principal', 'prepayment') group by 1, 2
    ),
    b as (
      select e.d, l.mine, coalesce(h.classification::text, 'normal') as cls, l.principal_fen - coalesce(p.amt, 0) as bal
      from ends e join l on l.disbursed_on <= e.d
      left join hist h on h.loan_id = l.id and h.d = e.d
      left join paid p on p.loan_id = l.id and p.d = e.d
      where not coalesce(h.settled, false)
    )
    select d::text as d, sum(bal) as bank, coalesce(sum(bal) filter (where mine), 0) as total,
           coalesce(sum(bal) filter (where mine and cls in ('substandard', 'doubtful', 'loss')), 0) as npl
    from b group by d`);
}

/**
 * The portfolio at `d` from the snapshot of month-end `m` (m <= d) plus what happened in (m, d]: a loan's class and
 * settlement are its latest state change in (m, d] if any, else the snapshot's; its balance is the snapshot's less
 * the principal repaid in (m, d]. Loans outside the snapshot that can be in the portfolio at `d` (disbursed after m,
 * or unsettled again after m) are derived in full, like the live statement. With d = m it is the snapshot itself.
 */
async function nplFromSnapshot(db: DbOrTx, scope: Scope, d: string, m: string): Promise<NplRow[]> {
  const paidOnOrBefore = sql`(select sum(ra.amount_fen) from repayment_allocations ra join repayments r on r.id = ra.repayment_id
                              where ra.loan_id = x.loan_id and ra.component in ('principal', 'prepayment') and r.paid_on <= ${d}::date)`;
  return db.execute<NplRow>(sql`
    with chg as (
      select distinct on (h.loan_id) h.loan_id, h.classification, coalesce((h.after ->> 'settled')::boolean, false) as settled
      -- the latest change on or before d (by seq, as the live statement picks it) of each loan that changed in (m, d]
      from loan_state_history h
      where h.changed_on <= ${d}::date and h.loan_id in (select loan_id from loan_state_history where changed_on > ${m}::date and changed_on <= ${d}::date)
      order by h.loan_id, h.seq desc
    ),
    paid_after as (
      select ra.loan_id, sum(ra.amount_fen) as amt from repayment_allocations ra join repayments r on r.id = ra.repayment_id
      where ra.component in ('principal', 'prepayment') and r.paid_on > ${m}::date and r.paid_on <= ${d}::date group by 1
    ),
    extra as (
      select l.id as loan_id from loans l where l.disbursed_on > ${m}::date and l.disbursed_on <= ${d}::date
      union
      select ch.loan_id from chg ch where not ch.settled
        and not exists (select 1 from loan_month_ends s where s.month_end = ${m}::date and s.loan_id = ch.loan_id)
    ),
    b as (
      select s.customer_id, coalesce(ch.classification, s.classification)::text as cls, s.balance_fen - coalesce(pa.amt, 0) as bal
      from loan_month_ends s left join chg ch on ch.loan_id = s.loan_id left join paid_after pa on pa.loan_id = s.loan_id
      where s.month_end = ${m}::date and not coalesce(ch.settled, false)
      union all
      select l.customer_id, coalesce(h.classification::text, 'normal'), l.principal_fen - coalesce(${paidOnOrBefore}, 0)
      from extra x join loans l on l.id = x.loan_id
      left join lateral (select h.classification, (h.after ->> 'settled')::boolean as settled from loan_state_history h
                         where h.loan_id = x.loan_id and h.changed_on <= ${d}::date order by h.seq desc limit 1) h on true
      where l.disbursed_on <= ${d}::date and not coalesce(h.settled, false)
    )
    select ${d}::text as d, coalesce(sum(b.bal), 0) as bank, coalesce(sum(b.bal) filter (where ${scopeWhere(scope, SHAPES.customerAs("c"))}), 0) as total,
           coalesce(sum(b.bal) filter (where ${scopeWhere(scope, SHAPES.customerAs("c"))} and b.cls in ('substandard', 'doubtful', 'loss')), 0) as npl
    from b join customers c on c.id = b.customer_id`);
}

export async function lossSection(db: DbOrTx, scope: Scope, p: Period, asOf: string): Promise<LossSection> {
  const [[r], [before, after]] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`
      select count(*) as events, coalesce(sum(e.principal_lost_fen), 0) as pl, coalesce(sum(e.interest_lost_fen), 0) as il,
             coalesce(sum(e.interest_forgone_fen), 0) as forgone,
             coalesce(sum(e.exposure_fen) filter (where e.stage = 'post_loan'), 0) as lost_balance,
             -- The forgone interest that would have fallen inside the period: pro rata to the days from the event to the
             -- period's end over the days from the event to maturity (all of it when the loan was already due).
             coalesce(round(sum(e.interest_forgone_fen * case when l.maturity_on is null or l.maturity_on <= e.effective_on then 1
                                   else least(1, (${p.to}::date - e.effective_on)::numeric / (l.maturity_on - e.effective_on)) end)), 0) as in_period
      from (${eventsIn(scope, p.from, p.to)}) e left join loans l on l.id = e.loan_id`),
    nplAt(db, scope, [addDays(p.from, -1), p.to < asOf ? p.to : asOf]),
  ]);
  const pl = num(r?.pl);
  const il = num(r?.il);
  const inPeriod = num(r?.in_period);
  return {
    events: num(r?.events),
    principalLostFen: pl,
    interestLostFen: il,
    directLossFen: pl + il,
    interestForgoneFen: num(r?.forgone),
    lostBalanceFen: num(r?.lost_balance),
    forgoneInPeriodFen: inPeriod,
    profitEffectFen: -(pl + il + inPeriod),
    before,
    after,
  };
}

export async function measuresSection(db: DbOrTx, scope: Scope, p: Period, basic: BasicSection, params: GenerateParams): Promise<MeasuresSection> {
  const tz = businessTz();
  const E = params.evidenceDays;
  const scoped = scopeWhere(scope, SHAPES.customerAs("c"));
  const lpr = (rate: ReturnType<typeof sql>, on: ReturnType<typeof sql>) => sql`
    (select round((${rate} - rr.rate) * 10000) from reference_rates rr
     where rr.kind = case when l.term_months > 60 then ${LPR_KINDS.fiveYear} else ${LPR_KINDS.oneYear} end and rr.effective_on <= ${on}
     order by rr.effective_on desc limit 1)`;
  const [[appr], [rules], lateRules, [fu], [price]] = await Promise.all([
    // Approval cycle (docs/telemetry.md "approval cycle time"), over the applications decided in the period.
    db.execute<Record<string, unknown>>(sql`
      select count(*) as decided, percentile_cont(0.5) within group (order by a.decided_on - a.submitted_on) as med,
             percentile_cont(0.9) within group (order by a.decided_on - a.submitted_on) as p90
      from applications a join customers c on c.id = a.customer_id
      where ${scoped} and a.status in ('approved', 'drawn', 'rejected') and a.decided_on between ${p.from}::date and ${p.to}::date`),
    // Post-loan events: warned in the evidence window before the event, and how early the first warning came.
    db.execute<Record<string, unknown>>(sql`
      with e as (
        select e.id, (select min(w.opened_on) from warnings w where w.customer_id = e.customer_id
                      and w.opened_on between e.effective_on - ${E}::int and e.effective_on) as first_on, e.effective_on
        from (${eventsIn(scope, p.from, p.to)}) e where e.stage = 'post_loan'
      )
      select count(*) as events, count(first_on) as warned, count(*) filter (where first_on is null) as missed,
             count(*) filter (where effective_on - first_on < ${LATE_DAYS}) as late from e`),
    // Rules that fired late: per (post-loan event, rule), the rule's first warning in the window came < 30 days ahead.
    db.execute<Record<string, unknown>>(sql`
      with er as (
        select e.id, w.rule_id, min(w.opened_on) as first_on, e.effective_on
        from (${eventsIn(scope, p.from, p.to)}) e join warnings w on w.customer_id = e.customer_id
          and w.opened_on between e.effective_on - ${E}::int and e.effective_on
        where e.stage = 'post_loan' group by e.id, w.rule_id, e.effective_on
      )
      select er.rule_id, rv.name_zh, rv.name_en, count(*) as late
      from er join lateral (select name_zh, name_en from rule_versions rv where rv.rule_id = er.rule_id order by rv.version desc limit 1) rv on true
      where er.effective_on - er.first_on < ${LATE_DAYS}
      group by er.rule_id, rv.name_zh, rv.name_en order by count(*) desc, er.rule_id limit 5`),
    // Follow-up gaps around every event of the report (the evidence window up to the end of the event's day).
    db.execute<Record<string, unknown>>(sql`
      with e as (
        select e.id, e.customer_id, e.effective_on, (e.effective_on - ${E}::int)::timestamp at time zone ${tz} as lo,
               (e.effective_on + 1)::timestamp at time zone ${tz} as hi
        from (${eventsIn(scope, p.from, p.to)}) e
      ),
      x as (
        select e.id,
               exists (select 1 from warnings w where w.customer_id = e.customer_id and w.opened_on between e.effective_on - ${E}::int and e.effective_on) as warned,
               t.id as task_id, t.first_contact_at, t.contact_due_at, e.hi,
               (select count(*) from follow_ups f where f.task_id = t.id and f.occurred_at < e.hi) as fus
        from e left join lateral (select t.* from tasks t where t.customer_id = e.customer_id and t.opened_at >= e.lo and t.opened_at < e.hi
                                  order by t.opened_at desc, t.id desc limit 1) t on true
      )
      select count(*) filter (where warned and task_id is null) as warned_no_task, count(task_id) as tasks,
             count(*) filter (where task_id is not null and fus = 0) as no_follow_up,
             count(*) filter (where task_id is not null and coalesce(first_contact_at > contact_due_at, contact_due_at < hi)) as contact_late
      from x`),
    // Pricing against the LPR: the voluntary post-loan leavers' contract rate over the LPR on their event day, and the
    // scope's loans still on the books over today's LPR.
    db.execute<Record<string, unknown>>(sql`
      with churned as (
        select ${lpr(sql`l.annual_rate`, sql`e.effective_on`)} as bp
        from (${eventsIn(scope, p.from, p.to)}) e join loans l on l.id = e.loan_id
        where e.stage = 'post_loan' and e.will = 'voluntary'
      ),
      active as (
        select ${lpr(sql`l.annual_rate`, sql`${params.asOf}::date`)} as bp
        from loans l join customers c on c.id = l.customer_id join loan_state ls on ls.loan_id = l.id
        where ${scoped} and not ls.settled
      )
      select (select count(*) from churned) as churned, (select avg(bp) from churned) as churned_avg,
             (select count(*) from churned where bp >= ${params.lprMarginBp}) as over,
             (select count(*) from active) as active, (select avg(bp) from active) as active_avg`),
  ]);
  const telemetry: MeasuresSection["telemetry"] = {
    approval: {
      decided: num(appr?.decided),
      medianDays: numOrNull(appr?.med),
      p90Days: numOrNull(appr?.p90),
      preVoluntary: basic.rows.filter((r) => r.kind === "application_withdrawn" || r.kind === "approved_not_drawn").length,
    },
    rules: {
      postEvents: num(rules?.events),
      warned: num(rules?.warned),
      missed: num(rules?.missed),
      late: num(rules?.late),
      lateRules: lateRules.map((r) => ({ ruleZh: String(r.name_zh), ruleEn: String(r.name_en), late: num(r.late) })),
    },
    followUp: { warnedNoTask: num(fu?.warned_no_task), tasks: num(fu?.tasks), noFollowUp: num(fu?.no_follow_up), contactLate: num(fu?.contact_late) },
    pricing: {
      churnedLoans: num(price?.churned),
      churnedAvgSpreadBp: numOrNull(price?.churned_avg),
      churnedOverMargin: num(price?.over),
      activeLoans: num(price?.active),
      activeAvgSpreadBp: numOrNull(price?.active_avg),
      marginBp: params.lprMarginBp,
    },
  };
  return { telemetry, items: recommend(basic, telemetry) };
}

/** A reason family dominates when it carries at least this share of the events that have one. */
export const DOMINANT_SHARE = 0.25;
/** An approval cycle slower than this (median days) is worth a recommendation. */
export const SLOW_APPROVAL_DAYS = 5;

/** The recommendations the figures call for (docs/reports.md "Improvement measures"); the supervisor edits them. */
export function recommend(basic: BasicSection, t: MeasuresSection["telemetry"]): Measure[] {
  const items: Measure[] = [];
  const withFamily = basic.rows.filter((r) => r.reasonFamily);
  const counts = REASON_FAMILIES.map((f) => ({ f, n: withFamily.filter((r) => r.reasonFamily === f).length })).sort((a, b) => b.n - a.n);
  const dominant = counts.filter((c) => c.n > 0 && c.n / withFamily.length >= DOMINANT_SHARE);
  for (const c of dominant) items.push({ area: "reason", reasonFamily: c.f, basis: { events: c.n, sharePct: Math.round((c.n / withFamily.length) * 1000) / 10 } });
  if ((t.approval.medianDays ?? 0) > SLOW_APPROVAL_DAYS || t.approval.preVoluntary > 0)
    items.push({ area: "approval", basis: { decided: t.approval.decided, medianDays: t.approval.medianDays ?? 0, p90Days: t.approval.p90Days ?? 0, preVoluntary: t.approval.preVoluntary } });
  if (t.rules.missed + t.rules.late > 0) items.push({ area: "rules", basis: { postEvents: t.rules.postEvents, missed: t.rules.missed, late: t.rules.late, lateDays: LATE_DAYS } });
  if (t.followUp.warnedNoTask + t.followUp.noFollowUp + t.followUp.contactLate > 0)
    items.push({ area: "followUp", basis: { warnedNoTask: t.followUp.warnedNoTask, noFollowUp: t.followUp.noFollowUp, contactLate: t.followUp.contactLate, tasks: t.followUp.tasks } });
  if (t.pricing.churnedOverMargin > 0)
    items.push({
      area: "pricing",
      basis: { churnedLoans: t.pricing.churnedLoans, over: t.pricing.churnedOverMargin, marginBp: t.pricing.marginBp, churnedAvgBp: t.pricing.churnedAvgSpreadBp ?? 0, activeAvgBp: t.pricing.activeAvgSpreadBp ?? 0 },
    });
  if (!items.length) items.push({ area: "monitor", basis: { events: basic.events } });
  return items;
}

/** The whole snapshot, section by section, reporting progress between them. */
export async function buildSnapshot(db: DbOrTx, scope: Scope, params: GenerateParams, progress: Progress = async () => {}): Promise<Snapshot> {
  const p = periodOf(params.period);
  if (!p) throw new Error(`not a period: ${params.period}`);
  await progress(5, "basic");
  const basic = await basicSection(db, scope, p);
  await progress(25, "reasons");
  const reasons = await reasonSection(db, scope, params.period, p, basic, params.evidenceDays);
  await progress(45, "loss");
  const loss = await lossSection(db, scope, p, params.asOf);
  await progress(75, "measures");
  const measures = await measuresSection(db, scope, p, basic, params);
  await progress(95, "saving");
  return { basic, reasons, loss, measures };
}
