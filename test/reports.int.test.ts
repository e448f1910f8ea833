// The churn report on a seeded portfolio: every figure of the snapshot against SQL written here, independently of
// lib/reports (per-figure statements, correlated subqueries where the code groups); the snapshot does not move when
// the data does; the measures are edited in versions and finalising locks them (audited); scope: another branch, the
// bank for a supervisor, an RM and HR are all 404, through the functions and the API.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { appDb, type TestDb } from "./int-db";

vi.mock("next-intl/server", () => ({
  getTranslations: async () => Object.assign((key: string) => key, { has: () => false }),
  getLocale: async () => "en",
}));
vi.mock("@/lib/auth/nextauth", () => ({ currentSession: async () => null }));

type Svc = typeof import("@/lib/reports/service");
type Snapshot = import("@/lib/reports/sections").Snapshot;

let t: TestDb;
let svc: Svc;
let today: string;
let period: string;
let branch: number;
let branchCode: string;
let reportId: number;
let snap: Snapshot;
const users: Record<string, { id: number; branch: number | null }> = {};
const tokens: Record<string, string> = {};
const E = 180;
const TZ = "Asia/Shanghai";

const rows = async <T>(q: ReturnType<typeof sql>) => (await t.db.execute<T & Record<string, unknown>>(q)) as T[];
const n = async (q: ReturnType<typeof sql>) => Number((await rows<{ v: unknown }>(q))[0]?.v ?? 0);

beforeAll(async () => {
  t = await appDb();
  const { todayIn } = await import("@/lib/time");
  today = todayIn();
  const { seedDemo } = await import("@/lib/seed/load");
  const { startDemoWork } = await import("@/lib/seed/work");
  await seedDemo(t.db, { customers: 200, seed: 7, asOf: today });
  await startDemoWork(t.db, today);
  for (const u of await rows<{ id: number; username: string; branch_id: number | null }>(sql`select id, username, branch_id from users`)) users[u.username] = { id: u.id, branch: u.branch_id };
  branch = users.sup1!.branch!;
  branchCode = (await rows<{ code: string }>(sql`select code from branches where id = ${branch}`))[0]!.code;
  // The month of sup1's branch with the most events, so the figures are not all zero.
  period = (await rows<{ m: string }>(sql`
    select to_char(e.effective_on, 'YYYY-MM') as m from churn_events e join customers c on c.id = e.customer_id
    where c.branch_id = ${branch} and e.status <> 'dismissed' and e.effective_on < ${today}::date - 31 group by 1 order by count(*) desc, 1 desc limit 1`))[0]!.m;
  // Give the top case a past: a warning, a task opened before the event with a late first contact, and follow-ups.
  const [top] = await rows<{ id: number; customer_id: number; eff: string }>(sql`
    select e.id, e.customer_id, e.effective_on::text as eff from churn_events e join customers c on c.id = e.customer_id
    where c.branch_id = ${branch} and e.status <> 'dismissed' and to_char(e.effective_on, 'YYYY-MM') = ${period}
    order by e.principal_lost_fen + e.interest_lost_fen desc, e.exposure_fen desc, e.id limit 1`);
  const rm = users.rm1!.id;
  const [task] = await rows<{ id: number }>(sql`
    insert into tasks (customer_id, assignee_id, status, priority, reason_family, stage, will, opened_at, first_contact_at,
                       contact_remind_at, contact_due_at, resolve_remind_at, resolve_due_at)
    values (${top!.customer_id}, ${rm}, 'resolved', 'high', 'funding_chain', 'post_loan', 'involuntary',
            (${top!.eff}::date - 20)::timestamp at time zone ${TZ}, (${top!.eff}::date - 15)::timestamp at time zone ${TZ},
            (${top!.eff}::date - 19)::timestamp at time zone ${TZ}, (${top!.eff}::date - 18)::timestamp at time zone ${TZ},
            (${top!.eff}::date - 10)::timestamp at time zone ${TZ}, (${top!.eff}::date - 5)::timestamp at time zone ${TZ})
    returning id`);
  for (const [d, type] of [[15, "phone"], [9, "visit"], [3, "phone"]] as const)
    await t.db.execute(sql`insert into follow_ups (task_id, customer_id, author_id, type, occurred_at, notes)
      values (${task!.id}, ${top!.customer_id}, ${rm}, ${type}, (${top!.eff}::date - ${d}::int)::timestamp at time zone ${TZ} + interval '10 hours', 'n')`);
  const { createApiToken } = await import("@/lib/auth/tokens");
  for (const u of ["admin", "sup1", "sup2", "rm1", "hr1"]) tokens[u] = (await createApiToken(t.db, { kind: "system", name: "test" }, u, "reports")).token;
  svc = await import("@/lib/reports/service");
  const { id } = await t.db.transaction((tx) => svc.requestReport(tx, { kind: "branch", branchId: branch, contact: true }, { kind: "user", userId: users.sup1!.id }, { branch: branchCode, period }));
  reportId = id;
  expect(await svc.generateReport(t.db, reportId, today)).toEqual({ skipped: false });
  snap = (await svc.getReport(t.db, { kind: "branch", branchId: branch, contact: true }, reportId)).snapshot!;
}, 240_000);

afterAll(async () => t?.drop());

const monthBounds = (m: string) => {
  const [y, mo] = m.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return { from: `${m}-01`, to: `${m}-${String(last).padStart(2, "0")}` };
};
const prevMonth = (m: string) => {
  const [y, mo] = m.split("-").map(Number) as [number, number];
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, "0")}`;
};
// The report's events, written out again: branch, not dismissed, effective in the month.
const ev = (m: string) => {
  const b = monthBounds(m);
  return sql`(select x.* from churn_events x where x.status::text <> 'dismissed' and x.effective_on >= ${b.from}::date and x.effective_on <= ${b.to}::date
              and x.customer_id in (select id from customers where branch_id = ${branch}))`;
};

describe("the report's figures reconcile with SQL written here", () => {
  it("is generated with status, progress and a revision", async () => {
    const r = await svc.getReport(t.db, { kind: "all", contact: true }, reportId);
    expect(r).toMatchObject({ status: "ready", progress: 100, revision: 1, period, branchId: branch, asOf: today });
    expect(snap.basic.events).toBeGreaterThan(0);
  });

  it("section 1 lists every event of the scope and period with its customer", async () => {
    const exp = await rows<{ id: string; no: string; legal: string; cap: string; rm: string; amount: string; exp: string }>(sql`
      select e.id, (select customer_no from customers where id = e.customer_id) as no, (select legal_rep from customers where id = e.customer_id) as legal,
             (select registered_capital_fen from customers where id = e.customer_id) as cap,
             (select u.display_name from users u where u.id = (select rm_id from customers where id = e.customer_id)) as rm,
             coalesce((select principal_fen from loans where id = e.loan_id), (select amount_fen from applications where id = e.application_id), 0) as amount,
             e.exposure_fen as exp
      from ${ev(period)} e order by e.effective_on, e.id`);
    expect(snap.basic.rows.map((r) => r.eventId)).toEqual(exp.map((e) => Number(e.id)));
    expect(snap.basic.rows.map((r) => [r.customerNo, r.legalRep, r.registeredCapitalFen, r.rmName, r.amountFen, r.exposureFen])).toEqual(
      exp.map((e) => [e.no, e.legal, Number(e.cap), e.rm, Number(e.amount), Number(e.exp)]),
    );
    expect(snap.basic.customers).toBe(await n(sql`select count(distinct customer_id) as v from ${ev(period)} e`));
    expect(snap.basic.exposureFen).toBe(await n(sql`select coalesce(sum(exposure_fen), 0) as v from ${ev(period)} e`));
  });

  it("section 2 counts by reason family, stage and will against the previous month", async () => {
    for (const [line, col] of [
      [snap.reasons.byReason, "coalesce(reason_family::text, 'undetermined')"],
      [snap.reasons.byStage, "stage::text"],
      [snap.reasons.byWill, "will::text"],
    ] as const) {
      for (const l of line) {
        const where = sql`${sql.raw(col)} = ${l.key}`;
        expect([l.events, l.customers, l.exposureFen, l.lossFen, l.prevEvents, l.prevExposureFen], `${col} ${l.key}`).toEqual([
          await n(sql`select count(*) as v from ${ev(period)} e where ${where}`),
          await n(sql`select count(distinct customer_id) as v from ${ev(period)} e where ${where}`),
          await n(sql`select coalesce(sum(exposure_fen), 0) as v from ${ev(period)} e where ${where}`),
          await n(sql`select coalesce(sum(principal_lost_fen) + sum(interest_lost_fen), 0) as v from ${ev(period)} e where ${where}`),
          await n(sql`select count(*) as v from ${ev(prevMonth(period))} e where ${where}`),
          await n(sql`select coalesce(sum(exposure_fen), 0) as v from ${ev(prevMonth(period))} e where ${where}`),
        ]);
      }
      expect(line.reduce((s, l) => s + l.events, 0)).toBe(snap.basic.events);
    }
    expect(snap.reasons.previous.period).toBe(prevMonth(period));
  });

  it("section 2 names the drivers and the top cases with their warnings, task and follow-ups", async () => {
    const pairs = await rows<{ rf: string; kind: string; k: string; x: string }>(sql`
      select coalesce(reason_family::text, 'undetermined') as rf, kind::text as kind, count(*) as k, sum(exposure_fen) as x
      from ${ev(period)} e group by 1, 2 order by count(*) desc, sum(exposure_fen) desc, 1, 2 limit 3`);
    expect(snap.reasons.drivers.map((d) => [d.reasonFamily, d.kind, d.events, d.exposureFen])).toEqual(pairs.map((p) => [p.rf, p.kind, Number(p.k), Number(p.x)]));
    const top = await rows<{ id: string; customer_id: number; eff: string }>(sql`
      select id, customer_id, effective_on::text as eff from ${ev(period)} e order by principal_lost_fen + interest_lost_fen desc, exposure_fen desc, id limit 10`);
    expect(snap.reasons.topCases.map((c) => c.eventId)).toEqual(top.map((x) => Number(x.id)));
    for (const [i, c] of snap.reasons.topCases.entries()) {
      const { customer_id: cid, eff } = top[i]!;
      const lo = sql`(${eff}::date - ${E}::int)::timestamp at time zone ${TZ}`;
      const hi = sql`(${eff}::date + 1)::timestamp at time zone ${TZ}`;
      expect(c.warnings.length).toBe(await n(sql`select count(*) as v from warnings where customer_id = ${cid} and opened_on >= ${eff}::date - ${E}::int and opened_on <= ${eff}::date`));
      expect(c.followUps.count).toBe(await n(sql`select count(*) as v from follow_ups where customer_id = ${cid} and occurred_at >= ${lo} and occurred_at < ${hi}`));
      const [task] = await rows<{ opened_at: Date; fc: Date | null; late: boolean }>(sql`
        select opened_at, first_contact_at as fc, (first_contact_at is not null and first_contact_at > contact_due_at) or (first_contact_at is null and contact_due_at < ${hi}) as late
        from tasks where customer_id = ${cid} and opened_at >= ${lo} and opened_at < ${hi} order by opened_at desc, id desc limit 1`);
      expect(c.task?.openedAt ?? null).toBe(task ? new Date(task.opened_at).toISOString() : null);
      if (task) expect(c.task!.contactLate).toBe(task.late);
    }
    // The case given a past above: its task's first contact came 120 h after opening, past the deadline; at least
    // the three follow-ups written above (two calls, a visit) are counted by type.
    const c0 = snap.reasons.topCases[0]!;
    expect(c0.task).toMatchObject({ contactHours: 120, contactLate: true });
    expect(c0.followUps.byType.phone).toBeGreaterThanOrEqual(2);
    expect(c0.followUps.byType.visit).toBeGreaterThanOrEqual(1);
    expect(Object.values(c0.followUps.byType).reduce((a, b) => a + b, 0)).toBe(c0.followUps.count);
  });

  it("section 3 reconciles the losses, the NPL ratio before and after, the share and the profit effect", async () => {
    const L = snap.loss;
    expect(L.principalLostFen).toBe(await n(sql`select coalesce(sum(principal_lost_fen), 0) as v from ${ev(period)} e`));
    expect(L.interestLostFen).toBe(await n(sql`select coalesce(sum(interest_lost_fen), 0) as v from ${ev(period)} e`));
    expect(L.directLossFen).toBe(L.principalLostFen + L.interestLostFen);
    expect(L.interestForgoneFen).toBe(await n(sql`select coalesce(sum(interest_forgone_fen), 0) as v from ${ev(period)} e`));
    expect(L.lostBalanceFen).toBe(await n(sql`select coalesce(sum(exposure_fen), 0) as v from ${ev(period)} e where stage = 'post_loan'`));
    const to = monthBounds(period).to;
    const inPeriod = await n(sql`
      select coalesce(round(sum(e.interest_forgone_fen::numeric * coalesce((select case when l.maturity_on <= e.effective_on then 1
                  else least(1, (${to}::date - e.effective_on)::numeric / (l.maturity_on - e.effective_on)) end from loans l where l.id = e.loan_id), 1))), 0) as v
      from ${ev(period)} e`);
    expect(L.forgoneInPeriodFen).toBe(inPeriod);
    expect(L.profitEffectFen).toBe(-(L.directLossFen + inPeriod));
    // Balance and class at a date, loan by loan (correlated subqueries: the code buckets in one pass).
    const at = async (d: string, mine: boolean) => {
      const bal = sql`(l.principal_fen - coalesce((select sum(ra.amount_fen) from repayment_allocations ra join repayments r on r.id = ra.repayment_id
                        where ra.loan_id = l.id and ra.component in ('principal', 'prepayment') and r.paid_on <= ${d}::date), 0))`;
      const last = (col: string) => sql`(select ${sql.raw(col)} from loan_state_history h where h.loan_id = l.id and h.changed_on <= ${d}::date order by h.seq desc limit 1)`;
      const where = sql`l.disbursed_on <= ${d}::date and coalesce(${last("(after ->> 'settled')::boolean")}, false) = false
                        and (${!mine} or l.customer_id in (select id from customers where branch_id = ${branch}))`;
      return {
        total: await n(sql`select coalesce(sum(${bal}), 0) as v from loans l where ${where}`),
        npl: await n(sql`select coalesce(sum(${bal}), 0) as v from loans l where ${where} and ${last("classification::text")} in ('substandard', 'doubtful', 'loss')`),
      };
    };
    for (const [p, d] of [
      [L.before, (await rows<{ d: string }>(sql`select (${monthBounds(period).from}::date - 1)::text as d`))[0]!.d],
      [L.after, to < today ? to : today],
    ] as const) {
      const mine = await at(d, true);
      const bank = await at(d, false);
      expect([p.date, p.totalFen, p.nplFen, p.bankTotalFen]).toEqual([d, mine.total, mine.npl, bank.total]);
      expect(p.ratio).toBeCloseTo(mine.total ? mine.npl / mine.total : NaN, 12);
      expect(p.share).toBeCloseTo(mine.total / bank.total, 12);
    }
    expect(L.after.totalFen).toBeGreaterThan(0);
  });

  it("section 4 reconciles the telemetry the measures rest on", async () => {
    const T = snap.measures.telemetry;
    const b = monthBounds(period);
    const days = (await rows<{ d: number }>(sql`
      select decided_on - submitted_on as d from applications where status::text in ('approved', 'drawn', 'rejected')
      and decided_on >= ${b.from}::date and decided_on <= ${b.to}::date and customer_id in (select id from customers where branch_id = ${branch}) order by 1`)).map((r) => Number(r.d));
    const q = (p: number) => {
      if (!days.length) return null;
      const pos = p * (days.length - 1);
      const lo = Math.floor(pos);
      return Math.round((days[lo]! + (days[Math.ceil(pos)]! - days[lo]!) * (pos - lo)) * 10) / 10;
    };
    expect(T.approval).toEqual({
      decided: days.length,
      medianDays: q(0.5),
      p90Days: q(0.9),
      preVoluntary: await n(sql`select count(*) as v from ${ev(period)} e where kind::text in ('application_withdrawn', 'approved_not_drawn')`),
    });
    const firstWarn = sql`(select min(w.opened_on) from warnings w where w.customer_id = e.customer_id and w.opened_on >= e.effective_on - ${E}::int and w.opened_on <= e.effective_on)`;
    expect([T.rules.postEvents, T.rules.warned, T.rules.missed, T.rules.late]).toEqual([
      await n(sql`select count(*) as v from ${ev(period)} e where stage = 'post_loan'`),
      await n(sql`select count(*) as v from ${ev(period)} e where stage = 'post_loan' and ${firstWarn} is not null`),
      await n(sql`select count(*) as v from ${ev(period)} e where stage = 'post_loan' and ${firstWarn} is null`),
      await n(sql`select count(*) as v from ${ev(period)} e where stage = 'post_loan' and e.effective_on - ${firstWarn} < 30`),
    ]);
    const lastTask = (col: string) => sql`(select ${sql.raw(col)} from tasks t where t.customer_id = e.customer_id
      and t.opened_at >= (e.effective_on - ${E}::int)::timestamp at time zone ${TZ} and t.opened_at < (e.effective_on + 1)::timestamp at time zone ${TZ}
      order by t.opened_at desc, t.id desc limit 1)`;
    const warned = sql`exists (select 1 from warnings w where w.customer_id = e.customer_id and w.opened_on between e.effective_on - ${E}::int and e.effective_on)`;
    expect(T.followUp).toEqual({
      warnedNoTask: await n(sql`select count(*) as v from ${ev(period)} e where ${warned} and ${lastTask("t.id")} is null`),
      tasks: await n(sql`select count(*) as v from ${ev(period)} e where ${lastTask("t.id")} is not null`),
      noFollowUp: await n(sql`select count(*) as v from ${ev(period)} e where ${lastTask("t.id")} is not null and not exists
        (select 1 from follow_ups f where f.task_id = ${lastTask("t.id")} and f.occurred_at < (e.effective_on + 1)::timestamp at time zone ${TZ})`),
      contactLate: await n(sql`select count(*) as v from ${ev(period)} e where ${lastTask(`case when t.first_contact_at is not null then t.first_contact_at > t.contact_due_at
        else t.contact_due_at < (e.effective_on + 1)::timestamp at time zone '${TZ}' end`)}`),
    });
    // Spread over the LPR in basis points: the 1-year rate, the 5-year one for terms over 60 months, in force that day.
    const spread = (on: string) => sql`(select round((l.annual_rate - r.rate) * 10000) from reference_rates r where r.kind = (case when l.term_months > 60 then 'LPR5Y' else 'LPR1Y' end)
      and r.effective_on <= ${sql.raw(on)} order by r.effective_on desc limit 1)`;
    const churned = sql`(select ${spread("e.effective_on")} as bp from ${ev(period)} e join loans l on l.id = e.loan_id where e.stage = 'post_loan' and e.will = 'voluntary')`;
    const active = sql`(select ${spread(`'${today}'::date`)} as bp from loans l join loan_state s on s.loan_id = l.id where not s.settled and l.customer_id in (select id from customers where branch_id = ${branch}))`;
    const avg = async (q: ReturnType<typeof sql>) => {
      const v = (await rows<{ v: string | null }>(sql`select avg(bp) as v from ${q} x`))[0]!.v;
      return v == null ? null : Math.round(Number(v) * 10) / 10;
    };
    expect(T.pricing).toEqual({
      churnedLoans: await n(sql`select count(*) as v from ${churned} x`),
      churnedAvgSpreadBp: await avg(churned),
      churnedOverMargin: await n(sql`select count(*) as v from ${churned} x where bp >= 100`),
      activeLoans: await n(sql`select count(*) as v from ${active} x`),
      activeAvgSpreadBp: await avg(active),
      marginBp: 100,
    });
    expect(snap.measures.items.length).toBeGreaterThan(0);
  });
});

// Asset quality (section 3) starts from the month-end snapshots the nightly run writes (lib/dashboard/snapshots.ts),
// applying what changed since; it must give the live derivation's figures exactly, at month-ends and between them.
describe("asset quality from the month-end snapshots", () => {
  it("equals the live derivation at month-ends, between them, today and before any snapshot; and does read them", async () => {
    const { nplAt } = await import("@/lib/reports/generate");
    const ends = (await rows<{ d: string }>(sql`select month_end::text as d from month_end_snapshots order by 1`)).map((r) => r.d);
    expect(ends.length).toBe(13);
    const plus = async (d: string, k: number) => (await rows<{ d: string }>(sql`select (${d}::date + ${k}::int)::text as d`))[0]!.d;
    const pairs: [string, string][] = [
      [ends[0]!, ends.at(-1)!],
      [await plus(ends[3]!, 10), today],
      [await plus(ends[0]!, -20), await plus(ends[7]!, 17)],
    ];
    const scopes = [{ kind: "branch" as const, branchId: branch, contact: true as const }, { kind: "all" as const, contact: true }];
    for (const scope of scopes)
      for (const pair of pairs) {
        const live = await nplAt(t.db, scope, pair, { live: true });
        expect(live[1].totalFen, `${scope.kind} ${pair.join(" ")}`).toBeGreaterThan(0);
        expect(await nplAt(t.db, scope, pair), `${scope.kind} ${pair.join(" ")}`).toEqual(live);
      }
    // The snapshot path reads the stored rows: a change to one shows at its month-end and at every date built on it.
    const [loan] = await rows<{ id: number }>(sql`
      select s.loan_id as id from loan_month_ends s join customers c on c.id = s.customer_id
      where s.month_end = ${ends.at(-1)!}::date and c.branch_id = ${branch}
        and not exists (select 1 from loan_state_history h where h.loan_id = s.loan_id and h.changed_on > s.month_end)
      order by s.loan_id limit 1`);
    const scope = scopes[0]!;
    const before = await nplAt(t.db, scope, [ends.at(-1)!, today]);
    await t.db.execute(sql`update loan_month_ends set balance_fen = balance_fen + 100 where month_end = ${ends.at(-1)!}::date and loan_id = ${loan!.id}`);
    try {
      const after = await nplAt(t.db, scope, [ends.at(-1)!, today]);
      expect(after.map((p) => p.totalFen)).toEqual(before.map((p) => p.totalFen + 100));
    } finally {
      await t.db.execute(sql`update loan_month_ends set balance_fen = balance_fen - 100 where month_end = ${ends.at(-1)!}::date and loan_id = ${loan!.id}`);
    }
  });
});

describe("the snapshot", () => {
  const branchScope = () => ({ kind: "branch" as const, branchId: branch, contact: true as const });

  it("does not move when the data changes later; a new report sees the change", async () => {
    const before = await svc.getReport(t.db, branchScope(), reportId);
    const [e] = await rows<{ id: number }>(sql`select e.id from ${ev(period)} e order by e.id limit 1`);
    await t.db.execute(sql`update churn_events set principal_lost_fen = principal_lost_fen + 12345600, status = 'confirmed' where id = ${e!.id}`);
    await t.db.execute(sql`update churn_events set status = 'dismissed' where id = (select e.id from ${ev(period)} e order by e.id desc limit 1)`);
    const after = await svc.getReport(t.db, branchScope(), reportId);
    expect(after.snapshot).toEqual(before.snapshot);
    // Generating again (the worker's retry) leaves a generated report alone.
    expect(await svc.generateReport(t.db, reportId, today)).toEqual({ skipped: true });
    const { id } = await t.db.transaction((tx) => svc.requestReport(tx, branchScope(), { kind: "user", userId: users.sup1!.id }, { branch: branchCode, period }));
    await svc.generateReport(t.db, id, today);
    const fresh = (await svc.getReport(t.db, branchScope(), id)).snapshot!;
    expect(fresh.loss.principalLostFen).not.toBe(before.snapshot!.loss.principalLostFen);
  });

  it("keeps each edit of the measures as a version; finalising is audited and refuses edits after", async () => {
    const actor = { kind: "user" as const, userId: users.sup1!.id };
    const items = snap.measures.items.map((m) => ({ area: m.area, text: `改：${m.area}` }));
    const { version } = await t.db.transaction((tx) => svc.editMeasures(tx, branchScope(), actor, { reportId, items: [...items, { area: "custom", text: "加强培训" }] }));
    expect(version).toBe(2);
    const r = await svc.getReport(t.db, branchScope(), reportId);
    expect(r.measuresVersion).toBe(2);
    expect(r.revision).toBe(2);
    expect(r.snapshot!.measures.items.at(-1)).toMatchObject({ area: "custom", text: "加强培训" });
    expect(r.snapshot!.measures.items[0]!.basis).toEqual(snap.measures.items[0]!.basis);
    expect(r.snapshot!.measures.telemetry).toEqual(snap.measures.telemetry);
    await t.db.transaction((tx) => svc.finaliseReport(tx, branchScope(), actor, reportId));
    const audits = await rows<{ action: string; actor_id: number }>(sql`select action, actor_id from audit_log where entity = 'report' and entity_id = ${String(reportId)} order by id`);
    expect(audits.map((a) => a.action)).toEqual(["report.requested", "report.measuresEdited", "report.finalised"]);
    expect(audits.at(-1)!.actor_id).toBe(users.sup1!.id);
    await expect(t.db.transaction((tx) => svc.editMeasures(tx, branchScope(), actor, { reportId, items }))).rejects.toMatchObject({ code: "conflict", params: { reason: "reportFinalised" } });
    await expect(t.db.transaction((tx) => svc.finaliseReport(tx, branchScope(), actor, reportId))).rejects.toMatchObject({ code: "conflict" });
    expect((await svc.getReport(t.db, branchScope(), reportId)).measuresVersion).toBe(2);
  });
});

describe("scope", () => {
  const api = async (who: string, path: string, init: RequestInit = {}) => {
    const headers = { authorization: `Bearer ${tokens[who]}`, "content-type": "application/json", ...(init.headers ?? {}) };
    const req = new Request(`http://test/api/v1/reports${path}`, { ...init, headers });
    const m = path === "" ? await import("@/app/api/v1/reports/route") : path.endsWith("/export?format=xlsx") ? await import("@/app/api/v1/reports/[id]/export/route") : await import("@/app/api/v1/reports/[id]/route");
    const id = /^\/(\d+)/.exec(path)?.[1] ?? "";
    const res = init.method === "POST" ? await (m as typeof import("@/app/api/v1/reports/route")).POST(req) : await (m as { GET: (r: Request, c: { params: Promise<{ id: string }> }) => Promise<Response> }).GET(req, { params: Promise.resolve({ id }) });
    return { status: res.status, body: res.headers.get("content-type")?.includes("json") ? await res.json() : null };
  };
  const other = async () => (await rows<{ code: string }>(sql`select code from branches where id <> ${branch} order by id limit 1`))[0]!.code;

  it("answers 202 with an id, once per Idempotency-Key", async () => {
    const body = JSON.stringify({ branch: branchCode, period: "2026-Q1" });
    const a = await api("sup1", "", { method: "POST", body, headers: { "idempotency-key": "rep-key-0001" } });
    const b = await api("sup1", "", { method: "POST", body, headers: { "idempotency-key": "rep-key-0001" } });
    expect(a.status).toBe(202);
    expect(b).toEqual(a);
    expect(await n(sql`select count(*) as v from reports where period = '2026-Q1'`)).toBe(1);
    expect(await n(sql`select count(*) as v from outbox where topic = 'reports.requested' and (payload ->> 'reportId')::int = ${a.body.id}`)).toBe(1);
    const bad = await api("admin", "", { method: "POST", body: JSON.stringify({ branch: null, period: "2026-13" }), headers: { "idempotency-key": "rep-key-0002" } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].field).toBe("period");
    const bank = await api("admin", "", { method: "POST", body: JSON.stringify({ branch: null, period: "2026" }), headers: { "idempotency-key": "rep-key-0003" } });
    expect(bank.status).toBe(202);
  });

  it("refuses another branch, the bank to a supervisor, and RMs and HR altogether (404)", async () => {
    for (const [who, br] of [["sup1", await other()], ["sup1", null], ["rm1", branchCode], ["hr1", null]] as const) {
      const r = await api(who, "", { method: "POST", body: JSON.stringify({ branch: br, period: "2026-05" }), headers: { "idempotency-key": `rep-key-${who}-${br ?? "bank"}` } });
      expect(r.status, `${who} ${br}`).toBe(404);
    }
    expect((await api("sup1", `/${reportId}`)).status).toBe(200);
    expect((await api("admin", `/${reportId}`)).status).toBe(200);
    for (const who of ["sup2", "rm1", "hr1"]) {
      expect((await api(who, `/${reportId}`)).status, who).toBe(404);
      expect((await api(who, `/${reportId}/export?format=xlsx`)).status, who).toBe(404);
    }
    const bankReport = (await rows<{ id: number }>(sql`select id from reports where branch_id is null limit 1`))[0]!.id;
    expect((await api("sup1", `/${bankReport}`)).status).toBe(404);
    expect((await api("admin", `/${bankReport}`)).status).toBe(200);
    expect((await api("sup1", "")).body.rows.every((r: { branchId: number }) => r.branchId === branch)).toBe(true);
  });
});
