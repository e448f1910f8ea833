// The dashboard API on a seeded portfolio: every figure against SQL written here, independently of
// lib/dashboard (per-figure statements, no shared fragments), and the scope rules (another branch 404, RM and HR 404).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { appDb, type TestDb } from "./int-db";

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
  t = await appDb();
  // Every figure is compared with the data as it is now: no kept answers, but in the test of the cache itself.
  process.env.DASHBOARD_CACHE_MS = "0";
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
  // The seed writes the month-end snapshots; the first tests derive the trend live, the last ones from snapshots.
  await t.db.execute(sql`truncate loan_month_ends, portfolio_month_ends, month_end_snapshots`);
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
  // Early in a month the history may have opened none of sup1's branch's tasks yet: four of them (contacted, some
  // closed) move into the current month, every timestamp by the same shift, so the month's figures have cases.
  await t.db.execute(sql`
    with pick as (
      select t.id, greatest(${monthStart}::timestamptz, least(${monthStart}::timestamptz + make_interval(hours => t.id % 12), now() - interval '1 minute')) - t.opened_at as d
      from tasks t join customers c on c.id = t.customer_id
      where c.branch_id = (select branch_id from users where username = 'sup1') and t.id % 8 in (2, 3, 4, 7)
        and t.id in (select max(id) from tasks group by customer_id)
      order by t.id limit 4)
    update tasks t set opened_at = t.opened_at + p.d, contact_due_at = t.contact_due_at + p.d, contact_remind_at = t.contact_remind_at + p.d,
           resolve_due_at = t.resolve_due_at + p.d, resolve_remind_at = t.resolve_remind_at + p.d,
           first_contact_at = least(t.first_contact_at + p.d, now()), closed_at = least(t.closed_at + p.d, now())
    from pick p where t.id = p.id`);
  // Some applications decided, some drawn, inside the period.
  await t.db.execute(sql`update applications set submitted_on = ${today}::date - (id % 40)::int where id % 2 = 0`);
  await t.db.execute(sql`update applications set decided_on = submitted_on + (id % 9)::int where status in ('approved', 'rejected', 'drawn') and id % 2 = 0`);
  // Churn events: some dismissed (they never count), and an RM's recorded churn for the customers whose task ended
  // "churned", so the event-based retention differs from the task-outcome one.
  await t.db.execute(sql`update churn_events set status = 'dismissed', dismiss_reason = 'test' where id % 7 = 0`);
  await t.db.execute(sql`update churn_events set status = 'confirmed', reason_family = 'funding_chain', reason_inferred = false where id % 7 = 3`);
  await t.db.execute(sql`
    insert into churn_events (subject_key, customer_id, stage, kind, will, reason_family, reason_inferred, effective_on, detected_on, source, status)
    select distinct 'customer:' || customer_id, customer_id, 'post_loan'::churn_stage, 'other'::churn_kind, 'voluntary'::churn_will, null::reason_family, false,
           ${today}::date, ${today}::date, 'recorded'::churn_source, 'confirmed'::churn_event_status
    from tasks where id % 8 = 4 and id % 3 <> 0
    on conflict do nothing`);
  const { createApiToken } = await import("@/lib/auth/tokens");
  for (const u of ["admin", "sup1", "sup2", "rm1", "hr1"]) tokens[u] = (await createApiToken(t.db, { kind: "system", name: "test" }, u, "dash")).token;
  route = await import("@/app/api/v1/dashboard/route");
}, 600_000); // the demo's 18 months of history, on a shared machine

afterAll(async () => t.drop());

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
  const latest = sql`(select distinct on (customer_id) customer_id, outcome, od from ${tasks} x
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
      retentionByEvents: {
        intervened: await n(sql`select count(*) as v from ${latest} l`),
        retained: await n(sql`select count(*) as v from ${latest} l where l.customer_id not in (
          select e.customer_id from churn_events e where e.status in ('detected', 'confirmed')
            and e.effective_on >= l.od and e.effective_on >= ${from}::date and e.effective_on <= ${to}::date)`),
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

// The churn section, figure by figure: events not dismissed, effective in [from, to] (current) or in [pfrom, pto] (a
// year earlier), customers in the branch; one query per breakdown and window.
type Fig = { customers: number; events: number; balanceFen: number; lossFen: number };
async function expectedChurn(branch: number | null, from: string, to: string, pfrom: string, pto: string) {
  const figs = async (lo: string, hi: string, key: string): Promise<Record<string, Fig>> => {
    const rows = await t.db.execute<{ k: string | null; customers: string; events: string; bal: string; loss: string }>(sql`
      select ${sql.raw(key)} as k, count(distinct ce.customer_id) as customers, count(*) as events,
             sum(ce.exposure_fen) as bal, sum(ce.principal_lost_fen) + sum(ce.interest_lost_fen) as loss
      from churn_events ce, customers cu
      where cu.id = ce.customer_id and ce.status in ('detected', 'confirmed') and ce.effective_on >= ${lo}::date and ce.effective_on <= ${hi}::date
        and ${branch === null ? sql`true` : sql`cu.branch_id = ${branch}`}
      group by 1`);
    return Object.fromEntries(rows.map((r) => [String(r.k), { customers: Number(r.customers), events: Number(r.events), balanceFen: Number(r.bal), lossFen: Number(r.loss) }]));
  };
  const both = async (key: string, prevKey = key) => ({ current: await figs(from, to, key), previous: await figs(pfrom, pto, prevKey) });
  return {
    total: await both("'all'"),
    months: await both("to_char(ce.effective_on, 'YYYY-MM')", "to_char(ce.effective_on, 'YYYY') :: int + 1 || to_char(ce.effective_on, '-MM')"),
    stage: await both("ce.stage::text"),
    will: await both("ce.will::text"),
    reason: await both("ce.reason_family::text"),
    industry: await both("substr(cu.industry_code, 1, 1)"),
    branch: await both("cu.branch_id::text"),
  };
}

const ZF: Fig = { customers: 0, events: 0, balanceFen: 0, lossFen: 0 };
function checkChurn(rows: { current: Fig; previous: Fig }[], keyOf: (r: never) => unknown, e: { current: Record<string, Fig>; previous: Record<string, Fig> }, zerosAllowed = false) {
  const got = { current: {} as Record<string, Fig>, previous: {} as Record<string, Fig> };
  for (const r of rows) {
    const k = String(keyOf(r as never));
    if (!zerosAllowed || r.current.events) got.current[k] = r.current;
    if (!zerosAllowed || r.previous.events) got.previous[k] = r.previous;
  }
  // A key seen in one window only is a zero in the other.
  const fill = (x: Record<string, Fig>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, x[k] ?? ZF]));
  const keys = zerosAllowed ? null : [...new Set([...Object.keys(e.current), ...Object.keys(e.previous)])];
  expect(got.current).toEqual(keys ? fill(e.current, keys) : e.current);
  expect(got.previous).toEqual(keys ? fill(e.previous, keys) : e.previous);
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

  const ch = body.churn;
  const pfrom = `${Number(from.slice(0, 4)) - 1}${from.slice(4)}`.replace(/-02-29$/, "-02-28");
  const pto = `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`.replace(/-02-29$/, "-02-28");
  expect(ch.previous).toEqual({ from: pfrom, to: pto });
  const ec = await expectedChurn(branch, from, to, pfrom, pto);
  expect(ch.total).toEqual({ current: ec.total.current.all ?? ZF, previous: ec.total.previous.all ?? ZF });
  // Every month the period touches is listed (zeros included), in order.
  expect(ch.months.map((m) => m.month)).toEqual([...new Set(Array.from({ length: 400 }, (_, k) => new Date(Date.parse(from) + k * 86_400_000).toISOString().slice(0, 10)).filter((d) => d <= to).map((d) => d.slice(0, 7)))]);
  checkChurn(ch.months, (r: { month: string }) => r.month, ec.months, true);
  checkChurn(ch.byStage, (r: { stage: string }) => r.stage, ec.stage);
  checkChurn(ch.byWill, (r: { will: string }) => r.will, ec.will);
  checkChurn(ch.byReason, (r: { reasonFamily: string | null }) => r.reasonFamily, ec.reason);
  checkChurn(ch.byIndustry, (r: { industry: string }) => r.industry, ec.industry);
  checkChurn(ch.byBranch, (r: { branchId: number }) => r.branchId, ec.branch);
  return body;
}

describe("dashboard figures reconcile with independent SQL", () => {
  it("a whole year: the churn section month by month against the year before", async () => {
    const year = today.slice(0, 4);
    const body = await reconcile("admin", null, `?period=${year}`, `${year}-01-01`, `${year}-12-31`);
    expect(body.churn.months).toHaveLength(12);
    expect(body.churn.total.current.events).toBeGreaterThan(0);
    expect(body.churn.total.previous.events).toBeGreaterThan(0);
    expect(body.churn.byBranch.length).toBeGreaterThan(1);
    expect(body.churn.byReason.some((r) => r.reasonFamily === null)).toBe(true);
  });

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
    expect(body.churn.total.current.events).toBeGreaterThan(0);
    expect(body.intervention.retentionByEvents.retained).toBeLessThan(body.intervention.retentionByEvents.intervened);
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
    const mod = path.startsWith("/api/v1/tasks")
      ? await import("@/app/api/v1/tasks/route")
      : path.startsWith("/api/v1/warnings")
        ? await import("@/app/api/v1/warnings/route")
        : path.startsWith("/api/v1/churn-events")
          ? await import("@/app/api/v1/churn-events/route")
          : path.startsWith("/api/v1/applications")
            ? await import("@/app/api/v1/applications/route")
            : await import("@/app/api/v1/customers/route");
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

  it("the funnel: each step's applications are the applications list's rows", async () => {
    for (const [who, branch] of [["sup1", ""], ["admin", ""], ["admin", `&branchId=${await branchOf("sup2")}`]] as const) {
      const { body } = await call(who, `?from=${prevMonthStart}&to=${today}${branch}`);
      const f = body.funnel;
      const list = (step: string) => total(`/api/v1/applications?step=${step}&submittedFrom=${prevMonthStart}&submittedTo=${today}${branch}`, who);
      expect(f.applied).toBeGreaterThan(0);
      expect(await list("applied")).toBe(f.applied);
      expect(await list("approved")).toBe(f.approved);
      expect(await list("drawn")).toBe(f.drawn);
      expect(await list("decided")).toBe(f.cycle.decided);
      expect(await list("rejected")).toBe(f.rejected);
      expect(await list("withdrawn")).toBe(f.withdrawn);
      expect(await list("pending")).toBe(f.pending);
    }
    // Scoped: a supervisor naming another branch sees none of its applications; an RM only their own customers'.
    expect(await total(`/api/v1/applications?branchId=${await branchOf("sup2")}`, "sup1")).toBe(0);
    const own = await n(sql`select count(*) as v from applications a, customers c, users u where c.id = a.customer_id and u.id = c.rm_id and u.username = 'rm1'`);
    expect(await total("/api/v1/applications", "rm1")).toBe(own);
  });

  it("churn: every breakdown's events are the churn list's rows under the same filters", async () => {
    const year = today.slice(0, 4);
    const check = async (who: string, query: string, branch: string) => {
      const { body } = await call(who, query);
      const c = body.churn;
      const list = (w: { from: string; to: string }, f: string) => total(`/api/v1/churn-events?status=standing&from=${w.from}&to=${w.to}${f}${branch}`, who);
      const cur = { from: body.period.from, to: body.period.to };
      for (const [w, pick] of [[cur, "current"], [c.previous, "previous"]] as const) {
        expect(await list(w, "")).toBe(c.total[pick].events);
        for (const r of c.byStage) expect(await list(w, `&stage=${r.stage}`)).toBe(r[pick].events);
        for (const r of c.byWill) expect(await list(w, `&will=${r.will}`)).toBe(r[pick].events);
        for (const r of c.byReason) expect(await list(w, `&reasonFamily=${r.reasonFamily ?? "undetermined"}`)).toBe(r[pick].events);
        for (const r of c.byIndustry) expect(await list(w, `&industry=${r.industry}`)).toBe(r[pick].events);
        for (const r of c.byBranch) expect(await list(w, `&branchId=${r.branchId}`)).toBe(r[pick].events);
      }
      return c;
    };
    const bank = await check("admin", `?period=${year}`, "");
    expect(bank.byBranch.length).toBeGreaterThan(1);
    await check("sup1", `?period=${year}`, "");
    // A supervisor's list never reaches another branch, even when it names it.
    const other = await branchOf("sup2");
    expect(await total(`/api/v1/churn-events?status=standing&branchId=${other}`, "sup1")).toBe(0);
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

// The month-end snapshots (lib/dashboard/snapshots.ts): written once, idempotent, equal to the live derivation, and
// what the trend reads once written.
describe("month-end snapshots", () => {
  it("writes the past 13 month-ends once; each equals the independent per-month-end SQL", async () => {
    const { writeMonthEnds } = await import("@/lib/dashboard/snapshots");
    const first = await writeMonthEnds(t.db, today, { months: 13 });
    expect(first.written).toHaveLength(13);
    expect(first.written.every((d) => d < today)).toBe(true);
    expect(await writeMonthEnds(t.db, today, { months: 13 })).toEqual({ written: [], kept: first.written });
    for (const d of first.written) {
      const rows = await t.db.execute<{ k: string; bal: string; n: string }>(sql`
        select classification::text as k, sum(balance_fen) as bal, count(*) as n from loan_month_ends where month_end = ${d}::date group by 1`);
      const got: Record<string, number> = { normal: 0, special_mention: 0, substandard: 0, doubtful: 0, loss: 0 };
      for (const r of rows) got[r.k] = Number(r.bal);
      expect(got, d).toEqual(await classAt(null, d));
      // The branch sums are the per-loan rows' sums.
      expect(await n(sql`select coalesce(sum(balance_fen), 0) as v from portfolio_month_ends where month_end = ${d}::date`)).toBe(Object.values(got).reduce((a, b) => a + b, 0));
    }
  });

  it("the dashboard's trend reads the snapshots and its figures stay identical", async () => {
    const month = prevMonthStart.slice(0, 7);
    const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
    await reconcile("sup1", await branchOf("sup1"), "", monthStart, today);
    await reconcile("admin", null, `?from=${prevMonthStart}&to=${today}`, prevMonthStart, today);
    await reconcile("sup2", await branchOf("sup2"), `?period=${month}`, prevMonthStart, last);
    // A change to a stored aggregate shows on the dashboard: the trend does read them (then put back by a rewrite).
    const b1 = await branchOf("sup1");
    const before = (await call("sup1", "")).body.portfolio.trend.find((p) => p.monthEnd === last)!;
    await t.db.execute(sql`update portfolio_month_ends set balance_fen = balance_fen + 100 where month_end = ${last}::date and branch_id = ${b1} and classification = 'normal'`);
    const after = (await call("sup1", "")).body.portfolio.trend.find((p) => p.monthEnd === last)!;
    expect(after.byClass.normal).toBe(before.byClass.normal + 100);
    const { writeMonthEnd } = await import("@/lib/dashboard/snapshots");
    expect(await writeMonthEnd(t.db, last, { force: true })).toMatchObject({ written: true });
    expect((await call("sup1", "")).body.portfolio.trend.find((p) => p.monthEnd === last)).toEqual(before);
  });
});

describe("the dashboard's short cache", () => {
  it("keeps an answer per scope and period for DASHBOARD_CACHE_MS, then reads again", async () => {
    const b1 = await branchOf("sup1");
    const flip = sql`update tasks set escalated = not escalated where id = (select t.id from tasks t join customers c on c.id = t.customer_id
                       where c.branch_id = ${b1} and t.status in ('open', 'acknowledged', 'in_progress') order by t.id limit 1)`;
    process.env.DASHBOARD_CACHE_MS = "60000";
    try {
      const first = (await call("sup1", "")).body;
      await t.db.execute(flip);
      // Within the TTL: the same answer, though one active task's escalation changed.
      expect((await call("sup1", "")).body).toEqual(first);
      // With no TTL it is read again.
      process.env.DASHBOARD_CACHE_MS = "0";
      const fresh = (await call("sup1", "")).body;
      expect(Math.abs(fresh.intervention.escalated - first.intervention.escalated)).toBe(1);
    } finally {
      process.env.DASHBOARD_CACHE_MS = "0";
      await t.db.execute(flip);
    }
  });

  it("past the TTL serves the kept answer at once while one recomputation runs, then the new one replaces it", async () => {
    const b1 = await branchOf("sup1");
    const flip = sql`update tasks set escalated = not escalated where id = (select t.id from tasks t join customers c on c.id = t.customer_id
                       where c.branch_id = ${b1} and t.status in ('open', 'acknowledged', 'in_progress') order by t.id limit 1)`;
    // A period of its own, so no answer kept by the test above is reused.
    const q = `?period=${prevMonthStart.slice(0, 7)}`;
    process.env.DASHBOARD_CACHE_MS = "200";
    process.env.DASHBOARD_STALE_MS = "600000";
    try {
      const first = (await call("sup1", q)).body;
      expect(first.computedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      await t.db.execute(flip);
      await new Promise((r) => setTimeout(r, 250));
      // Stale: the old answer, with its old computedAt, served without waiting for the recomputation it started.
      const stale = (await call("sup1", q)).body;
      expect(stale).toEqual(first);
      // Once the recomputation lands, it is what readers get: newer computedAt and the flipped task counted.
      let fresh = stale;
      for (let i = 0; i < 100 && fresh.computedAt === first.computedAt; i++) {
        await new Promise((r) => setTimeout(r, 50));
        fresh = (await call("sup1", q)).body;
      }
      expect(fresh.computedAt > first.computedAt).toBe(true);
      expect(Math.abs(fresh.intervention.escalated - first.intervention.escalated)).toBe(1);
      // Past DASHBOARD_STALE_MS a reader waits for new figures instead of getting old ones.
      await t.db.execute(flip);
      process.env.DASHBOARD_STALE_MS = "300";
      await new Promise((r) => setTimeout(r, 350));
      const waited = (await call("sup1", q)).body;
      expect(waited.computedAt > fresh.computedAt).toBe(true);
      expect(waited.intervention.escalated).toBe(first.intervention.escalated);
    } finally {
      process.env.DASHBOARD_CACHE_MS = "0";
      delete process.env.DASHBOARD_STALE_MS;
    }
  });

  it("a kept answer never crosses scopes: a supervisor gets their own branch's, never one an admin kept for another", async () => {
    const [b1, b2] = [await branchOf("sup1"), await branchOf("sup2")];
    process.env.DASHBOARD_CACHE_MS = "60000";
    try {
      // The admin's bank view and its view of branch 2 are kept; sup1 asks for the bank, for branch 2, and for nothing.
      const bank = (await call("admin", "")).body;
      const other = (await call("admin", `?branchId=${b2}`)).body;
      expect(bank.branchId).toBeNull();
      expect(other.branchId).toBe(b2);
      expect((await call("sup1", `?branchId=${b2}`)).status).toBe(404);
      const own = (await call("sup1", "")).body;
      expect(own.branchId).toBe(b1);
      expect(own.intervention).not.toEqual(bank.intervention);
      // sup2's own branch is the admin's kept answer for it (same scope, same key): that is the only sharing.
      expect((await call("sup2", "")).body).toEqual(other);
    } finally {
      process.env.DASHBOARD_CACHE_MS = "0";
    }
  });
});
