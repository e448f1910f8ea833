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

// What the supervisor dashboard reads beyond the telemetry (issue 13), added to a bank built by synthesizeHistory:
// each synthetic loan's state today (loan_state) and its class changes over the 548 days (≈ 10% of loans go special
// mention, a third of those cure, ≈ 2% end non-performing; a loan prepaid by a churn event is settled on its day),
// loan applications over the same days (≈ 0.6 per loan, decided in 0–11 days), and the past 13 month-ends' snapshots
// the NPL trend reads, written as the nightly run writes them. No repayments are synthesised: balances stay at
// principal (the dashboard reads classes and sums, not schedules). Idempotent on a kept database: a part already
// there is skipped, so it can be added to a bank prepared before it existed.
export async function synthesizeDashboardData(db: Db, opts: { asOf: string; log: (m: string) => void }): Promise<void> {
  const { asOf, log } = opts;
  const t0 = performance.now();
  const step = (m: string) => log(`[dashboard data] ${m} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  const x = (q: ReturnType<typeof sql>) => db.execute(q);
  const [have] = await db.execute<{ state: boolean; apps: boolean }>(sql`
    select exists (select 1 from loan_state s join loans l on l.id = s.loan_id where l.contract_no like 'HL%') as state,
           exists (select 1 from applications where application_no like 'HA%') as apps`);
  if (!have!.state) {
    // The steps a loan's class takes (offset in days from its start), by a hash of its id into 0–999.
    await x(sql`drop table if exists bench_class_steps`);
    await x(sql`
      create unlogged table bench_class_steps as
      with l as (
        select l.id, ${asOf}::date - 30 - ((l.id::bigint * 7) % 480)::int as start, ((l.id::bigint * 2654435761) % 1000)::int as k, s.settle_on
        from loans l left join (select loan_id, min(effective_on) as settle_on from churn_events where kind = 'prepaid_in_full' and status <> 'dismissed' group by 1) s on s.loan_id = l.id
        where l.contract_no like 'HL%'
      )
      select l.id as loan_id, v.seq, l.start + v.off as changed_on, v.dpd, v.bucket, v.cls::classification as classification, false as settled
      from l join (values (1, 0, 15, 'M1', 'special_mention', 900, 1000), (2, 30, 0, 'M0', 'normal', 900, 950), (2, 60, 75, 'M3', 'substandard', 980, 1000),
                          (3, 120, 150, 'M4+', 'doubtful', 990, 1000), (4, 200, 400, 'M4+', 'loss', 996, 1000)) v(seq, off, dpd, bucket, cls, kmin, kmax)
        on l.k >= v.kmin and l.k < v.kmax
      where l.start + v.off <= ${asOf}::date and (l.settle_on is null or l.start + v.off < l.settle_on)
      union all
      select l.id, 9, l.settle_on, 0, 'M0', 'normal', true from l where l.settle_on is not null`);
    await x(sql`
      insert into loan_state_history (loan_id, seq, changed_on, cause, dpd, bucket, classification, before, after)
      select loan_id, seq, changed_on, case when settled then 'repayment' else 'due' end, dpd, bucket, classification, null,
             jsonb_build_object('dpd', dpd, 'bucket', bucket, 'classification', classification, 'settled', settled)
      from bench_class_steps`);
    await x(sql`
      insert into loan_state (loan_id, as_of, outstanding_principal_fen, overdue_principal_fen, overdue_interest_fen, penalty_fen, paid_principal_fen,
                              paid_interest_fen, paid_penalty_fen, prepaid_principal_fen, dpd, bucket, classification, settled, settled_on)
      select l.id, ${asOf}::date, case when s.settled then 0 else l.principal_fen end, 0, 0, 0, 0, 0, 0, case when s.settled then l.principal_fen else 0 end,
             coalesce(s.dpd, 0), coalesce(s.bucket, 'M0'), coalesce(s.classification, 'normal'), coalesce(s.settled, false), case when s.settled then s.changed_on end
      from loans l left join (select distinct on (loan_id) * from bench_class_steps order by loan_id, seq desc) s on s.loan_id = l.id
      where l.contract_no like 'HL%'
      on conflict (loan_id) do nothing`);
    await x(sql`drop table bench_class_steps`);
    step("loan states and class history");
  }
  if (!have!.apps) {
    await x(sql`
      with c as (select id, row_number() over (order by id) as k from customers where customer_no like 'H%'), n as (select count(*) as n from c),
           l as (select count(*) as n from loans where contract_no like 'HL%')
      insert into applications (application_no, customer_id, product, amount_fen, submitted_on, decided_on, status)
      select 'HA' || i, c.id, 'working_capital', 100000000 + (i % 50) * 1000000, a.sub,
             case when a.st = 'submitted' or a.st = 'withdrawn' then null else least(a.sub + (i % 12), ${asOf}::date) end, a.st::application_status
      from generate_series(1, (select (n * 0.6)::int from l)) i
      cross join lateral (select ${asOf}::date - ((i::bigint * 7919) % 548)::int as sub) s
      cross join lateral (select s.sub, case when i % 20 < 10 then 'drawn' when i % 20 < 13 then 'approved' when i % 20 < 17 then 'rejected'
                                             when i % 20 = 17 then 'withdrawn' when s.sub > ${asOf}::date - 30 then 'submitted' else 'rejected' end as st) a
      join c on c.k = 1 + (i % (select n from n))`);
    step("applications");
  }
  // The churn events' amounts (synthesizeHistory leaves them 0): the loan's principal exposed; a default loses a fifth
  // of it and its interest, a prepayment forgoes a year's interest. Only rows still at 0, so a rerun changes nothing.
  await x(sql`
    update churn_events e set exposure_fen = l.principal_fen,
           principal_lost_fen = case when e.kind = 'default' then l.principal_fen / 5 else 0 end,
           interest_lost_fen = case when e.kind = 'default' then round(l.principal_fen * l.annual_rate / 12)::bigint else 0 end,
           interest_forgone_fen = case when e.kind = 'prepaid_in_full' then round(l.principal_fen * l.annual_rate)::bigint else 0 end
    from loans l where l.id = e.loan_id and l.contract_no like 'HL%' and e.exposure_fen = 0`);
  step("churn event amounts");
  await db.$client.unsafe("vacuum analyze loan_state, loan_state_history, applications, churn_events");
  const { writeMonthEnds } = await import("../lib/dashboard/snapshots");
  const r = await writeMonthEnds(db, asOf, { months: 13 });
  step(`month-end snapshots: ${r.written.length} written, ${r.kept.length} already there`);
}
