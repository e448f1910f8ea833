// The task screens' server actions (the browser's way to write): the same scope and field issues as the API, a keyed
// follow-up or transition records once per key (a double submit), "mark read" touches only the caller's own.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TestDb } from "./int-db";
import { sessionOf } from "./session-mock";
import { taskAppEnv, type TaskFixture } from "./task-fixture";

vi.mock("next-intl/server", () => ({
  getTranslations: async () => Object.assign((key: string) => key, { has: () => false }),
  getLocale: async () => "en",
}));
// The signed-in user of each call: the live session of that user, as Auth.js would hand it to the guard.
const session = vi.hoisted(() => ({ uid: null as number | null }));
vi.mock("@/lib/auth/nextauth", () => ({ currentSession: () => sessionOf(session.uid) }));

let t: TestDb;
let fx: TaskFixture;
let ids: Record<string, number>;
let close: () => Promise<void>;
let actions: typeof import("@/components/tasks/actions");
let notifications: typeof import("@/components/notifications/actions");
const as = (who: string) => {
  session.uid = fx.userIds[who]!;
};

beforeAll(async () => {
  ({ t, fx, ids, close } = await taskAppEnv());
  actions = await import("@/components/tasks/actions");
  notifications = await import("@/components/notifications/actions");
});

afterAll(() => close());

const followUpCount = async (taskId: number) => (await t.db.execute<{ n: number }>(sql`select count(*)::int as n from follow_ups where task_id = ${taskId}`))[0]!.n;

describe("task actions", () => {
  it("refuses a signed-out caller, HR, and another RM's task (as not found)", async () => {
    session.uid = null;
    expect(await actions.acknowledgeTasksAction({ ids: [ids.C1!] })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    as("hr1");
    expect(await actions.setChecklistItemAction({ taskId: ids.C1!, itemKey: "cr_review_financials", checked: true })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    as("rm1");
    const r = await actions.addFollowUpAction({ key: "other-rm-0001", input: { taskId: ids.C3!, type: "phone", notes: "x" } });
    expect(r).toMatchObject({ ok: false, error: { code: "notFound" } });
    expect(await followUpCount(ids.C3!)).toBe(0);
  });

  it("records a keyed follow-up once; the same key with other input is a conflict", async () => {
    as("rm3");
    const input = { taskId: ids.C3!, type: "visit" as const, notes: "实地走访", promise: { amount: "12,000.50", dueOn: "2099-12-31" } };
    const first = await actions.addFollowUpAction({ key: "double-submit-0001", input });
    const again = await actions.addFollowUpAction({ key: "double-submit-0001", input });
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
    const [row] = await t.db.execute<{ n: number; fen: number }>(sql`select count(*)::int as n, max(promise_amount_fen)::int as fen from follow_ups where task_id = ${ids.C3!}`);
    expect(row).toEqual({ n: 1, fen: 1_200_050 });
    const other = await actions.addFollowUpAction({ key: "double-submit-0001", input: { ...input, notes: "另一条" } });
    expect(other).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(await actions.addFollowUpAction({ key: "short", input })).toMatchObject({ ok: false, error: { code: "invalid", issues: [{ field: "key" }] } });
  });

  it("names the bad fields the way the API does", async () => {
    as("rm3");
    const bad = await actions.addFollowUpAction({ key: "bad-fields-0001", input: { taskId: ids.C3!, type: "fax" as never, notes: "" } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.issues?.map((i) => i.field).sort()).toEqual(["notes", "type"]);
  });

  it("a keyed transition with a stale version is a conflict, and replays as one", async () => {
    as("rm3");
    const stale = { taskId: ids.C3!, action: "acknowledge" as const, expectedVersion: 1 };
    const first = await actions.transitionTaskAction({ key: "stale-version-0001", input: stale });
    expect(first).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(await actions.transitionTaskAction({ key: "stale-version-0001", input: stale })).toEqual(first);
    as("sup2");
    const [v] = await t.db.execute<{ version: number }>(sql`select version from tasks where id = ${ids.C3!}`);
    const reassign = { taskId: ids.C3!, action: "reassign" as const, assigneeId: fx.userIds.rm1!, reason: "cover", expectedVersion: v!.version };
    expect(await actions.transitionTaskAction({ key: "reassign-away-0001", input: reassign })).toMatchObject({ ok: false, error: { code: "invalid" } });
  });

  it("ticks a playbook item and bulk-acknowledges only the caller's open tasks", async () => {
    as("rm1");
    const { PLAYBOOKS } = await import("@/lib/tasks/playbooks");
    const item = PLAYBOOKS.credit_risk[0]!.key;
    expect(await actions.setChecklistItemAction({ taskId: ids.C1!, itemKey: item, checked: true })).toEqual({ ok: true, data: { checked: true } });
    expect(await actions.acknowledgeTasksAction({ ids: [ids.C1!, ids.C3!] })).toEqual({ ok: true, data: { acknowledged: [ids.C1!] } });
  });

  it("marks the caller's own notifications read", async () => {
    as("rm3");
    const [mine] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from notifications where user_id = ${fx.userIds.rm3!} and read_at is null`);
    expect(mine!.n).toBeGreaterThan(0);
    const before = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from notifications where user_id <> ${fx.userIds.rm3!} and read_at is null`);
    expect(await notifications.markReadAction({ all: true })).toEqual({ ok: true, data: { unread: 0 } });
    const after = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from notifications where user_id <> ${fx.userIds.rm3!} and read_at is null`);
    expect(after).toEqual(before);
  });
});

describe("task settings: the severity that opens a task", () => {
  it("only an admin may set it; the value is checked, saved and audited", async () => {
    const settings = await import("@/components/tasks/settings/actions");
    for (const who of ["rm1", "sup1", "hr1"]) {
      as(who);
      expect(await settings.saveOpenThresholdAction({ minSeverity: "high" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    as("admin");
    expect(await settings.saveOpenThresholdAction({ minSeverity: "urgent" as never })).toMatchObject({ ok: false, error: { code: "invalid", issues: [{ field: "minSeverity" }] } });
    expect(await settings.saveOpenThresholdAction({ minSeverity: "high" })).toEqual({ ok: true, data: { minSeverity: "high" } });
    const [row] = await t.db.execute<{ value: unknown; audits: number }>(sql`
      select value, (select count(*)::int from audit_log where action = 'tasks.openThreshold.set' and actor_id = ${fx.userIds.admin!}) as audits
      from settings where key = 'tasks.openThreshold'`);
    expect(row).toEqual({ value: { minSeverity: "high" }, audits: 1 });
  });
});
