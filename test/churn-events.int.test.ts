// Churn events by role: the list and one event under each scope (RM own, supervisor branch, admin and HR all), through
// the query functions and GET /api/v1/churn-events; confirming and dismissing (HR may not; another branch is 404; a
// decided event is a conflict); a task resolved as "churned" confirms the customer's detected event or records one.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "../lib/auth/roles";
import { scopeFor, type Scope } from "../lib/auth/scope";
import { freshDb, type TestDb } from "./int-db";
import { buildTaskFixture, type TaskFixture } from "./task-fixture";

vi.mock("next-intl/server", () => ({
  getTranslations: async () => Object.assign((key: string) => key, { has: () => false }),
  getLocale: async () => "en",
}));
vi.mock("@/lib/auth/nextauth", () => ({ currentSession: async () => null }));

let t: TestDb;
let fx: TaskFixture;
const actors: Record<string, Actor> = {};
const scope = (u: string): Scope => scopeFor(actors[u]!);
const events: Record<string, number> = {};
const NOW = new Date("2026-06-30T02:00:00Z");
let q: typeof import("../lib/churn/queries");
let svc: typeof import("../lib/churn/service");

async function insertEvent(customerNo: string, kind: string, effectiveOn: string): Promise<number> {
  const [e] = await t.db.execute<{ id: number }>(sql`
    insert into churn_events (subject_key, customer_id, loan_id, stage, kind, will, reason_family, reason_inferred, effective_on, detected_on,
      exposure_fen, source)
    select 'loan:' || l.id, c.id, l.id, 'post_loan', ${kind}::churn_kind, 'voluntary', null, true, ${effectiveOn}::date, '2026-06-30', 1000000, 'detected'
    from customers c join loans l on l.customer_id = c.id where c.customer_no = ${customerNo} returning id::int as id`);
  return e!.id;
}

beforeAll(async () => {
  t = await freshDb();
  process.env.DATABASE_URL = t.url;
  process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
  process.env.AUTH_SECRET = "x".repeat(40);
  fx = await buildTaskFixture(t.db);
  for (const u of await t.db.execute<{ id: number; username: string; role: Actor["role"]; branch_id: number | null }>(sql`select id, username, role::text as role, branch_id from users`)) {
    actors[u.username] = { userId: u.id, username: u.username, displayName: u.username, role: u.role, branchId: u.branch_id };
  }
  events.C1 = await insertEvent("C1", "prepaid_in_full", "2026-06-10");
  events.C2 = await insertEvent("C2", "matured_not_renewed", "2026-05-01");
  events.C3 = await insertEvent("C3", "default", "2026-06-01");
  q = await import("../lib/churn/queries");
  svc = await import("../lib/churn/service");
});
afterAll(async () => {
  const { db, closeDb } = await import("@/lib/db/client");
  await closeDb(db());
  await t?.drop();
});

const visible: [string, string[]][] = [
  ["admin", ["C1", "C2", "C3"]],
  ["hr1", ["C1", "C2", "C3"]],
  ["sup1", ["C1", "C2"]],
  ["sup2", ["C3"]],
  ["rm1", ["C1"]],
  ["rm3", ["C3"]],
];

describe("churn event reads by scope", () => {
  for (const [who, nos] of visible) {
    it(`${who} lists ${nos.join(", ")} and opens only those`, async () => {
      const page = await q.listChurnEvents(t.db, scope(who), q.churnQuerySchema.parse({}));
      expect(page.rows.map((r) => r.customerNo).sort()).toEqual(nos);
      expect(page.total).toBe(nos.length);
      for (const no of ["C1", "C2", "C3"]) {
        const read = q.getChurnEvent(t.db, scope(who), events[no]!);
        if (nos.includes(no)) await expect(read).resolves.toMatchObject({ customerNo: no });
        else await expect(read).rejects.toMatchObject({ code: "notFound" });
      }
    });
  }

  it("filters by stage, kind, status and period", async () => {
    const list = (p: object) => q.listChurnEvents(t.db, scope("admin"), q.churnQuerySchema.parse(p));
    expect((await list({ kind: "default" })).rows.map((r) => r.customerNo)).toEqual(["C3"]);
    expect((await list({ from: "2026-06-01", to: "2026-06-30" })).total).toBe(2);
    expect((await list({ stage: "pre_loan" })).total).toBe(0);
    expect((await list({ status: "detected" })).byStatus).toMatchObject({ detected: 3, confirmed: 0 });
  });

  it("GET /api/v1/churn-events answers the caller's events only, paged, and 422 on a bad filter", async () => {
    const { GET } = await import("@/app/api/v1/churn-events/route");
    const call = (token: string, query = "") =>
      GET(new Request(`http://test/api/v1/churn-events${query}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({}) });
    const rm1 = await call(fx.tokens.rm1!);
    expect(rm1.status).toBe(200);
    const body = (await rm1.json()) as { rows: { customerNo: string; exposureFen: number }[]; total: number; page: number };
    expect(body).toMatchObject({ total: 1, page: 1 });
    expect(body.rows).toEqual([expect.objectContaining({ customerNo: "C1", exposureFen: 1_000_000 })]);
    expect((await call(fx.tokens.sup2!, "?kind=default")).status).toBe(200);
    expect((await call(fx.tokens.admin!, "?kind=nonsense")).status).toBe(422);
  });
});

describe("confirming and dismissing", () => {
  it("a supervisor of another branch gets 404, HR is refused, the branch's supervisor confirms with a reason family", async () => {
    const body = { decision: "confirm", reasonFamily: "service_competition" };
    await expect(svc.decideChurnEvent(t.db, scope("sup2"), actors.sup2!, events.C1!, body, NOW)).rejects.toMatchObject({ code: "notFound" });
    await expect(svc.decideChurnEvent(t.db, scope("rm2"), actors.rm2!, events.C1!, body, NOW)).rejects.toMatchObject({ code: "notFound" });
    await expect(svc.decideChurnEvent(t.db, scope("hr1"), actors.hr1!, events.C1!, body, NOW)).rejects.toMatchObject({ code: "forbidden" });
    expect(await svc.decideChurnEvent(t.db, scope("sup1"), actors.sup1!, events.C1!, body, NOW)).toEqual({ id: events.C1, status: "confirmed" });
    const e = await q.getChurnEvent(t.db, scope("admin"), events.C1!);
    expect(e).toMatchObject({ status: "confirmed", reasonFamily: "service_competition", reasonInferred: false, decidedByName: "sup1" });
    await expect(svc.decideChurnEvent(t.db, scope("sup1"), actors.sup1!, events.C1!, body, NOW)).rejects.toMatchObject({ code: "conflict" });
  });

  it("an RM dismisses their own customer's event with a reason; a reason is required", async () => {
    await expect(svc.decideChurnEvent(t.db, scope("rm2"), actors.rm2!, events.C2!, { decision: "dismiss", reason: "" }, NOW)).rejects.toMatchObject({ code: "invalid" });
    expect(await svc.decideChurnEvent(t.db, scope("rm2"), actors.rm2!, events.C2!, { decision: "dismiss", reason: "续贷已在他行办理前撤回，实为同一客户" }, NOW)).toMatchObject({ status: "dismissed" });
    const [audit] = await t.db.execute<{ action: string }>(sql`select action from audit_log where entity = 'churn_event' and entity_id = ${String(events.C2)}`);
    expect(audit?.action).toBe("churnEvent.dismiss");
  });
});

describe("a task resolved as churned", () => {
  it("confirms the customer's detected event with the RM's reason, or records one when there is none", async () => {
    const { openTasksForWarnings } = await import("../lib/tasks/open");
    const { addFollowUp, transitionTask } = await import("../lib/tasks/service");
    await openTasksForWarnings(t.db, [await fx.raise("C3", "critical"), await fx.raise("C2", "high")], NOW);
    const tasks = Object.fromEntries(
      (await t.db.execute<{ no: string; id: number }>(sql`select c.customer_no as no, t.id from tasks t join customers c on c.id = t.customer_id`)).map((r) => [r.no, r.id]),
    );
    const churn = { stage: "post_loan", will: "involuntary", reasonFamily: "funding_chain" };
    await addFollowUp(t.db, scope("rm3"), actors.rm3!, tasks.C3!, { type: "visit", notes: "企业资金链断裂" }, NOW);
    await transitionTask(t.db, scope("rm3"), actors.rm3!, tasks.C3!, { action: "resolve", outcome: "churned", churn }, NOW);
    expect(await q.getChurnEvent(t.db, scope("admin"), events.C3!)).toMatchObject({ status: "confirmed", reasonFamily: "funding_chain", will: "involuntary", reasonInferred: false, taskId: tasks.C3 });
    // C2's only event was dismissed: the task's churn is recorded as a new, confirmed event.
    await addFollowUp(t.db, scope("rm2"), actors.rm2!, tasks.C2!, { type: "phone", notes: "客户已转他行" }, NOW);
    await transitionTask(t.db, scope("rm2"), actors.rm2!, tasks.C2!, { action: "resolve", outcome: "churned", churn: { ...churn, reasonFamily: "service_competition", will: "voluntary" } }, NOW);
    const recorded = (await q.listChurnEvents(t.db, scope("rm2"), q.churnQuerySchema.parse({ kind: "other" }))).rows;
    expect(recorded).toEqual([expect.objectContaining({ customerNo: "C2", source: "recorded", status: "confirmed", reasonFamily: "service_competition", effectiveOn: "2026-06-30", taskId: tasks.C2 })]);
  });
});
