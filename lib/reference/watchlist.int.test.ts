import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { AppError } from "../errors";
import { featureSql } from "../rules/features";
import { AS_OF, buildPortfolio, type Portfolio } from "../rules/test-portfolio";
import { addWatch, deleteWatch, listWatchlist, normaliseWatchCode, updateWatch } from "./watchlist";

let t: TestDb;
let p: Portfolio;
let adminId: number;
let branchId: number;

beforeAll(async () => {
  t = await freshDb();
  // Customers: A in C36; B and C in F51; D in K66. The portfolio's watch list: C3 (active), F (inactive).
  p = await buildPortfolio(t.db);
  const [u] = await t.db.$client<{ id: number }[]>`insert into users (username, display_name, role) values ('admin1', '管理员', 'admin') returning id`;
  adminId = u!.id;
  branchId = (await t.db.$client<{ id: number }[]>`select id from branches limit 1`)[0]!.id;
});
afterAll(async () => t?.drop());

const admin = () => ({ kind: "user", userId: adminId }) as const;
const ALL = { kind: "all", contact: true } as const;

async function issuesOf(p: Promise<unknown>): Promise<{ field: string; code: string }[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError && e.code === "invalid") return e.issues.map((i) => ({ field: i.field, code: i.code }));
    throw e;
  }
  throw new Error("expected Invalid");
}

async function watched(): Promise<Record<string, boolean>> {
  const rows = (await t.db.execute(featureSql("customer", { kind: "all" }, AS_OF))) as unknown as { subject_key: string; customer_industry_watchlisted: boolean }[];
  const name = (key: string) => Object.entries(p.customers).find(([, id]) => `customer:${id}` === key)?.[0] ?? key;
  return Object.fromEntries(rows.map((r) => [name(r.subject_key), r.customer_industry_watchlisted]));
}

describe("watch-list codes", () => {
  it("accepts a section letter or a GB/T 4754 division (or finer), normalised to upper case", () => {
    expect(normaliseWatchCode(" k ")).toMatchObject({ code: "K", nameZh: "房地产业" });
    expect(normaliseWatchCode("c36")).toMatchObject({ code: "C36", nameEn: "Automobiles" });
    expect(normaliseWatchCode("C3612")).toMatchObject({ code: "C3612" });
    expect(normaliseWatchCode("C99")).toBeNull(); // C runs from 13 to 43
    expect(normaliseWatchCode("Z")).toBeNull();
    expect(normaliseWatchCode("")).toBeNull();
    expect(normaliseWatchCode("K'; drop table customers; --")).toBeNull();
  });
});

describe("industry watch list", () => {
  it("lists entries with how many customers each covers, within the reader's scope", async () => {
    const rows = await listWatchlist(t.db, ALL);
    expect(rows.map((r) => [r.industryCode, r.active, r.customers])).toEqual([
      ["C3", true, 1],
      ["F", false, 2],
    ]);
    expect((await listWatchlist(t.db, { kind: "branch", branchId: branchId + 999, contact: true })).map((r) => r.customers)).toEqual([0, 0]);
  });

  it("adds an entry the features use at once, audited; refuses unknown codes, a blank reason and duplicates", async () => {
    expect(await watched()).toEqual({ A: true, B: false, C: false, D: false });
    const { id } = await addWatch(t.db, admin(), { industryCode: "k", reason: "房地产调控", active: true });
    expect(await watched()).toEqual({ A: true, B: false, C: false, D: true });
    const k = (await listWatchlist(t.db, ALL)).find((r) => r.id === id)!;
    expect(k).toMatchObject({ industryCode: "K", nameZh: "房地产业", reason: "房地产调控", active: true, addedByName: "管理员", customers: 1 });

    expect(await issuesOf(addWatch(t.db, admin(), { industryCode: "K", reason: "again" }))).toEqual([{ field: "industryCode", code: "watchDuplicate" }]);
    expect(await issuesOf(addWatch(t.db, admin(), { industryCode: "X12", reason: "  " }))).toEqual([
      { field: "industryCode", code: "watchCode" },
      { field: "reason", code: "watchReason" },
    ]);
    expect(await issuesOf(addWatch(t.db, admin(), { industryCode: "E47", reason: "x".repeat(501) }))).toEqual([{ field: "reason", code: "watchReasonLength" }]);
    const audit = (await t.db.execute(sql`select action, actor_id, after from audit_log where entity = 'industry_watchlist'`)) as unknown as { action: string; actor_id: number; after: unknown }[];
    expect(audit).toEqual([{ action: "watchlist.add", actor_id: adminId, after: { industryCode: "K", reason: "房地产调控", active: true } }]);
  });

  it("deactivates, reactivates, edits the reason and deletes, each audited; a no-op changes nothing", async () => {
    const f = (await listWatchlist(t.db, ALL)).find((r) => r.industryCode === "F")!;
    await updateWatch(t.db, admin(), f.id, { active: true });
    expect(await watched()).toEqual({ A: true, B: true, C: true, D: true });
    await updateWatch(t.db, admin(), f.id, { active: false });
    await updateWatch(t.db, admin(), f.id, { active: false }); // no change, no audit row
    expect(await watched()).toEqual({ A: true, B: false, C: false, D: true });
    await updateWatch(t.db, admin(), f.id, { reason: "批发业景气回落" });
    expect(await issuesOf(updateWatch(t.db, admin(), f.id, { reason: "" }))).toEqual([{ field: "reason", code: "watchReason" }]);
    await deleteWatch(t.db, admin(), f.id);
    await expect(deleteWatch(t.db, admin(), f.id)).rejects.toMatchObject({ code: "notFound" });
    await expect(updateWatch(t.db, admin(), f.id, { active: true })).rejects.toMatchObject({ code: "notFound" });
    expect((await listWatchlist(t.db, ALL)).map((r) => r.industryCode)).toEqual(["C3", "K"]);
    const audit = (await t.db.execute(sql`select action from audit_log where entity = 'industry_watchlist' and entity_id = ${String(f.id)} order by id`)) as unknown as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(["watchlist.activate", "watchlist.deactivate", "watchlist.update", "watchlist.delete"]);
  });
});
