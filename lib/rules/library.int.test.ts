import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { openWarnings } from "../../test/rules-scenario";
import { buildRuleQuery } from "./compile";
import { evaluateRules } from "./evaluate";
import { BUILTIN_RULES, ensureBuiltinRules, ensureReferenceRates, LPR_HISTORY } from "./library";
import { AS_OF, buildPortfolio, type Portfolio } from "./test-portfolio";

let t: TestDb;
let p: Portfolio;

beforeAll(async () => {
  t = await freshDb();
  p = await buildPortfolio(t.db);
});
afterAll(async () => t?.drop());

const count = async (q: ReturnType<typeof sql>) => ((await t.db.execute(q)) as unknown as { n: number }[])[0]?.n;

describe("seeding the library and the reference rates", () => {
  it("inserts every built-in rule once, active version 1 without a proposer; a second run changes nothing", async () => {
    expect(await ensureBuiltinRules(t.db)).toEqual({ inserted: BUILTIN_RULES.length, proposed: 0, deferred: 0 });
    expect(await ensureBuiltinRules(t.db)).toEqual({ inserted: 0, proposed: 0, deferred: 0 });
    const rows = (await t.db.execute(sql`
      select r.code, v.version, v.status, v.proposed_by, v.enabled, v.condition from rules r join rule_versions v on v.rule_id = r.id order by r.code`)) as unknown as {
      code: string;
      version: number;
      status: string;
      proposed_by: number | null;
      enabled: boolean;
      condition: unknown;
    }[];
    expect(rows).toHaveLength(BUILTIN_RULES.length);
    for (const r of rows) {
      const b = BUILTIN_RULES.find((x) => x.code === r.code)!;
      expect(r).toMatchObject({ version: 1, status: "active", proposed_by: null, enabled: b.enabled, condition: b.condition });
    }
  });

  it("a rule edited since (a new version) is left alone", async () => {
    await t.db.execute(sql`update rule_versions set status = 'superseded' where rule_id = (select id from rules where code = 'dpd_30')`);
    expect(await ensureBuiltinRules(t.db)).toEqual({ inserted: 0, proposed: 0, deferred: 0 });
    expect(await count(sql`select count(*)::int as n from rule_versions v join rules r on r.id = v.rule_id where r.code = 'dpd_30'`)).toBe(1);
  });

  it("loads the LPR history once, keeping admin edits", async () => {
    expect(await ensureReferenceRates(t.db)).toEqual({ inserted: LPR_HISTORY.length * 2 });
    await t.db.execute(sql`update reference_rates set rate = 0.031 where kind = 'LPR1Y' and effective_on = '2025-05-20'`);
    expect(await ensureReferenceRates(t.db)).toEqual({ inserted: 0 });
    // A rate an admin deleted is not put back at the next start.
    await t.db.execute(sql`delete from reference_rates where kind = 'LPR5Y' and effective_on = '2019-08-20'`);
    expect(await ensureReferenceRates(t.db)).toEqual({ inserted: 0 });
    await t.db.execute(sql`insert into reference_rates (kind, effective_on, rate) values ('LPR5Y', '2019-08-20', 0.0485)`);
    const rates = (await t.db.execute(sql`select kind, effective_on::text as on, rate::text as rate from reference_rates where effective_on in ('2019-08-20', '2025-05-20') order by kind, effective_on`)) as unknown as unknown[];
    expect(rates).toEqual([
      { kind: "LPR1Y", on: "2019-08-20", rate: "0.042500" },
      { kind: "LPR1Y", on: "2025-05-20", rate: "0.031000" },
      { kind: "LPR5Y", on: "2019-08-20", rate: "0.048500" },
      { kind: "LPR5Y", on: "2025-05-20", rate: "0.035000" },
    ]);
    await t.db.execute(sql`update reference_rates set rate = 0.030 where kind = 'LPR1Y' and effective_on = '2025-05-20'`);
  });
});

describe("the library on the test portfolio as of 2026-06-30", () => {
  it("each rule matches exactly the subjects it should", async () => {
    const L = (...ks: (keyof Portfolio["loans"])[]) => ks.map((k) => `loan:${p.loans[k]}`);
    const expected: Record<string, string[]> = {
      first_missed_payment: L("L3", "L6"),
      // L7 is 2,647 days past due: past the 89-day cap of both (customer_dpd_90's, and then collections', fact).
      dpd_30: L("L2", "L5"),
      partial_payments_3m: L("L5"),
      max_dpd_90d_60: L("L5"),
      class_downgrade_30d: L("L3", "L6"),
      watchlist_industry_dpd: L("L6"),
      large_prepayment_90d: L("L4"),
      // L1 is priced 135 bp over the LPR: under the 250 bp that flags a loan as worth re-pricing.
      price_sensitive_good_payer: [],
      maturity_no_renewal: L("L1"),
      large_customer_prepaying: [],
      // Customer A is large and has no follow-up on record: counted from onboarding in 2019.
      large_customer_not_contacted_90d: L("L1", "L6"),
      // D's loan L7 is 2,647 days past due: beyond the 180-day restructuring window, a special-assets case.
      customer_dpd_90: [],
      approved_not_drawn_30d: [`application:${p.applications.AP2}`],
      application_withdrawn: [`application:${p.applications.AP3}`],
      application_rejected: [`application:${p.applications.AP5}`],
    };
    expect(Object.keys(expected).sort()).toEqual(BUILTIN_RULES.map((r) => r.code).sort());
    const actual: Record<string, string[]> = {};
    for (const r of BUILTIN_RULES) {
      const rows = (await t.db.execute(buildRuleQuery(r, { kind: "all" }, AS_OF))) as unknown as { subject_key: string }[];
      actual[r.code] = rows.map((x) => x.subject_key).sort();
    }
    for (const k of Object.keys(expected)) expected[k]!.sort();
    expect(actual).toEqual(expected);
  });

  it("a batch of loan ids evaluates only those loans (and their customers)", async () => {
    const dpd30 = BUILTIN_RULES.find((r) => r.code === "dpd_30")!;
    const rows = (await t.db.execute(buildRuleQuery(dpd30, { kind: "loans", ids: [p.loans.L5, p.loans.L1] }, AS_OF))) as unknown as { subject_key: string; evidence: unknown }[];
    expect(rows).toEqual([{ subject_key: `loan:${p.loans.L5}`, customer_id: p.customers.C, loan_id: p.loans.L5, application_id: null, evidence: { as_of: AS_OF, dpd: 46 } }]);
    // The customer rule without its 180-day cap, so that D (2,647 days) matches: what is checked here is the batch's reach.
    const cust = { ...BUILTIN_RULES.find((r) => r.code === "customer_dpd_90")!, condition: { feature: "customer_max_dpd", op: "ge", value: 90 } } as const;
    expect(((await t.db.execute(buildRuleQuery(cust, { kind: "loans", ids: [p.loans.L7] }, AS_OF))) as unknown as unknown[]).length).toBe(1);
    expect(((await t.db.execute(buildRuleQuery(cust, { kind: "loans", ids: [p.loans.L1] }, AS_OF))) as unknown as unknown[]).length).toBe(0);
  });
  it("an event batch on a customer's loan closes that customer's application warning once it no longer holds", async () => {
    await evaluateRules(t.db, { kind: "all" }, AS_OF);
    const withdrawn = `application_withdrawn|application:${p.applications.AP3}`;
    const rejected = `application_rejected|application:${p.applications.AP5}`;
    expect(await openWarnings(t.db)).toEqual(expect.arrayContaining([withdrawn, rejected]));
    // 31 days after C withdrew AP3 the rule no longer holds; the batch is one of C's loans (D's AP5 is not in it).
    const r = await evaluateRules(t.db, { kind: "loans", ids: [p.loans.L5] }, "2026-07-21");
    expect(r.closed).toBeGreaterThanOrEqual(1);
    const open = await openWarnings(t.db);
    expect(open).not.toContain(withdrawn);
    expect(open).toContain(rejected);
  });
});
