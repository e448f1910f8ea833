// The dashboard API on a seeded portfolio: every figure against SQL written here, independently of
// lib/dashboard (per-figure statements, no shared fragments), and the scope rules (another branch 404, RM and HR 404).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freshDb, testPrefix, type TestDb } from "./int-db";

vi.mock("next-intl/server", () => ({
  getTranslations: async () => Object.assign((key: string) => key, { has: () => false }),
  getLocale: async () => "en",
}));
vi.mock("@/lib/auth/nextauth", () => ({ currentSession: async () => null }));

let t: TestDb;
let route: typeof import("@/app/api/v1/dashboard/route");
const tokens: Record<string, string> = {};
let today: string;
let monthStart: string;
let prevMonthStart: string;

beforeAll(async () => {
  t = await freshDb();
  process.env.DATABASE_URL = t.url;
  process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
  process.env.QUEUE_PREFIX = testPrefix().replace(/:/g, "-");
  process.env.AUTH_SECRET = "x".repeat(40);
  const { todayIn } = await import("@/lib/time");
  today = todayIn();
  monthStart = `${today.slice(0, 7)}-01`;
  const d = new Date(`${monthStart}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  prevMonthStart = d.toISOString().slice(0, 10);
  const { seedDemo } = await import("@/lib/seed/load");
  const { startDemoWork } = await import("@/lib/seed/work");
  await seedDemo(t.db, { customers: 160, seed: 11, asOf: today });
  await startDemoWork(t.db, today);
  // The demo's history gives the tasks a past already; these fixed states and outcomes (on each customer's latest
  // task) make every figure's case show in the current and previous month whatever the history drew.
  await t.db.execute(sql`
    update tasks set opened_at = opened_at - interval '35 days', contact_due_at = contact_due_at - interval '35 days',
           contact_remind_at = contact_remind_at - interval '35 days', resolve_due_at = resolve_due_at - interval '35 days',
           resolve_remind_at = resolve_remind_at - interval '35 days'
    where id % 3 = 0`);
  await t.db.execute(sql`
    update tasks set
      status = (case id % 8 when 1 then 'acknowledged' when 2 then 'in_progress' when 3 then 'resolved' when 4 then 'resolved'
                                when 5 then 'cancelled' when 7 then 'resolved' else 'open' end)::task_status,
      first_contact_at = case when id % 8 in (2, 3, 4, 7) then least(opened_at + make_interval(hours => (id * 7) % 60 + 1), now()) end,
      closed_at = case when id % 8 in (3, 4, 7) then least(opened_at + make_interval(days => (id % 40) + 3), now()) when id % 8 = 5 then opened_at + interval '1 hour' end,
      outcome = (case when id % 8 = 3 then 'retained' when id % 8 = 4 then 'churned' when id % 8 = 7 then
                   (array['restructured', 'recovered', 'false_alarm'])[(id / 8) % 3 + 1] end)::task_outcome,
      escalated = id % 8 = 6 or id % 11 = 0,
      assignee_id = case when id % 13 = 0 then null else assignee_id end
    -- The latest task of each customer only: the earlier ones are closed history, and a customer has one active task.
    where id in (select max(id) from tasks group by customer_id)`);
  // Some applications decided, some drawn, inside the period.
  await t.db.execute(sql`update applications set submitted_on = ${today}::date - (id % 40)::int where id % 2 = 0`);
  await t.db.execute(sql`update applications set decided_on = submitted_on + (id % 9)::int where status in ('approved', 'rejected', 'drawn') and id % 2 = 0`);
  const { createApiToken } = await import("@/lib/auth/tokens");
  for (const u of ["admin", "sup1", "sup2", "rm1", "hr1"]) tokens[u] = (await createApiToken(t.db, { kind: "system", name: "test" }, u, "dash")).token;
  route = await import("@/app/api/v1/dashboard/route");
}, 600_000); // the demo's 18 months of history, on a shared machine

afterAll(async () => {
  const { db, closeDb } = await import("@/lib/db/client");
  await closeDb(db());
  await t.drop();
});

async function call(who: string, query: string) {
  const res = await route.GET(new Request(`http://test/api/v1/dashboard${query}`, { headers: { authorization: `Bearer ${tokens[who]}` } }), { params: Promise.resolve({}) });
  const body = await res.json();
  if (res.status === 500) console.error(body);
  return { status: res.status, body: body as import("@/lib/dashboard/queries").Dashboard };
}

const branchOf = async (username: string) => (await t.db.execute<{ b: number }>(sql`select branch_id as b from users where username = ${username}`))[0]!.b;
const one = async <T>(q: ReturnType<typeof sql>): Promise<T> => (await t.db.execute<{ v: T }>(q))[0]!.v;
const n = async (q: ReturnType<typeof sql>) => Number(await one<number | string>(q));

// Independent expectations for one branch (null = the bank) and the period [from, to].
async function expected(branch: number | null, from: string, to: string) {
  const tz = "Asia/Shanghai";
  const inBranch = branch === null ? sql`true` : sql`c.branch_id = ${branch}`;
  const tasks = sql`(select t.*, (t.opened_at at time zone ${tz})::date as od, (t.closed_at at time zone ${tz})::date as cd
                     from tasks t, customers c where c.id = t.customer_id and ${inBranch})`;
  const cnt = (where: ReturnType<typeof sql>) => n(sql`select count(*) as v from ${tasks} x where ${where}`);
  const inP = (col: string) => sql`${sql.raw(col)} between ${from}::date and ${to}::date`;
  const outcomes: Record<string, number> = {};
  for (const o of ["retained", "restructured", "recovered", "churned", "false_alarm"]) outcomes[o] = await cnt(sql`status = 'resolved' and outcome = ${o} and ${inP("cd")}`);
  // Per customer: the latest task resolved in the period, not a false alarm.
  const latest = sql`(select distinct on (customer_id) customer_id, outcome from ${tasks} x
                      where status = 'resolved' and outcome <> 'false_alarm' and ${inP("cd")} order by customer_id, closed_at desc, id desc)`;
  const hours = async (assignee: number | null | "all") => {
    const who = assignee === "all" ? sql`true` : assignee === null ? sql`assignee_id is null` : sql`assignee_id = ${assignee}`;
    const vals = (await t.db.execute<{ h: string }>(sql`select extract(epoch from first_contact_at - opened_at) / 3600 as h from ${tasks} x
                   where ${who} and first_contact_at is not null and ${inP("od")} order by 1`)).map((r) => Number(r.h));
    // Linear interpolation between closest ranks, computed in JS (percentile_cont's definition).
    const q = (p: number) => {
      if (!vals.length) return null;
      const pos = p * (vals.length - 1);
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      return Math.round((vals[lo]! + (vals[hi]! - vals[lo]!) * (pos - lo)) * 10) / 10;
    };
    return { tasks: vals.length, medianHours: q(0.5), p90Hours: q(0.9) };
  };
  const assignees = (await t.db.execute<{ a: number | null }>(sql`select distinct assignee_id as a from ${tasks} x where first_contact_at is not null and ${inP("od")}`)).map((r) => r.a);
  const firstContact: Record<string, { tasks: number; medianHours: number | null; p90Hours: number | null }> = {};
  for (const a of assignees) firstContact[String(a)] = await hours(a);

  const custInBranch = branch === null ? sql`true` : sql`branch_id = ${branch}`;
  const mix: Record<string, { loans: number; customers: number; balanceFen: number }> = {};
  for (const k of ["normal", "special_mention", "substandard", "doubtful", "loss"]) {
    const [r] = await t.db.execute<{ loans: string; customers: string; bal: string | null }>(sql`
      select count(*) as loans, count(distinct l.customer_id) as customers, sum(s.outstanding_principal_fen) as bal
      from loan_state s join loans l on l.id = s.loan_id
      where s.classification = ${k} and s.settled = false and l.customer_id in (select id from customers where ${custInBranch})`);
    mix[k] = { loans: Number(r!.loans), customers: Number(r!.customers), balanceFen: Number(r!.bal ?? 0) };
  }
  // The NPL ratio at the as-of day (the trend's last point), from loan_state rather than the history.
  const npl = await one<string | null>(sql`
    select coalesce(sum(s.outstanding_principal_fen) filter (where s.classification in ('substandard', 'doubtful', 'loss')), 0)::numeric
           / nullif(sum(s.outstanding_principal_fen), 0) as v
    from loan_state s join loans l on l.id = s.loan_id where not s.settled and l.customer_id in (select id from customers where ${custInBranch})`);

  const warnings = await t.db.execute<{ rule_id: number; severity: string; n: string }>(sql`
    select rule_id, severity::text, count(*) as n from warnings
    where opened_on >= ${from}::date and opened_on <= ${to}::date and customer_id in (select id from customers where ${custInBranch})
    group by 1, 2`);

  const apps = sql`(select a.*, (a.status = 'drawn' or a.id in (select application_id from loans where application_id is not null)) as dr
                    from applications a where a.submitted_on between ${from}::date and ${to}::date and a.customer_id in (select id from customers where ${custInBranch}))`;
  const decidedDays = (await t.db.execute<{ d: number }>(sql`select decided_on - submitted_on as d from ${apps} a
                         where decided_on is not null and status in ('approved', 'rejected', 'drawn') order by 1`)).map((r) => Number(r.d));
  const now = sql`now()`;
  return {
    intervention: {
      open: await cnt(sql`status = 'open'`),
      acknowledged: await cnt(sql`status = 'acknowledged'`),
      inProgress: await cnt(sql`status = 'in_progress'`),
      escalated: await cnt(sql`escalated and status in ('open', 'acknowledged', 'in_progress')`),
      overdue: await cnt(sql`status in ('open', 'acknowledged', 'in_progress') and ((first_contact_at is null and contact_due_at < ${now}) or (first_contact_at is not null and resolve_due_at < ${now}))`),
      resolved: await cnt(sql`status = 'resolved' and ${inP("cd")}`),
      contactSla: {
        decided: await cnt(sql`${inP("od")} and status <> 'cancelled' and (first_contact_at is not null or contact_due_at <= ${now})`),
        met: await cnt(sql`${inP("od")} and status <> 'cancelled' and first_contact_at is not null and first_contact_at <= contact_due_at`),
      },
      resolveSla: {
        decided: await cnt(sql`${inP("od")} and (status = 'resolved' or (status <> 'cancelled' and resolve_due_at <= ${now}))`),
        met: await cnt(sql`${inP("od")} and status = 'resolved' and closed_at <= resolve_due_at`),
      },
      outcomes,
      retention: {
        intervened: await n(sql`select count(*) as v from ${latest} l`),
        retained: await n(sql`select count(*) as v from ${latest} l where outcome in ('retained', 'restructured', 'recovered')`),
      },
      firstContactAll: await hours("all"),
      firstContact,
    },
    mix,
    npl: npl == null ? null : Number(npl),
    warnings: Object.fromEntries(warnings.map((w) => [`${w.rule_id}:${w.severity}`, Number(w.n)])),
    funnel: {
      applied: await n(sql`select count(*) as v from ${apps} a`),
      appliedFen: await n(sql`select coalesce(sum(amount_fen), 0) as v from ${apps} a`),
      approved: await n(sql`select count(*) as v from ${apps} a where status in ('approved', 'drawn') or dr`),
      drawn: await n(sql`select count(*) as v from ${apps} a where dr`),
      drawnFen: await n(sql`select coalesce(sum(amount_fen), 0) as v from ${apps} a where dr`),
      rejected: await n(sql`select count(*) as v from ${apps} a where status = 'rejected'`),
      pending: await n(sql`select count(*) as v from ${apps} a where status = 'submitted'`),
      decided: decidedDays.length,
      avgDays: decidedDays.length ? Math.round((decidedDays.reduce((s, d) => s + d, 0) / decidedDays.length) * 10) / 10 : null,
    },
  };
}

// Outstanding principal by class at the end of day `d`: each loan's last recorded state on or before d (none: normal,
// not settled), principal less what repayments dated by d paid on principal.
async function classAt(branch: number | null, d: string): Promise<Record<string, number>> {
  const rows = await t.db.execute<{ k: string; bal: string }>(sql`
    select k, sum(bal) as bal from (
      select coalesce((select h.classification::text from loan_state_history h where h.loan_id = l.id and h.changed_on <= ${d}::date order by h.changed_on desc, h.seq desc limit 1), 'normal') as k,
             coalesce((select (h.after ->> 'settled') = 'true' from loan_state_history h where h.loan_id = l.id and h.changed_on <= ${d}::date order by h.changed_on desc, h.seq desc limit 1), false) as settled,
             l.principal_fen - coalesce((select sum(a.amount_fen) from repayment_allocations a, repayments r
                                         where a.loan_id = l.id and r.id = a.repayment_id and r.paid_on <= ${d}::date and a.component in ('principal', 'prepayment')), 0) as bal
      from loans l where l.disbursed_on <= ${d}::date and l.customer_id in (select id from customers where ${branch === null ? sql`true` : sql`branch_id = ${branch}`})
    ) x where not settled group by k`);
  const out: Record<string, number> = { normal: 0, special_mention: 0, substandard: 0, doubtful: 0, loss: 0 };
  for (const r of rows) out[r.k] = Number(r.bal);
  return out;
}

async function reconcile(who: string, branch: number | null, query: string, from: string, to: string) {
  const { status, body } = await call(who, query);
  expect(status).toBe(200);
  expect(body.period).toEqual({ from, to });
  const e = await expected(branch, from, to);
  const i = body.intervention;
  const { firstContact, ...counts } = e.intervention;
  expect({ ...i, firstContact: undefined }).toEqual({ ...counts, firstContact: undefined });
  expect(Object.fromEntries(i.firstContact.map((r) => [String(r.assigneeId), { tasks: r.tasks, medianHours: r.medianHours, p90Hours: r.p90Hours }]))).toEqual(firstContact);
  expect(Object.fromEntries(body.portfolio.mix.map(({ classification, ...r }) => [classification, r]))).toEqual(e.mix);
  const last = body.portfolio.trend.at(-1)!;
  expect(last.monthEnd).toBe(to > today ? today : to);
  if (to >= today) {
    // Today's point, built from the history and the repayments, agrees with the engine's current state.
    expect(last.totalFen).toBe(Object.values(e.mix).reduce((s, m) => s + m.balanceFen, 0));
    if (e.npl === null) expect(last.nplRatio).toBeNull();
    else expect(last.nplRatio).toBeCloseTo(e.npl, 12);
  }
  for (const point of body.portfolio.trend) expect({ monthEnd: point.monthEnd, byClass: point.byClass }).toEqual({ monthEnd: point.monthEnd, byClass: await classAt(branch, point.monthEnd) });
  expect(Object.fromEntries(body.portfolio.warnings.map((w) => [`${w.ruleId}:${w.severity}`, w.count]))).toEqual(e.warnings);
  const f = body.funnel;
  expect({ applied: f.applied, appliedFen: f.appliedFen, approved: f.approved, drawn: f.drawn, drawnFen: f.drawnFen, rejected: f.rejected, pending: f.pending, decided: f.cycle.decided, avgDays: f.cycle.avgDays }).toEqual(e.funnel);
  return body;
}

describe("dashboard figures reconcile with independent SQL", () => {
  it("a supervisor's branch, the current month by default", async () => {
    const body = await reconcile("sup1", await branchOf("sup1"), "", monthStart, today);
    // The seeded data must exercise the figures, or the comparison proves nothing.
    expect(body.intervention.resolved).toBeGreaterThan(0);
    expect(body.intervention.firstContact.length).toBeGreaterThan(0);
    expect(body.portfolio.mix.reduce((s, m) => s + m.loans, 0)).toBeGreaterThan(0);
  });

  it("the whole bank over two months, and one branch picked by an admin", async () => {
    const body = await reconcile("admin", null, `?from=${prevMonthStart}&to=${today}`, prevMonthStart, today);
    expect(body.intervention.retention.intervened).toBeGreaterThan(0);
    expect(body.funnel.cycle.decided).toBeGreaterThan(0);
    expect(body.portfolio.warnings.length).toBeGreaterThan(0);
    expect(body.portfolio.trend.some((p) => p.nplFen > 0)).toBe(true);
    expect(body.intervention.overdue).toBeGreaterThan(0);
    const b2 = await branchOf("sup2");
    const picked = await reconcile("admin", b2, `?branchId=${b2}&from=${prevMonthStart}&to=${today}`, prevMonthStart, today);
    expect(picked.branchId).toBe(b2);
  });

  it("a named month resolves to its first and last day; the trend's past month-ends are full months", async () => {
    const month = prevMonthStart.slice(0, 7);
    const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
    const body = await reconcile("sup2", await branchOf("sup2"), `?period=${month}`, prevMonthStart, last);
    expect(body.portfolio.trend).toHaveLength(12);
    expect(body.portfolio.trend.at(-2)!.monthEnd < prevMonthStart).toBe(true);
  });
});

// Each figure links to a list; the list, filtered as the link filters it, has as many rows as the figure says.
describe("drill-downs: the list behind each figure has the figure's count", () => {
  const total = async (path: string, who: string) => {
    const mod = path.startsWith("/api/v1/tasks") ? await import("@/app/api/v1/tasks/route") : path.startsWith("/api/v1/warnings") ? await import("@/app/api/v1/warnings/route") : await import("@/app/api/v1/customers/route");
    const res = await mod.GET(new Request(`http://test${path}`, { headers: { authorization: `Bearer ${tokens[who]}` } }), { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { total: number }).total;
  };

  it("tasks, warnings and customers", async () => {
    const range = `from=${prevMonthStart}&to=${today}`;
    const { body } = await call("sup1", `?${range}`);
    const i = body.intervention;
    expect(await total("/api/v1/tasks?status=active&overdue=true", "sup1")).toBe(i.overdue);
    expect(await total("/api/v1/tasks?status=active&escalated=true", "sup1")).toBe(i.escalated);
    expect(await total("/api/v1/tasks?status=in_progress", "sup1")).toBe(i.inProgress);
    expect(await total(`/api/v1/tasks?status=resolved&closedFrom=${prevMonthStart}&closedTo=${today}`, "sup1")).toBe(i.resolved);
    for (const [o, n] of Object.entries(i.outcomes)) expect(await total(`/api/v1/tasks?status=resolved&outcome=${o}&closedFrom=${prevMonthStart}&closedTo=${today}`, "sup1")).toBe(n);
    for (const r of i.firstContact.filter((x) => x.assigneeId !== null))
      expect(await total(`/api/v1/tasks?status=all&assigneeId=${r.assigneeId}&openedFrom=${prevMonthStart}&openedTo=${today}`, "sup1")).toBeGreaterThanOrEqual(r.tasks);
    for (const w of body.portfolio.warnings) expect(await total(`/api/v1/warnings?ruleId=${w.ruleId}&severity=${w.severity}&openedFrom=${prevMonthStart}&openedTo=${today}`, "sup1")).toBe(w.count);
    for (const m of body.portfolio.mix) expect(await total(`/api/v1/customers?classification=${m.classification}`, "sup1")).toBe(m.customers);
    // An admin's branch pick narrows the warnings list the same way.
    const b2 = await branchOf("sup2");
    const picked = (await call("admin", `?branchId=${b2}&${range}`)).body;
    for (const w of picked.portfolio.warnings) expect(await total(`/api/v1/warnings?branchId=${b2}&ruleId=${w.ruleId}&severity=${w.severity}&openedFrom=${prevMonthStart}&openedTo=${today}`, "admin")).toBe(w.count);
  });
});

describe("dashboard scope", () => {
  it("a supervisor naming another branch gets 404; their own branch is fine", async () => {
    const own = await branchOf("sup1");
    expect((await call("sup1", `?branchId=${await branchOf("sup2")}`)).status).toBe(404);
    expect((await call("sup1", `?branchId=${own}`)).status).toBe(200);
  });

  it("an admin naming a branch that does not exist gets 404", async () => {
    expect((await call("admin", "?branchId=999999")).status).toBe(404);
  });

  it("RMs and HR have no dashboard: 404", async () => {
    expect((await call("rm1", "")).status).toBe(404);
    expect((await call("hr1", "")).status).toBe(404);
  });

  it("a malformed period is 422", async () => {
    expect((await call("sup1", "?period=2026-13")).status).toBe(422);
    expect((await call("sup1", "?from=2026-05-01")).status).toBe(422);
    expect((await call("sup1", "?from=2026-06-01&to=2026-05-01")).status).toBe(422);
  });
});
