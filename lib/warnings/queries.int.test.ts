import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Scope } from "../auth/scope";
import { customers, loans, warningEvents, warnings } from "../db/schema";
import { NotFound } from "../errors";
import { freshDb, type TestDb } from "../../test/int-db";
import { insertRule } from "../../test/rules-scenario";
import { buildScopeFixture, type ScopeFixture } from "../../test/scope-fixture";
import { getWarning, listWarnings, warningQuerySchema } from "./queries";

let t: TestDb;
let fx: ScopeFixture;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await freshDb();
  fx = await buildScopeFixture(t.db);
  const { ruleId, versionId } = await insertRule(t.db, { code: "test_rule", subject: "loan", condition: { all: [] } });
  for (const no of ["C1", "C2", "C3"]) {
    const [c] = await t.db.select({ id: customers.id }).from(customers).where(eq(customers.customerNo, no));
    const [l] = await t.db.select({ id: loans.id }).from(loans).where(eq(loans.customerId, c!.id));
    const [w] = await t.db
      .insert(warnings)
      .values({
        ruleId,
        ruleVersionId: versionId,
        subjectKey: `loan:${l!.id}`,
        customerId: c!.id,
        loanId: l!.id,
        severity: no === "C3" ? "critical" : "medium",
        stage: "post_loan",
        will: "involuntary",
        reasonFamily: "funding_chain",
        openedOn: "2026-03-01",
        lastSeenOn: "2026-03-01",
        evidence: { ruleVersionId: versionId, asOf: "2026-03-01", features: { dpd: 5 } },
      })
      .returning({ id: warnings.id });
    ids[no] = w!.id;
    await t.db.insert(warningEvents).values({ warningId: w!.id, kind: "opened", asOf: "2026-03-01", detail: {} });
  }
});

afterAll(async () => {
  await t?.drop();
});

const q = (p: Record<string, unknown> = {}) => warningQuerySchema.parse(p);
const rm = (name: string): Scope => ({ kind: "owner", rmId: fx.userIds[name]!, contact: true });
const branch = (i: 0 | 1): Scope => ({ kind: "branch", branchId: fx.branchIds[i], contact: true });

describe("warning queries are scoped through the customer", () => {
  it("an RM sees only warnings on their own customers", async () => {
    const r = await listWarnings(t.db, rm("rm1"), q());
    expect(r.rows.map((w) => w.customerNo)).toEqual(["C1"]);
    expect(r.total).toBe(1);
    expect(r.bySeverity).toEqual({ low: 0, medium: 1, high: 0, critical: 0 });
    await expect(getWarning(t.db, rm("rm1"), ids.C2!)).rejects.toBeInstanceOf(NotFound);
  });

  it("a supervisor sees their branch; another branch's warning is NotFound", async () => {
    const r = await listWarnings(t.db, branch(0), q());
    expect(r.rows.map((w) => w.customerNo).sort()).toEqual(["C1", "C2"]);
    await expect(getWarning(t.db, branch(1), ids.C1!)).rejects.toBeInstanceOf(NotFound);
    const w = await getWarning(t.db, branch(1), ids.C3!);
    expect(w.customerNo).toBe("C3");
    expect(w.events.map((e) => e.kind)).toEqual(["opened"]);
    expect(w.evidence.features).toEqual({ dpd: 5 });
  });

  it("everyone-scope sees all, and filters apply", async () => {
    const all: Scope = { kind: "all", contact: false };
    expect((await listWarnings(t.db, all, q())).total).toBe(3);
    const crit = await listWarnings(t.db, all, q({ severity: "critical" }));
    expect(crit.rows.map((w) => w.customerNo)).toEqual(["C3"]);
    expect(crit.bySeverity.medium).toBe(2);
    expect((await listWarnings(t.db, all, q({ status: "closed" }))).total).toBe(0);
    expect((await listWarnings(t.db, all, q({ q: "二号" }))).rows.map((w) => w.customerNo)).toEqual(["C2"]);
  });
});
