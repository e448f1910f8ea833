// Intervention tasks against a real database: opening from warnings (idempotent, attach, least-loaded fallback),
// SLA timers firing exactly once, follow-ups and promises to pay, transitions and scope.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/roles";
import { scopeFor, type Scope } from "../auth/scope";
import { freshDb, type TestDb } from "../../test/int-db";
import { buildTaskFixture, type TaskFixture } from "../../test/task-fixture";
import { NotFound } from "../errors";
import { openTasksForWarnings } from "./open";
import { acknowledgeTasks, addFollowUp, setChecklistItem, transitionTask } from "./service";
import { checkPromises, fireDueTimers, fireNextActions } from "./timers";

let t: TestDb;
let f: TaskFixture;
const actors: Record<string, Actor> = {};
const scope = (u: string): Scope => scopeFor(actors[u]!);
// Monday 30 Nov 2026, 10:00 in Shanghai.
const MON = new Date("2026-11-30T02:00:00Z");
const hours = (h: number) => new Date(MON.getTime() + h * 3_600_000);

beforeAll(async () => {
  t = await freshDb();
  f = await buildTaskFixture(t.db);
  const users = await t.db.execute<{ id: number; username: string; role: Actor["role"]; branch_id: number | null }>(sql`select id, username, role::text as role, branch_id from users`);
  for (const u of users) actors[u.username] = { userId: u.id, username: u.username, displayName: u.username, role: u.role, branchId: u.branch_id };
});
afterAll(async () => t?.drop());

async function task(customerNo: string) {
  const [r] = await t.db.execute<{ id: number; status: string; priority: string; assignee_id: number | null; escalated: boolean; contact_due_at: string; version: number }>(sql`
    select t.id, t.status::text as status, t.priority::text as priority, t.assignee_id, t.escalated, t.contact_due_at, t.version
    from tasks t join customers c on c.id = t.customer_id where c.customer_no = ${customerNo} order by t.id desc limit 1`);
  return r;
}
const count = async (q: ReturnType<typeof sql>) => (await t.db.execute<{ n: number }>(q))[0]!.n;

describe("opening tasks from warnings", () => {
  it("opens one task for the owning RM with SLA deadlines on the business calendar, and a replay opens nothing", async () => {
    const w = await f.raise("C1", "high");
    const first = await openTasksForWarnings(t.db, [w], MON);
    expect(first).toMatchObject({ opened: 1, attached: 0 });
    const again = await openTasksForWarnings(t.db, [w], MON);
    expect(again).toMatchObject({ opened: 0, attached: 0, raised: 0 });
    const tk = (await task("C1"))!;
    expect(tk).toMatchObject({ status: "open", priority: "high", assignee_id: f.userIds.rm1 });
    // high: first contact in 2 business days → Wednesday 10:00 Shanghai.
    expect(new Date(tk.contact_due_at.replace(" ", "T").replace(/\+00$/, "Z")).toISOString()).toBe("2026-12-02T02:00:00.000Z");
    expect(await count(sql`select count(*)::int as n from notifications where kind = 'assigned' and user_id = ${f.userIds.rm1!}`)).toBe(1);
  });

  it("attaches a new warning to the open task and raises its priority when more severe", async () => {
    const before = (await task("C1"))!;
    const w = await f.raise("C1", "critical", "funding_chain");
    expect(await openTasksForWarnings(t.db, [w], hours(1))).toMatchObject({ opened: 0, attached: 1, raised: 1 });
    const after = (await task("C1"))!;
    expect(after.id).toBe(before.id);
    expect(after.priority).toBe("critical");
    // critical: contact within 1 business day of the task's opening → Tuesday 10:00, earlier than Wednesday.
    expect(new Date(after.contact_due_at.replace(" ", "T").replace(/\+00$/, "Z")).toISOString()).toBe("2026-12-01T02:00:00.000Z");
    const low = await f.raise("C1", "low");
    expect(await openTasksForWarnings(t.db, [low], hours(2))).toMatchObject({ attached: 1, raised: 0 });
    expect((await task("C1"))!.priority).toBe("critical");
    expect(await count(sql`select count(*)::int as n from task_warnings where task_id = ${before.id}`)).toBe(3);
  });

  it("falls back to the least-loaded active RM of the branch when the owner is inactive", async () => {
    // C2's owner rm2 leaves; branch 1's other RM is rm1 (one task already) — the only active one, so rm1 gets it.
    await t.db.execute(sql`update users set active = false where username = 'rm2'`);
    const w = await f.raise("C2", "medium");
    await openTasksForWarnings(t.db, [w], MON);
    expect((await task("C2"))!.assignee_id).toBe(f.userIds.rm1);
    const [ev] = await t.db.execute<{ detail: { via: string } }>(sql`select detail from task_events where kind = 'opened' and task_id = ${(await task("C2"))!.id}`);
    expect(ev!.detail.via).toBe("least_loaded");
    await t.db.execute(sql`update users set active = true where username = 'rm2'`);
  });

  it("picks the RM with fewer active tasks", async () => {
    // rm1 has two active tasks (C1, C2), rm2 none: with C1's owner made inactive, a new customer of rm1 goes to rm2.
    const { customers } = await import("../db/schema");
    const [c] = await t.db.insert(customers).values({ customerNo: "C4", name: "四号公司", creditCode: "91330100MA00000040", legalRep: "王五", registeredCapitalFen: 1, industryCode: "C36", region: "杭州", onboardedOn: "2024-01-01", branchId: f.branchIds[0], rmId: f.userIds.rm1! }).returning();
    await t.db.execute(sql`insert into loans (contract_no, customer_id, product, principal_fen, annual_rate, term_months, method, disbursed_on, maturity_on)
      values ('L4', ${c!.id}, '流动资金贷款', 1000000, 0.0435, 12, 'equal_installment', '2026-01-15', '2027-01-15')`);
    await t.db.execute(sql`update users set active = false where username = 'rm1'`);
    await openTasksForWarnings(t.db, [await f.raise("C4", "medium")], MON);
    expect((await task("C4"))!.assignee_id).toBe(f.userIds.rm2);
    await t.db.execute(sql`update users set active = true where username = 'rm1'`);
  });
});

describe("SLA reminders and escalations", () => {
  it("reminds at 75 % and escalates on breach, each exactly once, telling the branch supervisor", async () => {
    const w = await f.raise("C3", "critical");
    await openTasksForWarnings(t.db, [w], MON);
    const id = (await task("C3"))!.id;
    // Critical: contact due Tuesday 10:00; reminder at 18 business hours = Tuesday 04:00.
    expect((await fireDueTimers(t.db, hours(17), [id])).contact_remind).toBe(0);
    expect((await fireDueTimers(t.db, hours(18), [id])).contact_remind).toBe(1);
    expect((await fireDueTimers(t.db, hours(18.5), [id])).contact_remind).toBe(0);
    const breach = await fireDueTimers(t.db, hours(25));
    expect(breach.contact_breach).toBeGreaterThanOrEqual(1);
    expect((await task("C3"))!.escalated).toBe(true);
    expect((await fireDueTimers(t.db, hours(26))).contact_breach).toBe(0);
    const rows = await t.db.execute<{ username: string; kind: string }>(sql`
      select u.username, n.kind from notifications n join users u on u.id = n.user_id where n.task_id = ${id} order by n.id`);
    expect(rows.map((r) => `${r.username}:${r.kind}`).sort()).toEqual(["rm3:assigned", "rm3:escalated", "rm3:reminder", "sup2:escalated"]);
  });

  it("does not escalate first contact once a follow-up is recorded", async () => {
    // C2 (medium, covered by rm1): contact due in 5 business days; recorded after 3 hours.
    const c2 = (await task("C2"))!;
    await addFollowUp(t.db, scope("rm1"), actors.rm1!, c2.id, { type: "phone", notes: "客户表示资金紧张，下周回款", contactPerson: "李四" }, hours(3));
    const fired = await fireDueTimers(t.db, hours(24 * 9), [c2.id]);
    expect(fired).toMatchObject({ contact_remind: 0, contact_breach: 0 });
    const [r] = await t.db.execute<{ contact_breached_at: string | null; escalated: boolean; status: string }>(sql`select contact_breached_at, escalated, status::text as status from tasks where id = ${c2.id}`);
    expect(r).toEqual({ contact_breached_at: null, escalated: false, status: "in_progress" });
  });
});

describe("promises to pay and next actions", () => {
  it("marks a promise kept from repayments, another broken after its date, and notifies once", async () => {
    const c1 = (await task("C1"))!;
    const [loan] = await t.db.execute<{ id: number }>(sql`select l.id from loans l join customers c on c.id = l.customer_id where c.customer_no = 'C1'`);
    await addFollowUp(t.db, scope("rm1"), actors.rm1!, c1.id, { type: "visit", notes: "承诺12月3日前还款5000元", promise: { amount: "5,000.00", dueOn: "2026-12-03" }, nextActionOn: "2026-12-02" }, hours(4));
    await addFollowUp(t.db, scope("rm1"), actors.rm1!, c1.id, { type: "phone", notes: "second promise", promise: { amount: 100000, dueOn: "2026-12-04" } }, hours(4));
    expect(await checkPromises(t.db, hours(5))).toEqual({ kept: 0, broken: 0 });
    await t.db.execute(sql`insert into repayments (loan_id, paid_on, amount_fen, source, external_id) values (${loan!.id}, '2026-12-01', 300000, 'api', 'P1'), (${loan!.id}, '2026-12-02', 200000, 'api', 'P2')`);
    expect(await checkPromises(t.db, hours(48))).toEqual({ kept: 1, broken: 0 });
    // 5 December: the second promise (1,000 yuan more than paid since) is broken.
    expect(await checkPromises(t.db, hours(24 * 5))).toEqual({ kept: 0, broken: 1 });
    expect(await checkPromises(t.db, hours(24 * 6))).toEqual({ kept: 0, broken: 0 });
    expect(await count(sql`select count(*)::int as n from notifications where kind = 'promise_broken' and task_id = ${c1.id}`)).toBe(1);
    // Next action on 2 December reminds at 09:00 Shanghai (01:00 UTC), once.
    expect(await fireNextActions(t.db, new Date("2026-12-02T00:59:00Z"))).toBe(0);
    expect(await fireNextActions(t.db, new Date("2026-12-02T01:00:00Z"))).toBe(1);
    expect(await fireNextActions(t.db, new Date("2026-12-02T05:00:00Z"))).toBe(0);
  });
});

describe("transitions and scope", () => {
  it("an RM cannot read or write another RM's task; a supervisor of another branch neither", async () => {
    const c3 = (await task("C3"))!;
    await expect(transitionTask(t.db, scope("rm1"), actors.rm1!, c3.id, { action: "acknowledge" }, MON)).rejects.toBeInstanceOf(NotFound);
    await expect(addFollowUp(t.db, scope("rm2"), actors.rm2!, c3.id, { type: "phone", notes: "x" }, MON)).rejects.toBeInstanceOf(NotFound);
    await expect(transitionTask(t.db, scope("sup1"), actors.sup1!, c3.id, { action: "escalate", reason: "help" }, MON)).rejects.toBeInstanceOf(NotFound);
    await expect(setChecklistItem(t.db, scope("rm1"), actors.rm1!, c3.id, "cr_contact_now", true, MON)).rejects.toBeInstanceOf(NotFound);
  });

  it("bulk-acknowledges only the caller's open tasks", async () => {
    const c3 = (await task("C3"))!;
    const c4 = (await task("C4"))!;
    const r = await acknowledgeTasks(t.db, scope("rm2"), actors.rm2!, [c3.id, c4.id], MON);
    expect(r.acknowledged).toEqual([c4.id]);
  });

  it("a supervisor reassigns within the branch with a reason; the new RM is notified; stale versions conflict", async () => {
    const c4 = (await task("C4"))!;
    await expect(transitionTask(t.db, scope("sup1"), actors.sup1!, c4.id, { action: "reassign", assigneeId: f.userIds.rm3!, reason: "cover" }, MON)).rejects.toMatchObject({ code: "invalid" });
    await expect(transitionTask(t.db, scope("sup1"), actors.sup1!, c4.id, { action: "reassign", assigneeId: f.userIds.rm1!, reason: "cover", expectedVersion: c4.version - 1 }, MON)).rejects.toMatchObject({ code: "conflict" });
    await transitionTask(t.db, scope("sup1"), actors.sup1!, c4.id, { action: "reassign", assigneeId: f.userIds.rm1!, reason: "rm2 on leave", expectedVersion: c4.version }, MON);
    expect((await task("C4"))!.assignee_id).toBe(f.userIds.rm1);
    expect(await count(sql`select count(*)::int as n from notifications where kind = 'reassigned' and user_id = ${f.userIds.rm1!} and task_id = ${c4.id}`)).toBe(1);
    // rm2 no longer sees it.
    await expect(transitionTask(t.db, scope("rm2"), actors.rm2!, c4.id, { action: "start" }, MON)).rejects.toBeInstanceOf(NotFound);
  });

  it("resolves with an outcome: churned needs the taxonomy, others a follow-up; a closed task takes no more work", async () => {
    const c4 = (await task("C4"))!;
    await expect(transitionTask(t.db, scope("rm1"), actors.rm1!, c4.id, { action: "resolve", outcome: "retained" }, MON)).rejects.toMatchObject({ code: "invalid" });
    await addFollowUp(t.db, scope("rm1"), actors.rm1!, c4.id, { type: "meeting", notes: "agreed a rate review" }, MON);
    await expect(transitionTask(t.db, scope("rm1"), actors.rm1!, c4.id, { action: "resolve", outcome: "churned" }, MON)).rejects.toMatchObject({ code: "invalid" });
    const done = await transitionTask(t.db, scope("rm1"), actors.rm1!, c4.id, { action: "resolve", outcome: "churned", churn: { stage: "post_loan", will: "voluntary", reasonFamily: "service_competition" }, note: "moved to another bank" }, MON);
    expect(done.status).toBe("resolved");
    await expect(addFollowUp(t.db, scope("rm1"), actors.rm1!, c4.id, { type: "phone", notes: "late" }, MON)).rejects.toMatchObject({ code: "conflict" });
    const kinds = await t.db.execute<{ kind: string }>(sql`select kind from task_events where task_id = ${c4.id} order by id`);
    expect(kinds.map((k) => k.kind)).toEqual(["opened", "acknowledged", "reassigned", "started", "follow_up", "resolved"]);
    // A new warning on the customer now opens a new task.
    await openTasksForWarnings(t.db, [await f.raise("C4", "medium")], hours(1));
    expect((await task("C4"))!.id).not.toBe(c4.id);
  });

  it("playbook items: only the task's families' items can be ticked", async () => {
    const c1 = (await task("C1"))!;
    await setChecklistItem(t.db, scope("rm1"), actors.rm1!, c1.id, "fc_verify_cashflow", true, MON);
    await setChecklistItem(t.db, scope("rm1"), actors.rm1!, c1.id, "fc_verify_cashflow", true, MON);
    expect(await count(sql`select count(*)::int as n from task_checklist where task_id = ${c1.id}`)).toBe(1);
    await expect(setChecklistItem(t.db, scope("rm1"), actors.rm1!, c1.id, "sc_loyalty", true, MON)).rejects.toMatchObject({ code: "invalid" });
  });
});

describe("deactivating an RM", () => {
  it("moves their active tasks to the branch's least-loaded active RM, or leaves them unassigned for the supervisor", async () => {
    const { setUserActive } = await import("../users/service");
    const sys = { kind: "user", userId: actors.admin!.userId } as const;
    const rm1Tasks = await count(sql`select count(*)::int as n from tasks where assignee_id = ${f.userIds.rm1!} and status in ('open', 'acknowledged', 'in_progress')`);
    expect(rm1Tasks).toBeGreaterThan(0);
    await setUserActive(t.db, sys, f.userIds.rm1!, false);
    expect(await count(sql`select count(*)::int as n from tasks where assignee_id = ${f.userIds.rm1!} and status in ('open', 'acknowledged', 'in_progress')`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from notifications where kind = 'reassigned' and user_id = ${f.userIds.rm2!} and detail->>'reason' = 'assignee_deactivated'`)).toBe(rm1Tasks);
    // Branch 2 has no other RM: rm3's task stays unassigned and sup2 hears of it.
    await setUserActive(t.db, sys, f.userIds.rm3!, false);
    expect((await task("C3"))!.assignee_id).toBeNull();
    expect(await count(sql`select count(*)::int as n from notifications where kind = 'unassigned' and user_id = ${f.userIds.sup2!}`)).toBe(1);
    await setUserActive(t.db, sys, f.userIds.rm1!, true);
    await setUserActive(t.db, sys, f.userIds.rm3!, true);
  });
});

describe("concurrent task workers", () => {
  it("jobs for the same customers at the same moment open one task each and attach the rest", async () => {
    await t.db.execute(sql`update tasks set status = 'cancelled', cancel_reason = 'reset' where status in ('open', 'acknowledged', 'in_progress')`);
    const batches: number[][] = [];
    for (let i = 0; i < 8; i++) batches.push([await f.raise("C1", "medium"), await f.raise("C2", "high"), await f.raise("C3", "critical")]);
    const results = await Promise.all(batches.map((ids) => openTasksForWarnings(t.db, ids, hours(100))));
    expect(results.reduce((s, r) => s + r.opened, 0)).toBe(3);
    expect(results.reduce((s, r) => s + r.attached, 0)).toBe(21);
    expect(await count(sql`select count(*)::int as n from tasks where status in ('open', 'acknowledged', 'in_progress')`)).toBe(3);
  });
});
