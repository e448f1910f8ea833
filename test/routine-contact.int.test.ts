// Routine contact logged from the customer page, outside any task: who may log it (RM own customers, supervisor
// branch, admin; HR refused; out of scope 404), that the contact-cadence feature counts it, and that HR reads the
// contact log without its contact data.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../lib/auth/roles";
import { scopeFor, type Scope } from "../lib/auth/scope";
import { logContact, recentContacts } from "../lib/customers/contact";
import { featureSql } from "../lib/rules/features";
import { freshDb, type TestDb } from "./int-db";
import { buildScopeFixture } from "./scope-fixture";

let t: TestDb;
const actors: Record<string, Actor> = {};
const scope = (u: string): Scope => scopeFor(actors[u]!);
const ids: Record<string, number> = {};
const NOW = new Date("2026-06-30T02:00:00Z");

beforeAll(async () => {
  t = await freshDb();
  await buildScopeFixture(t.db);
  for (const u of await t.db.execute<{ id: number; username: string; role: Actor["role"]; branch_id: number | null }>(sql`select id, username, role::text as role, branch_id from users`)) {
    actors[u.username] = { userId: u.id, username: u.username, displayName: u.username, role: u.role, branchId: u.branch_id };
  }
  for (const c of await t.db.execute<{ id: number; customer_no: string }>(sql`select id, customer_no from customers`)) ids[c.customer_no] = c.id;
});
afterAll(async () => t?.drop());

const visit = (customerNo: string, occurredAt = "2026-06-20T02:00:00Z") => ({ customerId: ids[customerNo]!, type: "visit", occurredAt, contactPerson: "财务总监王五", notes: "例行拜访，了解经营情况" });

describe("routine contact", () => {
  it("an RM logs it for their own customer; another RM's or branch's customer is 404; HR may not", async () => {
    expect(await logContact(t.db, scope("rm1"), actors.rm1!, visit("C1"), NOW)).toMatchObject({ id: expect.any(Number) });
    await expect(logContact(t.db, scope("rm1"), actors.rm1!, visit("C2"), NOW)).rejects.toMatchObject({ code: "notFound" });
    await expect(logContact(t.db, scope("sup2"), actors.sup2!, visit("C1"), NOW)).rejects.toMatchObject({ code: "notFound" });
    await expect(logContact(t.db, scope("hr1"), actors.hr1!, visit("C1"), NOW)).rejects.toMatchObject({ code: "forbidden" });
    expect(await logContact(t.db, scope("sup1"), actors.sup1!, visit("C2", "2026-06-25T02:00:00Z"), NOW)).toMatchObject({ id: expect.any(Number) });
    await expect(logContact(t.db, scope("rm1"), actors.rm1!, visit("C1", "2026-07-02T02:00:00Z"), NOW)).rejects.toMatchObject({ code: "invalid" });
    const [row] = await t.db.execute<{ task_id: number | null }>(sql`select task_id from follow_ups where customer_id = ${ids.C1}`);
    expect(row).toEqual({ task_id: null });
  });

  it("counts as contact for days_since_last_contact", async () => {
    const rows = await t.db.execute<{ subject_key: string; customer_id: number; days_since_last_contact: number }>(featureSql("loan", { kind: "all" }, "2026-06-30", ["days_since_last_contact"]));
    const by = Object.fromEntries(rows.map((r) => [r.customer_id, r.days_since_last_contact]));
    expect(by[ids.C1!]).toBe(10);
    expect(by[ids.C2!]).toBe(5);
    // C3: never contacted, counted from onboarding (2024-01-01).
    expect(by[ids.C3!]).toBe(911);
  });

  it("HR reads the log without the person contacted or the notes", async () => {
    const [rm] = await recentContacts(t.db, scope("rm1"), ids.C1!);
    expect(rm).toMatchObject({ type: "visit", taskId: null, contactPerson: "财务总监王五", notes: "例行拜访，了解经营情况", authorName: "rm1" });
    const [hr] = await recentContacts(t.db, scope("hr1"), ids.C1!);
    expect(hr).toMatchObject({ type: "visit", contactPerson: null, notes: null, authorName: "rm1" });
    expect(await recentContacts(t.db, scope("rm3"), ids.C1!)).toEqual([]);
  });
});
