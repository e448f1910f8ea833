// The open threshold and the weekly digest: a warning below the threshold opens no task, waits, is listed once a week
// in its RM's digest, and joins the customer's next task; tasks already open collect any severity.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { buildTaskFixture, type TaskFixture } from "../../test/task-fixture";
import { sendWeeklyDigests, weekOf } from "./digest";
import { openTasksForWarnings } from "./open";
import { loadOpenThreshold, saveOpenThreshold } from "./settings";

let t: TestDb;
let f: TaskFixture;
// Monday 30 Nov 2026, 10:00 in Shanghai.
const MON = new Date("2026-11-30T02:00:00Z");
const days = (d: number) => new Date(MON.getTime() + d * 86_400_000);
const SYS = { kind: "system", name: "test" } as const;

beforeAll(async () => {
  t = await freshDb();
  f = await buildTaskFixture(t.db);
});
afterAll(async () => t?.drop());

type Digest = { user_id: number; dedupe_key: string; detail: { week: string; count: number; customers: number; warningIds: number[]; threshold: string } };
const digests = async () =>
  t.db.execute<Digest>(sql`select user_id, dedupe_key, detail from notifications where kind = 'digest' order by id`);
const taskWarningIds = async (customerNo: string) =>
  (
    await t.db.execute<{ id: number }>(sql`
      select tw.warning_id::int as id from task_warnings tw join tasks k on k.id = tw.task_id join customers c on c.id = k.customer_id
      where c.customer_no = ${customerNo} and k.status in ('open', 'acknowledged', 'in_progress') order by 1`)
  ).map((r) => r.id);

describe("warnings below the open threshold", () => {
  it("weeks start on Monday", () => {
    expect(weekOf("2026-11-30")).toBe("2026-11-30");
    expect(weekOf("2026-12-06")).toBe("2026-11-30");
    expect(weekOf("2026-12-07")).toBe("2026-12-07");
  });

  it("a low warning opens no task, is in its RM's digest, and joins the next task opened for the customer", async () => {
    expect(await loadOpenThreshold(t.db)).toBe("medium");
    const low = await f.raise("C2", "low");
    expect(await openTasksForWarnings(t.db, [low], MON)).toMatchObject({ opened: 0, attached: 0, held: 1 });
    expect(await taskWarningIds("C2")).toEqual([]);

    expect(await sendWeeklyDigests(t.db, MON)).toEqual({ week: "2026-11-30", sent: 1, warnings: 1 });
    const [d] = await digests();
    expect(d).toMatchObject({ user_id: f.userIds.rm2, dedupe_key: `digest:2026-11-30:u${f.userIds.rm2}` });
    expect(d!.detail).toMatchObject({ week: "2026-11-30", count: 1, customers: 1, warningIds: [low], threshold: "medium" });

    // A medium warning opens the task, and the waiting low one joins it (named in the "opened" event).
    const medium = await f.raise("C2", "medium");
    expect(await openTasksForWarnings(t.db, [medium], days(1))).toMatchObject({ opened: 1, held: 0 });
    expect(await taskWarningIds("C2")).toEqual([low, medium].sort((a, b) => a - b));
    const [ev] = await t.db.execute<{ detail: { joined: number[]; priority: string } }>(sql`
      select e.detail from task_events e join tasks k on k.id = e.task_id join customers c on c.id = k.customer_id
      where c.customer_no = 'C2' and e.kind = 'opened'`);
    expect(ev!.detail).toMatchObject({ joined: [low], priority: "medium" });

    // The open task collects later warnings of any severity, the low ones included.
    const low2 = await f.raise("C2", "low");
    expect(await openTasksForWarnings(t.db, [low2], days(2))).toMatchObject({ opened: 0, attached: 1, held: 0 });
    // Next week nothing waits on C2 any more: no digest for rm2.
    expect(await sendWeeklyDigests(t.db, days(7))).toMatchObject({ week: "2026-12-07", sent: 0 });
  });

  it("sends one digest per RM and week, however often it runs", async () => {
    const low = await f.raise("C1", "low");
    await openTasksForWarnings(t.db, [low], days(8));
    const first = await sendWeeklyDigests(t.db, days(8));
    expect(first).toEqual({ week: "2026-12-07", sent: 1, warnings: 1 });
    expect(await sendWeeklyDigests(t.db, days(8))).toMatchObject({ sent: 0 });
    // Later the same week, with one more waiting: still the one digest of that week.
    await openTasksForWarnings(t.db, [await f.raise("C1", "low")], days(10));
    expect(await sendWeeklyDigests(t.db, days(11))).toMatchObject({ week: "2026-12-07", sent: 0 });
    const rm1 = (await digests()).filter((d) => d.user_id === f.userIds.rm1);
    expect(rm1.map((d) => d.detail.week)).toEqual(["2026-12-07"]);
    // The next week lists both.
    expect(await sendWeeklyDigests(t.db, days(14))).toMatchObject({ week: "2026-12-14", sent: 1, warnings: 2 });
    expect((await digests()).filter((d) => d.user_id === f.userIds.rm1).map((d) => d.detail.count)).toEqual([1, 2]);
  });

  it("goes to the branch's supervisors while the customer's RM is inactive", async () => {
    await t.db.execute(sql`update users set active = false where username = 'rm3'`);
    await openTasksForWarnings(t.db, [await f.raise("C3", "low")], days(21));
    expect(await sendWeeklyDigests(t.db, days(21))).toMatchObject({ week: "2026-12-21" });
    const week = (await digests()).filter((d) => d.detail.week === "2026-12-21");
    expect(week.map((d) => d.user_id).sort()).toEqual([f.userIds.rm1, f.userIds.sup2].sort());
    await t.db.execute(sql`update users set active = true where username = 'rm3'`);
  });

  it("the threshold is an audited setting: at 'low' a low warning opens a task", async () => {
    await saveOpenThreshold(t.db, SYS, { minSeverity: "low" });
    const low = await f.raise("C3", "low");
    expect(await openTasksForWarnings(t.db, [low], days(22))).toMatchObject({ opened: 1, held: 0 });
    await expect(saveOpenThreshold(t.db, SYS, { minSeverity: "urgent" })).rejects.toMatchObject({ code: "invalid" });
    await saveOpenThreshold(t.db, SYS, { minSeverity: "medium" });
    const audit = await t.db.execute<{ before: { minSeverity: string }; after: { minSeverity: string } }>(sql`
      select before, after from audit_log where action = 'tasks.openThreshold.set' order by id`);
    expect(audit.map((a) => `${a.before.minSeverity}→${a.after.minSeverity}`)).toEqual(["medium→low", "low→medium"]);
  });
});
