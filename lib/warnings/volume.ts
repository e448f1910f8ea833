// Alert volume as a bank would judge it (issue 16, "Alert volume a bank would accept"): how many live loans each
// built-in rule flags, how many active customers hold an open intervention task, and how many of the churners the
// seed planted (churn_truth) the warnings and tasks still reach. One set of queries for the bench
// (`npm run bench -- alerts`) and the volume test on the seeded demo.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { businessTz } from "../time";
import { ACTIVE_TASK_STATUSES } from "../vocabulary";

/** The volume limits the issue sets: open tasks per active customer, and open warnings of one rule per live loan. */
export const VOLUME_LIMITS = { openTaskShare: 0.15, ruleLoanShare: 0.1 } as const;

export type RuleVolume = { code: string; subject: string; severity: string; open: number; share: number };
export type AlertVolume = {
  asOf: string;
  liveLoans: number;
  activeCustomers: number;
  openTasks: number;
  openTaskShare: number;
  rules: RuleVolume[];
  /** Churners whose signal shows by the as-of date and who are not lost yet: the ones a warning could still save.
   * Warned / tasked: a warning or task open now or closed since the signal. */
  churnersAtRisk: number;
  recallWarned: number;
  recallTasked: number;
  recallByBehaviour: Record<string, { n: number; warned: number; tasked: number }>;
  /** Active tasks on customers the seed says stay (churn_truth.churns false): the false alarms RMs are working. */
  tasksOnStayers: number;
};

const ACTIVE = sql.raw(`(${ACTIVE_TASK_STATUSES.map((s) => `'${s}'`).join(", ")})`);
const ratio = (n: number, d: number) => (d ? Number((n / d).toFixed(4)) : 0);

export async function alertVolume(db: DbOrTx, asOf: string): Promise<AlertVolume> {
  // A loan is live on the as-of date from its drawdown until it closes (defaulted loans stay: money is still owed).
  const [base] = await db.execute<{ live: number; customers: number; tasks: number; stayers: number }>(sql`
    select (select count(*) from loans where disbursed_on <= ${asOf}::date and (closed_on is null or closed_on > ${asOf}::date))::int as live,
           (select count(*) from customers where status = 'active')::int as customers,
           (select count(*) from tasks where status in ${ACTIVE})::int as tasks,
           (select count(*) from tasks k join churn_truth t on t.customer_id = k.customer_id where k.status in ${ACTIVE} and not t.churns)::int as stayers`);
  const rules = await db.execute<Omit<RuleVolume, "share">>(sql`
    select r.code, v.subject::text as subject, v.severity::text as severity,
           (select count(*) from warnings w where w.rule_id = r.id and w.status = 'open')::int as open
    from rules r join rule_versions v on v.rule_id = r.id and v.status = 'active'
    order by open desc, r.code`);
  const byBehaviour = await db.execute<{ behaviour: string; n: number; warned: number; tasked: number }>(sql`
    select t.behaviour, count(*)::int as n,
           -- Reached since the signal showed: with the demo's history a churner's task may have opened (and closed) weeks
           -- before the as-of date; one open now counts too.
           count(*) filter (where exists (select 1 from warnings w where w.customer_id = t.customer_id
             and (w.status = 'open' or w.closed_on >= t.signal_on)))::int as warned,
           count(*) filter (where exists (select 1 from tasks k where k.customer_id = t.customer_id
             and (k.status in ${ACTIVE} or k.closed_at >= t.signal_on)))::int as tasked
    from churn_truth t
    where t.churns and t.signal_on <= ${asOf}::date and t.churn_on > ${asOf}::date
    group by t.behaviour order by t.behaviour`);
  const sum = (k: "n" | "warned" | "tasked") => byBehaviour.reduce((s, r) => s + r[k], 0);
  const liveLoans = base!.live;
  return {
    asOf,
    liveLoans,
    activeCustomers: base!.customers,
    openTasks: base!.tasks,
    openTaskShare: ratio(base!.tasks, base!.customers),
    rules: rules.map((r) => ({ ...r, share: ratio(r.open, liveLoans) })),
    churnersAtRisk: sum("n"),
    recallWarned: ratio(sum("warned"), sum("n")),
    recallTasked: ratio(sum("tasked"), sum("n")),
    recallByBehaviour: Object.fromEntries(byBehaviour.map(({ behaviour, ...r }) => [behaviour, r])),
    tasksOnStayers: base!.stayers,
  };
}

/** The limits a volume breaks, as sentences (empty when it keeps them all). */
export function volumeBreaches(v: AlertVolume): string[] {
  const out: string[] = [];
  if (v.openTaskShare > VOLUME_LIMITS.openTaskShare) out.push(`open tasks ${v.openTasks} / ${v.activeCustomers} active customers = ${(v.openTaskShare * 100).toFixed(1)}% > 15%`);
  for (const r of v.rules) if (r.share > VOLUME_LIMITS.ruleLoanShare) out.push(`rule ${r.code}: ${r.open} open warnings / ${v.liveLoans} live loans = ${(r.share * 100).toFixed(1)}% > 10%`);
  return out;
}

export type DayVolume = { day: string; liveLoans: number; activeCustomers: number; openTasks: number; openTaskShare: number; rules: RuleVolume[] };

/**
 * The alert volume at the end of a past day, rebuilt from what is dated (the demo's history, lib/seed/history.ts):
 * a warning was open if its latest event on or before the day is not a closing; a task if it had opened by the end of
 * the day and not closed by then; a customer was active if onboarded by the day and not churned on it (churned_on,
 * unless won back by then); a loan live from drawdown until it closed. Every built-in rule is listed, with or without
 * open warnings, as in alertVolume.
 */
export async function alertVolumeOn(db: DbOrTx, day: string): Promise<DayVolume> {
  const [base] = await db.execute<{ live: number; customers: number; tasks: number }>(sql`
    with e as (select (((${day}::date + 1) + time '00:00') at time zone ${businessTz()}::text) as t)
    select (select count(*) from loans where disbursed_on <= ${day}::date and (closed_on is null or closed_on > ${day}::date))::int as live,
           (select count(*) from customers where onboarded_on <= ${day}::date
              and not coalesce(churned_on <= ${day}::date and (won_back_on is null or won_back_on > ${day}::date), false))::int as customers,
           (select count(*) from tasks, e where opened_at < e.t and (closed_at is null or closed_at >= e.t))::int as tasks`);
  const rules = await db.execute<Omit<RuleVolume, "share">>(sql`
    with last as (
      select distinct on (ev.warning_id) ev.warning_id, ev.kind from warning_events ev
      where ev.as_of <= ${day}::date order by ev.warning_id, ev.as_of desc, ev.id desc
    ), open as (
      select w.rule_id, count(*)::int as n from last join warnings w on w.id = last.warning_id where last.kind <> 'closed' group by w.rule_id
    )
    select r.code, v.subject::text as subject, v.severity::text as severity, coalesce(o.n, 0)::int as open
    from rules r join rule_versions v on v.rule_id = r.id and v.status = 'active' left join open o on o.rule_id = r.id
    order by open desc, r.code`);
  const liveLoans = base!.live;
  return {
    day,
    liveLoans,
    activeCustomers: base!.customers,
    openTasks: base!.tasks,
    openTaskShare: ratio(base!.tasks, base!.customers),
    rules: rules.map((r) => ({ ...r, share: ratio(r.open, liveLoans) })),
  };
}

/** The limits a past day's volume breaks (empty when it keeps them all). */
export function dayVolumeBreaches(v: DayVolume): string[] {
  return volumeBreaches({ ...v, asOf: v.day } as unknown as AlertVolume).map((b) => `${v.day}: ${b}`);
}
