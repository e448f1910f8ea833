import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import type { Subject, Target } from "../vocabulary";
import { buildRuleQuery } from "./compile";
import { featureSql } from "./features";
import { tagPendingFollowUps } from "../signals/store";
import { ensureReferenceRates } from "./library";
import { AS_OF, buildPortfolio, type Portfolio } from "./test-portfolio";

let t: TestDb;
let p: Portfolio;

beforeAll(async () => {
  t = await freshDb();
  await ensureReferenceRates(t.db);
  p = await buildPortfolio(t.db);
});
afterAll(async () => t?.drop());

type Row = Record<string, unknown> & { subject_key: string };
// numeric columns arrive as strings: compare as numbers.
const norm = (r: Row) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v]));
async function features(subject: Subject, target: Target, asOf = AS_OF): Promise<Map<string, Record<string, unknown>>> {
  const rows = (await t.db.execute(featureSql(subject, target, asOf))) as unknown as Row[];
  return new Map(rows.map((r) => [r.subject_key, norm(r)]));
}

describe("loan features as of 2026-06-30", () => {
  it("computes every feature of every live loan in one statement", async () => {
    const f = await features("loan", { kind: "all" });
    expect([...f.keys()].sort()).toEqual(Object.values(p.loans).map((id) => `loan:${id}`).sort());
    const L = (k: keyof Portfolio["loans"]) => f.get(`loan:${p.loans[k]}`)!;
    expect(L("L1")).toMatchObject({
      customer_id: p.customers.A,
      loan_id: p.loans.L1,
      application_id: p.applications.AP0,
      dpd: 0,
      max_dpd_180d: 0,
      missed_installments_6m: 0,
      days_since_last_payment: 15,
      days_to_maturity: 15,
      renewal_applied: false,
      outstanding_principal: 2000,
      months_on_book: 5,
      rate_spread_bp: 135,
      industry_watchlisted: true,
      registered_capital: 100_000_000,
      // No follow-up recorded: counted from onboarding (2019-01-01).
      days_since_last_contact: 2737,
      classification: "normal",
      class_worsened_30d: false,
      loan_status: "active",
    });
    expect(L("L2")).toMatchObject({ dpd: 46, max_dpd_90d: 46, missed_installments_3m: 2, days_since_last_payment: 76, renewal_applied: true, classification: "special_mention", class_worsened_30d: false });
    expect(L("L3")).toMatchObject({ dpd: 15, missed_installments_6m: 1, days_to_maturity: 46, renewal_applied: true, class_worsened_30d: true, months_on_book: 4 });
    expect(L("L4")).toMatchObject({ dpd: 0, prepaid_amount_30d: 0, prepaid_amount_90d: 4978.67, prepaid_share_30d: 0, prepaid_share_90d: 0.4149, rate_spread_bp: 20, outstanding_principal: 2021.33 });
    // Three 500-yuan payments, each leaving an installment due unpaid; #3 (due 04-15) was 60 days late on 06-14.
    expect(L("L5")).toMatchObject({ dpd: 46, max_dpd_90d: 60, max_dpd_180d: 60, missed_installments_3m: 3, partial_payments_3m: 3, partial_payments_6m: 3, days_since_last_payment: 15 });
    expect(L("L6")).toMatchObject({ dpd: 15, industry_watchlisted: true, class_worsened_30d: true });
    // Drawn before the first LPR fixing: no spread. Never paid: days since drawdown.
    expect(L("L7")).toMatchObject({ dpd: 2647, rate_spread_bp: null, classification: "loss", days_since_last_payment: 2678, months_on_book: 87, missed_installments_6m: 6 });
  });

  it("an earlier as-of date sees only what was known then", async () => {
    const f = await features("loan", { kind: "loans", ids: [p.loans.L5, p.loans.L4, p.loans.L2] }, "2026-05-01");
    expect(f.size).toBe(3);
    // L5: #3 (04-15) unpaid after the 04-15 partial payment: 16 days past due; L4's prepayment is still to come.
    expect(f.get(`loan:${p.loans.L5}`)).toMatchObject({ dpd: 16, partial_payments_3m: 1, classification: "special_mention", class_worsened_30d: true });
    expect(f.get(`loan:${p.loans.L4}`)).toMatchObject({ dpd: 0, prepaid_amount_90d: 0 });
    expect(f.get(`loan:${p.loans.L2}`)).toMatchObject({ dpd: 0, renewal_applied: false, days_to_maturity: 75 });
  });

  it("targets: ids and ranges select exactly their loans", async () => {
    expect([...(await features("loan", { kind: "loans", ids: [p.loans.L3] })).keys()]).toEqual([`loan:${p.loans.L3}`]);
    const r = await features("loan", { kind: "range", from: p.loans.L2, to: p.loans.L4 });
    expect([...r.keys()].sort()).toEqual([p.loans.L2, p.loans.L3, p.loans.L4].map((id) => `loan:${id}`).sort());
    // Not yet drawn on the as-of date: not a subject.
    expect((await features("loan", { kind: "all" }, "2026-02-01")).has(`loan:${p.loans.L3}`)).toBe(false);
  });
  it("a range and a batch of ids compute the same values as the whole-portfolio pass (their joins differ)", async () => {
    const ids = Object.values(p.loans).sort((a, b) => a - b);
    for (const asOf of ["2026-03-31", AS_OF, "2026-09-15"]) {
      const all = await features("loan", { kind: "all" }, asOf);
      expect(all.size).toBeGreaterThan(0);
      const range = await features("loan", { kind: "range", from: ids[0]!, to: ids.at(-1)! }, asOf);
      const batch = await features("loan", { kind: "loans", ids }, asOf);
      expect(range).toEqual(all);
      expect(batch).toEqual(all);
    }
    // Repayment features alone (the range then joins the installments source only for its late days).
    const only = ["partial_payments_3m", "partial_payments_6m"];
    const a = (await t.db.execute(featureSql("loan", { kind: "all" }, AS_OF, only))) as unknown as Row[];
    const r = (await t.db.execute(featureSql("loan", { kind: "range", from: ids[0]!, to: ids.at(-1)! }, AS_OF, only))) as unknown as Row[];
    expect(r.map(norm).sort((x, y) => String(x.subject_key).localeCompare(String(y.subject_key)))).toEqual(a.map(norm).sort((x, y) => String(x.subject_key).localeCompare(String(y.subject_key))));
    expect(a.some((x) => Number(x.partial_payments_3m) > 0)).toBe(true);
  });
});

describe("customer and application features", () => {
  it("customer aggregates over live loans", async () => {
    const f = await features("customer", { kind: "all" });
    expect(f.get(`customer:${p.customers.A}`)).toMatchObject({ loan_id: null, customer_live_loans: 2, customer_outstanding_principal: 10_000, customer_max_dpd: 15, customer_industry_watchlisted: true, customer_registered_capital: 100_000_000 });
    expect(f.get(`customer:${p.customers.D}`)).toMatchObject({ customer_live_loans: 1, customer_max_dpd: 2647, customer_industry_watchlisted: false });
    // A "loans" target means the customers of those loans.
    expect([...(await features("customer", { kind: "loans", ids: [p.loans.L2, p.loans.L3] })).keys()]).toEqual([`customer:${p.customers.B}`]);
  });

  it("application status and age as of the date", async () => {
    const f = await features("application", { kind: "all" });
    const A = (k: keyof Portfolio["applications"]) => f.get(`application:${p.applications[k]}`)!;
    expect(A("AP0")).toMatchObject({ application_status: "drawn", approved_not_drawn_days: null, loan_id: p.loans.L1 });
    expect(A("AP1")).toMatchObject({ application_status: "submitted", application_days_since_decision: null });
    // Business days (no calendar exceptions here): 06-02…06-30 undecided, 04-21…05-01, 06-02…06-20 (a Saturday).
    expect([A("AP1").approval_cycle_days, A("AP2").approval_cycle_days, A("AP3").approval_cycle_days]).toEqual([21, 9, 14]);
    expect(A("AP2")).toMatchObject({ application_status: "approved", approved_not_drawn_days: 60, application_days_since_decision: 60 });
    expect(A("AP3")).toMatchObject({ application_status: "withdrawn", application_withdrawn: true, application_days_since_decision: 10 });
    expect(A("AP4")).toMatchObject({ application_status: "rejected", application_rejected: true, application_days_since_decision: 121 });
    expect(A("AP6")).toMatchObject({ approved_not_drawn_days: 10 });
    // Before AP0's decision it was still "submitted"; AP1 had not been submitted yet.
    const early = await features("application", { kind: "all" }, "2026-01-07");
    expect(early.get(`application:${p.applications.AP0}`)).toMatchObject({ application_status: "submitted" });
    expect(early.has(`application:${p.applications.AP1}`)).toBe(false);
  });
});

describe("rule queries over the features", () => {
  const run = async (subject: Subject, condition: unknown) =>
    ((await t.db.execute(buildRuleQuery({ subject, condition }, { kind: "all" }, AS_OF))) as unknown as { subject_key: string; evidence: Record<string, unknown> }[])
      .map((r) => r.subject_key)
      .sort();
  const keys = (...ids: number[]) => ids.map((id) => `loan:${id}`).sort();

  it("a null feature fails a comparison and its negation alike", async () => {
    expect(await run("loan", { feature: "rate_spread_bp", op: "ge", value: 0 })).toEqual(keys(p.loans.L1, p.loans.L2, p.loans.L3, p.loans.L4, p.loans.L5, p.loans.L6));
    expect(await run("loan", { not: { feature: "rate_spread_bp", op: "ge", value: 0 } })).toEqual([]);
    expect(await run("loan", { any: [{ feature: "rate_spread_bp", op: "ge", value: 0 }, { feature: "dpd", op: "gt", value: 100 }] })).toContain(`loan:${p.loans.L7}`);
  });

  it("days since last contact counts from the latest follow-up on or before the as-of date", async () => {
    const sql = t.db.$client;
    const [u] = await sql<{ id: number }[]>`select id from users limit 1`;
    const [task] = await sql<{ id: number }[]>`
      insert into tasks (customer_id, assignee_id, priority, reason_family, stage, will, opened_at, contact_remind_at, contact_due_at, resolve_remind_at, resolve_due_at)
      values (${p.customers.A}, ${u!.id}, 'low', 'credit_risk', 'post_loan', 'voluntary', now(), now(), now(), now(), now()) returning id`;
    await sql`insert into follow_ups (task_id, customer_id, author_id, type, occurred_at, notes) values
      (${task!.id}, ${p.customers.A}, ${u!.id}, 'phone', '2026-06-20T10:00:00+08:00', '电话回访'),
      (${task!.id}, ${p.customers.A}, ${u!.id}, 'visit', '2026-07-05T10:00:00+08:00', '之后的拜访')`;
    try {
      const f = await features("loan", { kind: "all" });
      expect(f.get(`loan:${p.loans.L1}`)).toMatchObject({ days_since_last_contact: 10 });
      expect(await run("loan", { feature: "days_since_last_contact", op: "lt", value: 90 })).toContain(`loan:${p.loans.L1}`);
    } finally {
      await sql`delete from follow_ups where task_id = ${task!.id}`;
      await sql`delete from tasks where id = ${task!.id}`;
    }
  });

  it("risk score and band: the latest score dated on or before the as-of date, usable in a rule", async () => {
    const sql = t.db.$client;
    const [u] = await sql<{ id: number }[]>`select id from users limit 1`;
    const [mv] = await sql<{ id: number }[]>`insert into model_versions (version, label, horizon_days, months, seed, trained_by, status) values (1, 'any', 90, 12, 1, ${u!.id}, 'succeeded') returning id`;
    const score = (loan: number, customer: number, asOf: string, s: number, band: string) =>
      sql`insert into model_scores (loan_id, customer_id, model_version_id, as_of, score, band, points, reasons) values (${loan}, ${customer}, ${mv!.id}, ${asOf}, ${s}, ${band}, '[]', '[]')`;
    // L2 scored on the day; L3 only after it (not visible as of 2026-06-30).
    await score(p.loans.L2, p.customers.B, AS_OF, 642, "high");
    await score(p.loans.L3, p.customers.B, "2026-07-05", 700, "high");
    try {
      const f = await features("loan", { kind: "all" });
      expect(f.get(`loan:${p.loans.L2}`)).toMatchObject({ risk_score: 642, risk_band: "high" });
      expect(f.get(`loan:${p.loans.L3}`)).toMatchObject({ risk_score: null, risk_band: null });
      expect(f.get(`loan:${p.loans.L1}`)).toMatchObject({ risk_score: null, risk_band: null });
      expect(await run("loan", { feature: "risk_band", op: "eq", value: "high" })).toEqual(keys(p.loans.L2));
      expect(await run("loan", { feature: "risk_score", op: "ge", value: 600 })).toEqual(keys(p.loans.L2));
    } finally {
      await sql`delete from model_scores`;
      await sql`delete from model_versions`;
    }
  });

  it("note signal counts: tagged notes of the customer in the 90 days up to the as-of date, none after it", async () => {
    const sql = t.db.$client;
    const [u] = await sql<{ id: number }[]>`select id from users limit 1`;
    // Business days (Asia/Shanghai): the window ending 06-30 is (04-01, 06-30], so 04-01 is out, 04-02 in, 06-30 23:30
    // in, and 07-01 after the as-of date. The 04-01 note is the only one with service dissatisfaction (回笼慢).
    const notes: [string, string][] = [
      ["2026-04-01T10:00:00+08:00", "客户资金紧张，货款回笼慢。"],
      ["2026-04-02T10:00:00+08:00", "客户反映资金压力大，他行给出了更低的利率。"],
      ["2026-06-30T23:30:00+08:00", "The customer is short of cash this month."],
      ["2026-06-20T10:00:00+08:00", "客户表示没有资金压力，对我行服务很满意。"],
      ["2026-07-01T09:00:00+08:00", "资金链紧张，另有他行在营销。"],
    ];
    const ids: number[] = [];
    for (const [at, text] of notes) {
      const [f] = await sql<{ id: number }[]>`insert into follow_ups (customer_id, author_id, type, occurred_at, notes) values (${p.customers.B}, ${u!.id}, 'visit', ${at}, ${text}) returning id`;
      ids.push(f!.id);
    }
    try {
      const tagged = await tagPendingFollowUps(t.db);
      expect(tagged.notes).toBe(notes.length);
      const f = await features("customer", { kind: "all" });
      expect(f.get(`customer:${p.customers.B}`)).toMatchObject({
        note_cash_flow_stress_90d: 2,
        note_competitor_offer_90d: 1,
        note_satisfaction_90d: 1,
        note_rate_complaint_90d: 0,
        note_ownership_change_90d: 0,
        note_service_dissatisfaction_90d: 0,
      });
      expect(f.get(`customer:${p.customers.A}`)).toMatchObject({ note_cash_flow_stress_90d: 0, note_competitor_offer_90d: 0 });
      // A later as-of date takes in the 07-01 note and drops the 04-02 one; an earlier one sees the 04-01 note.
      expect((await features("customer", { kind: "all" }, "2026-07-01")).get(`customer:${p.customers.B}`)).toMatchObject({ note_cash_flow_stress_90d: 2, note_competitor_offer_90d: 1 });
      expect((await features("customer", { kind: "all" }, "2026-04-01")).get(`customer:${p.customers.B}`)).toMatchObject({ note_cash_flow_stress_90d: 1, note_service_dissatisfaction_90d: 1 });
      // The same counts from the stored tags by an independent query.
      const [ref] = await sql<{ n: number }[]>`select count(distinct f.id)::int as n from follow_ups f join follow_up_signals s on s.follow_up_id = f.id
        where f.customer_id = ${p.customers.B} and s.signal = 'cash_flow_stress' and f.occurred_at > '2026-04-02T00:00:00+08:00' and f.occurred_at < '2026-07-01T00:00:00+08:00'`;
      expect(ref!.n).toBe(2);
      expect(await run("customer", { feature: "note_cash_flow_stress_90d", op: "ge", value: 2 })).toEqual([`customer:${p.customers.B}`]);
    } finally {
      await sql`delete from follow_ups where id = any(${ids})`;
    }
  });

  it("in, between and ne over real values; evidence carries the referenced features and the as-of date", async () => {
    expect(await run("loan", { feature: "classification", op: "in", value: ["doubtful", "loss"] })).toEqual(keys(p.loans.L7));
    expect(await run("loan", { feature: "dpd", op: "between", value: [15, 46] })).toEqual(keys(p.loans.L2, p.loans.L3, p.loans.L5, p.loans.L6));
    expect(await run("loan", { all: [{ feature: "loan_status", op: "eq", value: "active" }, { feature: "classification", op: "ne", value: "normal" }, { feature: "renewal_applied", op: "ne", value: true }] })).toEqual(
      keys(p.loans.L5, p.loans.L6, p.loans.L7),
    );
    const rows = (await t.db.execute(
      buildRuleQuery({ subject: "loan", condition: { feature: "prepaid_share_90d", op: "ge", value: 0.3 } }, { kind: "loans", ids: Object.values(p.loans) }, AS_OF),
    )) as unknown as { subject_key: string; customer_id: number; loan_id: number; evidence: unknown }[];
    expect(rows).toEqual([{ subject_key: `loan:${p.loans.L4}`, customer_id: p.customers.C, loan_id: p.loans.L4, application_id: null, evidence: { as_of: AS_OF, prepaid_share_90d: 0.4149 } }]);
  });

  it("a hostile string never reaches SQL text: the database stays intact", async () => {
    expect(() => buildRuleQuery({ subject: "loan", condition: { feature: "loan_status", op: "eq", value: "active'; drop table loans; --" } }, { kind: "all" }, AS_OF)).toThrow(
      "value: expected one of",
    );
    const [n] = (await t.db.execute(sql`select count(*)::int as n from loans`)) as unknown as { n: number }[];
    expect(n?.n).toBe(7);
  });
});
