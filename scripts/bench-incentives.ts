// `npm run bench -- incentives --loans N [--rms 500] [--months 18] [--reviews 200] [--compare]`: the incentive ledger
// at scale. With `--keep-db cwbench_…` the history and backfill are written once and reused; `--compare` also times
// the close with the unbounded derivation (the whole history) and checks both append as many entries.
// A synthetic history written straight in SQL (the demo seed has no task history, and 1M loans through it takes
// minutes): N loans over N/1.5 customers and `rms` RMs in 10 branches, 6 principal repayments per loan, intervention
// tasks over `months` months (one per ~5 customers, outcomes and SLA breaches mixed, 10% reassigned with a second
// RM's follow-up), churn events for ~8% of customers. Then it times:
//  - the backfill (every entry of the whole history derived at once),
//  - a month close: the derivation as of the month's last day (verifications and clawbacks that fell due), the
//    period's per-RM totals (caps applied) and the lock,
//  - HR's period review (the query behind GET /api/v1/incentives/periods/{period}), `reviews` times: p50 / p95.
// The close and the reviews run in one transaction rolled back at the end (a kept database stays as it was).
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import type { Db } from "../lib/db/client";
import { backfillIncentives } from "../lib/incentives/backfill";
import { deriveLedger } from "../lib/incentives/engine";
import { periodReview } from "../lib/incentives/queries";
import { lockPeriod } from "../lib/incentives/service";
import { ensureBuiltinScheme } from "../lib/incentives/versions";

const secs = (t0: number) => Number(((performance.now() - t0) / 1000).toFixed(2));

class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super("rollback");
  }
}
/** Runs `f` in a transaction and rolls it back (the ledger is append-only), returning what `f` returned. */
async function rolledBack<T>(db: Db, f: (tx: Parameters<Parameters<Db["transaction"]>[0]>[0]) => Promise<T>): Promise<T> {
  try {
    await db.transaction(async (tx) => {
      throw new Rollback(await f(tx));
    });
  } catch (e) {
    if (e instanceof Rollback) return e.value as T;
    throw e;
  }
  throw new Error("unreachable");
}

export async function benchIncentives(args: string[], db: Db): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args, options: { loans: { type: "string", default: "1000000" }, rms: { type: "string", default: "500" }, months: { type: "string", default: "18" }, reviews: { type: "string", default: "200" }, compare: { type: "boolean", default: false } } });
  const loans = Number(values.loans);
  const rms = Number(values.rms);
  const months = Number(values.months);
  const customers = Math.max(rms, Math.round(loans / 1.5));
  const asOf = "2026-11-30";
  const start = `(date '${asOf}' - interval '${months} months')::date`;
  const x = (q: string) => db.$client.unsafe(q);

  // A kept database (`--keep-db`) that already holds the history and its backfill is reused as it is: the close and
  // the reviews run in a transaction that is rolled back, so every run measures the same close.
  const [prepared] = await db.execute<{ n: number }>(sql`select count(*)::int as n from incentive_ledger`);
  let t0 = performance.now();
  let setup = 0;
  let backfillS = 0;
  let backfillEntries = 0;
  const closeMonth = asOf.slice(0, 7);
  const prevDay = "2026-10-31";
  if (!prepared!.n) {
  await x(`insert into branches (code, name, name_en, region) select 'B' || i, '支行' || i, 'Branch ' || i, '杭州' from generate_series(1, 10) i`);
  await x(`insert into users (username, display_name, role, branch_id) select 'rm' || i, '客户经理' || i, 'rm', (select min(id) from branches) + (i % 10) from generate_series(1, ${rms}) i`);
  await x(`insert into users (username, display_name, role) values ('hr1', 'hr1', 'hr'), ('hr2', 'hr2', 'hr')`);
  await x(`create temp table rm_ids as select row_number() over (order by id) - 1 as n, id, branch_id from users where role = 'rm'`);
  await x(`insert into customers (customer_no, name, credit_code, legal_rep, registered_capital_fen, industry_code, region, branch_id, rm_id, onboarded_on)
    select 'BC' || i, '公司' || i, lpad(i::text, 18, '0'), '法人', 100000000, 'C36', '杭州', r.branch_id, r.id, date '2022-01-01'
    from generate_series(1, ${customers}) i join rm_ids r on r.n = i % ${rms}`);
  await x(`insert into loans (contract_no, customer_id, product, principal_fen, annual_rate, term_months, method, disbursed_on, maturity_on)
    select 'BL' || i, c.id, '流动资金贷款', (1 + (i::bigint * 7919) % 50) * 10000000, 0.0435, 36, 'equal_installment', date '2024-01-01' + (i % 600), date '2027-01-01' + (i % 600)
    from generate_series(1, ${loans}) i join customers c on c.id = (select min(id) from customers) + (i % ${customers})`);
  await x(`insert into repayments (loan_id, paid_on, amount_fen, source, external_id)
    select l.id, l.disbursed_on + k * 30, l.principal_fen / 36, 'seed', 'BR' || l.id || '-' || k from loans l cross join generate_series(1, 6) k`);
  await x(`insert into repayment_allocations (repayment_id, loan_id, installment_no, component, amount_fen)
    select r.id, r.loan_id, 1 + (r.id % 6)::int, 'principal', r.amount_fen from repayments r`);
  // Tasks: one per ~5 customers over the history; SLA: contact due 2 days, resolution 30 days after opening.
  await x(`insert into tasks (customer_id, assignee_id, status, priority, reason_family, stage, will, opened_at, contact_remind_at, contact_due_at,
      resolve_remind_at, resolve_due_at, first_contact_at, contact_breached_at, closed_at, resolve_breached_at, outcome)
    select c.id, c.rm_id, case when o.closed <= timestamptz '${asOf} 23:00+08' then 'resolved' else 'in_progress' end::task_status, 'high', 'credit_risk', 'post_loan', 'involuntary',
      o.opened, o.opened + interval '1 day', o.opened + interval '2 days', o.opened + interval '20 days', o.opened + interval '30 days',
      o.opened + o.fc, case when o.fc > interval '2 days' then o.opened + interval '2 days' end,
      case when o.closed <= timestamptz '${asOf} 23:00+08' then o.closed end,
      case when o.closed <= timestamptz '${asOf} 23:00+08' and o.closed > o.opened + interval '30 days' then o.opened + interval '30 days' end,
      case when o.closed <= timestamptz '${asOf} 23:00+08' then (array['retained','retained','retained','retained','restructured','restructured','recovered','churned','false_alarm','false_alarm'])[1 + (c.id * 31) % 10] end::task_outcome
    from customers c
    cross join lateral (select (${start} + ((c.id * 7) % (${months} * 30)))::timestamp at time zone 'Asia/Shanghai' + interval '10 hours' as opened,
      ((c.id * 13) % 80) * interval '1 hour' as fc, null::timestamptz as closed) o0
    cross join lateral (select o0.opened, o0.fc, o0.opened + ((5 + (c.id * 17) % 40) * interval '1 day') as closed) o
    where c.id % 5 = 0`);
  await x(`insert into follow_ups (task_id, customer_id, author_id, type, notes, occurred_at)
    select t.id, t.customer_id, t.assignee_id, 'phone', '电话', t.first_contact_at from tasks t`);
  // 10% reassigned mid-way: a colleague of the branch recorded the second follow-up (the credit is split).
  await x(`insert into follow_ups (task_id, customer_id, author_id, type, notes, occurred_at)
    select t.id, t.customer_id, case when t.id % 10 = 0 then coalesce((select r2.id from rm_ids r1 join rm_ids r2 on r2.branch_id = r1.branch_id and r2.id <> r1.id where r1.id = t.assignee_id order by r2.id limit 1), t.assignee_id) else t.assignee_id end,
      'visit', '走访', coalesce(t.closed_at, t.opened_at + interval '3 days') - interval '1 day' from tasks t`);
  await x(`insert into task_events (task_id, kind, at, detail)
    select t.id, 'reassigned', t.opened_at + interval '3 days', jsonb_build_object('from', t.assignee_id, 'to', t.assignee_id) from tasks t where t.id % 10 = 0`);
  await x(`insert into churn_events (subject_key, customer_id, stage, kind, will, reason_inferred, effective_on, detected_on, source)
    select 'customer:' || c.id, c.id, 'post_loan', (array['default','prepaid_in_full','matured_not_renewed','large_partial_prepayment','terminated'])[1 + (c.id * 3) % 5]::churn_kind,
      'voluntary', true, ${start} + ((c.id * 11) % (${months} * 30 + 10)), ${start} + ((c.id * 11) % (${months} * 30 + 10)) + (c.id % 4), 'detected'
    from customers c where c.id % 12 = 0 and ${start} + ((c.id * 11) % (${months} * 30 + 10)) <= date '${asOf}'`);
  await x(`analyze`);
  setup = secs(t0);
  console.log(`history written in ${setup} s`);
  await ensureBuiltinScheme(db);
  // The history up to the month before the close, its periods locked but the last (as the demo's backfill leaves it).
  t0 = performance.now();
  const backfill = await backfillIncentives(db, prevDay);
  backfillS = secs(t0);
  backfillEntries = backfill.inserted;
  console.log(`backfill as of ${prevDay}: ${backfillS} s, ${backfill.inserted} entries, ${backfill.locked} periods locked`);
  // Months of history have been through autovacuum in production (the ledger is insert-only): the visibility map is
  // what lets the review read its covering index only.
  await x(`vacuum analyze incentive_ledger`);
  }
  const [counts] = await db.execute<{ customers: number; loans: number; repayments: number; tasks: number; follow_ups: number; churn_events: number }>(sql`
    select (select count(*) from customers)::int as customers, (select count(*) from loans)::int as loans, (select count(*) from repayments)::int as repayments,
      (select count(*) from tasks)::int as tasks, (select count(*) from follow_ups)::int as follow_ups, (select count(*) from churn_events)::int as churn_events`);
  console.log(prepared!.n ? "history and backfill kept from an earlier run:" : "history:", counts);

  // The month close: derive as of the last day (verifications and clawbacks due), the totals, the lock of the month;
  // then HR's period review, repeated (the query behind GET /api/v1/incentives/periods/{period}). All in one
  // transaction rolled back at the end, so a kept database measures the same close again.
  const [hr] = await db.execute<{ id: number }>(sql`select id from users where username = 'hr1'`);
  const reviews = Number(values.reviews);
  const periods = ["2026-11", "2026-10", "2026-06", "2026-01"];
  type Close = { deriveS: number; derive: Awaited<ReturnType<typeof deriveLedger>>; totalsS: number; rms: number; lockS: number; closeS: number; times: number[]; ledger: { n: number; periods: number } };
  const close = (unbounded: boolean) =>
    rolledBack(db, async (tx): Promise<Close> => {
      let t0 = performance.now();
      const derive = await deriveLedger(tx, asOf, { unbounded });
      const deriveS = secs(t0);
      let t1 = performance.now();
      const review = await periodReview(tx, { kind: "all", contact: false }, closeMonth);
      const totalsS = secs(t1);
      t1 = performance.now();
      // Lock "now" is the business clock: the bench's month has ended in real time (2026-11 < today).
      await lockPeriod(tx, { userId: hr!.id, role: "hr" }, closeMonth);
      const lockS = secs(t1);
      const closeS = secs(t0);
      const times: number[] = [];
      for (let i = 0; i < (unbounded ? 0 : reviews); i++) {
        t0 = performance.now();
        await periodReview(tx, { kind: "all", contact: false }, periods[i % periods.length]!);
        times.push(performance.now() - t0);
      }
      const [ledger] = await tx.execute<{ n: number; periods: number }>(sql`select count(*)::int as n, count(distinct period)::int as periods from incentive_ledger`);
      return { deriveS, derive, totalsS, rms: review.rms.length, lockS, closeS, times, ledger: ledger! };
    });
  const say = (label: string, c: Close) =>
    console.log(`${label} ${closeMonth}: ${c.closeS} s (derive ${c.deriveS} s ${JSON.stringify(c.derive.ms)}: ${c.derive.inserted} new entries ${JSON.stringify(c.derive.byRule)} from ${c.derive.tasks} tasks and ${c.derive.churnEvents} churn events read; totals ${c.totalsS} s for ${c.rms} RMs; lock ${c.lockS} s)`);
  // `--compare`: the same close with the unbounded derivation (every task and churn event of the history) first.
  const reference = values.compare ? await close(true) : null;
  if (reference) say("month close, unbounded derivation,", reference);
  const c = await close(false);
  say("month close", c);
  if (reference && reference.ledger.n !== c.ledger.n) throw new Error(`bounded close appended ${c.ledger.n} entries, unbounded ${reference.ledger.n}`);
  const times = c.times.sort((a, b) => a - b);
  const pct = (p: number) => Number(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(1));
  console.log(`period review ×${reviews}: p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${pct(100)} ms; ledger ${c.ledger.n} entries over ${c.ledger.periods} periods`);
  const { deriveS, derive, totalsS, lockS, closeS, ledger } = c;
  return { ...counts, rms, months, setup_s: setup, backfill_s: backfillS, backfill_entries: backfillEntries, close_unbounded_derive_s: reference?.deriveS, close_s: closeS, close_derive_s: deriveS, close_new_entries: derive.inserted, close_tasks_read: derive.tasks, close_churn_events_read: derive.churnEvents, close_totals_s: totalsS, close_lock_s: lockS, review_p50_ms: pct(50), review_p95_ms: pct(95), ledger_entries: ledger.n };
}
