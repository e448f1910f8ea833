// A bank of `loans` loans with 18 months of history, for the insights API bench (`npm run bench -- web --loans N`).
// The demo loader builds a realistic past but takes hours at 1M loans, and the telemetry reads none of the loan
// schedules: so a small demo gives the branches, users and built-in rules, and set-based SQL adds what the telemetry
// reads at the volume of a large bank — customers and loans, warnings opened over 548 days within the alert budget
// (≈ 8% of loans a month), a task for about half of them worked in every way, and churn events (≈ 12% of loans a
// year), most after a warning. Deterministic (ids drive every choice).
import { sql } from "drizzle-orm";
import type { Db } from "../lib/db/client";
import { rebuildOutcomes } from "../lib/insights/outcomes";
import { seedDemo } from "../lib/seed/load";

export async function synthesizeHistory(db: Db, opts: { loans: number; asOf: string; log: (m: string) => void }): Promise<void> {
  const { loans, asOf, log } = opts;
  const customers = Math.round(loans / 1.5);
  const days = 548;
  const t0 = performance.now();
  const step = (m: string) => log(`[history] ${m} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  await seedDemo(db, { customers: 400, seed: 42, asOf });
  step("demo base: branches, users, built-in rules");
  const x = (q: ReturnType<typeof sql>) => db.execute(q);
  // Customers spread over the branches, each owned by an RM of its branch.
  await x(sql`
    with rms as (select branch_id, array_agg(id order by id) as ids from users where role = 'rm' and active group by branch_id),
         b as (select row_number() over (order by branch_id) - 1 as k, branch_id, ids from rms),
         nb as (select count(*) as n from b)
    insert into customers (customer_no, name, credit_code, legal_rep, registered_capital_fen, industry_code, region, branch_id, rm_id, onboarded_on)
    select 'H' || i, '合成企业' || i, 'H' || lpad(i::text, 17, '0'), '张三', 500000000, 'C13', '杭州市', b.branch_id,
           b.ids[1 + (i / (select n from nb)) % array_length(b.ids, 1)], ${asOf}::date - 900 - (i % 2000)
    from generate_series(1, ${customers}::int) i join b on b.k = i % (select n from nb)`);
  step(`${customers} customers`);
  await x(sql`
    with c as (select id, row_number() over (order by id) as k from customers where customer_no like 'H%'), n as (select count(*) as n from c)
    insert into loans (contract_no, customer_id, product, principal_fen, annual_rate, term_months, method, disbursed_on, maturity_on, status)
    select 'HL' || i, c.id, 'working_capital', 100000000 + (i % 50) * 1000000, 0.0435, 36, 'equal_principal',
           ${asOf}::date - 700 - (i % 400), ${asOf}::date - 700 - (i % 400) + 1095, 'active'
    from generate_series(1, ${loans}::int) i join c on c.k = 1 + (i % (select n from n))`);
  step(`${loans} loans`);
  // Warnings: ≈ 8% of loans a month, each on a loan of the synthetic book, by one of the active built-in versions.
  const perMonth = Math.round(loans * 0.08);
  const total = Math.round((perMonth * days) / 30.4);
  await x(sql`
    with v as (select row_number() over (order by id) - 1 as k, id, rule_id, stage, will, reason_family, subject from rule_versions where status = 'active'),
         nv as (select count(*) as n from v),
         l as (select id, customer_id, row_number() over (order by id) as k from loans where contract_no like 'HL%')
    insert into warnings (rule_id, rule_version_id, subject_key, customer_id, loan_id, status, severity, stage, will, reason_family, opened_on, last_seen_on, closed_on, evidence)
    select v.rule_id, v.id, 'loan:' || l.id || ':' || i, l.customer_id, l.id,
           (case when d < 30 then 'open' else 'closed' end)::warning_status, (enum_range(null::severity))[1 + (i * 7) % 4],
           v.stage, v.will, v.reason_family, ${asOf}::date - d, ${asOf}::date - greatest(d - 30, 0),
           case when d >= 30 then ${asOf}::date - d + 30 end, '{}'::jsonb
    from (select i, ((i::bigint * 7919) % ${days}::int)::int as d from generate_series(1, ${total}::int) i) g
    join v on v.k = g.i % (select n from nv) join l on l.k = 1 + (g.i::bigint * 104729) % ${loans}::int`);
  step(`${total} warnings over ${days} days`);
  // A task for every other warning: open if recent (one per customer), else resolved with an outcome or cancelled.
  // The warnings to task go through a scratch table (analysed) so that linking tasks back to them is one hash join.
  await x(sql`drop table if exists bench_task_source`);
  await x(sql`
    create unlogged table bench_task_source as
    select w.id, w.customer_id, w.opened_on, w.reason_family, w.stage, w.will, w.severity, c.rm_id,
           ((w.opened_on::timestamp + make_interval(hours => 9 + (w.id % 8)::int)) at time zone 'Asia/Shanghai') as at,
           row_number() over (partition by w.customer_id, w.opened_on > ${asOf}::date - 20 order by w.id desc) as rn
    from warnings w join customers c on c.id = w.customer_id where w.id % 2 = 0 and c.customer_no like 'H%'`);
  await x(sql`analyze bench_task_source`);
  await x(sql`
    insert into tasks (customer_id, assignee_id, status, priority, reason_family, stage, will, opened_at, first_contact_at, closed_at,
                       contact_remind_at, contact_due_at, resolve_remind_at, resolve_due_at, outcome, outcome_stage, outcome_will, outcome_reason_family)
    select w.customer_id, w.rm_id, s.status::task_status, w.severity, w.reason_family, w.stage, w.will, w.at,
           case when w.id % 10 < 8 and w.at + make_interval(hours => (w.id % 96)::int) < now() then w.at + make_interval(hours => (w.id % 96)::int) end,
           case when s.status in ('resolved', 'cancelled') then w.at + make_interval(days => 3 + (w.id % 40)::int) end,
           w.at + interval '18 hours', w.at + interval '1 day', w.at + interval '15 days', w.at + interval '20 days',
           (case when s.status = 'resolved' then (array['retained', 'restructured', 'recovered', 'churned', 'false_alarm'])[1 + (w.id / 2) % 5] end)::task_outcome,
           case when s.status = 'resolved' and (w.id / 2) % 5 = 3 then w.stage end, case when s.status = 'resolved' and (w.id / 2) % 5 = 3 then w.will end,
           case when s.status = 'resolved' and (w.id / 2) % 5 = 3 then w.reason_family end
    from bench_task_source w cross join lateral (
      select case when w.opened_on > ${asOf}::date - 20 then (case when w.rn = 1 then 'open' else 'cancelled' end)
                  when w.id % 17 = 0 then 'cancelled' else 'resolved' end as status) s`);
  await x(sql`analyze tasks`);
  await x(sql`
    insert into task_warnings (task_id, warning_id, attached_at)
    select distinct on (w.id) t.id, w.id, t.opened_at from bench_task_source w join tasks t on t.customer_id = w.customer_id and t.opened_at = w.at
    order by w.id, t.id`);
  await x(sql`drop table bench_task_source`);
  step("tasks and their warnings");
  // Churn events: most after a warning of the same customer and stage (some beyond 180 days), the rest unwarned.
  await x(sql`
    insert into churn_events (subject_key, customer_id, loan_id, stage, kind, will, reason_family, reason_inferred, effective_on, detected_on, source, status)
    select 'loan:' || w.loan_id, w.customer_id, w.loan_id, w.stage, (case when w.stage = 'post_loan' then 'prepaid_in_full' else 'other' end)::churn_kind, w.will,
           w.reason_family, true, least(w.opened_on + (w.id % 240)::int, ${asOf}::date), least(w.opened_on + (w.id % 240)::int, ${asOf}::date),
           (case when w.stage = 'post_loan' then 'detected' else 'recorded' end)::churn_source,
           (array['detected', 'confirmed', 'confirmed', 'dismissed'])[1 + (w.id % 4)]::churn_event_status
    from warnings w where w.id % 11 = 0 and w.loan_id is not null
    on conflict do nothing`);
  await x(sql`
    insert into churn_events (subject_key, customer_id, loan_id, stage, kind, will, reason_inferred, effective_on, detected_on, source, status)
    select 'loan:' || l.id, l.customer_id, l.id, 'post_loan', 'default', 'involuntary', true, ${asOf}::date - (l.id % ${days}::int), ${asOf}::date - (l.id % ${days}::int), 'detected', 'detected'
    from loans l where l.id % 37 = 0 and l.contract_no like 'HL%'
    on conflict do nothing`);
  step("churn events");
  await db.$client.unsafe("vacuum analyze customers, loans, warnings, tasks, task_warnings, churn_events");
  // The telemetry's outcome rows (lib/insights/outcomes.ts), derived once for the whole load.
  await rebuildOutcomes(db);
  step("insight outcome rows");
  const [c] = await db.execute<{ w: number; t: number; e: number }>(sql`select (select count(*)::int from warnings) as w, (select count(*)::int from tasks) as t, (select count(*)::int from churn_events) as e`);
  step(`done: ${c!.w} warnings, ${c!.t} tasks, ${c!.e} churn events`);
}
