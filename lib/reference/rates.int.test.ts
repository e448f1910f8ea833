import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { AppError } from "../errors";
import { featureSql } from "../rules/features";
import { ensureReferenceRates, LPR_HISTORY } from "../rules/library";
import { AS_OF, buildPortfolio, type Portfolio } from "../rules/test-portfolio";
import { addRate, checkRate, deleteRate, fractionToPct, listRates, pctToFraction, updateRate } from "./rates";

let t: TestDb;
let p: Portfolio;
let adminId: number;
const TODAY = "2026-06-30";

beforeAll(async () => {
  t = await freshDb();
  await ensureReferenceRates(t.db);
  p = await buildPortfolio(t.db);
  const [u] = await t.db.$client<{ id: number }[]>`insert into users (username, display_name, role) values ('admin1', '管理员', 'admin') returning id`;
  adminId = u!.id;
});
afterAll(async () => t?.drop());

const admin = () => ({ kind: "user", userId: adminId }) as const;

async function issuesOf(p: Promise<unknown> | (() => unknown)): Promise<{ field: string; code: string }[]> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    if (e instanceof AppError && e.code === "invalid") return e.issues.map((i) => ({ field: i.field, code: i.code }));
    throw e;
  }
  throw new Error("expected Invalid");
}

async function spreadOfL1(): Promise<number | null> {
  const rows = (await t.db.execute(featureSql("loan", { kind: "all" }, AS_OF))) as unknown as { subject_key: string; rate_spread_bp: number | null }[];
  return rows.find((r) => r.subject_key === `loan:${p.loans.L1}`)!.rate_spread_bp;
}

async function auditActions(): Promise<string[]> {
  const rows = (await t.db.execute(sql`select action from audit_log where entity = 'reference_rate' order by id`)) as unknown as { action: string }[];
  return rows.map((r) => r.action);
}

describe("percent ↔ stored fraction", () => {
  it("converts without float drift", () => {
    expect(pctToFraction(3.45)).toBe("0.034500");
    expect(pctToFraction(4.35)).toBe("0.043500");
    expect(pctToFraction(0.0125)).toBe("0.000125");
    expect(fractionToPct("0.034500")).toBe(3.45);
    expect(fractionToPct("0.000125")).toBe(0.0125);
  });
});

describe("LPR reference rates", () => {
  it("lists the seeded history newest first, in percent", async () => {
    const rows = await listRates(t.db);
    expect(rows).toHaveLength(LPR_HISTORY.length * 2);
    expect(rows[0]).toMatchObject({ kind: "LPR1Y", effectiveOn: "2025-05-20", ratePct: 3 });
    expect(rows[1]).toMatchObject({ kind: "LPR5Y", effectiveOn: "2025-05-20", ratePct: 3.5 });
  });

  it("refuses bad input with one field issue per problem", async () => {
    expect(await issuesOf(() => checkRate({ kind: "LPR2Y", effectiveOn: "2026-01-20", ratePct: 3 }, TODAY))).toEqual([{ field: "kind", code: "rateKind" }]);
    expect(await issuesOf(() => checkRate({ kind: "LPR1Y", effectiveOn: "2026-02-30", ratePct: 3 }, TODAY))).toEqual([{ field: "effectiveOn", code: "rateDate" }]);
    expect(await issuesOf(() => checkRate({ kind: "LPR1Y", effectiveOn: "2010-01-01", ratePct: 3 }, TODAY))).toEqual([{ field: "effectiveOn", code: "rateDateRange" }]);
    expect(await issuesOf(() => checkRate({ kind: "LPR1Y", effectiveOn: "2028-01-01", ratePct: 3 }, TODAY))).toEqual([{ field: "effectiveOn", code: "rateDateRange" }]);
    expect(await issuesOf(() => checkRate({ kind: "LPR1Y", effectiveOn: "2026-01-20", ratePct: 0 }, TODAY))).toEqual([{ field: "ratePct", code: "rateRange" }]);
    expect(await issuesOf(() => checkRate({ kind: "LPR1Y", effectiveOn: "2026-01-20", ratePct: 35 }, TODAY))).toEqual([{ field: "ratePct", code: "rateRange" }]);
    expect(await issuesOf(() => checkRate({ kind: "LPR1Y", effectiveOn: "2026-01-20", ratePct: 3.12345 }, TODAY))).toEqual([{ field: "ratePct", code: "rateDecimals" }]);
    expect(await issuesOf(() => checkRate({ kind: "LPR1Y", effectiveOn: "2026-01-20", ratePct: "3" }, TODAY))).toEqual([{ field: "ratePct", code: "rateValue" }]);
    expect(await issuesOf(() => checkRate({ effectiveOn: "x", ratePct: -1 }, TODAY))).toEqual([{ field: "kind", code: "rateKind" }]);
  });

  it("adds a rate the rate-spread feature then uses, audited; a second rate for the same kind and date is a field error", async () => {
    // L1 was drawn 2026-01-15 at 4.35% with a 6-month term: 1-year LPR 3.00% → 135 bp.
    expect(await spreadOfL1()).toBe(135);
    const r = await addRate(t.db, admin(), { kind: "LPR1Y", effectiveOn: "2026-01-01", ratePct: 2.9 }, TODAY);
    expect(r).toMatchObject({ kind: "LPR1Y", effectiveOn: "2026-01-01", ratePct: 2.9 });
    expect(await spreadOfL1()).toBe(145);
    expect(await issuesOf(addRate(t.db, admin(), { kind: "LPR1Y", effectiveOn: "2026-01-01", ratePct: 2.8 }, TODAY))).toEqual([{ field: "effectiveOn", code: "rateDuplicate" }]);
    // The other kind on the same date is fine.
    await addRate(t.db, admin(), { kind: "LPR5Y", effectiveOn: "2026-01-01", ratePct: 3.4 }, TODAY);
    expect(await auditActions()).toEqual(["referenceRate.add", "referenceRate.add"]);
  });

  it("corrects a rate (value or date) and deletes one, keeping the old values in the audit log", async () => {
    const mine = (await listRates(t.db)).find((x) => x.kind === "LPR1Y" && x.effectiveOn === "2026-01-01")!;
    await updateRate(t.db, admin(), mine.id, { kind: "LPR1Y", effectiveOn: "2026-01-01", ratePct: 2.95 }, TODAY);
    expect(await spreadOfL1()).toBe(140);
    // Moving it onto a date that already has a 1-year rate is refused.
    expect(await issuesOf(updateRate(t.db, admin(), mine.id, { kind: "LPR1Y", effectiveOn: "2025-05-20", ratePct: 2.95 }, TODAY))).toEqual([
      { field: "effectiveOn", code: "rateDuplicate" },
    ]);
    const [upd] = (await t.db.execute(sql`select before, after from audit_log where action = 'referenceRate.update'`)) as unknown as { before: { rate: string }; after: { rate: string } }[];
    expect(upd).toEqual({ before: { kind: "LPR1Y", effectiveOn: "2026-01-01", rate: "0.029000" }, after: { kind: "LPR1Y", effectiveOn: "2026-01-01", rate: "0.029500" } });

    await deleteRate(t.db, admin(), mine.id);
    expect(await spreadOfL1()).toBe(135);
    await expect(deleteRate(t.db, admin(), mine.id)).rejects.toMatchObject({ code: "notFound" });
    await expect(updateRate(t.db, admin(), mine.id, { kind: "LPR1Y", effectiveOn: "2026-01-02", ratePct: 3 }, TODAY)).rejects.toMatchObject({ code: "notFound" });
    expect(await auditActions()).toEqual(["referenceRate.add", "referenceRate.add", "referenceRate.update", "referenceRate.delete"]);
  });
});
