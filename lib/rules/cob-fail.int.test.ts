// A COB partition whose job fails all its attempts fails its run (with the error) instead of leaving it running
// forever: the reconciler does not resurrect it, the run list shows it, and a new run for the date can start.
import { eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, redisUrl, testPrefix, type TestDb } from "../../test/int-db";
import { buildRulesScenario, insertRule, recomputeAllAsOf } from "../../test/rules-scenario";
import { startWorkers, type WorkerSet } from "../pipeline/worker";
import { cobPartitions, ruleVersions } from "../db/schema";
import { redisConnection, type Queues } from "../pipeline/queues";
import { openQueues } from "../registry";
import { getCobRun, partitionJobId, reconcileCob, startCob, waitForCob } from "./cob";
import { listCobRuns } from "./runs";

let t: TestDb;
let queues: Queues;
let workers: WorkerSet | null = null;
const prefix = testPrefix();
const conn = redisConnection(redisUrl(), "worker");
const ASOF = "2026-04-20";
let broken: { versionId: number };

beforeAll(async () => {
  t = await freshDb();
  await buildRulesScenario(t.db);
  await insertRule(t.db, { code: "DPD30", subject: "loan", condition: { feature: "dpd", op: "ge", value: 30 } });
  // An active version whose condition no longer compiles (written around the validation): every partition fails.
  broken = await insertRule(t.db, { code: "BROKEN", subject: "loan", condition: { feature: "no_such_feature", op: "ge", value: 1 } });
  await recomputeAllAsOf(t.db, ASOF);
  queues = openQueues(redisConnection(redisUrl(), "producer"), prefix);
});

afterAll(async () => {
  await workers?.close();
  await queues.close();
  // Every key of the prefix (the warnings also queued task jobs).
  for (let cursor = "0"; ; ) {
    const [next, keys] = await conn.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    if (keys.length) await conn.del(...keys);
    cursor = next;
    if (cursor === "0") break;
  }
  await Promise.all([conn.quit(), queues.connection.quit()]);
  await t.drop();
});

describe("COB partition failing for good", () => {
  it("marks the partition and the run failed with the error after the last attempt; the reconciler leaves it", async () => {
    const { run } = await startCob(t.db, queues, { asOf: ASOF, trigger: "test", partitionSize: 2 });
    expect(run.partitionsTotal).toBe(3); // two loan partitions and the portfolio one
    // The flow's default retries back off for half a minute: replace the loan partition jobs by ones with 2 quick
    // attempts (the portfolio partition's job goes too: its rules are sound, this test is about the broken one).
    const evaluation = queues.get("evaluation");
    await evaluation.obliterate({ force: true });
    await evaluation.resume();
    for (const n of [0, 1]) {
      await evaluation.add("cob.partition", { runId: run.id, partitionNo: n }, { jobId: partitionJobId(run.id, n), attempts: 2, backoff: { type: "fixed", delay: 10 } });
    }
    workers = startWorkers({ connection: conn, prefix, db: t.db, log: pino({ level: "silent" }), concurrency: 2, queues });
    const done = await waitForCob(t.db, run.id, () => {}, { timeoutMs: 20_000, pollMs: 50 });
    expect(done.status).toBe("failed");
    // Both partitions made both their attempts (the second after the run was already failed: recorded all the same).
    await expect.poll(async () => (await evaluation.getJob(partitionJobId(run.id, 1)))?.getState(), { timeout: 10_000 }).toBe("failed");
    await expect.poll(async () => (await evaluation.getJob(partitionJobId(run.id, 0)))?.getState(), { timeout: 10_000 }).toBe("failed");
    const parts = await t.db.select().from(cobPartitions).where(eq(cobPartitions.runId, run.id));
    expect(parts.map((p) => [p.scope, p.status, p.attempts]).sort()).toEqual([
      ["loans", "failed", 2],
      ["loans", "failed", 2],
      ["portfolio", "queued", 0],
    ]);
    const [row] = (await listCobRuns(t.db)).filter((r) => r.id === run.id);
    expect(row).toMatchObject({ status: "failed", partitionsDone: 0 });
    expect(row!.failure).toMatch(/^partition [01]: .*no_such_feature/);
    expect(row!.finishedAt).not.toBeNull();

    // Not resurrected: nothing re-queued, nothing finished, still failed.
    expect(await reconcileCob(t.db, queues, { olderThanMs: 0 })).toEqual({ requeued: [], finished: [] });
    expect((await getCobRun(t.db, run.id))?.status).toBe("failed");

    // Once the rule is fixed, a new run for the same date starts and succeeds.
    await t.db.update(ruleVersions).set({ condition: { feature: "dpd", op: "ge", value: 60 } }).where(eq(ruleVersions.id, broken.versionId));
    const again = await startCob(t.db, queues, { asOf: ASOF, trigger: "test", partitionSize: 2 });
    expect(again.created).toBe(true);
    expect(again.run.id).not.toBe(run.id);
    expect(await waitForCob(t.db, again.run.id, () => {}, { timeoutMs: 20_000, pollMs: 50 })).toMatchObject({ status: "succeeded", loansEvaluated: 3 });
  });
});
