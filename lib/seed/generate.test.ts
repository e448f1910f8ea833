import { describe, expect, it } from "vitest";
import { isValidCreditCode } from "../reference/creditCode";
import { DIVISIONS } from "../reference/industries";
import { addMonths } from "../loans/schedule";
import { BEHAVIOURS, generateCustomers, planPortfolio, summarizePortfolio, type CustomerBundle, type PortfolioOptions } from "./generate";

const AS_OF = "2026-06-30";

function portfolio(opts: PortfolioOptions) {
  const plan = planPortfolio(opts);
  return { branches: plan.branches, users: plan.users, bundles: [...generateCustomers(plan)] };
}

// One shared portfolio big enough for the mix to settle; the invariants are checked over all of it.
const big = portfolio({ customers: 4000, seed: 42, asOf: AS_OF });
const customers = big.bundles.map((b) => b.customer);
const loans = big.bundles.flatMap((b) => b.loans);
const apps = big.bundles.flatMap((b) => b.applications);
const truths = big.bundles.map((b) => b.truth);

describe("demo portfolio", () => {
  it("is a pure function of its options", () => {
    const opts = { customers: 300, seed: 7, asOf: AS_OF };
    const a = portfolio(opts);
    expect(portfolio(opts)).toEqual(a);
    const names = (p: { bundles: CustomerBundle[] }) => p.bundles.map((b) => b.customer.name);
    expect(names(portfolio({ ...opts, seed: 8 }))).not.toEqual(names(a));
    expect(portfolio({ ...opts, asOf: "2026-07-31" }).bundles.map((b) => b.loans)).not.toEqual(a.bundles.map((b) => b.loans));
    // A customer depends on its index, not on how many come after it (bar the RM, as the RM count grows with size).
    expect(portfolio({ ...opts, customers: 100 }).bundles).toEqual(a.bundles.slice(0, 100));
    const withoutRm = (bs: CustomerBundle[]) => bs.map((b) => ({ ...b, customer: { ...b.customer, rmId: 0 } }));
    expect(withoutRm(portfolio({ ...opts, customers: 2000 }).bundles.slice(0, 300))).toEqual(withoutRm(a.bundles));
  });

  it("refuses options it cannot honour", () => {
    expect(() => planPortfolio({ customers: 0, seed: 1, asOf: AS_OF })).toThrow(RangeError);
    expect(() => planPortfolio({ customers: 10, seed: 1.5, asOf: AS_OF })).toThrow(RangeError);
    expect(() => planPortfolio({ customers: 10, seed: 1, asOf: "2026-02-30" })).toThrow(RangeError);
    expect(() => planPortfolio({ customers: 10, seed: 1, asOf: AS_OF, branches: 6 })).toThrow(RangeError);
  });

  it("puts rm1, rm2 and sup1 in branch 1 and sup2 in branch 2, with about one RM per 40 customers", () => {
    const byName = new Map(big.users.map((u) => [u.username, u]));
    expect(big.branches).toHaveLength(4);
    expect(big.branches[0]).toMatchObject({ id: 1, code: "HZ01", name: "杭州分行", nameEn: "Hangzhou Branch" });
    for (const u of ["admin", "admin2", "hr1", "hr2"]) expect(byName.get(u)?.branchId).toBeNull();
    expect(byName.get("sup1")).toMatchObject({ role: "supervisor", branchId: 1 });
    expect(byName.get("sup2")).toMatchObject({ role: "supervisor", branchId: 2 });
    expect(byName.get("rm1")).toMatchObject({ role: "rm", branchId: 1 });
    expect(byName.get("rm2")).toMatchObject({ role: "rm", branchId: 1 });
    expect(new Set(big.users.map((u) => u.username.toLowerCase())).size).toBe(big.users.length);
    const rms = big.users.filter((u) => u.role === "rm");
    expect(rms).toHaveLength(100);
    for (const b of big.branches) expect(rms.filter((u) => u.branchId === b.id).length).toBeGreaterThanOrEqual(2);
    for (const n of [3, 5]) expect(planPortfolio({ customers: 10, seed: 1, asOf: AS_OF, branches: n }).branches).toHaveLength(n);
    const rmBranch = new Map(rms.map((u) => [u.id, u.branchId]));
    for (const c of customers) expect(rmBranch.get(c.rmId)).toBe(c.branchId);
  });

  it("gives every customer a valid, unique credit code and a unique name", () => {
    expect(customers.every((c) => isValidCreditCode(c.creditCode) && c.creditCode.startsWith("91"))).toBe(true);
    expect(new Set(customers.map((c) => c.creditCode)).size).toBe(customers.length);
    expect(new Set(customers.map((c) => c.name)).size).toBe(customers.length);
    expect(customers.every((c) => /有限公司$/.test(c.name) && c.customerNo === `C${String(c.id).padStart(6, "0")}`)).toBe(true);
    expect(customers.every((c) => c.industryCode in DIVISIONS && /^1\d{10}$/.test(c.contactPhone) && c.onboardedOn < AS_OF)).toBe(true);
    const capital = customers.map((c) => c.registeredCapitalFen / 100);
    expect(Math.min(...capital)).toBeGreaterThanOrEqual(1_000_000);
    expect(Math.max(...capital)).toBeLessThanOrEqual(500_000_000);
  });

  it("keeps ids dense and references consistent", () => {
    expect(customers.map((c) => c.id)).toEqual(customers.map((_, i) => i + 1));
    expect(loans.map((l) => l.id)).toEqual(loans.map((_, i) => i + 1));
    expect(apps.map((a) => a.id)).toEqual(apps.map((_, i) => i + 1));
    const repayments = big.bundles.flatMap((b) => b.repayments);
    expect(repayments.map((r) => r.id)).toEqual(repayments.map((_, i) => i + 1));
    expect(new Set(repayments.map((r) => r.externalId)).size).toBe(repayments.length);
    const appById = new Map(apps.map((a) => [a.id, a]));
    for (const l of loans) {
      const a = appById.get(l.applicationId);
      expect(a).toMatchObject({ status: "drawn", customerId: l.customerId, amountFen: l.principalFen });
      expect(a?.decidedOn && a.decidedOn <= l.disbursedOn).toBe(true);
    }
    expect(apps.filter((a) => a.status === "drawn")).toHaveLength(loans.length);
  });

  it("schedules every loan to the fen and never records anything after asOf", () => {
    for (const b of big.bundles) {
      for (const l of b.loans) {
        const inst = b.installments.filter((i) => i.loanId === l.id);
        expect(inst.map((i) => i.installmentNo)).toEqual(inst.map((_, k) => k + 1));
        expect(inst.reduce((s, i) => s + i.principalDueFen, 0)).toBe(l.principalFen);
        expect(inst.at(-1)?.dueOn).toBe(l.maturityOn);
        expect(l.maturityOn).toBe(addMonths(l.disbursedOn, l.termMonths));
        expect(l.disbursedOn <= AS_OF).toBe(true);
        expect(Number(l.annualRate)).toBeGreaterThanOrEqual(0.03);
        expect(Number(l.annualRate)).toBeLessThanOrEqual(0.08);
        expect(l.closedOn === null || l.closedOn <= AS_OF).toBe(true);
        expect(["active", "defaulted"].includes(l.status)).toBe(l.closedOn === null);
      }
      for (const r of b.repayments) expect(r.paidOn <= AS_OF && r.amountFen > 0).toBe(true);
      for (const a of b.applications) {
        expect(a.submittedOn <= AS_OF).toBe(true);
        expect(a.decidedOn === null || (a.decidedOn >= a.submittedOn && a.decidedOn <= AS_OF)).toBe(true);
      }
    }
    expect(loans.length / big.bundles.length).toBeGreaterThan(1.2);
    const installments = big.bundles.reduce((s, b) => s + b.installments.length, 0);
    expect(installments / loans.length).toBeGreaterThan(18);
    expect(installments / loans.length).toBeLessThan(30);
  }, 60_000); // thousands of loans checked to the fen: seconds on a busy machine

  it("mixes behaviours in the intended proportions, with churn both behind and ahead of asOf", () => {
    const share = (b: string) => truths.filter((t) => t.behaviour === b).length / truths.length;
    expect(share("steady")).toBeGreaterThanOrEqual(0.65);
    expect(share("steady")).toBeLessThanOrEqual(0.75);
    for (const b of BEHAVIOURS.filter((x) => x !== "steady")) {
      expect(share(b)).toBeGreaterThan(0.01);
      expect(share(b)).toBeLessThan(0.1);
      const churners = truths.filter((t) => t.behaviour === b);
      expect(churners.some((t) => t.churnOn! <= AS_OF)).toBe(true);
      expect(churners.some((t) => t.churnOn! > AS_OF)).toBe(true);
    }
    expect(summarizePortfolio({ customers: 4000, seed: 42, asOf: AS_OF }).behaviours.steady).toBe(truths.filter((t) => t.behaviour === "steady").length);
  });

  it("records churn truth that the data bears out", () => {
    const retained = new Set<string>();
    let wonBackCount = 0;
    const loanById = new Map(loans.map((l) => [l.id, l]));
    const appById = new Map(apps.map((a) => [a.id, a]));
    for (const b of big.bundles) {
      const t = b.truth;
      if (!t.churns && t.behaviour === "steady") {
        expect(t).toMatchObject({ stage: null, signalOn: null, churnOn: null });
        expect(b.customer.status).toBe("active");
        continue;
      }
      if (!t.churns) {
        // Kept by an intervention: the signal showed, the churn did not happen, and the customer still borrows.
        expect(t.behaviour).toMatch(/rate_sensitive_prepayer|cash_flow_stressed|non_renewal|approved_not_drawn|application_withdrawn/);
        expect(t.signalOn! <= AS_OF && t.churnOn === null).toBe(true);
        expect(t.note).toMatch(/retained/);
        expect(b.loans.some((l) => l.status === "active")).toBe(true);
        expect(b.loans.some((l) => l.status === "prepaid" || l.status === "defaulted")).toBe(false);
        retained.add(t.behaviour);
        continue;
      }
      // Won back: a new loan drawn after the churn; everything before it is as the churn left it.
      const wonBack = /won back/.test(t.note);
      const after = b.loans.filter((l) => l.disbursedOn > t.churnOn!);
      expect(after.length > 0).toBe(wonBack);
      if (wonBack) wonBackCount++;
      const before = b.loans.filter((l) => l.disbursedOn <= t.churnOn!);
      expect(t.signalOn! <= AS_OF).toBe(true);
      expect(t.signalOn! <= t.churnOn!).toBe(true);
      // The generator loads every customer active: churn detection over the demo's history moves the status.
      expect(b.customer.status).toBe("active");
      if (t.stage === "pre_loan") {
        expect(t.loanId).toBeNull();
        expect(appById.get(t.applicationId!)?.customerId).toBe(b.customer.id);
        expect(before.every((l) => l.status === "matured")).toBe(true);
        continue;
      }
      const loan = loanById.get(t.loanId!);
      expect(loan?.customerId).toBe(b.customer.id);
      const past = t.churnOn! <= AS_OF;
      const expected = { rate_sensitive_prepayer: "prepaid", cash_flow_stressed: "defaulted", credit_deterioration: "terminated" }[t.behaviour as string];
      if (t.behaviour === "non_renewal") expect(t.churnOn).toBe(loan?.maturityOn);
      else expect(loan?.status).toBe(past ? expected : "active");
      // The churn loan is the customer's last: nothing else keeps the relationship alive.
      expect(before.at(-1)?.id).toBe(loan?.id);
    }
    expect([...retained].sort()).toEqual(["application_withdrawn", "approved_not_drawn", "cash_flow_stressed", "non_renewal", "rate_sensitive_prepayer"]);
    expect(wonBackCount).toBeGreaterThan(10);
  });
});
