// The warning lifecycle on a portfolio with known delinquency: open, idempotent re-run, confirm, close when the
// condition clears, re-open inside the cooldown, a new warning after it, and no duplicates under concurrency.
import { and, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { buildRulesScenario, insertRule, openWarnings, payArrears, recomputeAllAsOf, type Scenario } from "../../test/rules-scenario";
import { outbox, warningEvents, warnings } from "../db/schema";
import { evaluateRules } from "./evaluate";

let t: TestDb;
let s: Scenario;
let r1: { ruleId: number; versionId: number };

const warningOutbox = async () => (await t.db.select().from(outbox).where(like(outbox.topic, "warning.%"))).length;
const eventKinds = async () => (await t.db.select({ k: warningEvents.kind }).from(warningEvents)).map((e) => e.k).sort();

beforeAll(async () => {
  t = await freshDb();
  s = await buildRulesScenario(t.db);
  r1 = await insertRule(t.db, { code: "DPD30", subject: "loan", condition: { feature: "dpd", op: "ge", value: 30 }, cooldownDays: 30 });
  await insertRule(t.db, { code: "DPD60", subject: "loan", condition: { feature: "dpd", op: "ge", value: 60 }, cooldownDays: 0 });
  await insertRule(t.db, { code: "CUST_LATE", subject: "customer", condition: { feature: "customer_max_dpd", op: "ge", value: 1 }, cooldownDays: 30 });
  // Neither a disabled rule nor a version still awaiting approval raises anything.
  await insertRule(t.db, { code: "OFF", subject: "loan", condition: { feature: "dpd", op: "ge", value: 0 }, enabled: false });
  await insertRule(t.db, { code: "PROPOSED", subject: "loan", condition: { feature: "dpd", op: "ge", value: 0 }, status: "proposed" });
  await recomputeAllAsOf(t.db, "2026-04-20");
});

afterAll(async () => {
  await t.drop();
});

describe("evaluateRules", () => {
  it("raises exactly the expected warnings, each with an 'opened' event and an outbox row", async () => {
    const r = await evaluateRules(t.db, { kind: "all" }, "2026-04-20");
    expect(r).toEqual({ evaluated: 3, opened: 5, reopened: 0, updated: 0, closed: 0 });
    expect(await openWarnings(t.db)).toEqual(
      [`CUST_LATE|customer:${s.customer.L2}`, `CUST_LATE|customer:${s.customer.L3}`, `DPD30|loan:${s.loan.L2}`, `DPD30|loan:${s.loan.L3}`, `DPD60|loan:${s.loan.L3}`].sort(),
    );
    const [w] = await t.db.select().from(warnings).where(and(eq(warnings.ruleId, r1.ruleId), eq(warnings.subjectKey, `loan:${s.loan.L2}`)));
    expect(w).toMatchObject({ ruleVersionId: r1.versionId, loanId: s.loan.L2, customerId: s.customer.L2, openedOn: "2026-04-20", lastSeenOn: "2026-04-20", severity: "high" });
    expect(w!.evidence).toMatchObject({ ruleVersionId: r1.versionId, asOf: "2026-04-20", features: { dpd: 36 } });
    expect(await warningOutbox()).toBe(5);
    expect(await eventKinds()).toEqual(Array(5).fill("opened"));
  });

  it("changes nothing when the same target and as-of are evaluated again", async () => {
    expect(await evaluateRules(t.db, { kind: "all" }, "2026-04-20")).toEqual({ evaluated: 3, opened: 0, reopened: 0, updated: 0, closed: 0 });
    expect(await evaluateRules(t.db, { kind: "loans", ids: [s.loan.L2, s.loan.L3] }, "2026-04-20")).toMatchObject({ opened: 0, updated: 0, closed: 0 });
    expect(await warningOutbox()).toBe(5);
    expect((await eventKinds()).length).toBe(5);
  });

  it("confirms an open warning when its evidence moves, without a new outbox row", async () => {
    await recomputeAllAsOf(t.db, "2026-04-21");
    const r = await evaluateRules(t.db, { kind: "loans", ids: [s.loan.L3] }, "2026-04-21");
    // L3's two loan warnings and its customer's warning: DPD 64 → 65.
    expect(r).toEqual({ evaluated: 1, opened: 0, reopened: 0, updated: 3, closed: 0 });
    const [w] = await t.db.select().from(warnings).where(and(eq(warnings.ruleId, r1.ruleId), eq(warnings.subjectKey, `loan:${s.loan.L3}`)));
    expect(w).toMatchObject({ openedOn: "2026-04-20", lastSeenOn: "2026-04-21", status: "open" });
    expect((await eventKinds()).filter((k) => k === "confirmed").length).toBe(3);
    expect(await warningOutbox()).toBe(5);
  });

  it("closes a warning when its condition clears, only for subjects in the target, with the reason", async () => {
    await payArrears(t.db, s.loan.L2, "2026-04-21");
    await recomputeAllAsOf(t.db, "2026-04-21");
    const r = await evaluateRules(t.db, { kind: "loans", ids: [s.loan.L2] }, "2026-04-21");
    expect(r).toMatchObject({ opened: 0, closed: 2 });
    const [w] = await t.db.select().from(warnings).where(and(eq(warnings.ruleId, r1.ruleId), eq(warnings.subjectKey, `loan:${s.loan.L2}`)));
    expect(w).toMatchObject({ status: "closed", closedOn: "2026-04-21", closeReason: "condition_cleared" });
    const [ev] = await t.db.select().from(warningEvents).where(and(eq(warningEvents.warningId, w!.id), eq(warningEvents.kind, "closed")));
    expect(ev!.detail).toMatchObject({ reason: "condition_cleared", ruleVersionId: r1.versionId, lastEvidence: { features: { dpd: 36 } } });
    expect(await openWarnings(t.db)).toEqual([`CUST_LATE|customer:${s.customer.L3}`, `DPD30|loan:${s.loan.L3}`, `DPD60|loan:${s.loan.L3}`].sort());
    // Closed stays closed on a re-run.
    expect(await evaluateRules(t.db, { kind: "all" }, "2026-04-21")).toMatchObject({ opened: 0, reopened: 0, updated: 0, closed: 0 });
  });

  it("re-opens the closed warning when the condition returns inside the cooldown", async () => {
    // Installment 4 (due 05-15) unpaid: L2 is 1 day late on 05-16, 25 days after CUST_LATE closed for its customer.
    await recomputeAllAsOf(t.db, "2026-05-16");
    const before = await t.db.select({ id: warnings.id }).from(warnings).where(eq(warnings.subjectKey, `customer:${s.customer.L2}`));
    const r = await evaluateRules(t.db, { kind: "loans", ids: [s.loan.L2] }, "2026-05-16");
    expect(r).toMatchObject({ opened: 0, reopened: 1, closed: 0 });
    const after = await t.db.select().from(warnings).where(eq(warnings.subjectKey, `customer:${s.customer.L2}`));
    expect(after.map((w) => w.id)).toEqual(before.map((w) => w.id));
    expect(after[0]).toMatchObject({ status: "open", closedOn: null, closeReason: null, openedOn: "2026-04-20", lastSeenOn: "2026-05-16" });
    expect((await eventKinds()).filter((k) => k === "reopened").length).toBe(1);
    expect(await evaluateRules(t.db, { kind: "loans", ids: [s.loan.L2] }, "2026-05-16")).toMatchObject({ opened: 0, reopened: 0, updated: 0, closed: 0 });
  });

  it("raises a new warning when the condition returns after the cooldown", async () => {
    // DPD30 closed for L2 on 04-21 (cooldown 30 days); on 06-14 L2 is 30 days late again.
    await recomputeAllAsOf(t.db, "2026-06-14");
    const r = await evaluateRules(t.db, { kind: "loans", ids: [s.loan.L2] }, "2026-06-14");
    expect(r).toMatchObject({ opened: 1, reopened: 0 });
    const rows = await t.db.select().from(warnings).where(and(eq(warnings.ruleId, r1.ruleId), eq(warnings.subjectKey, `loan:${s.loan.L2}`)));
    expect(rows.map((w) => w.status).sort()).toEqual(["closed", "open"]);
  });

  it("never duplicates an open warning when workers evaluate overlapping sets at once", async () => {
    await t.db.delete(warningEvents);
    await t.db.delete(warnings);
    await recomputeAllAsOf(t.db, "2026-07-01");
    const runs = await Promise.all([
      evaluateRules(t.db, { kind: "all" }, "2026-07-01"),
      evaluateRules(t.db, { kind: "loans", ids: [s.loan.L2, s.loan.L3] }, "2026-07-01"),
      evaluateRules(t.db, { kind: "loans", ids: [s.loan.L3] }, "2026-07-01"),
    ]);
    const open = await openWarnings(t.db);
    expect(new Set(open).size).toBe(open.length);
    expect(runs.reduce((n, r) => n + r.opened, 0)).toBe(open.length);
    const [dups] = await t.db.execute<{ n: number }>(sql`
      select count(*)::int as n from (select rule_id, subject_key from warnings group by 1, 2 having count(*) > 1) d`);
    expect(dups!.n).toBe(0);
  });

  it("on a later as-of with the same feature values only moves last_seen_on: evidence, history and outbox stay", async () => {
    const big = await insertRule(t.db, { code: "BIG", subject: "loan", condition: { feature: "principal", op: "ge", value: 1 } });
    const ofBig = () => t.db.select().from(warnings).where(and(eq(warnings.ruleId, big.ruleId), eq(warnings.subjectKey, `loan:${s.loan.L1}`)));
    await evaluateRules(t.db, { kind: "loans", ids: [s.loan.L1] }, "2026-07-01");
    const [before] = await ofBig();
    expect(before!.evidence).toMatchObject({ asOf: "2026-07-01", features: { principal: expect.any(Number) } });
    expect(before!.evidence).not.toHaveProperty("features.as_of");
    const bigEvents = async () => (await t.db.select().from(warningEvents).where(eq(warningEvents.warningId, before!.id))).map((e) => e.kind);
    expect(await bigEvents()).toEqual(["opened"]);
    const outboxRows = await warningOutbox();

    await recomputeAllAsOf(t.db, "2026-07-02");
    const r = await evaluateRules(t.db, { kind: "loans", ids: [s.loan.L1] }, "2026-07-02");
    expect(r).toMatchObject({ opened: 0, closed: 0 });
    const [after] = await ofBig();
    expect(after).toMatchObject({ id: before!.id, status: "open", openedOn: "2026-07-01", lastSeenOn: "2026-07-02", evidence: before!.evidence });
    expect(await bigEvents()).toEqual(["opened"]);
    expect(await warningOutbox()).toBe(outboxRows);
    // The same as-of again writes nothing at all.
    expect(await evaluateRules(t.db, { kind: "loans", ids: [s.loan.L1] }, "2026-07-02")).toMatchObject({ opened: 0, updated: 0, closed: 0 });
    // Evidence stored before the features stopped carrying the as-of date still compares equal: no 'confirmed'.
    const old = { ...before!.evidence as { features: Record<string, unknown> } };
    await t.db.update(warnings).set({ evidence: { ...old, features: { ...old.features, as_of: "2026-07-01" } } }).where(eq(warnings.id, before!.id));
    await evaluateRules(t.db, { kind: "loans", ids: [s.loan.L1] }, "2026-07-03");
    expect(await bigEvents()).toEqual(["opened"]);
  });
});
