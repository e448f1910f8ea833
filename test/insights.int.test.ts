// Warning-quality telemetry (GET /api/v1/insights/rules and /staff) on a demo portfolio given a crafted past
// (test/insights-fixture.ts): every figure against SQL written here, independently of lib/insights (per-figure
// statements, percentiles and the standardised comparison computed in JS), and the scope rules.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { craftInsightsHistory } from "./insights-fixture";
import { appDb, type TestDb } from "./int-db";

vi.mock("next-intl/server", () => ({
  getTranslations: async () => Object.assign((key: string) => key, { has: () => false }),
  getLocale: async () => "en",
}));
vi.mock("@/lib/auth/nextauth", () => ({ currentSession: async () => null }));

type Rules = import("@/lib/insights/queries").RulesInsights;
type Staff = import("@/lib/insights/queries").StaffInsights;

let t: TestDb;
let rulesRoute: typeof import("@/app/api/v1/insights/rules/route");
let staffRoute: typeof import("@/app/api/v1/insights/staff/route");
const tokens: Record<string, string> = {};
let today: string;
const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

// An answer's figures: everything but when they were read.
const figures = <T extends { computedAt?: string }>(b: T) => ({ ...b, computedAt: undefined });

beforeAll(async () => {
  process.env.DASHBOARD_CACHE_MS = "0";
  t = await appDb();
  const { todayIn } = await import("@/lib/time");
  today = todayIn();
  const { seedDemo } = await import("@/lib/seed/load");
  const { evaluateFirstDay } = await import("@/lib/seed/work");
  // The loaded portfolio's first day, then a crafted past (the demo's own history is random for these checks).
  await seedDemo(t.db, { customers: 200, seed: 16, asOf: today });
  await evaluateFirstDay(t.db, today);
  await craftInsightsHistory(t.db, today);
  const { createApiToken } = await import("@/lib/auth/tokens");
  for (const u of ["admin", "sup1", "sup2", "rm1", "hr1"]) tokens[u] = (await createApiToken(t.db, { kind: "system", name: "test" }, u, "insights")).token;
  rulesRoute = await import("@/app/api/v1/insights/rules/route");
  staffRoute = await import("@/app/api/v1/insights/staff/route");
}, 240_000);

afterAll(async () => t.drop());

async function call<T>(which: "rules" | "staff", who: string, query: string) {
  const r = which === "rules" ? rulesRoute : staffRoute;
  const res = await r.GET(new Request(`http://test/api/v1/insights/${which}${query}`, { headers: { authorization: `Bearer ${tokens[who]}` } }), { params: Promise.resolve({}) });
  const body = await res.json();
  if (res.status === 500) console.error(body);
  return { status: res.status, body: body as T };
}

const branchOf = async (username: string) => (await t.db.execute<{ b: number }>(sql`select branch_id as b from users where username = ${username}`))[0]!.b;

/** percentile_cont's definition: linear interpolation between the closest ranks, rounded to 0.1. */
function pct(vals: number[], p: number): number | null {
  if (!vals.length) return null;
  const v = [...vals].sort((a, b) => a - b);
  const pos = p * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round((v[lo]! + (v[hi]! - v[lo]!) * (pos - lo)) * 10) / 10;
}

// ---- rules: independent expectations -------------------------------------------------------------------------
async function expectedRules(branch: number | null, from: string, to: string, h: number) {
  const inBranch = branch === null ? sql`true` : sql`customer_id in (select id from customers where branch_id = ${branch})`;
  // Warnings of the period with their outcome flags, computed with joins rather than exists().
  const ws = await t.db.execute<{ id: string; v: number; hit_e: boolean; hit_t: boolean; fa_t: boolean; old: boolean }>(sql`
    select w.id, w.rule_version_id as v,
           w.id in (select w2.id from warnings w2 join churn_events e on e.customer_id = w2.customer_id and e.stage = w2.stage
                    where e.status in ('detected', 'confirmed') and e.effective_on >= w2.opened_on and e.effective_on - w2.opened_on <= ${h}) as hit_e,
           w.id in (select tw.warning_id from task_warnings tw join tasks k on k.id = tw.task_id
                    where k.status = 'resolved' and k.outcome in ('retained', 'restructured', 'recovered', 'churned')) as hit_t,
           w.id in (select tw.warning_id from task_warnings tw join tasks k on k.id = tw.task_id where k.status = 'resolved' and k.outcome = 'false_alarm') as fa_t,
           ${today}::date - w.opened_on > ${h} as old
    from warnings w where w.opened_on >= ${from}::date and w.opened_on <= ${to}::date and ${inBranch}`);
  const evs = await t.db.execute<{ id: string; stage: string; eff: string; customer_id: number }>(sql`
    select id, stage::text, effective_on::text as eff, customer_id from churn_events
    where status <> 'dismissed' and effective_on >= ${from}::date and effective_on <= ${to}::date and ${inBranch}`);
  // For each event and version: the days since the earliest warning of that version within H before it.
  const leads = await t.db.execute<{ eid: string; v: number; lead: number }>(sql`
    select e.id as eid, w.rule_version_id as v, max(e.effective_on - w.opened_on) as lead
    from churn_events e, warnings w
    where e.status <> 'dismissed' and e.effective_on >= ${from}::date and e.effective_on <= ${to}::date and e.${sql.raw("customer_id")} in
          (select id from customers where ${branch === null ? sql`true` : sql`branch_id = ${branch}`})
      and w.customer_id = e.customer_id and w.stage = e.stage and w.opened_on <= e.effective_on and e.effective_on - w.opened_on <= ${h}
    group by e.id, w.rule_version_id`);
  const versions = await t.db.execute<{ id: number; stage: string }>(sql`select id, stage::text from rule_versions`);
  const stageOf = new Map(versions.map((v) => [v.id, v.stage]));
  const byV = new Map<number, { raised: number; hits: number; hitsByEvent: number; confirmedByTask: number; falseAlarms: number; falseAlarmsByTask: number; caught: number; leads: number[] }>();
  const get = (v: number) => {
    if (!byV.has(v)) byV.set(v, { raised: 0, hits: 0, hitsByEvent: 0, confirmedByTask: 0, falseAlarms: 0, falseAlarmsByTask: 0, caught: 0, leads: [] });
    return byV.get(v)!;
  };
  for (const w of ws) {
    const x = get(w.v);
    x.raised++;
    if (w.hit_e) x.hitsByEvent++;
    if (w.hit_t) x.confirmedByTask++;
    if (w.hit_e || w.hit_t) x.hits++;
    else if (w.fa_t || w.old) {
      x.falseAlarms++;
      if (w.fa_t) x.falseAlarmsByTask++;
    }
  }
  for (const l of leads) {
    const x = get(l.v);
    x.caught++;
    x.leads.push(Number(l.lead));
  }
  const anyLead = new Map<string, number>();
  for (const l of leads) anyLead.set(l.eid, Math.max(anyLead.get(l.eid) ?? 0, Number(l.lead)));
  const eventsOfStage = (s: string) => evs.filter((e) => e.stage === s).length;
  return {
    byV,
    eventsOfStage,
    stageOf,
    raised: ws.length,
    events: evs.length,
    caughtAny: anyLead.size,
    anyLeads: [...anyLead.values()],
  };
}

function checkRules(body: Rules, exp: Awaited<ReturnType<typeof expectedRules>>) {
  expect(body.rows.length).toBe(exp.byV.size);
  for (const r of body.rows) {
    const x = exp.byV.get(r.ruleVersionId)!;
    expect(x, `version ${r.ruleVersionId}`).toBeDefined();
    const events = exp.eventsOfStage(exp.stageOf.get(r.ruleVersionId)!);
    expect({
      raised: r.raised, hits: r.hits, hitsByEvent: r.hitsByEvent, confirmedByTask: r.confirmedByTask, falseAlarms: r.falseAlarms,
      falseAlarmsByTask: r.falseAlarmsByTask, pending: r.pending, events: r.events, caught: r.caught, lead: r.leadDays,
    }, `version ${r.ruleVersionId}`).toEqual({
      raised: x.raised, hits: x.hits, hitsByEvent: x.hitsByEvent, confirmedByTask: x.confirmedByTask, falseAlarms: x.falseAlarms,
      falseAlarmsByTask: x.falseAlarmsByTask, pending: x.raised - x.hits - x.falseAlarms, events, caught: x.caught,
      lead: { median: pct(x.leads, 0.5), p25: pct(x.leads, 0.25), p75: pct(x.leads, 0.75) },
    });
    expect(r.precision).toBeCloseTo(x.raised ? x.hits / x.raised : NaN, 10);
    expect(r.falseAlarmShare).toBeCloseTo(x.raised ? x.falseAlarms / x.raised : NaN, 10);
    if (events) expect(r.recall).toBeCloseTo(x.caught / events, 10);
    else expect(r.recall).toBeNull();
  }
  expect(body.overall).toEqual({
    raised: exp.raised,
    events: exp.events,
    caught: exp.caughtAny,
    recall: exp.events ? exp.caughtAny / exp.events : null,
    leadDays: { median: pct(exp.anyLeads, 0.5), p25: pct(exp.anyLeads, 0.25), p75: pct(exp.anyLeads, 0.75) },
  });
}

// ---- staff: independent expectations -------------------------------------------------------------------------
async function expectedStaff(branch: number | null, from: string, to: string, h: number) {
  const tz = "Asia/Shanghai";
  const inBranch = branch === null ? sql`true` : sql`c.branch_id = ${branch}`;
  const tasks = [...(await t.db.execute<{ id: number; customer_id: number; assignee_id: number | null; branch_id: number; hours: string | null; c_dec: boolean; c_met: boolean; r_dec: boolean; r_met: boolean; od: string; opened_at: string }>(sql`
    select k.id, k.customer_id, k.assignee_id, c.branch_id, extract(epoch from k.first_contact_at - k.opened_at) / 3600 as hours,
           (k.first_contact_at is not null or k.contact_due_at <= now()) as c_dec, coalesce(k.first_contact_at <= k.contact_due_at, false) as c_met,
           (k.status = 'resolved' or k.resolve_due_at <= now()) as r_dec, (k.status = 'resolved' and k.closed_at <= k.resolve_due_at) as r_met,
           (k.opened_at at time zone ${tz})::date::text as od, k.opened_at::text
    from tasks k join customers c on c.id = k.customer_id
    where ${inBranch} and k.status <> 'cancelled' and (k.opened_at at time zone ${tz})::date between ${from}::date and ${to}::date
    order by k.opened_at, k.id`))];
  const cohort = [...(await t.db.execute<{ customer_id: number; branch_id: number; band: string; first_warned: string }>(sql`
    select w.customer_id, c.branch_id, max(case w.severity when 'low' then 1 when 'medium' then 2 when 'high' then 3 else 4 end)::text as band,
           min(w.opened_on)::text as first_warned
    from warnings w join customers c on c.id = w.customer_id
    where ${inBranch} and w.opened_on between ${from}::date and ${to}::date group by w.customer_id, c.branch_id`))];
  const events = await t.db.execute<{ customer_id: number; eff: string }>(sql`select customer_id, effective_on::text as eff from churn_events where status <> 'dismissed'`);
  const evBy = new Map<number, string[]>();
  for (const e of events) evBy.set(e.customer_id, [...(evBy.get(e.customer_id) ?? []), e.eff]);
  const firstTask = new Map<number, (typeof tasks)[number]>();
  for (const k of tasks) if (!firstTask.has(k.customer_id)) firstTask.set(k.customer_id, k);
  const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const people = cohort.map((c) => {
    const ft = firstTask.get(c.customer_id);
    const start = ft ? ft.od : c.first_warned;
    const end = [addDays(start, h), today].sort()[0]!;
    const churned = (evBy.get(c.customer_id) ?? []).some((e) => e >= start && e <= end);
    return { ...c, treated: !!ft, assignee: ft ? ft.assignee_id : null, retained: !churned };
  });
  const band = new Map<string, { n: number; r: number }>();
  for (const p of people.filter((x) => !x.treated)) {
    const b = band.get(p.band) ?? { n: 0, r: 0 };
    b.n++;
    if (p.retained) b.r++;
    band.set(p.band, b);
  }
  const figures = (ts: typeof tasks, ps: typeof people) => {
    const contacted = ts.filter((k) => k.hours != null).map((k) => Number(k.hours));
    const treated = ps.filter((p) => p.treated);
    const rates = treated.map((p) => band.get(p.band)).filter((b) => b && b.n > 0).map((b) => b!.r / b!.n);
    return {
      tasks: ts.length,
      contact: { tasks: contacted.length, medianHours: pct(contacted, 0.5), p90Hours: pct(contacted, 0.9) },
      contactSla: { decided: ts.filter((k) => k.c_dec).length, met: ts.filter((k) => k.c_met).length },
      resolveSla: { decided: ts.filter((k) => k.r_dec).length, met: ts.filter((k) => k.r_met).length },
      retention: { treated: treated.length, retained: treated.filter((p) => p.retained).length, comparable: rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : null },
    };
  };
  return { tasks, people, band, figures };
}

function checkStaffRow(got: Staff["overall"], exp: ReturnType<Awaited<ReturnType<typeof expectedStaff>>["figures"]>, label: string) {
  expect({ tasks: got.tasks, contact: got.contact, c: [got.contactSla.decided, got.contactSla.met], r: [got.resolveSla.decided, got.resolveSla.met], t: [got.retention.treated, got.retention.retained] }, label).toEqual({
    tasks: exp.tasks, contact: exp.contact, c: [exp.contactSla.decided, exp.contactSla.met], r: [exp.resolveSla.decided, exp.resolveSla.met], t: [exp.retention.treated, exp.retention.retained],
  });
  if (exp.retention.comparable === null) expect(got.retention.comparableRate, label).toBeNull();
  else expect(got.retention.comparableRate, label).toBeCloseTo(exp.retention.comparable, 10);
}

async function checkStaff(body: Staff, branch: number | null, from: string, to: string, h: number) {
  const e = await expectedStaff(branch, from, to, h);
  checkStaffRow(body.overall, e.figures(e.tasks, e.people), "overall");
  const rmIds = new Set([...e.tasks.map((k) => k.assignee_id), ...e.people.filter((p) => p.treated).map((p) => p.assignee)]);
  expect(new Set(body.rms.map((r) => r.assigneeId))).toEqual(rmIds);
  for (const r of body.rms) checkStaffRow(r, e.figures(e.tasks.filter((k) => k.assignee_id === r.assigneeId), e.people.filter((p) => p.treated && p.assignee === r.assigneeId)), `rm ${r.assigneeId}`);
  const brIds = new Set([...e.tasks.map((k) => k.branch_id), ...e.people.filter((p) => p.treated).map((p) => p.branch_id)]);
  expect(new Set(body.branches.map((b) => b.branchId))).toEqual(brIds);
  for (const b of body.branches) checkStaffRow(b, e.figures(e.tasks.filter((k) => k.branch_id === b.branchId), e.people.filter((p) => p.branch_id === b.branchId)), `branch ${b.branchId}`);
  for (const b of body.bands) {
    const rank = String(["low", "medium", "high", "critical"].indexOf(b.severity) + 1);
    const ps = e.people.filter((p) => p.band === rank);
    expect([b.treated, b.retained, b.control, b.controlRetained], b.severity).toEqual([
      ps.filter((p) => p.treated).length, ps.filter((p) => p.treated && p.retained).length, ps.filter((p) => !p.treated).length, ps.filter((p) => !p.treated && p.retained).length,
    ]);
  }
  expect(body.bands.reduce((s, b) => s + b.treated + b.control, 0)).toBe(e.people.length);
  return e;
}

describe("warning quality per rule version", () => {
  it("has a past to measure: warnings, tasks and events spread over the period, every outcome present", async () => {
    const [r] = await t.db.execute<{ w: string; e: string; hit: string; fa: string }>(sql`
      select (select count(distinct opened_on) from warnings) as w, (select count(*) from churn_events where effective_on < ${day(-200)}::date) as e,
             (select count(*) from tasks where outcome in ('retained', 'churned')) as hit, (select count(*) from tasks where outcome = 'false_alarm') as fa`);
    expect(Number(r!.w)).toBeGreaterThan(30);
    expect(Number(r!.e)).toBeGreaterThan(5);
    expect(Number(r!.hit)).toBeGreaterThan(3);
    expect(Number(r!.fa)).toBeGreaterThan(0);
  });

  for (const [label, from, to, h] of [
    ["the last year", -365, 0, 180],
    ["an older stretch with a 90-day horizon", -420, -150, 90],
  ] as const) {
    it(`equals independent SQL for the bank over ${label}`, async () => {
      const q = `?from=${day(from)}&to=${day(to)}&horizon=${h}`;
      const { status, body } = await call<Rules>("rules", "admin", q);
      expect(status).toBe(200);
      const exp = await expectedRules(null, day(from), day(to), h);
      // Not a vacuous check: hits, false alarms, pending and caught events all occur.
      expect(body.rows.some((r) => r.hitsByEvent > 0 && r.falseAlarms > 0)).toBe(true);
      expect(body.rows.some((r) => r.confirmedByTask > 0)).toBe(true);
      expect(body.overall.caught).toBeGreaterThan(0);
      checkRules(body, exp);
    });
  }

  it("covers only the supervisor's branch, and an admin's branch filter gives the same figures", async () => {
    const b = await branchOf("sup1");
    const q = `?from=${day(-365)}&to=${day(0)}`;
    const sup = await call<Rules>("rules", "sup1", q);
    expect(sup.status).toBe(200);
    expect(sup.body.branchId).toBe(b);
    checkRules(sup.body, await expectedRules(b, day(-365), day(0), 180));
    const bank = await call<Rules>("rules", "admin", q);
    expect(sup.body.overall.raised).toBeLessThan(bank.body.overall.raised);
    const adm = await call<Rules>("rules", "admin", `${q}&branchId=${b}`);
    expect(figures(adm.body)).toEqual(figures(sup.body));
  });
});

describe("drill-downs list exactly what each figure counts", () => {
  it("warnings by quality and churn events caught by a version, for the supervisor's branch", async () => {
    const { listWarnings, warningQuerySchema } = await import("@/lib/warnings/queries");
    const { listChurnEvents, churnQuerySchema } = await import("@/lib/churn/queries");
    const b = await branchOf("sup1");
    const scope = { kind: "branch" as const, branchId: b, contact: true as const };
    const from = day(-365);
    const to = day(0);
    const { body } = await call<Rules>("rules", "sup1", `?from=${from}&to=${to}&horizon=120`);
    let checked = 0;
    for (const r of body.rows) {
      const w = (quality?: string) => listWarnings(t.db, scope, warningQuerySchema.parse({ ruleVersionId: r.ruleVersionId, quality, horizon: 120, openedFrom: from, openedTo: to, pageSize: 1 }));
      expect((await w()).total).toBe(r.raised);
      expect((await w("hit")).total).toBe(r.hits);
      expect((await w("false_alarm")).total).toBe(r.falseAlarms);
      expect((await w("pending")).total).toBe(r.pending);
      const ev = await listChurnEvents(t.db, scope, churnQuerySchema.parse({ ruleVersionId: r.ruleVersionId, horizon: 120, counted: "1", stage: r.stage, from, to, pageSize: 1 }));
      expect(ev.total).toBe(r.caught);
      const all = await listChurnEvents(t.db, scope, churnQuerySchema.parse({ counted: "1", stage: r.stage, from, to, pageSize: 1 }));
      expect(all.total).toBe(r.events);
      if (r.hits && r.caught) checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe("staff figures per RM and branch", () => {
  it("equals independent SQL for the bank, every RM and every branch", async () => {
    const { status, body } = await call<Staff>("staff", "admin", `?from=${day(-365)}&to=${day(0)}`);
    expect(status).toBe(200);
    const e = await checkStaff(body, null, day(-365), day(0), 180);
    // Not vacuous: both arms of the comparison exist, and someone churned in each.
    expect(e.people.filter((p) => p.treated && !p.retained).length).toBeGreaterThan(0);
    expect(e.people.filter((p) => !p.treated && !p.retained).length).toBeGreaterThan(0);
    expect(body.overall.retention.comparableRate).not.toBeNull();
    expect(body.branches.length).toBeGreaterThan(1);
  });

  it("equals independent SQL over an older period with a shorter horizon", async () => {
    const { body } = await call<Staff>("staff", "admin", `?from=${day(-400)}&to=${day(-100)}&horizon=60`);
    await checkStaff(body, null, day(-400), day(-100), 60);
  });

  it("covers only the supervisor's branch", async () => {
    const b = await branchOf("sup1");
    const { status, body } = await call<Staff>("staff", "sup1", `?from=${day(-365)}&to=${day(0)}`);
    expect(status).toBe(200);
    expect(body.branches.map((x) => x.branchId)).toEqual([b]);
    await checkStaff(body, b, day(-365), day(0), 180);
  });
});

describe("who may read it", () => {
  it("answers 404 to an RM and to HR, 404 to a supervisor naming another branch, 422 on a bad period or horizon", async () => {
    const other = await branchOf("sup2");
    for (const which of ["rules", "staff"] as const) {
      expect((await call(which, "rm1", "")).status).toBe(404);
      expect((await call(which, "hr1", "")).status).toBe(404);
      expect((await call(which, "sup1", `?branchId=${other}`)).status).toBe(404);
      expect((await call(which, "sup2", `?branchId=${other}`)).status).toBe(200);
      const bad = await call<{ error: { issues: { field: string }[] } }>(which, "admin", "?from=2026-05-01&to=2026-04-01");
      expect(bad.status).toBe(422);
      expect(bad.body.error.issues[0]!.field).toBe("from");
      expect((await call(which, "admin", "?horizon=5")).status).toBe(422);
    }
  });
});

// Last: it changes the past. The outcome rows (migration 0021) follow each change through the triggers and the
// refresh before a read, equal a full rebuild, and the figures still equal the SQL over the raw tables.
describe("the outcome rows follow later changes", () => {
  const snapshot = async () =>
    [
      ...(await t.db.execute(sql`select to_jsonb(x) as r from warning_outcomes x order by warning_id`)),
      ...(await t.db.execute(sql`select to_jsonb(x) as r from event_outcomes x order by event_id, rule_version_id`)),
      ...(await t.db.execute(sql`select to_jsonb(x) as r from task_outcomes x order by task_id`)),
    ].map((x) => x.r);

  it("keeps an answer per scope and period for DASHBOARD_CACHE_MS, then reads again", async () => {
    const q = `?from=${day(-365)}&to=${day(0)}&horizon=200`;
    const [ev] = await t.db.execute<{ id: number; status: string }>(sql`
      select id, status::text from churn_events where status <> 'dismissed' and effective_on >= ${day(-365)}::date order by id limit 1`);
    process.env.DASHBOARD_CACHE_MS = "60000";
    try {
      const first = await call<Rules>("rules", "admin", q);
      await t.db.execute(sql`update churn_events set status = 'dismissed' where id = ${ev!.id}`);
      expect((await call<Rules>("rules", "admin", q)).body).toEqual(first.body);
      process.env.DASHBOARD_CACHE_MS = "0";
      expect((await call<Rules>("rules", "admin", q)).body.overall.events).toBe(first.body.overall.events - 1);
    } finally {
      process.env.DASHBOARD_CACHE_MS = "0";
      await t.db.execute(sql`update churn_events set status = ${ev!.status}::churn_event_status where id = ${ev!.id}`);
    }
  });

  it("a task resolved later, an event dismissed, one restored and a customer moved: figures and rows as from scratch", async () => {
    const { refreshOutcomes, rebuildOutcomes } = await import("@/lib/insights/outcomes");
    const q = `?from=${day(-365)}&to=${day(0)}`;
    const before = await call<Rules>("rules", "admin", q);
    const staffBefore = await call<Staff>("staff", "admin", q);
    expect(await refreshOutcomes(t.db)).toBe(0);
    // A task not yet resolved whose warning is neither hit nor rejected: resolved now as retained (a confirming verdict).
    const [task] = await t.db.execute<{ id: number }>(sql`
      select k.id from tasks k join task_warnings tw on tw.task_id = k.id join warnings w on w.id = tw.warning_id
      where k.status in ('open', 'acknowledged', 'in_progress') and w.opened_on >= ${day(-365)}::date
        and not exists (select 1 from churn_events e where e.customer_id = w.customer_id and e.stage = w.stage and e.status <> 'dismissed'
                        and e.effective_on between w.opened_on and w.opened_on + 180)
      order by k.id limit 1`);
    expect(task).toBeDefined();
    await t.db.execute(sql`update tasks set status = 'resolved', outcome = 'retained', first_contact_at = coalesce(first_contact_at, now()), closed_at = now() where id = ${task!.id}`);
    // An event a warning caught, dismissed; a dismissed one confirmed.
    const [caught] = await t.db.execute<{ id: number }>(sql`
      select e.id from churn_events e where e.status <> 'dismissed' and e.effective_on >= ${day(-365)}::date
        and exists (select 1 from warnings w where w.customer_id = e.customer_id and w.stage = e.stage and w.opened_on between e.effective_on - 180 and e.effective_on)
      order by e.id limit 1`);
    expect(caught).toBeDefined();
    await t.db.execute(sql`update churn_events set status = 'dismissed' where id = ${caught!.id}`);
    await t.db.execute(sql`update churn_events set status = 'confirmed' where id = (select min(id) from churn_events where status = 'dismissed' and id <> ${caught!.id})`);
    // A warned customer moved to another branch (the scope reads the branch from the outcome rows).
    const [moved] = await t.db.execute<{ id: number; b: number }>(sql`
      select c.id, (select min(b.id) from branches b where b.id <> c.branch_id) as b from customers c
      where exists (select 1 from warnings w where w.customer_id = c.id and w.opened_on >= ${day(-365)}::date) order by c.id limit 1`);
    await t.db.execute(sql`update customers set branch_id = ${moved!.b} where id = ${moved!.id}`);
    expect(Number((await t.db.execute<{ n: number }>(sql`select count(*)::int as n from insight_dirty`))[0]!.n)).toBeGreaterThan(0);

    const after = await call<Rules>("rules", "admin", q);
    expect(figures(after.body)).not.toEqual(figures(before.body));
    expect(after.body.overall.events).toBe(before.body.overall.events); // one event out, one back in
    checkRules(after.body, await expectedRules(null, day(-365), day(0), 180));
    const sup = await call<Rules>("rules", "sup1", `${q}&horizon=120`);
    checkRules(sup.body, await expectedRules(await branchOf("sup1"), day(-365), day(0), 120));
    const staff = await call<Staff>("staff", "admin", q);
    expect(figures(staff.body)).not.toEqual(figures(staffBefore.body));
    await checkStaff(staff.body, null, day(-365), day(0), 180);
    await checkStaff((await call<Staff>("staff", "sup1", q)).body, await branchOf("sup1"), day(-365), day(0), 180);

    // Incremental equals from scratch, and a second refresh has nothing to do.
    expect(await refreshOutcomes(t.db)).toBe(0);
    const incremental = await snapshot();
    await rebuildOutcomes(t.db);
    expect(await snapshot()).toEqual(incremental);
  });
});
