// The incentive ledger through the real route handlers, on the scope fixture: entries derived from tasks,
// follow-ups and churn events checked against independent SQL, replays adding nothing, per-RM totals, scope (another
// RM's or another branch's ledger → 404, HR without contact data), maker-checker on adjustments and schemes, a locked
// period refusing every change and unchanged after (late facts land in the next open period), and the settlement
// jobs re-created from Postgres when Redis lost them.
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
let hr2: { id: number; token: string };

const tokenOf = (who: string) => (who === "hr2" ? hr2.token : fx.tokens[who]!);
const auth = (who: string) => ({ authorization: `Bearer ${tokenOf(who)}` });
const get = (path: string, who: string) => new Request(`http://test${path}`, { headers: auth(who) });
let seq = 0;
const post = (path: string, who: string, body: unknown, key = `k-${Date.now()}-${seq++}`) =>
  new Request(`http://test${path}`, { method: "POST", headers: { ...auth(who), "content-type": "application/json", "idempotency-key": key }, body: body === undefined ? undefined : JSON.stringify(body) });
const params = <P>(p: P) => ({ params: Promise.resolve(p) });
const q = <T>(query: ReturnType<typeof sql>) => t.db.execute(query) as unknown as Promise<T[]>;

const routes = async () => ({
  periods: await import("@/app/api/v1/incentives/periods/route"),
  period: await import("@/app/api/v1/incentives/periods/[period]/route"),
  lock: await import("@/app/api/v1/incentives/periods/[period]/lock/route"),
  ledger: await import("@/app/api/v1/incentives/ledger/route"),
  adjustments: await import("@/app/api/v1/incentives/adjustments/route"),
  approve: await import("@/app/api/v1/incentives/adjustments/[id]/approve/route"),
});
let r: Awaited<ReturnType<typeof routes>>;

beforeAll(async () => {
  ({ t, fx, ids, close } = await taskAppEnv());
  r = await routes();
  const { createUser } = await import("@/lib/users/service");
  const { createApiToken } = await import("@/lib/auth/tokens");
  const sys = { kind: "system", name: "test" } as const;
  const id = (await createUser(t.db, sys, { username: "hr2", displayName: "hr2", role: "hr", password: "long-enough-pass" })).id;
  hr2 = { id, token: (await createApiToken(t.db, sys, "hr2", "test")).token };
  const u = fx.userIds;
  const [c1, c2, c3] = await Promise.all(["C1", "C2", "C3"].map((n) => fx.customerId(n)));
  // C1's task: rm2 made first contact in time, then it moved to rm1, who resolved it as retained on 2026-03-10.
  await t.db.execute(sql`update tasks set assignee_id = ${u.rm1!}, status = 'resolved', outcome = 'retained',
    opened_at = '2026-03-01T02:00:00Z', contact_due_at = '2026-03-03T02:00:00Z', first_contact_at = '2026-03-02T02:00:00Z',
    closed_at = '2026-03-10T04:00:00Z' where id = ${ids.C1!}`);
  await t.db.execute(sql`insert into follow_ups (task_id, customer_id, author_id, type, contact_person, notes, occurred_at) values
    (${ids.C1!}, ${c1}, ${u.rm2!}, 'phone', '联系人甲', 'SECRET-NOTE', '2026-03-02T02:00:00Z'),
    (${ids.C1!}, ${c1}, ${u.rm1!}, 'visit', '联系人甲', 'SECRET-NOTE', '2026-03-08T02:00:00Z')`);
  await t.db.execute(sql`insert into task_events (task_id, kind, at, detail) values (${ids.C1!}, 'reassigned', '2026-03-05T02:00:00Z', ${JSON.stringify({ from: u.rm2, to: u.rm1 })}::jsonb)`);
  // C3's task (rm3) breached its first-contact deadline on 2026-03-04.
  await t.db.execute(sql`update tasks set contact_breached_at = '2026-03-04T02:00:00Z' where id = ${ids.C3!}`);
  // C2 (rm2) prepaid in full with no follow-up in the look-back; C1 defaulted 2026-08-01, after verification (06-08).
  await t.db.execute(sql`insert into churn_events (subject_key, customer_id, stage, kind, will, reason_inferred, effective_on, detected_on, source) values
    ('customer:' || ${c2}, ${c2}, 'post_loan', 'prepaid_in_full', 'voluntary', true, '2026-04-01', '2026-04-01', 'detected'),
    ('customer:' || ${c1}, ${c1}, 'post_loan', 'default', 'involuntary', true, '2026-08-01', '2026-08-02', 'detected')`);
  void c3;
  const { ensureBuiltinScheme } = await import("@/lib/incentives/versions");
  await ensureBuiltinScheme(t.db);
}, 120_000);

afterAll(() => close());

describe("incentive ledger from the facts", () => {
  it("derives each rule's entries, once, as independent SQL over the facts says", async () => {
    const { deriveLedger } = await import("@/lib/incentives/engine");
    const first = await deriveLedger(t.db, "2026-11-30");
    expect(first.inserted).toBeGreaterThan(0);
    expect((await deriveLedger(t.db, "2026-11-30")).inserted).toBe(0); // a replay adds nothing
    const u = fx.userIds;
    // Retained balance of C1 on 2026-03-10, independently: its loans' principal less principal repaid by then.
    const [bal] = await q<{ fen: number }>(sql`select (sum(l.principal_fen) - coalesce((select sum(a.amount_fen) from repayment_allocations a join repayments p on p.id = a.repayment_id
      join loans l2 on l2.id = a.loan_id join customers c2 on c2.id = l2.customer_id where c2.customer_no = 'C1' and a.component in ('principal','prepayment') and p.paid_on <= '2026-03-10'), 0))::bigint as fen
      from loans l join customers c on c.id = l.customer_id where c.customer_no = 'C1'`);
    const points = Math.min(60, 10 + Math.floor((0.05 * Number(bal!.fen)) / 1_000_000));
    const rows = await q<{ rule: string; rm: string; points: number; status: string; period: string; event_on: string }>(sql`
      select l.rule, u.username as rm, l.points, l.status::text as status, l.period, to_char(l.event_on, 'YYYY-MM-DD') as event_on
      from incentive_ledger l join users u on u.id = l.rm_id order by l.rule, u.username`);
    const half = Math.ceil(points / 2);
    expect(rows).toEqual([
      // C1's default: no follow-up in the 90 days before 2026-08-01 (the last was 03-08).
      { rule: "churn_no_followup", rm: "rm1", points: -8, status: "payable", period: "2026-08", event_on: "2026-08-01" },
      { rule: "churn_no_followup", rm: "rm2", points: -8, status: "payable", period: "2026-04", event_on: "2026-04-01" },
      { rule: "clawback", rm: "rm1", points: -half, status: "clawed_back", period: "2026-08", event_on: "2026-08-01" },
      { rule: "clawback", rm: "rm2", points: -(points - half), status: "clawed_back", period: "2026-08", event_on: "2026-08-01" },
      { rule: "first_contact", rm: "rm2", points: 2, status: "payable", period: "2026-03", event_on: "2026-03-02" },
      { rule: "retained", rm: "rm1", points: half, status: "pending", period: "2026-03", event_on: "2026-03-10" },
      { rule: "retained", rm: "rm2", points: points - half, status: "pending", period: "2026-03", event_on: "2026-03-10" },
      { rule: "retention_verified", rm: "rm1", points: half, status: "payable", period: "2026-06", event_on: "2026-06-08" },
      { rule: "retention_verified", rm: "rm2", points: points - half, status: "payable", period: "2026-06", event_on: "2026-06-08" },
      // The breach belongs to whoever held the task then: rm3 (no reassignment).
      { rule: "sla_breach", rm: "rm3", points: -2, status: "payable", period: "2026-03", event_on: "2026-03-04" },
    ]);
    void u;
  });

  it("answers per-RM totals that match an independent sum, in scope", async () => {
    const res = await r.period.GET(get("/api/v1/incentives/periods/2026-03", "hr1"), params({ period: "2026-03" }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rms: { username: string; payable: number; pending: number }[] };
    const expected = await q<{ username: string; payable: number; pending: number }>(sql`
      select u.username, coalesce(sum(l.points) filter (where l.status <> 'pending'), 0)::int as payable,
        coalesce(sum(l.points) filter (where l.status = 'pending'), 0)::int as pending
      from incentive_ledger l join users u on u.id = l.rm_id where l.period = '2026-03' group by u.username order by u.username`);
    expect(body.rms.map((x) => ({ username: x.username, payable: x.payable, pending: x.pending })).sort((a, b) => a.username.localeCompare(b.username))).toEqual(expected);
    // A supervisor sees their branch's RMs only; an RM only their own line.
    const sup2 = (await (await r.period.GET(get("/api/v1/incentives/periods/2026-03", "sup2"), params({ period: "2026-03" }))).json()) as { rms: { username: string }[] };
    expect(sup2.rms.map((x) => x.username)).toEqual(["rm3"]);
    const rm1 = (await (await r.period.GET(get("/api/v1/incentives/periods/2026-03", "rm1"), params({ period: "2026-03" }))).json()) as { rms: { username: string }[] };
    expect(rm1.rms.map((x) => x.username)).toEqual(["rm1"]);
    expect((await r.period.GET(get("/api/v1/incentives/periods/1999-01", "hr1"), params({ period: "1999-01" }))).status).toBe(404);
    const list = (await (await r.periods.GET(get("/api/v1/incentives/periods", "hr1"), params({}))).json()) as { periods: { period: string; entries: number }[] };
    const counts = await q<{ period: string; entries: number }>(sql`select period, count(*)::int as entries from incentive_ledger group by period`);
    for (const c of counts) expect(list.periods.find((p) => p.period === c.period)?.entries).toBe(c.entries);
  });

  it("keeps another RM's and another branch's ledger out of reach (404), and contact data from HR", async () => {
    expect((await r.ledger.GET(get("/api/v1/incentives/ledger?rm=rm1", "rm2"), params({}))).status).toBe(404);
    expect((await r.ledger.GET(get("/api/v1/incentives/ledger?rm=rm1", "sup2"), params({}))).status).toBe(404);
    expect((await r.ledger.GET(get("/api/v1/incentives/ledger?rm=rm1", "sup1"), params({}))).status).toBe(200);
    const own = (await (await r.ledger.GET(get("/api/v1/incentives/ledger", "rm1"), params({}))).json()) as { entries: { rmUsername: string }[] };
    expect(new Set(own.entries.map((e) => e.rmUsername))).toEqual(new Set(["rm1"]));
    const hr = await r.ledger.GET(get("/api/v1/incentives/ledger?rm=rm1", "hr1"), params({}));
    const text = await hr.text();
    expect(text).toContain("一号公司"); // HR sees the customer's name in the evidence…
    for (const c of ["李四", "13800000000", "联系人甲", "SECRET-NOTE"]) expect(text).not.toContain(c); // …never contact data
    const entries = (JSON.parse(text) as { entries: { rule: string; taskId: number; followUpIds: number[]; settlement: string | null }[] }).entries;
    expect(entries.find((e) => e.rule === "retained")).toMatchObject({ taskId: ids.C1, settlement: "verified" });
  });
});

describe("maker-checker and locking", () => {
  let adjustmentId: number;

  it("lets another HR user, never the proposer, approve an adjustment", async () => {
    expect((await r.adjustments.POST(post("/api/v1/incentives/adjustments", "rm1", { period: "2026-03", rm: "rm1", points: 7, reason: "missed visit credit" }))).status).toBe(403);
    const bad = await r.adjustments.POST(post("/api/v1/incentives/adjustments", "hr1", { period: "2026-3", rm: "nobody", points: 0, reason: "x" }));
    expect(bad.status).toBe(422);
    const fields = ((await bad.json()) as { error: { issues: { field: string }[] } }).error.issues.map((i) => i.field).sort();
    expect(fields).toEqual(["period", "points", "reason"]);
    const created = await r.adjustments.POST(post("/api/v1/incentives/adjustments", "hr1", { period: "2026-03", rm: "rm1", points: 7, reason: "missed visit credit" }));
    expect(created.status).toBe(201);
    adjustmentId = ((await created.json()) as { id: number }).id;
    const own = await r.approve.POST(post(`/api/v1/incentives/adjustments/${adjustmentId}/approve`, "hr1", undefined), params({ id: String(adjustmentId) }));
    expect(own.status).toBe(409);
    expect((await q(sql`select 1 from incentive_ledger where adjustment_id = ${adjustmentId}`)).length).toBe(0);
    const key = "approve-once";
    const ok = await r.approve.POST(post(`/api/v1/incentives/adjustments/${adjustmentId}/approve`, "hr2", undefined, key), params({ id: String(adjustmentId) }));
    expect(ok.status).toBe(201);
    const again = await r.approve.POST(post(`/api/v1/incentives/adjustments/${adjustmentId}/approve`, "hr2", undefined, key), params({ id: String(adjustmentId) }));
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const [entry] = await q<{ points: number; status: string; period: string }>(sql`select points, status::text as status, period from incentive_ledger where adjustment_id = ${adjustmentId}`);
    expect(entry).toEqual({ points: 7, status: "adjusted", period: "2026-03" });
    const audits = await q<{ action: string }>(sql`select action from audit_log where entity = 'incentive_adjustment' and entity_id = ${String(adjustmentId)} order by id`);
    expect(audits.map((a) => a.action)).toEqual(["incentives.adjustment.propose", "incentives.adjustment.approve"]);
  });

  it("lets another HR user, never the proposer, approve a scheme", async () => {
    const { proposeScheme, approveScheme } = await import("@/lib/incentives/versions");
    const { DEFAULT_SCHEME } = await import("@/lib/incentives/scheme");
    const hr1 = { userId: fx.userIds.hr1!, role: "hr" as const };
    await expect(proposeScheme(t.db, { userId: fx.userIds.rm1!, role: "rm" }, { effectiveFrom: "2027-01", body: DEFAULT_SCHEME })).rejects.toMatchObject({ code: "forbidden" });
    await expect(proposeScheme(t.db, hr1, { effectiveFrom: "2027-01", body: { ...DEFAULT_SCHEME, caps: { perCustomer: 0 } } })).rejects.toMatchObject({ code: "invalid" });
    const { id } = await proposeScheme(t.db, hr1, { effectiveFrom: "2027-01", body: { ...DEFAULT_SCHEME, firstContact: { points: 3 } } });
    await expect(approveScheme(t.db, hr1, id)).rejects.toMatchObject({ code: "conflict", params: { reason: "incentiveMakerChecker" } });
    await approveScheme(t.db, { userId: hr2.id, role: "hr" }, id);
    const [v] = await q<{ status: string }>(sql`select status::text as status from incentive_scheme_versions where id = ${id}`);
    expect(v!.status).toBe("active");
  });

  it("locks a period: every change is refused and the period is unchanged after; late facts land in the next open period", async () => {
    const snapshot = () => q(sql`select id, source_key, rule, rm_id, points, status, period from incentive_ledger where period = '2026-03' order by id`);
    // An adjustment awaiting a decision holds the lock back.
    const pending = await r.adjustments.POST(post("/api/v1/incentives/adjustments", "hr2", { period: "2026-03", rm: "rm2", points: -3, reason: "duplicate visit" }));
    const pendingId = ((await pending.json()) as { id: number }).id;
    expect((await r.lock.POST(post("/api/v1/incentives/periods/2026-03/lock", "hr1", undefined), params({ period: "2026-03" }))).status).toBe(409);
    const { rejectAdjustment } = await import("@/lib/incentives/service");
    await rejectAdjustment(t.db, { userId: fx.userIds.hr1!, role: "hr" }, pendingId, "not a duplicate");
    expect((await r.lock.POST(post("/api/v1/incentives/periods/2026-03/lock", "sup1", undefined), params({ period: "2026-03" }))).status).toBe(403);
    expect((await r.lock.POST(post("/api/v1/incentives/periods/2026-03/lock", "hr1", undefined), params({ period: "2026-03" }))).status).toBe(201);
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(0);

    expect((await r.lock.POST(post("/api/v1/incentives/periods/2026-03/lock", "hr2", undefined), params({ period: "2026-03" }))).status).toBe(409);
    expect((await r.adjustments.POST(post("/api/v1/incentives/adjustments", "hr1", { period: "2026-03", rm: "rm1", points: 1, reason: "after the lock" }))).status).toBe(409);
    expect((await r.approve.POST(post(`/api/v1/incentives/adjustments/${adjustmentId}/approve`, "hr1", undefined), params({ id: String(adjustmentId) }))).status).toBe(409);
    const { proposeScheme } = await import("@/lib/incentives/versions");
    const { DEFAULT_SCHEME } = await import("@/lib/incentives/scheme");
    await expect(proposeScheme(t.db, { userId: fx.userIds.hr1!, role: "hr" }, { effectiveFrom: "2026-02", body: DEFAULT_SCHEME })).rejects.toMatchObject({ params: { reason: "incentivePeriodLocked" } });
    // The database refuses too: no insert into a locked period, no edit or delete of any entry.
    await expect(t.db.execute(sql`insert into incentive_ledger (source_key, rule, rm_id, period, event_on, points, status) values ('x', 'adjustment', ${fx.userIds.rm1!}, '2026-03', '2026-03-01', 1, 'adjusted')`)).rejects.toThrow();
    await expect(t.db.execute(sql`update incentive_ledger set points = points + 1 where period = '2026-04'`)).rejects.toThrow();
    await expect(t.db.execute(sql`delete from incentive_ledger where period = '2026-04'`)).rejects.toThrow();
    // A fact of March that arrives now (C3's next task, resolved as retained on 2026-03-20) lands in April.
    const c3 = await fx.customerId("C3");
    const [late] = await q<{ id: number }>(sql`insert into tasks (customer_id, assignee_id, status, priority, reason_family, stage, will, opened_at, contact_remind_at, contact_due_at, resolve_remind_at, resolve_due_at, closed_at, outcome)
      values (${c3}, ${fx.userIds.rm3!}, 'resolved', 'high', 'credit_risk', 'post_loan', 'involuntary', '2026-03-15', '2026-03-16', '2026-03-17', '2026-03-18', '2026-03-25', '2026-03-20T03:00:00Z', 'retained') returning id`);
    const { deriveLedger } = await import("@/lib/incentives/engine");
    await deriveLedger(t.db, "2026-11-30");
    const moved = await q<{ period: string; event_on: string }>(sql`select period, to_char(event_on, 'YYYY-MM-DD') as event_on from incentive_ledger where task_id = ${late!.id} and rule = 'retained'`);
    expect(moved).toEqual([{ period: "2026-04", event_on: "2026-03-20" }]);
    expect(await snapshot()).toEqual(before);
    const audits = await q<{ action: string }>(sql`select action from audit_log where entity = 'incentive_period' and entity_id = '2026-03'`);
    expect(audits.map((a) => a.action)).toEqual(["incentives.period.lock"]);
  });

  it("re-creates the settlement jobs Redis lost from the ledger", async () => {
    const { appQueues } = await import("@/lib/http/queues");
    const { scheduleSettlements, settlementJobId } = await import("@/lib/incentives/jobs");
    const { queueOf } = await import("@/lib/pipeline/queues");
    const queues = appQueues();
    const now = new Date("2026-04-01T00:00:00Z");
    // The late March task's share was verified (the ledger ran as of 2026-11-30): its clawback check (window end
    // 2026-09-16) waits in Redis, and no verification job is made again.
    const [late] = await q<{ task_id: number }>(sql`select task_id from incentive_ledger where rule = 'retained' and period = '2026-04' limit 1`);
    expect(await scheduleSettlements(t.db, queues, now)).toBeGreaterThan(0);
    const queue = queueOf(queues, "incentives.clawback");
    expect(await queue.getJob(settlementJobId("verify", late!.task_id))).toBeUndefined();
    const job = await queue.getJob(settlementJobId("clawback", late!.task_id));
    expect(job?.data).toEqual({ taskId: late!.task_id });
    await job!.remove(); // Redis lost it
    expect(await scheduleSettlements(t.db, queues, now)).toBe(1);
    expect(await queue.getJob(settlementJobId("clawback", late!.task_id))).toBeTruthy();
  });
});
