// The task API through the real route handlers: scope (another RM's or another branch's task answers 404 on read
// and write), HR reads without contact data and cannot write, idempotent follow-ups, field issues, the board,
// notifications, and the test clock refused unless test hooks are on.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TestDb } from "./int-db";
import { taskAppEnv, type TaskFixture } from "./task-fixture";

vi.mock("next-intl/server", () => ({
  getTranslations: async () => Object.assign((key: string) => key, { has: () => false }),
  getLocale: async () => "en",
}));
vi.mock("@/lib/auth/nextauth", () => ({ currentSession: async () => null }));

let t: TestDb;
let fx: TaskFixture;
let ids: Record<string, number>;
let close: () => Promise<void>;
type Routes = {
  list: typeof import("@/app/api/v1/tasks/route");
  one: typeof import("@/app/api/v1/tasks/[id]/route");
  followUps: typeof import("@/app/api/v1/tasks/[id]/follow-ups/route");
  transitions: typeof import("@/app/api/v1/tasks/[id]/transitions/route");
  board: typeof import("@/app/api/v1/tasks/board/route");
  notifications: typeof import("@/app/api/v1/notifications/route");
  clock: typeof import("@/app/api/test/clock/route");
};
let r: Routes;

beforeAll(async () => {
  ({ t, fx, ids, close } = await taskAppEnv());
  r = {
    list: await import("@/app/api/v1/tasks/route"),
    one: await import("@/app/api/v1/tasks/[id]/route"),
    followUps: await import("@/app/api/v1/tasks/[id]/follow-ups/route"),
    transitions: await import("@/app/api/v1/tasks/[id]/transitions/route"),
    board: await import("@/app/api/v1/tasks/board/route"),
    notifications: await import("@/app/api/v1/notifications/route"),
    clock: await import("@/app/api/test/clock/route"),
  };
});

afterAll(() => close());

const auth = (who: string) => ({ authorization: `Bearer ${fx.tokens[who]}` });
const get = (path: string, who: string) => new Request(`http://test${path}`, { headers: auth(who) });
let seq = 0;
const post = (path: string, who: string, body: unknown, key = `k-${Date.now()}-${seq++}`) =>
  new Request(`http://test${path}`, { method: "POST", headers: { ...auth(who), "content-type": "application/json", "idempotency-key": key }, body: JSON.stringify(body) });
const params = <P>(p: P) => ({ params: Promise.resolve(p) });

async function listAs(who: string): Promise<string[]> {
  const res = await r.list.GET(get("/api/v1/tasks", who), params({}));
  expect(res.status).toBe(200);
  return ((await res.json()) as { rows: { customerNo: string }[] }).rows.map((x) => x.customerNo).sort();
}

describe("task API scope", () => {
  it("lists only what each role may see", async () => {
    expect(await listAs("rm1")).toEqual(["C1"]);
    expect(await listAs("rm2")).toEqual([]);
    expect(await listAs("sup1")).toEqual(["C1"]);
    expect(await listAs("sup2")).toEqual(["C3"]);
    expect(await listAs("admin")).toEqual(["C1", "C3"]);
    expect(await listAs("hr1")).toEqual(["C1", "C3"]);
  });

  it("answers 404 for another RM's or another branch's task, on read and on write", async () => {
    const c3 = String(ids.C3);
    for (const who of ["rm1", "rm2", "sup1"]) {
      expect((await r.one.GET(get(`/api/v1/tasks/${c3}`, who), params({ id: c3 }))).status, who).toBe(404);
      expect((await r.followUps.POST(post(`/api/v1/tasks/${c3}/follow-ups`, who, { type: "phone", notes: "x" }), params({ id: c3 }))).status, who).toBe(404);
      expect((await r.transitions.POST(post(`/api/v1/tasks/${c3}/transitions`, who, { action: "acknowledge" }), params({ id: c3 }))).status, who).toBe(404);
    }
    expect((await r.one.GET(get(`/api/v1/tasks/999999`, "admin"), params({ id: "999999" }))).status).toBe(404);
    expect((await r.one.GET(get(`/api/v1/tasks/abc`, "admin"), params({ id: "abc" }))).status).toBe(404);
    const ok = await r.one.GET(get(`/api/v1/tasks/${c3}`, "sup2"), params({ id: c3 }));
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { customer: { contactPhone: string | null }; allowedActions: string[]; assignees: unknown[] };
    expect(body.customer.contactPhone).toBe("13800000000");
    expect(body.allowedActions).toContain("reassign");
  });

  it("HR reads without contact data and cannot write", async () => {
    const c3 = String(ids.C3);
    const res = await r.one.GET(get(`/api/v1/tasks/${c3}`, "hr1"), params({ id: c3 }));
    const body = (await res.json()) as { customer: { contactPhone: string | null; contactPerson: string | null }; allowedActions: string[] };
    expect(body.customer).toMatchObject({ contactPhone: null, contactPerson: null });
    expect(body.allowedActions).toEqual([]);
    expect((await r.transitions.POST(post(`/api/v1/tasks/${c3}/transitions`, "hr1", { action: "acknowledge" }), params({ id: c3 }))).status).toBe(403);
  });
});

describe("task API writes", () => {
  it("records a follow-up once per Idempotency-Key and names the bad field", async () => {
    const c3 = String(ids.C3);
    const body = { type: "visit", notes: "实地走访，客户承诺月底前还款", contactPerson: "李四", promise: { amount: "12,000.50", dueOn: "2099-12-31" } };
    const first = await r.followUps.POST(post(`/api/v1/tasks/${c3}/follow-ups`, "rm3", body, "same-key-0001"), params({ id: c3 }));
    expect(first.status).toBe(201);
    const again = await r.followUps.POST(post(`/api/v1/tasks/${c3}/follow-ups`, "rm3", body, "same-key-0001"), params({ id: c3 }));
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    const [n] = await t.db.execute<{ n: number; fen: number }>(sql`select count(*)::int as n, max(promise_amount_fen)::int as fen from follow_ups where task_id = ${ids.C3!}`);
    expect(n).toEqual({ n: 1, fen: 1_200_050 });
    const bad = await r.followUps.POST(post(`/api/v1/tasks/${c3}/follow-ups`, "rm3", { type: "fax", notes: "" }), params({ id: c3 }));
    expect(bad.status).toBe(422);
    const fields = ((await bad.json()) as { error: { issues: { field: string }[] } }).error.issues.map((i) => i.field).sort();
    expect(fields).toEqual(["notes", "type"]);
  });

  it("refuses a reassignment outside the customer's branch; a stale version is a conflict", async () => {
    const c3 = String(ids.C3);
    const other = await r.transitions.POST(post(`/api/v1/tasks/${c3}/transitions`, "sup2", { action: "reassign", assigneeId: fx.userIds.rm1, reason: "cover" }), params({ id: c3 }));
    expect(other.status).toBe(422);
    const stale = await r.transitions.POST(post(`/api/v1/tasks/${c3}/transitions`, "rm3", { action: "acknowledge", expectedVersion: 1 }), params({ id: c3 }));
    expect(stale.status).toBe(409);
  });

  it("the board counts the branch's tasks by assignee; notifications are the caller's own", async () => {
    const board = await r.board.GET(get("/api/v1/tasks/board", "sup2"), params({}));
    const rows = ((await board.json()) as { rows: { assigneeName: string; in_progress: number }[] }).rows;
    expect(rows).toEqual([expect.objectContaining({ assigneeName: "rm3", in_progress: 1 })]);
    expect((await r.board.GET(get("/api/v1/tasks/board", "rm1"), params({}))).status).toBe(403);
    const mine = await r.notifications.GET(get("/api/v1/notifications", "rm3"), params({}));
    const nbody = (await mine.json()) as { rows: { kind: string; taskId: number }[]; unread: number };
    expect(nbody.rows.map((x) => [x.kind, x.taskId])).toEqual([["assigned", ids.C3]]);
    expect(nbody.unread).toBe(1);
  });

  it("the test clock answers 404 unless test hooks are on", async () => {
    const req = () => new Request("http://test/api/test/clock", { method: "POST", headers: { ...auth("admin"), "content-type": "application/json" }, body: JSON.stringify({ advanceMs: 86_400_000 }) });
    delete process.env.CHURNWATCH_TEST_HOOKS;
    expect((await r.clock.POST(req(), params({}))).status).toBe(404);
    process.env.CHURNWATCH_TEST_HOOKS = "1";
    try {
      const rm = new Request("http://test/api/test/clock", { method: "POST", headers: { ...auth("rm1"), "content-type": "application/json" }, body: "{}" });
      expect((await r.clock.POST(rm, params({}))).status).toBe(403);
      const res = await r.clock.POST(req(), params({}));
      expect(res.status).toBe(200);
      const { now } = (await res.json()) as { now: string };
      expect(Date.parse(now) - Date.now()).toBeGreaterThan(86_000_000);
      expect((await r.clock.DELETE(new Request("http://test/api/test/clock", { method: "DELETE", headers: auth("admin") }), params({}))).status).toBe(200);
    } finally {
      delete process.env.CHURNWATCH_TEST_HOOKS;
    }
  });
});

// Issue 11, finding 2: HR read each follow-up's contact person and notes through the task page and its API.
describe("HR sees no contact data through tasks", () => {
  const secret = { contactPerson: "财务总监赵六", notes: "电话13912345678联系赵六，约定下周面谈", result: "承诺还款", note: "赵六确认已补足逾期款项" };

  it("keeps the follow-up's contact person, notes and the resolution note from HR, not from the RM", async () => {
    const c1 = String(ids.C1);
    const { contactPerson, notes, result } = secret;
    expect((await r.followUps.POST(post(`/api/v1/tasks/${c1}/follow-ups`, "rm1", { type: "phone", contactPerson, notes, result }), params({ id: c1 }))).status).toBe(201);
    // A note with a text signal, tagged on write: the RM sees the evidence span in its sentence, HR only the signal.
    const signalNote = "赵六说资金周转正常。他行给出了更低的利率。";
    expect((await r.followUps.POST(post(`/api/v1/tasks/${c1}/follow-ups`, "rm1", { type: "visit", notes: signalNote }), params({ id: c1 }))).status).toBe(201);
    const rmBody = (await (await r.one.GET(get(`/api/v1/tasks/${c1}`, "rm1"), params({ id: c1 }))).json()) as {
      followUps: { notes: string; signals: { signal: string; polarity: string; span: [number, number]; sentence: [number, number] }[] }[];
    };
    const tagged = rmBody.followUps.find((f) => f.notes === signalNote)!;
    expect(tagged.signals.map((x) => [x.signal, x.polarity])).toEqual([["competitor_offer", "risk"]]);
    expect(signalNote.slice(...tagged.signals[0]!.span)).toBe("他行");
    expect(signalNote.slice(...tagged.signals[0]!.sentence)).toBe("他行给出了更低的利率。");
    expect(rmBody.followUps.find((f) => f.notes === notes)!.signals).toEqual([]);
    const resolved = await r.transitions.POST(post(`/api/v1/tasks/${c1}/transitions`, "rm1", { action: "resolve", outcome: "retained", note: secret.note }), params({ id: c1 }));
    expect(resolved.status).toBe(201);

    const rm = await (await r.one.GET(get(`/api/v1/tasks/${c1}`, "rm1"), params({ id: c1 }))).text();
    for (const s of [contactPerson, notes, secret.note, "13800000000"]) expect(rm).toContain(s);

    const res = await r.one.GET(get(`/api/v1/tasks/${c1}`, "hr1"), params({ id: c1 }));
    expect(res.status).toBe(200);
    const text = await res.text();
    // The customer's contact (scope fixture), the follow-up's and the resolution note: nowhere in the body.
    for (const s of ["李四", "13800000000", contactPerson, "赵六", "13912345678", secret.note]) expect(text).not.toContain(s);
    const body = JSON.parse(text) as { task: { outcome: string; resolutionNote: string | null }; followUps: Record<string, unknown>[] };
    // What HR may see of the work done: the kind, the date, the author and the outcome.
    expect(body.task).toMatchObject({ outcome: "retained", resolutionNote: null });
    expect(body.followUps).toEqual([
      expect.objectContaining({ type: "visit", notes: null, signals: [{ signal: "competitor_offer", polarity: "risk", span: null, sentence: null }] }),
      expect.objectContaining({ type: "phone", result, contactPerson: null, notes: null, authorName: "rm1", signals: [] }),
    ]);
  });

  it("the task list carries no contact data for HR, and the board is not HR's", async () => {
    const res = await r.list.GET(get("/api/v1/tasks?status=all", "hr1"), params({}));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("一号公司");
    for (const s of ["李四", "13800000000", "赵六", "13912345678"]) expect(text).not.toContain(s);
    expect((await r.board.GET(get("/api/v1/tasks/board", "hr1"), params({}))).status).toBe(403);
  });
});
