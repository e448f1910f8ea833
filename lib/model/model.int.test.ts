// The model product on a seeded demo portfolio: a training request (who may, what is refused), the training run
// (progress, metrics, deterministic for a seed), maker-checker activation (audited), scoring (points add up to the
// score, reason codes are the scorecard's), and the population-drift warning.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { detectChurn } from "../churn/detect";
import { seedDemo } from "../seed/load";
import { evaluateRules } from "../rules/evaluate";
import { featureOf, featureSql } from "../rules/features";
import { checkPopulationPsi, modelFeatureKeys, scoreLoans, scoreRow, type StoredPoints, type StoredReason } from "./scoring";
import { toValue } from "./training-data";
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
    // Points are stored in the scorecard's feature order.
    const names = v.scorecard!.features.map((f) => f.name);
    const rows = await t.db.execute<{ score: number; band: string; points: StoredPoints; reasons: StoredReason[] }>(sql`select score, band, points, reasons from model_scores`);
    expect(rows).toHaveLength(live!.n);
    const m = v.metrics as ModelMetrics;
    let withReasons = 0;
    for (const row of rows) {
      expect(row.points).toHaveLength(names.length);
      expect(row.points.reduce((s, p) => s + p, 0)).toBe(row.score);
      expect(row.band).toBe(row.score >= m.bands.high ? "high" : row.score >= m.bands.medium ? "medium" : "low");
      expect(row.reasons.length).toBeLessThanOrEqual(3);
      if (row.reasons.length) withReasons++;
      for (const reason of row.reasons) {
        expect(reason.points).toBe(row.points[names.indexOf(reason.feature)]);
        expect(reason.aboveBest).toBe(reason.points - best.get(reason.feature)!);
        expect(reason.aboveBest).toBeGreaterThan(0);
      }
      // The reasons are the largest gaps above best: no feature left out has a larger one.
      const gaps = row.points.map((p, j) => p - best.get(names[j]!)!).sort((a, b) => b - a);
      expect(row.reasons.map((x) => x.aboveBest)).toEqual(gaps.filter((g) => g > 0).slice(0, 3));
    }
    expect(withReasons).toBeGreaterThan(0);
  });

  it("COB partitions and event batches score inside the rules' pass exactly as a standalone scoring and the scorecard library do", async () => {
    const v = await getModelVersion(t.db, admin, first);
    const model = { scorecard: v.scorecard!, metrics: v.metrics! };
    type Row = { loan_id: number; score: number; band: string; points: StoredPoints; reasons: StoredReason[] };
    const stored = async () => new Map((await t.db.execute<Row>(sql`select loan_id, score, band, points, reasons from model_scores`)).map(({ loan_id, ...r }) => [loan_id, r]));

    // Standalone: the scorecard's own pass (the job after an activation).
    await t.db.execute(sql`delete from model_scores`);
    await scoreLoans(t.db, { kind: "all" }, TODAY);
    const standalone = await stored();
    // The reference: the catalogue's values through the scorecard library (JS), loan by loan.
    const keys = modelFeatureKeys(model);
    const values = await t.db.execute<Record<string, unknown>>(featureSql("loan", { kind: "all" }, TODAY, keys));
    expect(standalone.size).toBe(values.length);
    for (const r of values) {
      const vals = Object.fromEntries(keys.map((k) => [k, toValue(featureOf(k)!.type, r[k])]));
      expect(standalone.get(Number(r.loan_id))).toEqual(scoreRow(model, vals));
    }
    // A re-run for the same date with the same results writes no row.
    const versions = async () => (await t.db.execute<{ x: string }>(sql`select string_agg(xmin::text, ',' order by loan_id) as x from model_scores`))[0]!.x;
    const before = await versions();
    await scoreLoans(t.db, { kind: "all" }, TODAY);
    expect(await versions()).toBe(before);

    // The nightly run: two loan partitions (ranges) with a rule on the model's band active, from no stored scores.
    await t.db.execute(sql`delete from model_scores`);
    const [rule] = await t.db.execute<{ id: number }>(sql`insert into rules (code) values ('TEST_RISK_HIGH') returning id`);
    await t.db.execute(sql`insert into rule_versions (rule_id, version, name_zh, name_en, subject, condition, severity, stage, will, reason_family, cooldown_days, enabled, status)
      values (${rule!.id}, 1, '高风险', 'High risk', 'loan', ${JSON.stringify({ feature: "risk_band", op: "eq", value: "high" })}::jsonb, 'high', 'post_loan', 'voluntary', 'service_competition', 0, true, 'active')`);
    try {
      const [mid] = await t.db.execute<{ id: number }>(sql`select percentile_disc(0.5) within group (order by id) as id from loans`);
      const [run] = await t.db.execute<{ id: number }>(sql`insert into cob_runs (as_of, trigger, status, started_at) values (${TODAY}, 'test', 'running', now()) returning id`);
      await t.db.execute(sql`insert into cob_partitions (run_id, partition_no, scope, loan_id_from, loan_id_to) values
        (${run!.id}, 0, 'loans', 1, ${mid!.id}), (${run!.id}, 1, 'loans', ${mid!.id + 1}, 2147483647)`);
      const { runCobPartition } = await import("../rules/cob");
      await runCobPartition(t.db, run!.id, 0);
      await runCobPartition(t.db, run!.id, 1);
      expect(await stored()).toEqual(standalone);
      // The rule read the scores computed in the same statement, not the (empty) stored ones.
      const [w] = await t.db.execute<{ warned: number[]; high: number[] }>(sql`
        select (select coalesce(array_agg(loan_id order by loan_id), '{}') from warnings where rule_id = ${rule!.id} and status = 'open') as warned,
               (select coalesce(array_agg(loan_id order by loan_id), '{}') from model_scores where band = 'high') as high`);
      expect(w!.high.length).toBeGreaterThan(0);
      expect(w!.warned).toEqual(w!.high);
    } finally {
      await t.db.execute(sql`update rule_versions set enabled = false where rule_id = ${rule!.id}`);
    }

    // The event path: a batch of changed loans (one of them no longer live, with a stale score) is scored by its
    // rule evaluation; the other loans' scores are left alone.
    const ids = [...standalone.keys()].sort((a, b) => a - b).filter((_, i) => i % 17 === 0);
    const [gone] = await t.db.execute<{ id: number; customer_id: number }>(sql`
      select id, customer_id from loans where not (disbursed_on <= ${TODAY}::date and (closed_on is null or closed_on > ${TODAY}::date)) order by id limit 1`);
    await t.db.execute(sql`delete from model_scores where loan_id = any(${`{${ids.join(",")}}`}::int[])`);
    await t.db.execute(sql`insert into model_scores (loan_id, customer_id, model_version_id, as_of, score, band, points, reasons)
      values (${gone!.id}, ${gone!.customer_id}, ${first}, ${TODAY}, 1, 'low', '[]', '[]')`);
    const r = await evaluateRules(t.db, { kind: "loans", ids: [...ids, gone!.id] }, TODAY, { score: true });
    expect(r.scored).toBe(ids.length);
    expect(await stored()).toEqual(standalone);
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
