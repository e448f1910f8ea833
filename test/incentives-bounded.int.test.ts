// The month close reads only the sources that can still earn or lose points (engine.ts `liveSources`): on a
// synthetic 18-month history closed month by month — late churn events, clawbacks before and after verification,
// churn events dismissed on the way, periods locked behind — the bounded derivation appends exactly the ledger the
// unbounded one (every task and churn event of the history) does. Also: a clawback whose churn event is dismissed is
// reversed by a compensating entry, as independent SQL over the facts says.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbOrTx } from "../lib/db/client";
import { freshDb, type TestDb } from "./int-db";

let t: TestDb;
const START = "2025-05-01";
const CUSTOMERS = 480;

beforeAll(async () => {
  t = await freshDb();
  const x = (q: string) => t.db.$client.unsafe(q);
  // As scripts/bench-incentives.ts, small: tasks for every second customer, churn events for the task customers
  // (spread before, inside and after the windows) and for others; one in nine detected 45 days late.
  await x(`insert into branches (code, name, name_en, region) select 'B' || i, '支行' || i, 'Branch ' || i, '杭州' from generate_series(1, 2) i`);
  await x(`insert into users (username, display_name, role, branch_id) select 'rm' || i, '客户经理' || i, 'rm', (select min(id) from branches) + (i % 2) from generate_series(1, 6) i`);
  await x(`insert into users (username, display_name, role) values ('hr1', 'hr1', 'hr')`);
  await x(`create table rm_ids as select row_number() over (order by id) - 1 as n, id, branch_id from users where role = 'rm'`);
  await x(`insert into customers (customer_no, name, credit_code, legal_rep, registered_capital_fen, industry_code, region, branch_id, rm_id, onboarded_on)
    select 'BC' || i, '公司' || i, lpad(i::text, 18, '0'), '法人', 100000000, 'C36', '杭州', r.branch_id, r.id, date '2022-01-01'
    from generate_series(1, ${CUSTOMERS}) i join rm_ids r on r.n = i % 6`);
  await x(`insert into loans (contract_no, customer_id, product, principal_fen, annual_rate, term_months, method, disbursed_on, maturity_on)
    select 'BL' || i, c.id, '流动资金贷款', (1 + (i::bigint * 7919) % 50) * 10000000, 0.0435, 36, 'equal_installment', date '2024-01-01' + (i % 600), date '2027-01-01' + (i % 600)
    from generate_series(1, ${CUSTOMERS * 2}) i join customers c on c.id = (select min(id) from customers) + (i % ${CUSTOMERS})`);
  await x(`insert into repayments (loan_id, paid_on, amount_fen, source, external_id)
    select l.id, l.disbursed_on + k * 60, l.principal_fen / 36, 'seed', 'BR' || l.id || '-' || k from loans l cross join generate_series(1, 6) k`);
  await x(`insert into repayment_allocations (repayment_id, loan_id, installment_no, component, amount_fen)
    select r.id, r.loan_id, 1 + (r.id % 6)::int, 'principal', r.amount_fen from repayments r`);
  await x(`insert into tasks (customer_id, assignee_id, status, priority, reason_family, stage, will, opened_at, contact_remind_at, contact_due_at,
      resolve_remind_at, resolve_due_at, first_contact_at, contact_breached_at, closed_at, resolve_breached_at, outcome)
    select c.id, c.rm_id, case when o.closed <= timestamptz '2026-11-30 23:00+08' then 'resolved' else 'in_progress' end::task_status, 'high', 'credit_risk', 'post_loan', 'involuntary',
      o.opened, o.opened + interval '1 day', o.opened + interval '2 days', o.opened + interval '20 days', o.opened + interval '30 days',
      o.opened + o.fc, case when o.fc > interval '2 days' then o.opened + interval '2 days' end,
      case when o.closed <= timestamptz '2026-11-30 23:00+08' then o.closed end,
      case when o.closed <= timestamptz '2026-11-30 23:00+08' and o.closed > o.opened + interval '30 days' then o.opened + interval '30 days' end,
      case when o.closed <= timestamptz '2026-11-30 23:00+08' then (array['retained','retained','retained','retained','restructured','restructured','recovered','churned','false_alarm','false_alarm'])[1 + (c.id * 31) % 10] end::task_outcome
    from customers c
    cross join lateral (select (date '${START}' + ((c.id * 7) % 540))::timestamp at time zone 'Asia/Shanghai' + interval '10 hours' as opened,
      ((c.id * 13) % 80) * interval '1 hour' as fc) o0
    cross join lateral (select o0.opened, o0.fc, o0.opened + ((5 + (c.id * 17) % 40) * interval '1 day') as closed) o
    where c.id % 2 = 0`);
  await x(`insert into follow_ups (task_id, customer_id, author_id, type, notes, occurred_at)
    select t.id, t.customer_id, t.assignee_id, 'phone', '电话', t.first_contact_at from tasks t`);
  await x(`insert into follow_ups (task_id, customer_id, author_id, type, notes, occurred_at)
    select t.id, t.customer_id, case when t.id % 5 = 0 then coalesce((select r2.id from rm_ids r1 join rm_ids r2 on r2.branch_id = r1.branch_id and r2.id <> r1.id where r1.id = t.assignee_id order by r2.id limit 1), t.assignee_id) else t.assignee_id end,
      'visit', '走访', coalesce(t.closed_at, t.opened_at + interval '3 days') - interval '1 day' from tasks t`);
  await x(`insert into task_events (task_id, kind, at, detail)
    select t.id, 'reassigned', t.opened_at + interval '3 days', jsonb_build_object('from', t.assignee_id, 'to', t.assignee_id) from tasks t where t.id % 5 = 0`);
  await x(`insert into churn_events (subject_key, customer_id, stage, kind, will, reason_inferred, effective_on, detected_on, source)
    select 'customer:' || c.id, c.id, 'post_loan', (array['default','prepaid_in_full','matured_not_renewed','large_partial_prepayment','terminated'])[1 + (c.id * 3) % 5]::churn_kind,
      'voluntary', true, e.eff, e.eff + case when c.id % 9 = 0 then 45 else c.id % 4 end, 'detected'
    from customers c
    cross join lateral (select case when c.id % 2 = 0 then (select (t.closed_at at time zone 'Asia/Shanghai')::date + ((c.id * 13) % 300) - 20 from tasks t where t.customer_id = c.id and t.closed_at is not null)
      else date '${START}' + ((c.id * 11) % 560) end as eff) e
    where (c.id % 6 = 0 or c.id % 5 = 1) and e.eff is not null and e.eff <= date '2026-11-30'`);
  await x(`drop table rm_ids`);
  await x(`analyze`);
  const { ensureBuiltinScheme } = await import("../lib/incentives/versions");
  await ensureBuiltinScheme(t.db);
}, 120_000);
afterAll(() => t?.drop());

const monthEnds = (() => {
  const out: string[] = [];
  for (let d = new Date(`${START}T00:00:00Z`); d < new Date("2026-12-01T00:00:00Z"); d.setUTCMonth(d.getUTCMonth() + 1)) {
    const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
    out.push(end.toISOString().slice(0, 10));
  }
  return out;
})();

type Close = { asOf: string; tasks: number; churnEvents: number; inserted: number };

/** Closes every month in turn (derive as of its last day, lock the month before), dismissing churn events twice on the way. */
async function history(tx: DbOrTx, unbounded: boolean): Promise<Close[]> {
  const { deriveLedger } = await import("../lib/incentives/engine");
  const { lockPeriod } = await import("../lib/incentives/service");
  const [hr] = (await tx.execute(sql`select id from users where username = 'hr1'`)) as unknown as { id: number }[];
  const closes: Close[] = [];
  let prev: string | null = null;
  for (const asOf of monthEnds) {
    // HR dismisses churn events: some that clawed back or forfeited a share, some that did not.
    if (asOf === "2026-02-28") await tx.execute(sql`update churn_events set status = 'dismissed', decided_at = '2026-02-10T03:00:00Z', dismiss_reason = 'cured' where customer_id % 12 = 0 and detected_on <= '2026-02-10'`);
    if (asOf === "2026-09-30") await tx.execute(sql`update churn_events set status = 'dismissed', decided_at = '2026-09-05T03:00:00Z', dismiss_reason = 'cured' where customer_id % 18 = 0 and status = 'detected' and detected_on <= '2026-09-05'`);
    const r = await deriveLedger(tx, asOf, { unbounded });
    closes.push({ asOf, tasks: r.tasks, churnEvents: r.churnEvents, inserted: r.inserted });
    if (prev) {
      const [p] = (await tx.execute(sql`select status from incentive_periods where period = ${prev}`)) as unknown as { status: string }[];
      if (p?.status === "open") await lockPeriod(tx, { userId: hr!.id, role: "hr" }, prev);
    }
    prev = asOf.slice(0, 7);
  }
  return closes;
}

const snapshot = (tx: DbOrTx) =>
  tx.execute(sql`select source_key, rule, rm_id, period, to_char(event_on, 'YYYY-MM-DD') as event_on, scheme_version_id, points, status::text as status,
      task_id, customer_id, churn_event_id::int as churn_event_id, follow_up_ids, adjustment_id, basis
    from incentive_ledger order by source_key, rule`) as unknown as Promise<Record<string, unknown>[]>;

class Rollback extends Error {}
/** Runs `f` in a transaction that is rolled back (the ledger is append-only: this is how both runs start equal). */
async function rolledBack<T>(f: (tx: DbOrTx) => Promise<T>): Promise<T> {
  let out: T | undefined;
  await t.db
    .transaction(async (tx) => {
      out = await f(tx);
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return out!;
}

describe("the bounded month close", () => {
  let unbounded: { ledger: Record<string, unknown>[]; closes: Close[] };
  let bounded: { ledger: Record<string, unknown>[]; closes: Close[] };

  beforeAll(async () => {
    unbounded = await rolledBack(async (tx) => ({ closes: await history(tx, true), ledger: await snapshot(tx) }));
    bounded = await rolledBack(async (tx) => ({ closes: await history(tx, false), ledger: await snapshot(tx) }));
  }, 180_000);

  it("appends exactly the ledger the unbounded derivation does, close after close", () => {
    expect(bounded.closes.map((c) => [c.asOf, c.inserted])).toEqual(unbounded.closes.map((c) => [c.asOf, c.inserted]));
    expect(bounded.ledger).toEqual(unbounded.ledger);
    // The history exercises every path: both clawback kinds, reversals, late periods.
    const rules = new Map<string, number>();
    for (const e of bounded.ledger) rules.set(String(e.rule), (rules.get(String(e.rule)) ?? 0) + 1);
    for (const r of ["first_contact", "retained", "retention_verified", "clawback", "clawback_reversed", "sla_breach", "churn_no_followup"]) expect(rules.get(r) ?? 0, r).toBeGreaterThan(0);
    expect(bounded.ledger.some((e) => e.rule === "clawback" && e.points === 0)).toBe(true);
    expect(bounded.ledger.some((e) => e.rule === "clawback" && Number(e.points) < 0)).toBe(true);
  });

  it("reads a month's activity, not the history", () => {
    const last = bounded.closes.at(-1)!;
    const full = unbounded.closes.at(-1)!;
    expect(last.tasks).toBeLessThan(full.tasks / 2);
    expect(last.churnEvents).toBeLessThan(full.churnEvents);
  });
});

describe("a clawback whose churn event is dismissed", () => {
  it("is reversed once by a compensating entry, unless another relationship ending in the window still justifies it", async () => {
    const { deriveLedger } = await import("../lib/incentives/engine");
    await rolledBack(async (tx) => {
      await history(tx, false);
      const q = <T>(query: ReturnType<typeof sql>) => tx.execute(query) as unknown as Promise<T[]>;
      // Independently: every clawback caused by a dismissed event, with no other live ending event of the customer
      // effective after the close and within 180 days of it (the default scheme), detected by 2026-11-30.
      const expected = await q<{ source_key: string; points: number; churn_event_id: number }>(sql`
        select c.source_key, -c.points as points, c.churn_event_id::int as churn_event_id
        from incentive_ledger c join churn_events ce on ce.id = c.churn_event_id
        join incentive_ledger r on r.source_key = c.source_key and r.rule = 'retained'
        where c.rule = 'clawback' and ce.status = 'dismissed'
          and not exists (select 1 from churn_events o where o.customer_id = ce.customer_id and o.status <> 'dismissed' and o.kind <> 'large_partial_prepayment'
            and o.effective_on > r.event_on and o.effective_on <= r.event_on + 180 and o.detected_on <= '2026-11-30')
        order by c.source_key`);
      const reversals = await q<{ source_key: string; points: number; churn_event_id: number; status: string; event_on: string }>(sql`
        select source_key, points, churn_event_id::int as churn_event_id, status::text as status, to_char(event_on, 'YYYY-MM-DD') as event_on
        from incentive_ledger where rule = 'clawback_reversed' order by source_key`);
      expect(expected.length).toBeGreaterThan(0);
      expect(reversals.map(({ source_key, points, churn_event_id }) => ({ source_key, points, churn_event_id }))).toEqual(expected);
      for (const r of reversals) {
        expect(r.status).toBe("payable");
        expect(["2026-02-10", "2026-09-05"]).toContain(r.event_on); // the day HR dismissed the event
      }
      // A forfeited share (clawback 0 before verification) whose cause was dismissed is verified once its day comes.
      const [forfeits] = await q<{ reversed: number; verified: number }>(sql`
        select count(*)::int as reversed, count(*) filter (where exists (select 1 from incentive_ledger v where v.source_key = x.source_key and v.rule = 'retention_verified'))::int as verified
        from incentive_ledger x where x.rule = 'clawback_reversed' and x.points = 0
          and (select event_on + 90 from incentive_ledger r where r.source_key = x.source_key and r.rule = 'retained') <= '2026-11-30'`);
      expect(forfeits!.verified).toBe(forfeits!.reversed);
      // A replay adds nothing; the review counts a reversal uncapped, as the clawback it undoes.
      expect((await deriveLedger(tx, "2026-11-30")).inserted).toBe(0);
      expect((await deriveLedger(tx, "2026-11-30", { unbounded: true })).inserted).toBe(0);
      const { periodReview } = await import("../lib/incentives/queries");
      for (const period of ["2026-02", "2026-09"]) {
        const review = await periodReview(tx, { kind: "all", contact: false }, period);
        const sums = await q<{ rm_id: number; reversed: number }>(sql`select rm_id, sum(points)::int as reversed from incentive_ledger where period = ${period} and rule = 'clawback_reversed' group by rm_id`);
        for (const s of sums) expect(review.rms.find((l) => l.rmId === s.rm_id)?.byRule.clawback_reversed).toBe(s.reversed);
      }
    });
  }, 120_000);
});

describe("the period review's scheme cache", () => {
  it("sees an approval at once: the key (the active versions' ids) is read in the review's own query", async () => {
    const { periodReview } = await import("../lib/incentives/queries");
    const { proposeScheme, approveScheme } = await import("../lib/incentives/versions");
    const { DEFAULT_SCHEME } = await import("../lib/incentives/scheme");
    await rolledBack(async (tx) => {
      await tx.execute(sql`insert into incentive_periods (period) values ('2027-01')`);
      await tx.execute(sql`insert into users (username, display_name, role) values ('hr2', 'hr2', 'hr')`);
      const [hr1, hr2] = (await tx.execute(sql`select id from users where username in ('hr1', 'hr2') order by username`)) as unknown as { id: number }[];
      const all = { kind: "all", contact: false } as const;
      expect((await periodReview(tx, all, "2027-01")).schemeVersion).toBe(1);
      const { id, version } = await proposeScheme(tx, { userId: hr1!.id, role: "hr" }, { effectiveFrom: "2027-01", body: { ...DEFAULT_SCHEME, caps: { perCustomer: 5, perPeriod: 10 } } });
      expect((await periodReview(tx, all, "2027-01")).schemeVersion).toBe(1); // proposed, not approved
      await approveScheme(tx, { userId: hr2!.id, role: "hr" }, id);
      expect((await periodReview(tx, all, "2027-01")).schemeVersion).toBe(version);
      // With caps that bite, the review's SQL sums give what periodTotals gives over the entries themselves.
      await tx.execute(sql`insert into incentive_ledger (source_key, rule, rm_id, period, event_on, points, status, customer_id)
        select 'x:' || i, (array['first_contact','retention_verified','clawback_reversed','sla_breach','retained','adjustment'])[1 + i % 6], r.id, '2027-01', '2027-01-05',
          case when i % 6 = 3 then -2 else 1 + i % 5 end,
          ((array['payable','payable','payable','payable','pending','adjusted'])[1 + i % 6])::incentive_entry_status, (select min(id) from customers) + i % 4
        from generate_series(1, 120) i join (select id, row_number() over (order by id) as n from users where role = 'rm') r on r.n = 1 + i % 3`);
      const { periodTotals } = await import("../lib/incentives/compute");
      const entries = (await tx.execute(sql`select rm_id as "rmId", customer_id as "customerId", rule, status::text as status, points from incentive_ledger where period = '2027-01'`)) as unknown as Parameters<typeof periodTotals>[0];
      const expected = periodTotals(entries, { ...DEFAULT_SCHEME, caps: { perCustomer: 5, perPeriod: 10 } });
      const review = await periodReview(tx, all, "2027-01");
      expect(review.rms.length).toBe(3);
      for (const line of review.rms) {
        const { rmId, byRule, pending, gains, capped, losses, adjustments, payable } = line;
        expect({ rmId, byRule, pending, gains, capped, losses, adjustments, payable }).toEqual(expected.get(rmId));
      }
      expect(review.rms.some((l) => l.capped < 0)).toBe(true);
    });
  });
});
