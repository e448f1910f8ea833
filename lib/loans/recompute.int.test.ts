import { QueueEvents } from "bullmq";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, redisUrl, testPrefix, type TestDb } from "../../test/int-db";
import { startWorkers } from "../pipeline/worker";
import type { Db } from "../db/client";
import { dispatchOutbox, reconcileOutbox } from "../pipeline/dispatch";
import { trackEmissions } from "../pipeline/emit";
import { enqueue, redisConnection } from "../pipeline/queues";
import { openQueues } from "../registry";
import { DEFAULT_DELINQUENCY_CONFIG } from "./delinquency";
import { DELINQUENCY_SETTINGS, loadDelinquencyConfig, recomputeAll, recomputeLoans } from "./recompute";
import { buildSchedule } from "./schedule";

const AS_OF = "2026-06-30";
// 3,000 yuan at 12% over three months, equal principal: #1 02-15 100,000 + 3,000; #2 03-15 100,000 + 2,000;
// #3 04-15 100,000 + 1,000. Penalty is 50 fen a day per overdue 100,000.
const TERMS = { principalFen: 300_000, annualRate: "0.120000", termMonths: 3, method: "equal_principal" as const, disbursedOn: "2026-01-15" };

type Loans = { onTime: number; missed: number; prepaid: number; terminated: number };

async function portfolio(db: Db): Promise<Loans> {
  const sql = db.$client;
  const [branch] = await sql<{ id: number }[]>`insert into branches (code, name, name_en, region) values ('HZ01', '杭州分行', 'Hangzhou', '浙江省') returning id`;
  const [rm] = await sql<{ id: number }[]>`insert into users (username, display_name, role, branch_id) values ('rm1', '客户经理', 'rm', ${branch!.id}) returning id`;
  const [customer] = await sql<{ id: number }[]>`
    insert into customers (customer_no, name, credit_code, legal_rep, registered_capital_fen, industry_code, region, branch_id, rm_id, onboarded_on)
    values ('C000001', '杭州测试有限公司', '91330106MA2KXXXX0X', '张三', 100000000, 'C34', '杭州市西湖区', ${branch!.id}, ${rm!.id}, '2025-01-01')
    returning id`;
  const loan = async (contractNo: string, status: string, pays: [string, number][]) => {
    const [l] = await sql<{ id: number }[]>`
      insert into loans (contract_no, customer_id, product, principal_fen, annual_rate, term_months, method, disbursed_on, maturity_on, status)
      values (${contractNo}, ${customer!.id}, '流动资金贷款', ${TERMS.principalFen}, ${TERMS.annualRate}, ${TERMS.termMonths}, ${TERMS.method},
              ${TERMS.disbursedOn}, '2026-04-15', ${status}::loan_status)
      returning id`;
    for (const i of buildSchedule(TERMS)) {
      await sql`insert into installments (loan_id, installment_no, due_on, principal_due_fen, interest_due_fen)
                values (${l!.id}, ${i.installmentNo}, ${i.dueOn}, ${i.principalDueFen}, ${i.interestDueFen})`;
    }
    for (const [k, [paidOn, amount]] of pays.entries()) await pay(db, l!.id, paidOn, amount, `${contractNo}-${k + 1}`);
    return l!.id;
  };
  return {
    onTime: await loan("L1", "active", [
      ["2026-02-15", 103_000],
      ["2026-03-13", 102_000],
      ["2026-04-13", 101_000],
    ]),
    missed: await loan("L2", "active", [["2026-02-15", 103_000]]),
    prepaid: await loan("L3", "active", [
      ["2026-02-15", 103_000],
      ["2026-03-01", 200_933],
    ]),
    terminated: await loan("L4", "terminated", []),
  };
}

async function pay(db: Db, loanId: number, paidOn: string, amount: number, externalId: string): Promise<void> {
  await db.$client`insert into repayments (loan_id, paid_on, amount_fen, source, external_id) values (${loanId}, ${paidOn}, ${amount}, 'manual', ${externalId})`;
}

/** Every derived row of the loans, in a stable order, without timestamps. */
async function derived(db: Db, loanIds: number[]) {
  const sql = db.$client;
  return {
    state: await sql`
      select loan_id, as_of::text, outstanding_principal_fen::float8, overdue_principal_fen::float8, overdue_interest_fen::float8,
             penalty_fen::float8, paid_principal_fen::float8, paid_interest_fen::float8, paid_penalty_fen::float8,
             prepaid_principal_fen::float8, dpd, bucket, classification, settled, settled_on::text, next_due_on::text, last_paid_on::text
      from loan_state where loan_id = any(${loanIds}::int[]) order by loan_id`,
    installments: await sql`
      select loan_id, installment_no, paid_principal_fen::float8, paid_interest_fen::float8, paid_penalty_fen::float8,
             penalty_accrued_fen::float8, settled_on::text
      from installment_state where loan_id = any(${loanIds}::int[]) order by loan_id, installment_no`,
    allocations: await sql`
      select r.external_id, a.installment_no, a.component, a.amount_fen::float8
      from repayment_allocations a join repayments r on r.id = a.repayment_id
      where a.loan_id = any(${loanIds}::int[]) order by r.external_id, a.installment_no, a.component`,
    history: await sql`
      select loan_id, seq, changed_on::text, cause, dpd, bucket, classification, before, after
      from loan_state_history where loan_id = any(${loanIds}::int[]) order by loan_id, seq`,
  };
}

async function outbox(db: Db) {
  return db.$client<{ topic: string; payload: { loanIds: number[]; asOf: string } }[]>`select topic, payload from outbox order by id`;
}

describe("recomputeLoans", () => {
  let t: TestDb;
  let loans: Loans;
  let all: number[];

  beforeAll(async () => {
    t = await freshDb();
    loans = await portfolio(t.db);
    all = Object.values(loans);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("writes each loan's state, installments, allocations and history, and announces the change once", async () => {
    expect(await recomputeLoans(t.db, [...all, 999_999], AS_OF)).toEqual({ loans: 4, changed: 4 });
    const d = await derived(t.db, all);
    const state = new Map(d.state.map((s) => [s.loan_id as number, s]));
    expect(state.get(loans.onTime)).toMatchObject({ as_of: AS_OF, settled: true, settled_on: "2026-04-13", dpd: 0, bucket: "M0", classification: "normal" });
    // #2 unpaid since 03-15 (107 days), #3 since 04-15 (76 days): penalty 5,350 + 3,800.
    expect(state.get(loans.missed)).toMatchObject({
      outstanding_principal_fen: 200_000,
      overdue_principal_fen: 200_000,
      overdue_interest_fen: 3_000,
      penalty_fen: 9_150,
      dpd: 107,
      bucket: "M4+",
      classification: "substandard",
      settled: false,
      next_due_on: null,
      last_paid_on: "2026-02-15",
    });
    expect(state.get(loans.prepaid)).toMatchObject({ settled: true, settled_on: "2026-03-01", prepaid_principal_fen: 200_000, outstanding_principal_fen: 0 });
    expect(state.get(loans.terminated)).toMatchObject({ dpd: 135, classification: "substandard" });
    expect(d.installments).toHaveLength(12);

    // Every repayment is split exactly.
    const [split] = await t.db.$client`
      select count(*)::int as n from repayments r
      left join (select repayment_id, sum(amount_fen) as total from repayment_allocations group by repayment_id) a on a.repayment_id = r.id
      where a.total is distinct from r.amount_fen`;
    expect(split?.n).toBe(0);
    expect(d.allocations.filter((a) => a.external_id === "L3-2")).toEqual([
      { external_id: "L3-2", installment_no: 2, component: "interest", amount_fen: 933 },
      { external_id: "L3-2", installment_no: 2, component: "prepayment", amount_fen: 100_000 },
      { external_id: "L3-2", installment_no: 3, component: "prepayment", amount_fen: 100_000 },
    ]);
    expect(d.history.filter((h) => h.loan_id === loans.missed).map((h) => [h.changed_on, h.cause, h.bucket, h.classification])).toEqual([
      ["2026-03-16", "due", "M1", "special_mention"],
      ["2026-04-15", "due", "M2", "special_mention"],
      ["2026-05-15", "due", "M3", "special_mention"],
      ["2026-06-14", "due", "M4+", "substandard"],
    ]);

    expect(await outbox(t.db)).toEqual([{ topic: "loans.changed", payload: { loanIds: all, asOf: AS_OF } }]);
  });

  it("moves derived statuses with an audit row each, and leaves the bank's own statuses alone", async () => {
    const rows = await t.db.$client`select id, status, closed_on::text from loans order by id`;
    expect(rows).toEqual([
      { id: loans.onTime, status: "matured", closed_on: "2026-04-13" },
      { id: loans.missed, status: "active", closed_on: null },
      { id: loans.prepaid, status: "prepaid", closed_on: "2026-03-01" },
      { id: loans.terminated, status: "terminated", closed_on: null },
    ]);
    const audit = await t.db.$client`select actor_id, actor_kind, action, entity, entity_id, before, after from audit_log order by entity_id`;
    expect(audit).toEqual([
      {
        actor_id: null,
        actor_kind: "system:delinquency",
        action: "loan.status",
        entity: "loans",
        entity_id: String(loans.onTime),
        before: { status: "active", closedOn: null },
        after: { status: "matured", closedOn: "2026-04-13", asOf: AS_OF },
      },
      {
        actor_id: null,
        actor_kind: "system:delinquency",
        action: "loan.status",
        entity: "loans",
        entity_id: String(loans.prepaid),
        before: { status: "active", closedOn: null },
        after: { status: "prepaid", closedOn: "2026-03-01", asOf: AS_OF },
      },
    ]);
  });

  it("is idempotent: the same inputs change nothing and announce nothing", async () => {
    const before = await derived(t.db, all);
    const stamps = await t.db.$client`select loan_id, computed_at from loan_state order by loan_id`;
    expect(await recomputeLoans(t.db, all, AS_OF)).toEqual({ loans: 4, changed: 0 });
    expect(await derived(t.db, all)).toEqual(before);
    expect(await t.db.$client`select loan_id, computed_at from loan_state order by loan_id`).toEqual(stamps);
    expect(await outbox(t.db)).toHaveLength(1);
    const [audit] = await t.db.$client`select count(*)::int as n from audit_log`;
    expect(audit?.n).toBe(2);
  });

  it("on the next business day, announces only the loans whose state moved", async () => {
    expect(await recomputeLoans(t.db, all, "2026-07-01")).toEqual({ loans: 4, changed: 2 });
    expect((await outbox(t.db)).at(-1)?.payload).toEqual({ loanIds: [loans.missed, loans.terminated], asOf: "2026-07-01" });
    const d = await derived(t.db, all);
    expect(d.state.every((s) => s.as_of === "2026-07-01")).toBe(true);
    expect(d.state.find((s) => s.loan_id === loans.missed)).toMatchObject({ dpd: 108, penalty_fen: 9_250 });
  });

  it("recomputes a backdated repayment deterministically: as if it had been there from the start", async () => {
    // #2 paid five days late on 03-20 (penalty 250), arriving after the fact.
    await pay(t.db, loans.missed, "2026-03-20", 102_250, "L2-late");
    expect(await recomputeLoans(t.db, [loans.missed], "2026-07-01")).toEqual({ loans: 1, changed: 1 });
    const incremental = await derived(t.db, [loans.missed]);
    expect(incremental.state[0]).toMatchObject({ dpd: 77, bucket: "M3", classification: "special_mention", overdue_principal_fen: 100_000 });
    expect(incremental.history.map((h) => [h.changed_on, h.cause, h.dpd, h.bucket])).toEqual([
      ["2026-03-16", "due", 1, "M1"],
      ["2026-03-20", "repayment", 0, "M0"],
      ["2026-04-16", "due", 1, "M1"],
      ["2026-05-16", "due", 31, "M2"],
      ["2026-06-15", "due", 61, "M3"],
    ]);

    // From nothing: the derived rows removed and rebuilt give the very same rows.
    for (const table of ["installment_state", "repayment_allocations", "loan_state", "loan_state_history"]) {
      await t.db.$client.unsafe(`delete from ${table} where loan_id = $1`, [loans.missed]);
    }
    expect(await recomputeLoans(t.db, [loans.missed], "2026-07-01")).toEqual({ loans: 1, changed: 1 });
    expect(await derived(t.db, [loans.missed])).toEqual(incremental);
  });

  it("writes only the difference: a new repayment adds its allocations and leaves the loan's other rows untouched", async () => {
    const versions = async (table: string) =>
      new Map(
        (await t.db.$client.unsafe<{ k: string; v: string }[]>(`select ${table === "repayment_allocations" ? "repayment_id || '/' || installment_no || '/' || component" : "installment_no::text"} as k, xmin::text as v from ${table} where loan_id = $1`, [loans.missed])).map((r) => [r.k, r.v]),
      );
    const allocationsBefore = await versions("repayment_allocations");
    const installmentsBefore = await versions("installment_state");
    await pay(t.db, loans.missed, "2026-07-01", 50_000, "L2-diff");
    expect(await recomputeLoans(t.db, [loans.missed], "2026-07-01")).toEqual({ loans: 1, changed: 1 });
    const allocationsAfter = await versions("repayment_allocations");
    const installmentsAfter = await versions("installment_state");
    expect(allocationsAfter.size).toBeGreaterThan(allocationsBefore.size);
    for (const [k, v] of allocationsBefore) expect(allocationsAfter.get(k)).toBe(v);
    // Only the installments the payment covered were rewritten.
    const rewritten = [...installmentsBefore].filter(([k, v]) => installmentsAfter.get(k) !== v);
    expect(rewritten.length).toBeGreaterThan(0);
    expect(rewritten.length).toBeLessThan(installmentsBefore.size);
  });

  it("reads its configuration from settings, and refuses an invalid one", async () => {
    expect(await loadDelinquencyConfig(t.db)).toEqual(DEFAULT_DELINQUENCY_CONFIG);
    const strict = { specialMention: 1, substandard: 60, doubtful: 90, loss: 120 };
    await t.db.$client`insert into settings (key, value) values (${DELINQUENCY_SETTINGS.classification}, ${JSON.stringify(strict)}::text::jsonb)`;
    expect((await loadDelinquencyConfig(t.db)).classification).toEqual(strict);
    expect(await recomputeLoans(t.db, [loans.missed, loans.terminated], "2026-07-01")).toEqual({ loans: 2, changed: 2 });
    const d = await derived(t.db, [loans.missed, loans.terminated]);
    expect(d.state.map((s) => s.classification)).toEqual(["substandard", "loss"]);

    await t.db.$client`update settings set value = '["interest","principal"]'::jsonb where key = ${DELINQUENCY_SETTINGS.classification}`;
    await expect(loadDelinquencyConfig(t.db)).rejects.toThrow(/delinquency.classification/);
    await t.db.$client`delete from settings where key = ${DELINQUENCY_SETTINGS.classification}`;
  });

  it("recomputes the whole portfolio in batches", async () => {
    const progress: number[] = [];
    const r = await recomputeAll(t.db, "2026-07-02", { batchSize: 3, onProgress: (p) => progress.push(p.done) });
    expect(r).toEqual({ loans: 4, changed: 2 });
    // Two batches (3 + 1 loans), run side by side: either may finish first.
    expect([progress.length, progress[0], progress.at(-1)]).toEqual([3, 0, 4]);
    const [s] = await t.db.$client`select count(*)::int as n from loan_state where as_of = '2026-07-02'`;
    expect(s?.n).toBe(4);
  });

  it("a claimed loans.changed row its worker never confirmed (it died) is sent as evaluation.batch by the reconciler", async () => {
    const prefix = testPrefix();
    const producer = redisConnection(redisUrl(), "producer");
    const queues = openQueues(producer, prefix);
    try {
      // The earlier tests' rows are not this test's business.
      await t.db.$client`update outbox set dispatched_at = coalesce(dispatched_at, now()), confirmed_at = now() where confirmed_at is null`;
      // As the loans.recompute job runs it: its loans.changed row is written claimed, for the job to follow through.
      const claimedBy = (asOf: string) => trackEmissions(() => recomputeLoans(t.db, [loans.missed], asOf), ["loans.changed"]);
      const r = await claimedBy("2026-07-10");
      expect(r.claimed.map((c) => c.payload)).toEqual([{ loanIds: [loans.missed], asOf: "2026-07-10" }]);
      // Claimed: a sweep does not send it …
      expect(await dispatchOutbox(t.db, queues)).toEqual({ dispatched: 0 });
      // … nor do claimed rows count as sweeps in flight: two of them do not hold back another loans.changed row.
      const other = await claimedBy("2026-07-11");
      await t.db.$client`insert into outbox (topic, payload) values ('loans.changed', ${JSON.stringify({ loanIds: [loans.onTime], asOf: "2026-07-11" })}::text::jsonb)`;
      expect(await dispatchOutbox(t.db, queues)).toEqual({ dispatched: 1 });
      await t.db.$client`update outbox set confirmed_at = now() where id = ${other.claimed[0]!.id} or (topic = 'loans.changed' and payload->>'inline' is null)`;
      // The reconciler sends it, once it is old enough, under the id the plan gives a sweep of that one row.
      expect(await reconcileOutbox(t.db, queues, { olderThanMs: 0 })).toEqual({ confirmed: 0, resent: 1 });
      const id = r.claimed[0]!.id;
      expect(await queues.get("evaluation").getJob(`eval-${id}-${id}-0`)).toMatchObject({ name: "evaluation.batch", data: { loanIds: [loans.missed], asOf: "2026-07-10" } });
    } finally {
      await queues.get("evaluation").obliterate({ force: true });
      await queues.close();
      await producer.quit();
      await t.db.$client`update outbox set confirmed_at = now() where confirmed_at is null`;
    }
  });

  it("runs as the loans.recompute and loans.recomputeAll jobs", async () => {
    const prefix = testPrefix();
    const [producer, worker, listener] = [redisConnection(redisUrl(), "producer"), redisConnection(redisUrl(), "worker"), redisConnection(redisUrl(), "worker")];
    const queues = openQueues(producer, prefix);
    const workers = startWorkers({ connection: worker, prefix, db: t.db, log: pino({ level: "silent" }), concurrency: 1, queues });
    const events = new QueueEvents("loans", { connection: listener, prefix });
    try {
      await events.waitUntilReady();
      await expect(enqueue(queues, "loans.recompute", { loanIds: [loans.missed], asOf: "2026-02-30" })).rejects.toThrow();
      const one = await enqueue(queues, "loans.recompute", { loanIds: [loans.missed], asOf: "2026-07-03" });
      // The job evaluates the changed loan itself and confirms the loans.changed row it wrote.
      expect(await one.waitUntilFinished(events, 10_000)).toMatchObject({ loans: 1, changed: 1, followThrough: { "evaluation.batch": { evaluated: 1 } } });
      const [changedRow] = await t.db.$client<{ dispatched: boolean; confirmed: boolean }[]>`
        select dispatched_at is not null as dispatched, confirmed_at is not null as confirmed from outbox
        where topic = 'loans.changed' order by id desc limit 1`;
      expect(changedRow).toEqual({ dispatched: true, confirmed: true });
      const all = await enqueue(queues, "loans.recomputeAll", { asOf: "2026-07-03" });
      expect(await all.waitUntilFinished(events, 10_000)).toEqual({ asOf: "2026-07-03", loans: 4, changed: 1 });
    } finally {
      await workers.close();
      await events.close();
      await queues.close();
      // BullMQ never closes connections it was given.
      await Promise.all([producer.quit(), worker.quit(), listener.quit()]);
    }
  });
});
