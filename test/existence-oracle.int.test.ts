// Issue 11, finding 3: a write that collides with a unique key (customer no., credit code, contract no., external id)
// held by a record outside the caller's scope answers one generic conflict that names neither the key nor the
// record — the same whichever key collided and whichever record holds it. Driven through the domain functions
// with a branch scope: since finding 4 only admins and the integration account (both scope all) reach them over
// /api/v1, but the functions must not depend on that.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/roles";
import type { Scope } from "@/lib/auth/scope";
import { freshDb, type TestDb } from "./int-db";
import { buildScopeFixture, type ScopeFixture } from "./scope-fixture";

let t: TestDb;
let fx: ScopeFixture;
let svc: typeof import("@/lib/intake/service");
let errorBody: typeof import("@/lib/http/messages").errorBody;
let withCheckChar: (s: string) => string;
let sup1: Actor;
let scope1: Scope;

beforeAll(async () => {
  t = await freshDb();
  fx = await buildScopeFixture(t.db);
  svc = await import("@/lib/intake/service");
  ({ errorBody } = await import("@/lib/http/messages"));
  ({ withCheckChar } = await import("@/lib/reference/creditCode"));
  sup1 = { userId: fx.userIds.sup1!, username: "sup1", displayName: "sup1", role: "supervisor", branchId: fx.branchIds[0] };
  scope1 = { kind: "branch", branchId: fx.branchIds[0], contact: true };
});
afterAll(async () => t.drop());

/** The error a write throws (rolled back), as the API and the actions would render it, in both languages. */
async function answer(write: (tx: Parameters<Parameters<TestDb["db"]["transaction"]>[0]>[0]) => Promise<unknown>) {
  const e = await t.db.transaction(write).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, "the write was expected to fail").not.toBeNull();
  return { en: errorBody(e, "en"), zh: errorBody(e, "zh-CN") };
}

const creditCodeOf = async (no: string) => (await t.db.execute<{ cc: string }>(sql`select credit_code as cc from customers where customer_no = ${no}`))[0]!.cc;
const customer = (no: string, creditCode: string) => ({
  customer_no: no,
  name: "新客户",
  credit_code: creditCode,
  legal_rep: "王五",
  registered_capital: 500_000_000,
  industry_code: "F51",
  region: "杭州市",
  rm_username: "rm1",
  onboarded_on: "2026-05-01",
});
const loan = (contractNo: string) => ({ contract_no: contractNo, customer_no: "C1", product: "p", principal: 100_000, annual_rate: "0.050000", term_months: 1, method: "bullet" as const, disbursed_on: "2026-01-01" });

describe("unique conflicts outside the scope", () => {
  it("name nothing, and are the same for a customer no., a credit code and a contract no. held in another branch", async () => {
    const freshCode = withCheckChar("91330100MA0000777");
    const byNo = await answer((tx) => svc.createCustomer(tx, sup1, scope1, customer("C3", freshCode)));
    const byCode = await answer(async (tx) => svc.createCustomer(tx, sup1, scope1, customer("C777", await creditCodeOf("C3"))));
    const byContract = await answer((tx) => svc.createLoan(tx, sup1, scope1, loan("L3"), "2026-06-01"));
    for (const a of [byNo, byCode, byContract]) {
      expect(a.en.status).toBe(409);
      expect(a.en.body).toEqual(byNo.en.body);
      expect(a.zh.body).toEqual(byNo.zh.body);
      expect(a.en.body.error.issues).toBeUndefined();
      expect(a.en.body.error.message).not.toMatch(/customer|credit|contract|C3|L3/i);
    }
    expect(byNo.en.body.error).toEqual({ code: "conflict", message: "Conflict: an identifier of this record is already in use; check the numbers and codes you sent" });
  });

  it("still say which key is taken when the holder is within the scope", async () => {
    const byNo = await answer((tx) => svc.createCustomer(tx, sup1, scope1, customer("C2", withCheckChar("91330100MA0000778"))));
    expect(byNo.en.body.error.message).toBe("Conflict: that customer number already exists");
    const byCode = await answer(async (tx) => svc.createCustomer(tx, sup1, scope1, customer("C778", await creditCodeOf("C2"))));
    expect(byCode.en.body.error.message).toBe("Conflict: that credit code belongs to another customer");
    const byContract = await answer((tx) => svc.createLoan(tx, sup1, scope1, loan("L2"), "2026-06-01"));
    expect(byContract.en.body.error.message).toBe("Conflict: that contract number already exists");
  });

  it("a repayment id recorded on another branch's loan answers as a different repayment of one's own would", async () => {
    const all: Scope = { kind: "all", contact: true };
    const admin: Actor = { userId: fx.userIds.admin!, username: "admin", displayName: "admin", role: "admin", branchId: null };
    await t.db.transaction((tx) => svc.postRepayments(tx, admin, all, [{ contract_no: "L3", paid_on: "2026-02-15", amount: 100, external_id: "EXT-B2" }], "2026-06-01"));
    await t.db.transaction((tx) => svc.postRepayments(tx, admin, all, [{ contract_no: "L1", paid_on: "2026-02-15", amount: 100, external_id: "EXT-B1" }], "2026-06-01"));
    const elsewhere = await answer((tx) => svc.postRepayments(tx, sup1, scope1, [{ contract_no: "L1", paid_on: "2026-02-15", amount: 100, external_id: "EXT-B2" }], "2026-06-01"));
    const ownOther = await answer((tx) => svc.postRepayments(tx, sup1, scope1, [{ contract_no: "L1", paid_on: "2026-02-16", amount: 100, external_id: "EXT-B1" }], "2026-06-01"));
    expect(elsewhere.en.status).toBe(409);
    expect(JSON.stringify(elsewhere.en.body).replaceAll("EXT-B2", "ID")).toBe(JSON.stringify(ownOther.en.body).replaceAll("EXT-B1", "ID"));
    expect(JSON.stringify(elsewhere.en.body)).not.toMatch(/L3|C3/);
  });
});
