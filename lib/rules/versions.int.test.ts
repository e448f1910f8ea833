import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { AppError } from "../errors";
import { createUser } from "../users/service";
import { BUILTIN_RULES, ensureBuiltinRules } from "./library";
import { approveVersion, createRule, getRule, listRules, proposeVersion, rejectVersion, withdrawVersion, type VersionInput } from "./versions";

let t: TestDb;
let sup1: { userId: number; role: "supervisor" };
let sup2: { userId: number; role: "supervisor" };
let admin: { userId: number; role: "admin" };
let rm: { userId: number; role: "rm" };
let ruleId: number;

const system = { kind: "system", name: "test" } as const;

beforeAll(async () => {
  t = await freshDb();
  const [b] = await t.db.$client<{ id: number }[]>`insert into branches (code, name, name_en, region) values ('HZ01', '杭州分行', 'Hangzhou', '浙江省') returning id`;
  const mk = async (username: string, role: "rm" | "supervisor" | "admin") =>
    (await createUser(t.db, system, { username, displayName: username, role, branchId: role === "admin" ? null : b!.id, password: "demo-pass-2026" })).id;
  sup1 = { userId: await mk("sup1", "supervisor"), role: "supervisor" };
  sup2 = { userId: await mk("sup2", "supervisor"), role: "supervisor" };
  admin = { userId: await mk("admin1", "admin"), role: "admin" };
  rm = { userId: await mk("rm1", "rm"), role: "rm" };
  await ensureBuiltinRules(t.db);
  ruleId = (await listRules(t.db)).find((r) => r.code === "dpd_30")!.id;
});
afterAll(async () => t?.drop());

const base = (): VersionInput => {
  const b = BUILTIN_RULES.find((r) => r.code === "dpd_30")!;
  const { code: _code, ...rest } = b;
  return { ...rest, condition: structuredClone(b.condition) };
};

async function rejects(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

describe("rule versions and maker-checker", () => {
  it("lists the built-in rules with their active version and no pending proposal", async () => {
    const list = await listRules(t.db);
    expect(list).toHaveLength(BUILTIN_RULES.length);
    const r = list.find((x) => x.id === ruleId)!;
    expect(r.active).toMatchObject({ version: 1, status: "active" });
    expect(r.pending).toBeNull();
  });

  it("a proposal approved by another user becomes active, the old version superseded, both audited", async () => {
    const p = await proposeVersion(t.db, sup1, ruleId, { ...base(), severity: "critical", cooldownDays: 14 });
    expect(p.version).toBe(2);
    expect((await listRules(t.db)).find((x) => x.id === ruleId)!.pending).toMatchObject({ id: p.id, proposedBy: sup1.userId });
    // One pending proposal per rule: a second one is refused until the first is decided.
    expect(await rejects(proposeVersion(t.db, sup2, ruleId, base()))).toMatchObject({ code: "conflict", params: { reason: "pendingProposal" } });

    await approveVersion(t.db, admin, p.id);
    const r = await getRule(t.db, ruleId);
    expect(r.active).toMatchObject({ id: p.id, version: 2, severity: "critical", cooldownDays: 14, decidedBy: admin.userId, proposedByName: "sup1", decidedByName: "admin1" });
    expect(r.pending).toBeNull();
    expect(r.versions.map((v) => [v.version, v.status])).toEqual([
      [2, "active"],
      [1, "superseded"],
    ]);
    const log = (await t.db.execute(sql`select action, actor_id from audit_log where entity = 'rule' and entity_id = ${String(ruleId)} order by id`)) as unknown as { action: string; actor_id: number }[];
    expect(log).toEqual([
      { action: "rule.propose", actor_id: sup1.userId },
      { action: "rule.approve", actor_id: admin.userId },
    ]);
  });

  it("the proposer cannot approve or reject their own proposal; an RM cannot propose or approve", async () => {
    const p = await proposeVersion(t.db, sup2, ruleId, { ...base(), enabled: false });
    expect(await rejects(approveVersion(t.db, sup2, p.id))).toMatchObject({ code: "conflict", params: { reason: "makerChecker" } });
    expect(await rejects(rejectVersion(t.db, sup2, p.id, "no"))).toMatchObject({ code: "conflict", params: { reason: "makerChecker" } });
    expect(await rejects(approveVersion(t.db, rm, p.id))).toMatchObject({ code: "forbidden" });
    expect(await rejects(proposeVersion(t.db, rm, ruleId, base()))).toMatchObject({ code: "forbidden" });
    expect((await getRule(t.db, ruleId)).active).toMatchObject({ version: 2 });

    await rejectVersion(t.db, sup1, p.id, "keep it enabled");
    const r = await getRule(t.db, ruleId);
    expect(r.versions[0]).toMatchObject({ version: 3, status: "rejected", decidedBy: sup1.userId, note: "keep it enabled" });
    expect(r.active).toMatchObject({ version: 2 });
    // A decided proposal cannot be decided again.
    expect(await rejects(approveVersion(t.db, admin, p.id))).toMatchObject({ code: "conflict", params: { reason: "notPending" } });
  });

  it("rejects invalid input with path errors, including inside the condition", async () => {
    const e = await rejects(
      proposeVersion(t.db, sup1, ruleId, {
        ...base(),
        cooldownDays: 400,
        condition: { all: [{ feature: "dpd", op: "ge", value: "thirty" }, { feature: "no_such_feature", op: "eq", value: 1 }] },
      }),
    );
    expect(e.code).toBe("invalid");
    const fields = e.issues.map((i) => i.field);
    expect(fields).toContain("cooldownDays");
    expect(fields).toContain("condition.all.0.value");
    expect(fields).toContain("condition.all.1.feature");
    // A customer feature in a loan rule is refused too.
    const e2 = await rejects(proposeVersion(t.db, sup1, ruleId, { ...base(), condition: { feature: "customer_max_dpd", op: "ge", value: 1 } }));
    expect(e2.issues.map((i) => i.field)).toEqual(["condition.feature"]);
    expect((await getRule(t.db, ruleId)).versions).toHaveLength(3);
  });

  it("creates a new rule as a proposed version 1 that another editor activates", async () => {
    const { ruleId: id, versionId } = await createRule(t.db, sup1, "dpd_15_test", { ...base(), condition: { feature: "dpd", op: "ge", value: 15 } });
    expect((await getRule(t.db, id)).active).toBeNull();
    expect(await rejects(createRule(t.db, sup1, "dpd_15_test", base()))).toMatchObject({ code: "conflict", params: { reason: "ruleCodeTaken" } });
    expect(await rejects(createRule(t.db, sup1, "Bad Code", base()))).toMatchObject({ code: "invalid" });
    await approveVersion(t.db, sup2, versionId);
    expect((await getRule(t.db, id)).active).toMatchObject({ version: 1, status: "active" });
  });

  it("the proposer (only) withdraws a pending proposal, and may then propose again", async () => {
    const p = await proposeVersion(t.db, sup1, ruleId, { ...base(), cooldownDays: 11 });
    expect(await rejects(withdrawVersion(t.db, sup2, p.id))).toMatchObject({ code: "conflict", params: { reason: "notOwnProposal" } });
    await withdrawVersion(t.db, sup1, p.id);
    expect((await getRule(t.db, ruleId)).versions[0]).toMatchObject({ id: p.id, status: "rejected", note: "withdrawn" });
    expect(await rejects(withdrawVersion(t.db, sup1, p.id))).toMatchObject({ code: "conflict", params: { reason: "notPending" } });
    const again = await proposeVersion(t.db, sup1, ruleId, { ...base(), cooldownDays: 12 });
    await rejectVersion(t.db, sup2, again.id, "cleanup");
  });
});
