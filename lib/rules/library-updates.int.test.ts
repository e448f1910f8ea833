import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { closeDb, createDb, type Db } from "../db/client";
import { createUser } from "../users/service";
import { BUILTIN_RULES, definitionFingerprint, ensureBuiltinRules, type BuiltinRule } from "./library";
import { approveVersion, createRule, getRule, listRules, proposeVersion, rejectVersion, type VersionInput } from "./versions";

type Editor = { userId: number; role: "supervisor" | "admin" };
const system = { kind: "system", name: "test" } as const;

/** A release of the library: the built-ins of this one, with some rules' definitions changed. */
function release(changes: Record<string, Partial<BuiltinRule>>, extra: BuiltinRule[] = []): BuiltinRule[] {
  return [...BUILTIN_RULES.map((r) => (changes[r.code] ? { ...r, ...changes[r.code] } : r)), ...extra];
}
const builtin = (code: string) => BUILTIN_RULES.find((r) => r.code === code)!;
const inputOf = (r: BuiltinRule): VersionInput => {
  const { code: _code, ...rest } = r;
  return { ...rest, condition: structuredClone(r.condition) };
};

async function editors(db: Db): Promise<{ sup: Editor; admin: Editor }> {
  const [b] = await db.$client<{ id: number }[]>`insert into branches (code, name, name_en, region) values ('HZ01', '杭州分行', 'Hangzhou', '浙江省') returning id`;
  const mk = async (username: string, role: "supervisor" | "admin") =>
    (await createUser(db, system, { username, displayName: username, role, branchId: role === "admin" ? null : b!.id, password: "demo-pass-2026" })).id;
  return { sup: { userId: await mk("sup1", "supervisor"), role: "supervisor" }, admin: { userId: await mk("admin1", "admin"), role: "admin" } };
}

async function ruleOf(db: Db, code: string) {
  const r = (await listRules(db)).find((x) => x.code === code)!;
  return getRule(db, r.id);
}

describe("a release that changes built-in rules, on an install of this one", () => {
  let t: TestDb;
  let sup: Editor;
  let admin: Editor;

  beforeAll(async () => {
    t = await freshDb();
    ({ sup, admin } = await editors(t.db));
    expect(await ensureBuiltinRules(t.db)).toMatchObject({ inserted: BUILTIN_RULES.length, proposed: 0 });
  });
  afterAll(async () => t?.drop());

  it("an unchanged library proposes nothing, start after start; every rule's definition is recorded once", async () => {
    expect(await ensureBuiltinRules(t.db)).toEqual({ inserted: 0, proposed: 0, deferred: 0 });
    expect(await ensureBuiltinRules(t.db)).toEqual({ inserted: 0, proposed: 0, deferred: 0 });
    const [row] = await t.db.$client<{ n: number; distinct: number }[]>`select count(*)::int as n, count(distinct rule_id)::int as distinct from builtin_rule_fingerprints`;
    expect(row).toEqual({ n: BUILTIN_RULES.length, distinct: BUILTIN_RULES.length });
    expect((await listRules(t.db)).every((r) => r.pending === null && r.active?.fromLibrary === true)).toBe(true);
  });

  it("a changed rule: two processes starting at once propose it exactly once, by the library; the active version stays", async () => {
    const before = await ruleOf(t.db, "price_sensitive_good_payer");
    const r2 = release({ price_sensitive_good_payer: { condition: { all: [{ feature: "max_dpd_180d", op: "eq", value: 0 }, { feature: "rate_spread_bp", op: "ge", value: 100 }] } } });
    const other = createDb(t.url, 2);
    try {
      const results = await Promise.all([ensureBuiltinRules(t.db, r2, "0.2.0"), ensureBuiltinRules(other, r2, "0.2.0")]);
      expect(results.map((r) => r.proposed).sort()).toEqual([0, 1]);
    } finally {
      await closeDb(other);
    }
    expect(await ensureBuiltinRules(t.db, r2, "0.2.0")).toEqual({ inserted: 0, proposed: 0, deferred: 0 });

    const after = await ruleOf(t.db, "price_sensitive_good_payer");
    expect(after.active).toEqual(before.active);
    expect(after.versions).toHaveLength(2);
    expect(after.pending).toMatchObject({ version: 2, status: "proposed", proposedBy: null, fromLibrary: true, condition: r2.find((r) => r.code === "price_sensitive_good_payer")!.condition });
    expect(after.pending!.note).toMatch(/^built-in rule update from release 0\.2\.0 \(definition [0-9a-f]{12}\)$/);
    const log = await t.db.$client<{ actor_kind: string; action: string }[]>`
      select actor_kind, action from audit_log where entity = 'rule' and entity_id = ${String(after.id)}`;
    expect(log).toEqual([{ actor_kind: "system:library", action: "rule.library_propose" }]);

    // Approved by an editor, it is the active version; an older release's process starting later proposes no way back.
    await approveVersion(t.db, admin, after.pending!.id);
    const approved = await ruleOf(t.db, "price_sensitive_good_payer");
    expect(approved.active).toMatchObject({ version: 2, decidedBy: admin.userId, fromLibrary: true });
    expect(approved.pending).toBeNull();
    expect(await ensureBuiltinRules(t.db)).toEqual({ inserted: 0, proposed: 0, deferred: 0 });
    expect(await ensureBuiltinRules(t.db, r2, "0.2.0")).toEqual({ inserted: 0, proposed: 0, deferred: 0 });
    expect((await ruleOf(t.db, "price_sensitive_good_payer")).versions).toHaveLength(2);
  });

  it("a rejected definition is not proposed again", async () => {
    const r3 = release({ dpd_30: { severity: "critical" } });
    expect(await ensureBuiltinRules(t.db, r3, "0.3.0")).toMatchObject({ proposed: 1 });
    const rule = await ruleOf(t.db, "dpd_30");
    await rejectVersion(t.db, sup, rule.pending!.id, "high is enough for us");
    expect(await ensureBuiltinRules(t.db, r3, "0.3.0")).toEqual({ inserted: 0, proposed: 0, deferred: 0 });
    const after = await ruleOf(t.db, "dpd_30");
    expect(after.versions.map((v) => [v.version, v.status])).toEqual([
      [2, "rejected"],
      [1, "active"],
    ]);
    expect(after.active).toMatchObject({ severity: "high" });
  });

  it("a newer definition replaces the library's own proposal still pending", async () => {
    expect(await ensureBuiltinRules(t.db, release({ maturity_no_renewal: { cooldownDays: 45 } }), "0.4.0")).toMatchObject({ proposed: 1 });
    expect(await ensureBuiltinRules(t.db, release({ maturity_no_renewal: { cooldownDays: 50 } }), "0.5.0")).toMatchObject({ proposed: 1 });
    const rule = await ruleOf(t.db, "maturity_no_renewal");
    expect(rule.versions.map((v) => [v.version, v.status, v.cooldownDays])).toEqual([
      [3, "proposed", 50],
      [2, "superseded", 45],
      [1, "active", 60],
    ]);
  });

  it("a definition the active version already has (an admin made the same change) is recorded, not proposed", async () => {
    const rule = await ruleOf(t.db, "partial_payments_3m");
    const p = await proposeVersion(t.db, sup, rule.id, { ...inputOf(builtin("partial_payments_3m")), cooldownDays: 45 });
    await approveVersion(t.db, admin, p.id);
    const r6 = release({ partial_payments_3m: { cooldownDays: 45 } });
    expect(await ensureBuiltinRules(t.db, r6, "0.6.0")).toEqual({ inserted: 0, proposed: 0, deferred: 0 });
    const after = await ruleOf(t.db, "partial_payments_3m");
    expect(after.versions.map((v) => [v.version, v.status, v.fromLibrary])).toEqual([
      [2, "active", false],
      [1, "superseded", true],
    ]);
    const { code: _code, ...definition } = r6.find((r) => r.code === "partial_payments_3m")!;
    const fp = definitionFingerprint(definition);
    const [got] = await t.db.$client<{ version_id: number | null; release: string }[]>`
      select version_id, release from builtin_rule_fingerprints where rule_id = ${after.id} and fingerprint = ${fp}`;
    expect(got).toEqual({ version_id: null, release: "0.6.0" });
  });

  it("a new built-in is installed; an admin's rule under a code a release takes is left alone", async () => {
    const { ruleId } = await createRule(t.db, sup, "dpd_15_branch", { ...inputOf(builtin("dpd_30")), condition: { feature: "dpd", op: "ge", value: 15 } });
    const mine = (await getRule(t.db, ruleId)).versions;
    const extra = [
      { ...builtin("dpd_30"), code: "dpd_15_branch", condition: { feature: "dpd", op: "ge", value: 16 } },
      { ...builtin("dpd_30"), code: "dpd_60_new", condition: { feature: "dpd", op: "ge", value: 60 } },
    ] satisfies BuiltinRule[];
    expect(await ensureBuiltinRules(t.db, release({}, extra), "0.7.0")).toEqual({ inserted: 1, proposed: 0, deferred: 0 });
    expect((await getRule(t.db, ruleId)).versions).toEqual(mine);
    expect((await ruleOf(t.db, "dpd_60_new")).active).toMatchObject({ version: 1, fromLibrary: true, condition: { feature: "dpd", op: "ge", value: 60 } });
  });

  it("an install from before deliveries were recorded: version 1 counts as received", async () => {
    const rule = await ruleOf(t.db, "first_missed_payment");
    await t.db.$client`delete from builtin_rule_fingerprints where rule_id = ${rule.id}`;
    expect(await ensureBuiltinRules(t.db)).toEqual({ inserted: 0, proposed: 0, deferred: 0 });
    const [got] = await t.db.$client<{ version_id: number; release: string | null }[]>`select version_id, release from builtin_rule_fingerprints where rule_id = ${rule.id}`;
    expect(got).toEqual({ version_id: rule.active!.id, release: null });
    expect(await ensureBuiltinRules(t.db, release({ first_missed_payment: { severity: "high" } }), "0.8.0")).toMatchObject({ proposed: 1 });
  });
});

describe("a release arriving while an editor's proposal is pending", () => {
  let t: TestDb;
  let sup: Editor;
  let admin: Editor;
  // The install's past: this library's rules, one of them as an earlier release defined it.
  const past = release({ application_rejected: { cooldownDays: 20 } });

  beforeAll(async () => {
    t = await freshDb();
    ({ sup, admin } = await editors(t.db));
    await ensureBuiltinRules(t.db, past, "0.0.9");
  });
  afterAll(async () => t?.drop());

  it("waits for the decision, then is proposed in the same transaction as it", async () => {
    const rule = await ruleOf(t.db, "application_rejected");
    expect(rule.active).toMatchObject({ cooldownDays: 20 });
    const p = await proposeVersion(t.db, sup, rule.id, { ...inputOf(past.find((r) => r.code === "application_rejected")!), severity: "medium" });
    expect(await ensureBuiltinRules(t.db)).toEqual({ inserted: 0, proposed: 0, deferred: 1 });
    expect(await ensureBuiltinRules(t.db)).toEqual({ inserted: 0, proposed: 0, deferred: 1 });
    expect((await ruleOf(t.db, "application_rejected")).pending).toMatchObject({ id: p.id, fromLibrary: false });

    await approveVersion(t.db, admin, p.id);
    const after = await ruleOf(t.db, "application_rejected");
    expect(after.active).toMatchObject({ id: p.id, severity: "medium", cooldownDays: 20 });
    expect(after.pending).toMatchObject({ version: 3, fromLibrary: true, proposedBy: null, severity: "low", cooldownDays: 30 });
    expect(await ensureBuiltinRules(t.db)).toEqual({ inserted: 0, proposed: 0, deferred: 0 });
  });
});

describe("the alert-volume tuning (issue 16) on an install of the release before it", () => {
  // The five definitions as that release shipped them (conditions only: the texts changed with them).
  const before: Record<string, Partial<BuiltinRule>> = {
    dpd_30: { condition: { feature: "dpd", op: "ge", value: 30 } },
    max_dpd_90d_60: { condition: { feature: "max_dpd_90d", op: "ge", value: 60 } },
    large_prepayment_90d: { condition: { feature: "prepaid_share_90d", op: "ge", value: 0.3 } },
    price_sensitive_good_payer: { condition: { all: [{ feature: "max_dpd_180d", op: "eq", value: 0 }, { feature: "rate_spread_bp", op: "ge", value: 50 }] } },
    customer_dpd_90: { condition: { feature: "customer_max_dpd", op: "ge", value: 90 } },
  };
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb();
  });
  afterAll(async () => t?.drop());

  it("proposes exactly the tuned rules, keeps the old ones active until someone approves, and applies an approval", async () => {
    const { admin } = await editors(t.db);
    await ensureBuiltinRules(t.db, release(before), "0.0.9");
    expect(await ensureBuiltinRules(t.db)).toEqual({ inserted: 0, proposed: 5, deferred: 0 });
    const pending = (await listRules(t.db)).filter((r) => r.pending !== null).map((r) => r.code).sort();
    expect(pending).toEqual(Object.keys(before).sort());
    const price = await ruleOf(t.db, "price_sensitive_good_payer");
    expect(price.active).toMatchObject({ version: 1, condition: before.price_sensitive_good_payer!.condition });
    expect(price.pending).toMatchObject({ fromLibrary: true, condition: builtin("price_sensitive_good_payer").condition });
    await approveVersion(t.db, admin, price.pending!.id);
    expect((await ruleOf(t.db, "price_sensitive_good_payer")).active).toMatchObject({ version: 2, condition: builtin("price_sensitive_good_payer").condition });
    // Another start proposes nothing new: the other four still wait for a decision.
    expect(await ensureBuiltinRules(t.db)).toEqual({ inserted: 0, proposed: 0, deferred: 0 });
  });
});
