// The model product on a seeded demo portfolio: a training request (who may, what is refused), the training run
// (progress, metrics, deterministic for a seed), maker-checker activation (audited), scoring (points add up to the
// score, reason codes are the scorecard's), and the population-drift warning.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { detectChurn } from "../churn/detect";
import { seedDemo } from "../seed/load";
import { checkPopulationPsi, scoreLoans, type StoredPoints, type StoredReason } from "./scoring";
import { activateModel, forgetActiveModel, getModelVersion, listModelVersions, requestTraining, runTraining, type ModelMetrics } from "./versions";

const TODAY = "2026-12-07";
let t: TestDb;
let admin: { userId: number; role: "admin" };
let admin2: { userId: number; role: "admin" };
let supervisor: { userId: number; role: "supervisor" };

const rejects = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

beforeAll(async () => {
  t = await freshDb();
  // The loaded portfolio and its churn events as of the demo date (the labels), without the slower 18-month history.
  await seedDemo(t.db, { customers: 300, seed: 42, asOf: TODAY });
  await detectChurn(t.db, { kind: "all" }, TODAY);
  const users = await t.db.execute<{ id: number; username: string }>(sql`select id, username from users where username in ('admin', 'admin2') or role = 'supervisor' order by id`);
  admin = { userId: users.find((u) => u.username === "admin")!.id, role: "admin" };
  admin2 = { userId: users.find((u) => u.username === "admin2")!.id, role: "admin" };
  supervisor = { userId: users.find((u) => u.username !== "admin" && u.username !== "admin2")!.id, role: "supervisor" };
}, 300_000);
afterAll(async () => t?.drop());

describe("model registry, training and scoring", () => {
  let first: number;

  it("records a training request, refusing other roles, bad input and a second request while one runs", async () => {
    expect(await rejects(requestTraining(t.db, supervisor, {}))).toMatchObject({ code: "forbidden" });
    expect(await rejects(requestTraining(t.db, admin, { label: "someday" }))).toMatchObject({ code: "invalid" });
    expect(await rejects(requestTraining(t.db, admin, { horizonDays: 0 }))).toMatchObject({ code: "invalid" });
    const r = await requestTraining(t.db, admin, { label: "any", horizonDays: 90, months: 12, seed: 1 });
    first = r.id;
    expect(r.version).toBe(1);
    expect(await rejects(requestTraining(t.db, admin2, {}))).toMatchObject({ code: "conflict", params: { reason: "modelTraining" } });
    const [a] = await t.db.execute(sql`select actor_id, action from audit_log where entity = 'model_version' and entity_id = ${String(first)}`);
    expect(a).toMatchObject({ actor_id: admin.userId, action: "model.train" });
  });

  it("trains on 12 monthly snapshots, validates on the newest month and is deterministic for a seed", async () => {
    expect(await runTraining(t.db, first, { today: TODAY })).toEqual({ skipped: false });
    const v = await getModelVersion(t.db, supervisor, first);
    expect(v).toMatchObject({ status: "succeeded", progress: 100, dataFrom: "2025-09-30", dataTo: "2026-08-31" });
    const m = v.metrics!;
    expect(m.trainMonths).toHaveLength(11);
    expect(m.validateMonths).toEqual(["2026-08"]);
    // Rows and events against the data, counted independently: live loans at each month end, labelled by events.
    const [c] = await t.db.execute<{ rows: number; events: number }>(sql`
      select count(*)::int as rows, count(*) filter (where exists (select 1 from churn_events e where e.customer_id = l.customer_id
        and e.status <> 'dismissed' and e.effective_on > d.d and e.effective_on <= d.d + 90))::int as events
      from generate_series('2025-09-30'::date, '2026-08-31'::date, interval '1 month') g(x)
      cross join lateral (select (date_trunc('month', g.x) + interval '1 month - 1 day')::date as d) d
      join loans l on l.disbursed_on <= d.d and (l.closed_on is null or l.closed_on > d.d)`);
    expect(m.snapshotRows).toBe(c!.rows);
    expect(m.trainEvents + m.validateEvents).toBe(c!.events);
    expect(m.auc).toBeGreaterThan(0.6);
    expect(m.gini).toBeCloseTo(2 * m.auc - 1, 10);
    expect(m.calibration.length).toBeGreaterThan(0);
    expect(v.scorecard!.features.length).toBeGreaterThan(0);
    expect(m.bands.high).toBeGreaterThanOrEqual(m.bands.medium);

    // The same request trains the same scorecard.
    const again = await requestTraining(t.db, admin2, { label: "any", horizonDays: 90, months: 12, seed: 1 });
    await runTraining(t.db, again.id, { today: TODAY });
    const w = await getModelVersion(t.db, admin, again.id);
    expect(w.scorecard).toEqual(v.scorecard);
    expect(w.metrics).toEqual(v.metrics);
    expect((await listModelVersions(t.db, admin)).map((x) => x.version)).toEqual([2, 1]);

    // Past the row limit each month keeps a seeded sample: the same seed trains the same card on the same rows.
    const sampled = async () => {
      const r = await requestTraining(t.db, admin, { seed: 7 });
      await runTraining(t.db, r.id, { today: TODAY, maxRows: 1_200 });
      return getModelVersion(t.db, admin, r.id);
    };
    const s1 = await sampled();
    const s2 = await sampled();
    expect(s1.metrics!.trainRows + s1.metrics!.validateRows).toBeLessThanOrEqual(1_200);
    expect(s1.metrics!.snapshotRows).toBe(c!.rows);
    expect(s2.scorecard).toEqual(s1.scorecard);
    // A finished run is not run again.
    expect(await runTraining(t.db, first, { today: TODAY })).toEqual({ skipped: true });
  }, 240_000);

  it("activation is maker-checker and audited", async () => {
    expect(await rejects(activateModel(t.db, admin, first))).toMatchObject({ code: "conflict", params: { reason: "modelMakerChecker" } });
    expect(await rejects(activateModel(t.db, supervisor, first))).toMatchObject({ code: "forbidden" });
    await activateModel(t.db, admin2, first);
    const v = await getModelVersion(t.db, admin, first);
    expect(v).toMatchObject({ active: true, activatedBy: admin2.userId, trainedBy: admin.userId });
    expect(await rejects(activateModel(t.db, admin, first))).toMatchObject({ code: "conflict", params: { reason: "modelActive" } });
    const [a] = await t.db.execute(sql`select actor_id, after from audit_log where action = 'model.activate' and entity_id = ${String(first)}`);
    expect(a).toMatchObject({ actor_id: admin2.userId, after: { activeVersion: 1 } });
  });

  it("scores every live loan; points add up to the score and reason codes are the top points above each feature's best", async () => {
    const r = await scoreLoans(t.db, { kind: "all" }, TODAY);
    const [live] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from loans where disbursed_on <= ${TODAY} and (closed_on is null or closed_on > ${TODAY})`);
    expect(r.scored).toBe(live!.n);
    const v = await getModelVersion(t.db, admin, first);
    const best = new Map(v.scorecard!.features.map((f) => [f.name, Math.min(...f.bins.map((b) => b.points))]));
    const rows = await t.db.execute<{ score: number; band: string; points: StoredPoints[]; reasons: StoredReason[] }>(sql`select score, band, points, reasons from model_scores`);
    expect(rows).toHaveLength(live!.n);
    const m = v.metrics as ModelMetrics;
    let withReasons = 0;
    for (const row of rows) {
      expect(row.points.reduce((s, p) => s + p.p, 0)).toBe(row.score);
      expect(row.band).toBe(row.score >= m.bands.high ? "high" : row.score >= m.bands.medium ? "medium" : "low");
      expect(row.reasons.length).toBeLessThanOrEqual(3);
      if (row.reasons.length) withReasons++;
      for (const reason of row.reasons) {
        const p = row.points.find((x) => x.f === reason.feature)!;
        expect(reason.points).toBe(p.p);
        expect(reason.value).toEqual(p.v);
        expect(reason.aboveBest).toBe(p.p - best.get(reason.feature)!);
        expect(reason.aboveBest).toBeGreaterThan(0);
      }
      // The reasons are the largest gaps above best: no feature left out has a larger one.
      const gaps = row.points.map((p) => p.p - best.get(p.f)!).sort((a, b) => b - a);
      expect(row.reasons.map((x) => x.aboveBest)).toEqual(gaps.filter((g) => g > 0).slice(0, 3));
    }
    expect(withReasons).toBeGreaterThan(0);
  });

  it("a nightly COB partition scores its loans with the active model", async () => {
    const day = "2026-12-08";
    const [run] = await t.db.execute<{ id: number }>(sql`insert into cob_runs (as_of, trigger, status, started_at) values (${day}, 'test', 'running', now()) returning id`);
    await t.db.execute(sql`insert into cob_partitions (run_id, partition_no, scope, loan_id_from, loan_id_to) values (${run!.id}, 0, 'loans', 1, 2147483647)`);
    const { runCobPartition } = await import("../rules/cob");
    await runCobPartition(t.db, run!.id, 0);
    const [n] = await t.db.execute<{ scored: number; live: number }>(sql`
      select (select count(*) from model_scores where as_of = ${day}::date)::int as scored,
             (select count(*) from loans where disbursed_on <= ${day}::date and (closed_on is null or closed_on > ${day}::date))::int as live`);
    expect(n!.scored).toBe(n!.live);
    expect(n!.scored).toBeGreaterThan(0);
  });

  it("warns the admins once a day when today's population moved away from the training population", async () => {
    expect((await checkPopulationPsi(t.db, TODAY)).warned).toBe(0);
    // Pretend training saw nearly everyone in the lowest score bin: today's spread is then a large shift.
    await t.db.execute(sql`update model_versions set metrics = jsonb_set(metrics, '{reference}', ${JSON.stringify({ cuts: [0], counts: [100000, 1] })}::jsonb) where id = ${first}`);
    forgetActiveModel(); // a version's metrics never change outside this test
    const r = await checkPopulationPsi(t.db, TODAY);
    expect(r.psi).toBeGreaterThan(0.25);
    const [admins] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from users where active and role = 'admin'`);
    expect(r.warned).toBe(admins!.n);
    expect((await checkPopulationPsi(t.db, TODAY)).warned).toBe(0);
    const [n] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from notifications where kind = 'model_drift'`);
    expect(n!.n).toBe(admins!.n);
  });
});
