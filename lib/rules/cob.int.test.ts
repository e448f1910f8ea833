// The nightly portfolio run end to end on real Redis and Postgres: a flow of partitions processed by workers,
// idempotent re-runs, two worker sets, lost partition jobs recovered by the reconciler, and the event path
// (loans.changed → evaluation.batch).
import { eq, like, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, redisUrl, testPrefix, type TestDb } from "../../test/int-db";
import { buildRulesScenario, insertRule, openWarnings, recomputeAllAsOf, type Scenario } from "../../test/rules-scenario";
import { startWorkers, type WorkerSet } from "../pipeline/worker";
import { applications, cobPartitions, outbox } from "../db/schema";
import { cobCommand } from "../cli/commands";
import { dispatchOutbox } from "../pipeline/dispatch";
import { redisConnection, type Queues } from "../pipeline/queues";
import { openQueues } from "../registry";
import { finishCob, getCobRun, reconcileCob, runCobPartition, startCob, waitForCob } from "./cob";

let t: TestDb;
let s: Scenario;
let queues: Queues;
const prefix = testPrefix();
// Warnings and errors of the workers are kept, and shown when a run does not end as expected (a CI failure said only
// "not succeeded").
const logged: string[] = [];
const log = pino({ level: "warn" }, { write: (line: string) => void logged.push(line) });
const connA = redisConnection(redisUrl(), "worker");
const connB = redisConnection(redisUrl(), "worker");
let workersA: WorkerSet | null = null;
let workersB: WorkerSet | null = null;
let expected: string[];

const ASOF = "2026-04-20";
// A retried test starts workers again: the set it replaces is closed first, or it would keep taking this file's jobs.
async function startA() {
  await workersA?.close();
  workersA = startWorkers({ connection: connA, prefix, db: t.db, log, concurrency: 2, queues });
}

/** The run, its partitions and the workers' last log lines, for an assertion's message. */
async function diagnose(runId: number): Promise<string> {
  const parts = await t.db.select().from(cobPartitions).where(eq(cobPartitions.runId, runId)).orderBy(cobPartitions.partitionNo);
  return JSON.stringify({ run: await getCobRun(t.db, runId), parts: parts.map((p) => [p.scope, p.status, p.attempts]), log: logged.slice(-8) });
}
const warningOutbox = async () => (await t.db.select().from(outbox).where(like(outbox.topic, "warning.%"))).length;

async function clearWarnings() {
  // With the tasks the warnings opened (the workers dispatch warning.opened after each partition).
  await t.db.execute(sql`truncate warning_events, warnings, tasks cascade`);
  await t.db.delete(outbox).where(like(outbox.topic, "warning.%"));
}

async function duplicates(): Promise<number> {
  const [d] = await t.db.execute<{ n: number }>(sql`
    select count(*)::int as n from (select rule_id, subject_key from warnings where status = 'open' group by 1, 2 having count(*) > 1) d`);
  return d!.n;
}

beforeAll(async () => {
  t = await freshDb();
  s = await buildRulesScenario(t.db);
  await insertRule(t.db, { code: "DPD30", subject: "loan", condition: { feature: "dpd", op: "ge", value: 30 } });
  await insertRule(t.db, { code: "CUST_LATE", subject: "customer", condition: { feature: "customer_max_dpd", op: "ge", value: 1 } });
  await recomputeAllAsOf(t.db, ASOF);
  expected = [`CUST_LATE|customer:${s.customer.L2}`, `CUST_LATE|customer:${s.customer.L3}`, `DPD30|loan:${s.loan.L2}`, `DPD30|loan:${s.loan.L3}`].sort();
  queues = openQueues(redisConnection(redisUrl(), "producer"), prefix);
});

afterAll(async () => {
  await workersA?.close();
  await workersB?.close();
  for (const q of ["evaluation", "system", "loans"] as const) await queues.get(q).obliterate({ force: true });
  await queues.close();
  await Promise.all([connA.quit(), connB.quit(), queues.connection.quit()]);
  await t.drop();
});

describe("COB", () => {
  it("runs the portfolio in partitions and raises exactly the expected warnings, with progress", async () => {
    await startA();
    const { run, created } = await startCob(t.db, queues, { asOf: ASOF, trigger: "test", partitionSize: 1 });
    expect(created).toBe(true);
    // Three loan partitions of one loan each, and the portfolio partition (customer and application rules).
    expect(run).toMatchObject({ status: "running", partitionsTotal: 4 });
    const seen: number[] = [];
    const done = await waitForCob(t.db, run.id, (r) => seen.push(r.partitionsDone), { timeoutMs: 45_000, pollMs: 50 });
    expect(done, await diagnose(run.id)).toMatchObject({ status: "succeeded", partitionsTotal: 4, partitionsDone: 4, loansEvaluated: 3, warningsOpened: 4, warningsClosed: 0 });
    expect(seen.at(-1)).toBe(4);
    expect(await openWarnings(t.db)).toEqual(expected);
    const parts = await t.db.select().from(cobPartitions).where(eq(cobPartitions.runId, run.id)).orderBy(cobPartitions.partitionNo);
    expect(parts.map((p) => [p.scope, p.status, p.attempts, p.loans])).toEqual([
      ...Array(3).fill(["loans", "succeeded", 1, 1]),
      ["portfolio", "succeeded", 1, 0],
    ]);
  });

  it("returns the running run for a second start of the same date, and re-running a finished date raises no duplicates", async () => {
    const [a, b] = await Promise.all([
      startCob(t.db, queues, { asOf: ASOF, trigger: "test", partitionSize: 1 }),
      startCob(t.db, queues, { asOf: ASOF, trigger: "test", partitionSize: 1 }),
    ]);
    expect(a.run.id).toBe(b.run.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const done = await waitForCob(t.db, a.run.id, () => {}, { timeoutMs: 45_000, pollMs: 50 });
    expect(done, await diagnose(a.run.id)).toMatchObject({ status: "succeeded", loansEvaluated: 3, warningsOpened: 0, warningsClosed: 0 });
    expect(await openWarnings(t.db)).toEqual(expected);
    expect(await warningOutbox()).toBe(4);
  });

  it("gives the same warnings with two worker sets as with one", async () => {
    await clearWarnings();
    await workersB?.close();
    workersB = startWorkers({ connection: connB, prefix, db: t.db, log, concurrency: 2, queues });
    const { run } = await startCob(t.db, queues, { asOf: ASOF, trigger: "test", partitionSize: 1 });
    const done = await waitForCob(t.db, run.id, () => {}, { timeoutMs: 45_000, pollMs: 50 });
    expect(done, await diagnose(run.id)).toMatchObject({ status: "succeeded", partitionsDone: 4, loansEvaluated: 3, warningsOpened: 4 });
    expect(await openWarnings(t.db)).toEqual(expected);
    expect(await duplicates()).toBe(0);
    await workersB.close();
    workersB = null;
  });

  it("recovers partitions whose jobs Redis lost: every loan evaluated once, no duplicate warnings", async () => {
    await workersA!.close();
    workersA = null;
    await clearWarnings();
    const { run } = await startCob(t.db, queues, { asOf: ASOF, trigger: "test", partitionSize: 1 });
    // Redis loses the whole flow (a FLUSHALL, for this test's prefix) before any worker saw it.
    await queues.get("evaluation").obliterate({ force: true });
    await queues.get("evaluation").resume(); // obliterate leaves the queue paused; a real flush does not
    const first = await reconcileCob(t.db, queues, { olderThanMs: 0 });
    expect(first.requeued.sort()).toEqual([`cob-${run.id}-0`, `cob-${run.id}-1`, `cob-${run.id}-2`, `cob-${run.id}-3`]);
    expect(first.finished).toEqual([]);
    // Nothing is re-sent twice while the jobs exist.
    expect((await reconcileCob(t.db, queues, { olderThanMs: 0 })).requeued).toEqual([]);
    await startA();
    await expect.poll(async () => (await getCobRun(t.db, run.id))?.partitionsDone, { timeout: 25_000 }).toBe(4);
    // The flow's parent went with the flush: the reconciler finishes the run.
    expect(await reconcileCob(t.db, queues, { olderThanMs: 0 })).toEqual({ requeued: [], finished: [run.id] });
    expect(await getCobRun(t.db, run.id), await diagnose(run.id)).toMatchObject({ status: "succeeded", partitionsDone: 4, loansEvaluated: 3, warningsOpened: 4 });
    const parts = await t.db.select().from(cobPartitions).where(eq(cobPartitions.runId, run.id));
    expect(parts.every((p) => p.status === "succeeded" && p.attempts === 1 && p.loans === (p.scope === "loans" ? 1 : 0)), await diagnose(run.id)).toBe(true);
    expect(await openWarnings(t.db)).toEqual(expected);
    expect(await duplicates()).toBe(0);
  });

  it("recovers one partition lost mid-run while the rest of the flow survives", async () => {
    await workersA!.close();
    workersA = null;
    await clearWarnings();
    const { run } = await startCob(t.db, queues, { asOf: ASOF, trigger: "test", partitionSize: 1 });
    const evaluation = queues.get("evaluation");
    // One partition was already processed by a worker; another's job vanishes from Redis.
    await runCobPartition(t.db, run.id, 0);
    await (await evaluation.getJob(`cob-${run.id}-0`))!.remove();
    await (await evaluation.getJob(`cob-${run.id}-1`))!.remove();
    expect(await reconcileCob(t.db, queues, { olderThanMs: 0 })).toEqual({ requeued: [`cob-${run.id}-1`], finished: [] });
    await startA();
    await expect.poll(async () => (await getCobRun(t.db, run.id))?.partitionsDone, { timeout: 25_000 }).toBe(4);
    await expect
      .poll(async () => (await getCobRun(t.db, run.id))?.status === "succeeded" || (await reconcileCob(t.db, queues, { olderThanMs: 0 })).finished.includes(run.id), { timeout: 25_000 })
      .toBe(true);
    expect(await getCobRun(t.db, run.id), await diagnose(run.id)).toMatchObject({ status: "succeeded", loansEvaluated: 3, warningsOpened: 4 });
    const parts = await t.db.select().from(cobPartitions).where(eq(cobPartitions.runId, run.id));
    expect(parts.map((p) => p.attempts)).toEqual([1, 1, 1, 1]);
    expect(await openWarnings(t.db)).toEqual(expected);
    expect(await evaluation.getJob(`cob-${run.id}-finish`).then((j) => j?.isWaitingChildren() ?? false)).toBe(false);
  });

  it("finishes a run started before portfolio partitions existed by evaluating customer and application rules then", async () => {
    await clearWarnings();
    // The shape such a run has after the upgrade: loan partitions only (scope defaults to 'loans').
    const [run] = await t.db.execute<{ id: number }>(sql`
      insert into cob_runs (as_of, trigger, status, started_at, partitions_total) values (${ASOF}::date, 'test', 'running', now(), 1) returning id`);
    await t.db.execute(sql`insert into cob_partitions (run_id, partition_no, loan_id_from, loan_id_to) values (${run!.id}, 0, 1, 2147483647)`);
    await runCobPartition(t.db, run!.id, 0);
    expect(await openWarnings(t.db)).toEqual(expected.filter((k) => k.startsWith("DPD30")));
    expect(await finishCob(t.db, run!.id)).toEqual({ finished: true });
    expect(await openWarnings(t.db)).toEqual(expected);
    expect(await getCobRun(t.db, run!.id), await diagnose(run!.id)).toMatchObject({ status: "succeeded", partitionsDone: 1, loansEvaluated: 3, warningsOpened: 4 });
  });

  it("evaluates changed loans from the outbox as an evaluation.batch job", async () => {
    await clearWarnings();
    // The scenario's own recomputes left loans.changed rows for every loan: only this test's row should go out.
    await t.db.delete(outbox).where(eq(outbox.topic, "loans.changed"));
    const [row] = await t.db.insert(outbox).values({ topic: "loans.changed", payload: { loanIds: [s.loan.L2], asOf: ASOF } }).returning();
    await dispatchOutbox(t.db, queues);
    const job = await queues.get("evaluation").getJob(`eval-${row!.id}-${row!.id}-0`);
    await expect.poll(() => job!.getState(), { timeout: 15_000 }).toBe("completed");
    expect(await openWarnings(t.db)).toEqual([`CUST_LATE|customer:${s.customer.L2}`, `DPD30|loan:${s.loan.L2}`]);
  });

  it("`cli cob --as-of` starts a run, prints progress and exits 0 once it succeeded", async () => {
    const lines: string[] = [];
    expect(await cobCommand(t.db, queues, "2026-04-21", (l) => lines.push(l), { timeoutMs: 20_000 })).toBe(0);
    expect(lines[0]).toMatch(/^started COB run \d+ as of 2026-04-21: 2 partitions$/);
    expect(lines.at(-1)).toMatch(/succeeded in/);
    expect(lines.some((l) => l.includes("2/2 partitions, 3 loans evaluated"))).toBe(true);
    await expect(cobCommand(t.db, queues, "2026-13-01", () => {})).rejects.toThrow(/--as-of/);
  });
  it("detects pre-loan churn in the loan partitions: each application once, by its id in the partition's range, past the last loan too", async () => {
    const apps = await t.db
      .insert(applications)
      .values(["A", "B", "C"].map((k) => ({ applicationNo: `COB-PRE-${k}`, customerId: s.customer.L1, product: "working_capital", amountFen: 1_000_000, submittedOn: "2026-03-01", decidedOn: "2026-03-10", status: "rejected" as const })))
      .returning({ id: applications.id });
    const ids = apps.map((a) => a.id).sort((a, b) => a - b);
    // Two partitions cut between the first application and the others; the second is open-ended, as the last loan
    // partition of a run is.
    const [run] = await t.db.execute<{ id: number }>(sql`
      insert into cob_runs (as_of, trigger, status, started_at, partitions_total) values (${ASOF}::date, 'test', 'running', now(), 2) returning id`);
    await t.db.execute(sql`insert into cob_partitions (run_id, partition_no, loan_id_from, loan_id_to) values (${run!.id}, 0, 1, ${ids[0]!}), (${run!.id}, 1, ${ids[0]! + 1}, 2147483647)`);
    const judged = async () =>
      (await t.db.execute<{ a: number }>(sql`select application_id as a from churn_events where stage = 'pre_loan' and kind = 'application_rejected' and application_id in ${ids} order by 1`)).map((r) => r.a);
    await runCobPartition(t.db, run!.id, 0);
    expect(await judged()).toEqual([ids[0]]);
    await runCobPartition(t.db, run!.id, 1);
    expect(await judged()).toEqual(ids);
    // A second night finds them again and writes nothing twice.
    await runCobPartition(t.db, run!.id, 1);
    expect(await judged()).toEqual(ids);
  });
});
