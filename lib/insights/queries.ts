// Warning-quality telemetry: how good each rule version's warnings are (precision, recall, lead time, false
// alarms) and how staff act on them (first contact, SLA, retention against comparable customers). One set-based
// statement per section, `(db, scope, params)`, every row scoped through its customer. The definitions are written
// down in docs/telemetry.md ("Warning quality"); test/insights.int.test.ts checks each figure against its own SQL.
import "server-only";
import { keptAnswers } from "../http/keptAnswers";
import { sql, type SQL } from "drizzle-orm";
import { scopeWhere, type Scope, type ScopeShape } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { dashboardScope } from "../dashboard/queries";
import type { Period } from "../dashboard/period";
import { businessTz } from "../time";
import { SEVERITIES, type Severity, type Stage } from "../vocabulary";
import { refreshOutcomes } from "./outcomes";
import type { InsightsParams } from "./params";

export type Quantiles = { median: number | null; p25: number | null; p75: number | null };

export type RuleQuality = {
  ruleId: number;
  ruleCode: string;
  ruleVersionId: number;
  version: number;
  nameZh: string;
  nameEn: string;
  stage: Stage;
  /** Warnings of this version opened in the period, and how each has turned out (hit + falseAlarm + pending = raised). */
  raised: number;
  hits: number;
  hitsByEvent: number;
  confirmedByTask: number;
  falseAlarms: number;
  /** Of the false alarms: those an RM resolved as "false alarm" (the rest saw no event within H). */
  falseAlarmsByTask: number;
  pending: number;
  precision: number | null;
  falseAlarmShare: number | null;
  /** Churn events of the rule's stage effective in the period, and those a warning of this version preceded. */
  events: number;
  caught: number;
  recall: number | null;
  /** Days from the version's first preceding warning to the event, over the caught events. */
  leadDays: Quantiles;
};

/** What every telemetry answer opens with: the period and horizon asked, when it was read, the branch it covers. */
type InsightsHead = {
  period: Period;
  /** When the figures were read (wall clock): a kept answer is up to DASHBOARD_STALE_MS old (../http/keptAnswers.ts). */
  computedAt: string;
  horizon: number;
  today: string;
  branchId: number | null;
};

export type RulesInsights = InsightsHead & {
  rows: RuleQuality[];
  /** Any rule: the period's events by stage, those any warning preceded, lead time from the first warning of any rule. */
  overall: { raised: number; events: number; caught: number; recall: number | null; leadDays: Quantiles };
};

export type SlaCount = { decided: number; met: number; rate: number | null };
export type Retention = { treated: number; retained: number; rate: number | null; comparableRate: number | null };

export type StaffRow = {
  tasks: number;
  contact: { tasks: number; medianHours: number | null; p90Hours: number | null };
  contactSla: SlaCount;
  resolveSla: SlaCount;
  retention: Retention;
};

export type StaffInsights = InsightsHead & {
  overall: StaffRow;
  rms: (StaffRow & { assigneeId: number | null; assigneeName: string | null })[];
  branches: (StaffRow & { branchId: number; nameZh: string; nameEn: string })[];
  /** The comparison behind every comparableRate: the scope's customers by severity band, with and without a task. */
  bands: { severity: Severity; treated: number; retained: number; control: number; controlRetained: number; controlRate: number | null }[];
};

/**
 * Runs one telemetry statement with JIT off: the planner's cost of the per-warning probes passes the JIT threshold
 * and compiling took seconds here, for a statement that runs in milliseconds without it (docs/benchmarks.md).
 */
async function withoutJit(db: DbOrTx, q: SQL): Promise<Record<string, unknown>[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('jit', 'off', true)`);
    return [...(await tx.execute<Record<string, unknown>>(q))];
  });
}

// Like the dashboard: every supervisor of a branch and every admin read the same figures, so answers are kept per
// scope, period, business day and horizon (../http/keptAnswers.ts: fresh 30 s, then served stale up to 5 min while
// one recomputation replaces them). Each answer carries its computedAt, which the page shows.
const keptRules = keptAnswers<RulesInsights>();
const keptStaff = keptAnswers<StaffInsights>();

const num = (v: unknown): number => (v == null ? 0 : Number(v));
const round = (v: unknown, d = 1): number | null => (v == null ? null : Math.round(Number(v) * 10 ** d) / 10 ** d);
const share = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const quantiles = (x: Record<string, unknown> | undefined): Quantiles => ({ median: round(x?.med), p25: round(x?.p25), p75: round(x?.p75) });

/** A task's opening day and the period's instants, in the business zone. */
function bounds(p: Period): { lo: SQL; hi: SQL } {
  const tz = businessTz();
  return { lo: sql`(${p.from}::date::timestamp at time zone ${tz})`, hi: sql`((${p.to}::date + 1)::timestamp at time zone ${tz})` };
}

/** Where the outcome rows keep the customer's branch and RM (the customer shape), and the task's assignee. */
const OUTCOME_SHAPE: ScopeShape = { branch: sql`branch_id`, owner: sql`rm_id` };
const OUTCOME_SHAPE_W: ScopeShape = { branch: sql`w.branch_id`, owner: sql`w.rm_id` };
const TASK_OUTCOME_SHAPE: ScopeShape = { branch: sql`t.branch_id`, owner: sql`t.assignee_id` };

/**
 * Per rule version: warnings opened in the period and how they turned out; churn events effective in the period and
 * which versions' warnings preceded them. `ruleId` narrows to one rule (the rule editor).
 */
const headOf = (s: Scope, params: InsightsParams): InsightsHead => ({
  period: params.period,
  computedAt: new Date().toISOString(),
  horizon: params.horizon,
  today: params.today,
  branchId: s.kind === "branch" ? s.branchId : null,
});

export async function rulesInsights(db: DbOrTx, scope: Scope, params: InsightsParams & { ruleId?: number }): Promise<RulesInsights> {
  const s = await dashboardScope(db, scope, params.branchId);
  return keptRules([s, params.period, params.today, params.horizon, params.ruleId ?? null], () => computeRules(db, s, params));
}

async function computeRules(db: DbOrTx, s: Scope, params: InsightsParams & { ruleId?: number }): Promise<RulesInsights> {
  const head = headOf(s, params);
  const { period: p, horizon: h, today } = params;
  const scoped = scopeWhere(s, OUTCOME_SHAPE);
  const oneRule = params.ruleId === undefined ? sql`true` : sql`rule_id = ${params.ruleId}`;
  await refreshOutcomes(db);
  const rows = await withoutJit(db, sql`
    with w as (
      select rule_version_id, opened_on, first_event_on, confirmed, rejected from warning_outcomes
      where ${scoped} and ${oneRule} and opened_on between ${p.from}::date and ${p.to}::date
    ),
    -- Each warning's outcome (docs/telemetry.md): a matching event (same customer and stage, effective within H of
    -- the opening: the first such event from the opening is within H), a task verdict, or none yet.
    wq as (
      select rule_version_id, coalesce(first_event_on <= opened_on + ${h}::int, false) as by_event, confirmed as by_task,
             rejected as rm_false, (opened_on + ${h}::int < ${today}::date) as ended
      from w
    ),
    raised as (
      select rule_version_id, count(*) as raised,
             count(*) filter (where by_event or by_task) as hits, count(*) filter (where by_event) as by_event,
             count(*) filter (where by_task) as by_task,
             count(*) filter (where not (by_event or by_task) and (rm_false or ended)) as false_alarms,
             count(*) filter (where not (by_event or by_task) and rm_false) as false_by_task
      from wq group by rule_version_id
    ),
    e as (
      select event_id as id, stage from event_outcomes
      where ${scoped} and rule_version_id = 0 and effective_on between ${p.from}::date and ${p.to}::date
    ),
    -- Each event with the first warning of each version that preceded it within H (any time before the period too):
    -- the earliest of the version's opening days no more than H before the event.
    pre0 as (
      select event_id as id, rule_version_id,
             effective_on - (select min(d) from unnest(warned_on) d where d >= effective_on - ${h}::int) as lead
      from event_outcomes
      where ${scoped} and rule_version_id <> 0 and ${oneRule} and effective_on between ${p.from}::date and ${p.to}::date
    ),
    pre as (select * from pre0 where lead is not null),
    caught as (
      select rule_version_id, count(*) as caught, percentile_cont(0.5) within group (order by lead) as med,
             percentile_cont(0.25) within group (order by lead) as p25, percentile_cont(0.75) within group (order by lead) as p75
      from pre group by rule_version_id
    ),
    any_pre as (select id, max(lead) as lead from pre group by id),
    by_stage as (select stage::text as stage, count(*) as n from e group by stage)
    select 'version' as part, jsonb_build_object(
             'ruleId', rv.rule_id, 'ruleCode', r.code, 'ruleVersionId', rv.id, 'version', rv.version, 'nameZh', rv.name_zh,
             'nameEn', rv.name_en, 'stage', rv.stage, 'raised', ra.raised, 'hits', ra.hits, 'byEvent', ra.by_event, 'byTask', ra.by_task,
             'falseAlarms', ra.false_alarms, 'falseByTask', ra.false_by_task, 'caught', ca.caught, 'med', ca.med, 'p25', ca.p25, 'p75', ca.p75) as v
      from (select rule_version_id from raised union select rule_version_id from caught) ids
      join rule_versions rv on rv.id = ids.rule_version_id join rules r on r.id = rv.rule_id
      left join raised ra on ra.rule_version_id = ids.rule_version_id left join caught ca on ca.rule_version_id = ids.rule_version_id
    union all select 'stage', jsonb_build_object('stage', stage, 'n', n) from by_stage
    union all select 'any', jsonb_build_object('caught', count(*), 'med', percentile_cont(0.5) within group (order by lead),
             'p25', percentile_cont(0.25) within group (order by lead), 'p75', percentile_cont(0.75) within group (order by lead)) from any_pre
    union all select 'raised', jsonb_build_object('n', count(*)) from w`);
  const part = (name: string) => rows.filter((r) => r.part === name).map((r) => r.v as Record<string, unknown>);
  const eventsOf = Object.fromEntries(part("stage").map((x) => [x.stage as string, num(x.n)]));
  const allEvents = Object.values(eventsOf).reduce((a, b) => a + b, 0);
  const any = part("any")[0];
  const out: RuleQuality[] = part("version").map((x) => {
    const raised = num(x.raised);
    const hits = num(x.hits);
    const falseAlarms = num(x.falseAlarms);
    const events = eventsOf[x.stage as string] ?? 0;
    const caught = num(x.caught);
    return {
      ruleId: num(x.ruleId),
      ruleCode: x.ruleCode as string,
      ruleVersionId: num(x.ruleVersionId),
      version: num(x.version),
      nameZh: x.nameZh as string,
      nameEn: x.nameEn as string,
      stage: x.stage as Stage,
      raised,
      hits,
      hitsByEvent: num(x.byEvent),
      confirmedByTask: num(x.byTask),
      falseAlarms,
      falseAlarmsByTask: num(x.falseByTask),
      pending: raised - hits - falseAlarms,
      precision: share(hits, raised),
      falseAlarmShare: share(falseAlarms, raised),
      events,
      caught,
      recall: share(caught, events),
      leadDays: quantiles(x),
    };
  });
  out.sort((a, b) => b.raised - a.raised || a.ruleId - b.ruleId || b.version - a.version);
  const caughtAny = num(any?.caught);
  return {
    ...head,
    rows: out,
    overall: { raised: num(part("raised")[0]?.n), events: allEvents, caught: caughtAny, recall: share(caughtAny, allEvents), leadDays: quantiles(any) },
  };
}

const SEV_RANK = sql.raw(`array_position(array[${SEVERITIES.map((s) => `'${s}'`).join(", ")}]::severity[], w.severity)`);

/**
 * Per RM (the task's current assignee) and per branch (the customer's): tasks opened in the period, first contact,
 * SLA compliance, and retention of the customers who had a task against comparable customers who had none.
 */
export async function staffInsights(db: DbOrTx, scope: Scope, params: InsightsParams): Promise<StaffInsights> {
  const s = await dashboardScope(db, scope, params.branchId);
  return keptStaff([s, params.period, params.today, params.horizon], () => computeStaff(db, s, params));
}

async function computeStaff(db: DbOrTx, s: Scope, params: InsightsParams): Promise<StaffInsights> {
  const head = headOf(s, params);
  const { period: p, horizon: h, today } = params;
  const { lo, hi } = bounds(p);
  const at = sql`${params.now.toISOString()}::timestamptz`;
  const hours = sql`extract(epoch from t.first_contact_at - t.opened_at) / 3600`;
  await refreshOutcomes(db);
  const rows = await withoutJit(db, sql`
    with t as (
      select t.task_id as id, t.customer_id, t.assignee_id, t.branch_id, t.status, t.opened_at, t.first_contact_at, t.contact_due_at,
             t.closed_at, t.resolve_due_at, t.opened_on, t.first_any_event_on
      from task_outcomes t
      where ${scopeWhere(s, TASK_OUTCOME_SHAPE)} and t.opened_at >= ${lo} and t.opened_at < ${hi} and t.status <> 'cancelled'
    ),
    work as (
      select t.assignee_id, t.branch_id, grouping(t.assignee_id) as g_rm, grouping(t.branch_id) as g_br, count(*) as tasks,
             count(*) filter (where t.first_contact_at is not null) as contacted,
             percentile_cont(0.5) within group (order by ${hours}) filter (where t.first_contact_at is not null) as med,
             percentile_cont(0.9) within group (order by ${hours}) filter (where t.first_contact_at is not null) as p90,
             count(*) filter (where t.first_contact_at is not null or t.contact_due_at <= ${at}) as contact_decided,
             count(*) filter (where t.first_contact_at <= t.contact_due_at) as contact_met,
             count(*) filter (where t.status = 'resolved' or t.resolve_due_at <= ${at}) as resolve_decided,
             count(*) filter (where t.status = 'resolved' and t.closed_at <= t.resolve_due_at) as resolve_met
      from t group by grouping sets ((t.assignee_id), (t.branch_id), ())
    ),
    -- Retention cohort: the customers with a warning opened in the period, banded by the most severe of those warnings.
    -- The first event from the first warning is the least of the warnings' first events (later openings see fewer).
    cw as (
      select w.customer_id, w.branch_id, max(${SEV_RANK}) as band, min(w.opened_on) as first_warned, min(w.first_any_event_on) as first_event
      from warning_outcomes w
      where ${scopeWhere(s, OUTCOME_SHAPE_W)} and w.opened_on between ${p.from}::date and ${p.to}::date
      group by w.customer_id, w.branch_id
    ),
    ft as (select distinct on (customer_id) customer_id, assignee_id, opened_on, first_any_event_on from t order by customer_id, opened_at, id),
    co as (
      select cw.customer_id, cw.band, cw.branch_id, ft.assignee_id, ft.customer_id is not null as treated,
             coalesce(ft.opened_on, cw.first_warned) as start_on, case when ft.customer_id is not null then ft.first_any_event_on else cw.first_event end as first_event
      from cw left join ft on ft.customer_id = cw.customer_id
    ),
    -- Retained: no churn event (not dismissed) from the start within H, up to today — the first one from the start is later.
    cr as (
      select co.*, coalesce(co.first_event > least(co.start_on + ${h}::int, ${today}::date), true) as retained
      from co
    ),
    bands as (
      select band, count(*) filter (where treated) as treated, count(*) filter (where treated and retained) as retained,
             count(*) filter (where not treated) as control, count(*) filter (where not treated and retained) as control_retained
      from cr group by band
    ),
    -- Each treated customer carries its band's control rate: a group's comparable rate is their mean (the control
    -- standardised to the group's own band mix), over the customers whose band has a control.
    tr as (
      select cr.*, b.control_retained::float8 / nullif(b.control, 0) as control_rate from cr join bands b on b.band = cr.band where cr.treated
    ),
    ret as (
      select assignee_id, branch_id, grouping(assignee_id) as g_rm, grouping(branch_id) as g_br, count(*) as treated,
             count(*) filter (where retained) as retained, avg(control_rate) as comparable
      from tr group by grouping sets ((assignee_id), (branch_id), ())
    )
    select 'work' as part, to_jsonb(work) as v from work
    union all select 'ret', to_jsonb(ret) from ret
    union all select 'band', to_jsonb(bands) from bands
    union all select 'user', jsonb_build_object('id', u.id, 'name', u.display_name) from users u
      where u.id in (select assignee_id from work union select assignee_id from ret)
    union all select 'branch', jsonb_build_object('id', b.id, 'name', b.name, 'nameEn', b.name_en) from branches b
      where b.id in (select branch_id from work union select branch_id from ret)`);
  const part = (name: string) => rows.filter((r) => r.part === name).map((r) => r.v as Record<string, unknown>);
  const work = part("work");
  const ret = part("ret");
  const level = (x: Record<string, unknown>) => (num(x.g_rm) === 0 ? "rm" : num(x.g_br) === 0 ? "branch" : "all");
  const idOf = (x: Record<string, unknown>, lv: string) => (lv === "rm" ? (x.assignee_id == null ? null : num(x.assignee_id)) : lv === "branch" ? num(x.branch_id) : 0);
  const row = (lv: string, id: number | null): StaffRow => {
    const w = work.find((x) => level(x) === lv && idOf(x, lv) === id);
    const r = ret.find((x) => level(x) === lv && idOf(x, lv) === id);
    const cd = num(w?.contact_decided);
    const cm = num(w?.contact_met);
    const rd = num(w?.resolve_decided);
    const rm = num(w?.resolve_met);
    const treated = num(r?.treated);
    const retained = num(r?.retained);
    return {
      tasks: num(w?.tasks),
      contact: { tasks: num(w?.contacted), medianHours: round(w?.med), p90Hours: round(w?.p90) },
      contactSla: { decided: cd, met: cm, rate: share(cm, cd) },
      resolveSla: { decided: rd, met: rm, rate: share(rm, rd) },
      retention: { treated, retained, rate: share(retained, treated), comparableRate: r?.comparable == null ? null : Number(r.comparable) },
    };
  };
  const ids = (lv: string) => [...new Set([...work, ...ret].filter((x) => level(x) === lv).map((x) => idOf(x, lv)))];
  const users = new Map(part("user").map((u) => [num(u.id), u.name as string]));
  const branches = new Map(part("branch").map((b) => [num(b.id), b]));
  return {
    ...head,
    overall: row("all", 0),
    rms: ids("rm")
      .map((id) => ({ assigneeId: id, assigneeName: id == null ? null : (users.get(id) ?? null), ...row("rm", id) }))
      .sort((a, b) => b.tasks - a.tasks || (a.assigneeId ?? 0) - (b.assigneeId ?? 0)),
    branches: ids("branch")
      .map((id) => ({ branchId: id!, nameZh: String(branches.get(id!)?.name ?? ""), nameEn: String(branches.get(id!)?.nameEn ?? ""), ...row("branch", id) }))
      .sort((a, b) => a.branchId - b.branchId),
    bands: part("band")
      .map((b) => ({
        severity: SEVERITIES[num(b.band) - 1]!,
        treated: num(b.treated),
        retained: num(b.retained),
        control: num(b.control),
        controlRetained: num(b.control_retained),
        controlRate: share(num(b.control_retained), num(b.control)),
      }))
      .sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity)),
  };
}
