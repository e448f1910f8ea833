// Every exported read of customer data under each scope, against a real database: the reads that took bare ids
// (loans, applications, schedules, repayments) now apply the scope themselves; a task's customer is reached
// through the task scope (an RM covering a colleague's task, and only then); and HR's scope returns no contact
// data from any read (issue 11, finding 2: a read cannot leak it by forgetting).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../lib/auth/roles";
import { scopeFor, type Scope } from "../lib/auth/scope";
import { freshDb, type TestDb } from "./int-db";
import { buildTaskFixture, type TaskFixture } from "./task-fixture";

let t: TestDb;
let fx: TaskFixture;
const actors: Record<string, Actor> = {};
const scope = (u: string): Scope => scopeFor(actors[u]!);
const customerIds: Record<string, number> = {};
const loanIds: Record<string, number> = {};
const taskIds: Record<string, number> = {};
const NOW = new Date("2026-12-01T02:00:00Z");
// Contact data written by the RM, to be looked for in every read: the fixture's customer contact is 李四 / 13800000000.
const SECRETS = { contactPerson: "财务总监赵六", notes: "电话13912345678联系赵六，约定面谈", resolution: "赵六确认已补足逾期款项" };
const LEAKS = ["李四", "13800000000", "赵六", "13912345678"];

let q: typeof import("../lib/customers/queries");

beforeAll(async () => {
  t = await freshDb();
  fx = await buildTaskFixture(t.db);
  for (const u of await t.db.execute<{ id: number; username: string; role: Actor["role"]; branch_id: number | null }>(sql`select id, username, role::text as role, branch_id from users`)) {
    actors[u.username] = { userId: u.id, username: u.username, displayName: u.username, role: u.role, branchId: u.branch_id };
  }
  for (const no of ["C1", "C2", "C3"]) customerIds[no] = await fx.customerId(no);
  for (const l of await t.db.execute<{ id: number; contract_no: string }>(sql`select id, contract_no from loans`)) loanIds[l.contract_no] = l.id;
  await t.db.execute(sql`
    insert into applications (application_no, customer_id, product, amount_fen, submitted_on, status)
    select 'A' || customer_no, id, '流动资金贷款', 5000000, '2025-12-01', 'approved' from customers`);
  await t.db.execute(sql`insert into repayments (loan_id, paid_on, amount_fen, source, external_id) select id, '2026-02-15', 1000000, 'api', 'R-' || contract_no from loans`);
  const { openTasksForWarnings } = await import("../lib/tasks/open");
  await openTasksForWarnings(t.db, [await fx.raise("C1", "high"), await fx.raise("C2", "medium"), await fx.raise("C3", "critical")], NOW);
  for (const r of await t.db.execute<{ no: string; id: number }>(sql`select c.customer_no as no, t.id from tasks t join customers c on c.id = t.customer_id`)) taskIds[r.no] = r.id;
  const { addFollowUp, transitionTask } = await import("../lib/tasks/service");
  await addFollowUp(t.db, scope("rm1"), actors.rm1!, taskIds.C1!, { type: "phone", contactPerson: SECRETS.contactPerson, notes: SECRETS.notes, result: "承诺还款" }, NOW);
  await transitionTask(t.db, scope("rm1"), actors.rm1!, taskIds.C1!, { action: "resolve", outcome: "retained", note: SECRETS.resolution }, NOW);
  // rm1 covers rm2's customer C2: the task moves, the customer stays rm2's.
  await transitionTask(t.db, scope("sup1"), actors.sup1!, taskIds.C2!, { action: "reassign", assigneeId: actors.rm1!.userId, reason: "cover" }, NOW);
  q = await import("../lib/customers/queries");
});
afterAll(async () => t?.drop());

describe("reads that took bare ids apply the scope", () => {
  it("loans, applications, schedules and repayments of another RM's or another branch's customer are empty", async () => {
    const l3 = [loanIds.L3!];
    for (const who of ["rm1", "sup1"]) {
      expect(await q.loansOfCustomer(t.db, scope(who), customerIds.C3!), who).toEqual([]);
      expect(await q.applicationsOfCustomer(t.db, scope(who), customerIds.C3!), who).toEqual([]);
      expect(await q.schedulesOf(t.db, scope(who), l3), who).toEqual([]);
      expect(await q.repaymentsOf(t.db, scope(who), l3), who).toEqual([]);
    }
    for (const who of ["rm3", "sup2", "admin", "hr1"]) {
      expect((await q.loansOfCustomer(t.db, scope(who), customerIds.C3!)).map((l) => l.contractNo), who).toEqual(["L3"]);
      expect((await q.applicationsOfCustomer(t.db, scope(who), customerIds.C3!)).map((a) => a.applicationNo), who).toEqual(["AC3"]);
      expect((await q.schedulesOf(t.db, scope(who), l3)).length, who).toBe(12);
      expect((await q.repaymentsOf(t.db, scope(who), l3)).map((r) => r.externalId), who).toEqual(["R-L3"]);
    }
  });

  it("keeps an in-scope loan's rows and drops an out-of-scope one's from the same call", async () => {
    const both = [loanIds.L1!, loanIds.L3!];
    expect(new Set((await q.schedulesOf(t.db, scope("rm1"), both)).map((s) => s.loanId))).toEqual(new Set([loanIds.L1]));
    expect((await q.repaymentsOf(t.db, scope("rm1"), both)).map((r) => r.loanId)).toEqual([loanIds.L1]);
  });
});

describe("a task's customer is read through the task scope", () => {
  it("an RM covering a colleague's task sees its customer there, and not by the customer's id", async () => {
    const { NotFound } = await import("../lib/errors");
    await expect(q.getCustomer(t.db, scope("rm1"), customerIds.C2!)).rejects.toBeInstanceOf(NotFound);
    expect(await q.loansOfCustomer(t.db, scope("rm1"), customerIds.C2!)).toEqual([]);
    expect((await q.getCustomer(t.db, scope("rm1"), { viaTask: taskIds.C2! })).customerNo).toBe("C2");
    expect((await q.loansOfCustomer(t.db, scope("rm1"), { viaTask: taskIds.C2! })).map((l) => l.contractNo)).toEqual(["L2"]);
    // rm2 owns the customer but no longer works the task: the customer, yes; the task's view of it, no.
    expect((await q.getCustomer(t.db, scope("rm2"), customerIds.C2!)).customerNo).toBe("C2");
    await expect(q.getCustomer(t.db, scope("rm2"), { viaTask: taskIds.C2! })).rejects.toBeInstanceOf(NotFound);
    expect(await q.loansOfCustomer(t.db, scope("rm2"), { viaTask: taskIds.C2! })).toEqual([]);
    await expect(q.getCustomer(t.db, scope("sup2"), { viaTask: taskIds.C2! })).rejects.toBeInstanceOf(NotFound);
  });

  it("a notification names the customer only while its task is in the recipient's scope", async () => {
    const { listNotifications } = await import("../lib/tasks/notifications");
    const page = { page: 1, pageSize: 20 };
    const away = (await listNotifications(t.db, scope("rm2"), actors.rm2!.userId, page)).rows.filter((n) => n.taskId === taskIds.C2);
    expect(away.length).toBeGreaterThan(0);
    expect(away.every((n) => n.customerName === null)).toBe(true);
    const to = (await listNotifications(t.db, scope("rm1"), actors.rm1!.userId, page)).rows.find((n) => n.kind === "reassigned" && n.taskId === taskIds.C2);
    expect(to?.customerName).toBe("二号公司");
  });
});

describe("HR's scope returns no contact data from any read", () => {
  async function everyRead(s: Scope): Promise<Record<string, unknown>> {
    const { portfolioSummary, customersPerBranch } = await import("../lib/customers/summary");
    const { getLoanDetail } = await import("../lib/loans/detail");
    const { listWarnings, getWarning, warningQuerySchema } = await import("../lib/warnings/queries");
    const { listTasks, getTask, taskBoard, taskQuerySchema } = await import("../lib/tasks/queries");
    const warnings = await listWarnings(t.db, s, warningQuerySchema.parse({}));
    const loans = Object.values(loanIds);
    return {
      list: await q.listCustomers(t.db, s, q.customerQuerySchema.parse({})),
      one: await q.getCustomer(t.db, s, customerIds.C1!),
      byNo: await q.getCustomerByNo(t.db, s, "C1"),
      viaTask: await q.getCustomer(t.db, s, { viaTask: taskIds.C1! }),
      loans: await q.loansOfCustomer(t.db, s, customerIds.C1!),
      applications: await q.applicationsOfCustomer(t.db, s, customerIds.C1!),
      schedules: await q.schedulesOf(t.db, s, loans),
      repayments: await q.repaymentsOf(t.db, s, loans),
      overview: await q.branchOverview(t.db, s),
      summary: await portfolioSummary(t.db, s),
      perBranch: [...(await customersPerBranch(t.db, s))],
      loan: await getLoanDetail(t.db, s, { contractNo: "L1" }),
      warnings,
      warning: await getWarning(t.db, s, warnings.rows[0]!.id),
      tasks: await listTasks(t.db, s, taskQuerySchema.parse({ status: "all" }), NOW),
      task: await getTask(t.db, s, actors.hr1!, taskIds.C1!, NOW),
      board: await taskBoard(t.db, s, NOW),
      contacts: await (await import("../lib/customers/contact")).recentContacts(t.db, s, customerIds.C1!),
      churn: await (await import("../lib/churn/queries")).customerChurnEvents(t.db, s, customerIds.C1!),
    };
  }

  it("admin's reads carry the contact data (so the search below can find it)", async () => {
    const text = JSON.stringify(await everyRead(scope("admin")));
    for (const s of [...LEAKS, SECRETS.resolution]) expect(text).toContain(s);
  });

  it("HR's carry none of it, and still the work done: kinds, dates, outcomes", async () => {
    const reads = await everyRead(scope("hr1"));
    for (const [name, value] of Object.entries(reads)) {
      const text = JSON.stringify(value);
      for (const s of [...LEAKS, SECRETS.resolution]) expect(text, `${name} carries ${s}`).not.toContain(s);
    }
    const task = reads.task as Awaited<ReturnType<typeof import("../lib/tasks/queries").getTask>>;
    expect(task.task.outcome).toBe("retained");
    expect(task.followUps).toEqual([expect.objectContaining({ type: "phone", result: "承诺还款", contactPerson: null, notes: null })]);
    expect(task.events.find((e) => e.kind === "resolved")?.detail).toEqual({ outcome: "retained", churn: null });
  });
});
