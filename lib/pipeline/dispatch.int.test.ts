// Outbox → BullMQ → recompute, coalescing of a sweep's rows into few jobs, and the reconciler finding work that Redis
// lost.
import { count, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, redisUrl, testPrefix, type TestDb } from "../../test/int-db";
import { buildScopeFixture } from "../../test/scope-fixture";
import { startWorkers, type WorkerSet } from "./worker";
import { loanState, outbox } from "../db/schema";
import { redisConnection, type Queues } from "./queues";
import { openQueues } from "../registry";
import { confirmOutbox, dispatchOutbox, nudgeOutbox, purgeOutbox, reconcileOutbox } from "./dispatch";

let t: TestDb;
let queues: Queues;
let workers: WorkerSet | null = null;
const prefix = testPrefix();
const workerConn = redisConnection(redisUrl(), "worker");

beforeAll(async () => {
  t = await freshDb();
  await buildScopeFixture(t.db);
  queues = openQueues(redisConnection(redisUrl(), "producer"), prefix);
});

afterAll(async () => {
  await workers?.close();
  await queues.get("loans").obliterate({ force: true });
  await queues.get("system").obliterate({ force: true });
  await queues.get("evaluation").obliterate({ force: true });
  await queues.get("tasks").obliterate({ force: true });
  await queues.close();
  // Whatever else the workers left under the prefix (e.g. the idle imports queue's stalled-check key).
  for (let cursor = "0"; ; ) {
    const [next, keys] = await workerConn.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    if (keys.length) await workerConn.del(...keys);
    cursor = next;
    if (cursor === "0") break;
  }
  await Promise.all([workerConn.quit(), queues.connection.quit()]);
  await t.drop();
});

describe("outbox dispatch and reconciliation", () => {
  it("sends a pending row once, with a deterministic job id", async () => {
    const [row] = await t.db.insert(outbox).values({ topic: "loans.recompute", payload: { loanIds: [1, 2], asOf: "2026-06-30" } }).returning();
    expect(await dispatchOutbox(t.db, queues)).toEqual({ dispatched: 1 });
    expect(await dispatchOutbox(t.db, queues)).toEqual({ dispatched: 0 });
    const job = await queues.get("loans").getJob(`recompute-${row!.id}-${row!.id}-0`);
    expect(job?.data).toEqual({ loanIds: [1, 2], asOf: "2026-06-30", outboxIds: [row!.id] });
  });

  it("sends loans.changed to the rules engine as evaluation.batch, and leaves topics without a consumer pending", async () => {
    const [changed] = await t.db.insert(outbox).values({ topic: "loans.changed", payload: { loanIds: [1], asOf: "2026-06-30" } }).returning();
    await t.db.insert(outbox).values({ topic: "nobody.listens", payload: { id: 1 } });
    expect(await dispatchOutbox(t.db, queues)).toEqual({ dispatched: 1 });
    const job = await queues.get("evaluation").getJob(`eval-${changed!.id}-${changed!.id}-0`);
    expect(job).toMatchObject({ name: "evaluation.batch", data: { loanIds: [1], asOf: "2026-06-30", outboxIds: [changed!.id] } });
    const [pending] = await t.db.select({ n: count() }).from(outbox).where(isNull(outbox.dispatchedAt));
    expect(pending!.n).toBe(1);
    // The evaluation job is not what the next test is about: drop it and its row from the reconciler's view.
    await queues.get("evaluation").obliterate({ force: true });
    await queues.get("evaluation").resume();
    await t.db.delete(outbox).where(inArray(outbox.topic, ["loans.changed", "nobody.listens"]));
  });

  it("coalesces the rows of one sweep into one job per as-of date, which the reconciler finds again by id", async () => {
    const evaluation = queues.get("evaluation");
    const rows = await t.db
      .insert(outbox)
      .values([
        { topic: "loans.changed", payload: { loanIds: [3, 1], asOf: "2026-06-30" } },
        { topic: "loans.changed", payload: { loanIds: [2], asOf: "2026-07-01" } },
        { topic: "loans.changed", payload: { loanIds: [1, 2], asOf: "2026-06-30" } },
      ])
      .returning();
    const [a, b, c] = rows.map((r) => r.id);
    expect(await dispatchOutbox(t.db, queues)).toEqual({ dispatched: 3 });
    const ids = (await evaluation.getJobs(["waiting", "delayed", "prioritized"])).map((j) => j.id).sort();
    expect(ids).toEqual([`eval-${a}-${c}-0`, `eval-${b}-${b}-0`].sort());
    expect((await evaluation.getJob(`eval-${a}-${c}-0`))!.data).toEqual({ loanIds: [1, 2, 3], asOf: "2026-06-30", outboxIds: [a, c] });
    expect((await evaluation.getJob(`eval-${b}-${b}-0`))!.data).toEqual({ loanIds: [2], asOf: "2026-07-01", outboxIds: [b] });
    // Nothing is sent twice while the jobs exist; after a flush the same ids come back.
    expect(await reconcileOutbox(t.db, queues, { olderThanMs: 0 })).toEqual({ confirmed: 0, resent: 0 });
    await evaluation.obliterate({ force: true });
    await evaluation.resume();
    expect(await reconcileOutbox(t.db, queues, { olderThanMs: 0 })).toEqual({ confirmed: 0, resent: 2 });
    expect((await evaluation.getJobs(["waiting", "delayed", "prioritized"])).map((j) => j.id).sort()).toEqual(ids);
    await evaluation.obliterate({ force: true });
    await evaluation.resume();
    await t.db.delete(outbox).where(inArray(outbox.id, [a!, b!, c!]));
  });

  it("holds a topic's rows while two of its batches are in flight, then merges them into one batch", async () => {
    const evaluation = queues.get("evaluation");
    const add = async (loanId: number) =>
      (await t.db.insert(outbox).values({ topic: "loans.changed", payload: { loanIds: [loanId], asOf: "2026-06-30" } }).returning())[0]!.id;
    const a = await add(1);
    expect(await dispatchOutbox(t.db, queues)).toEqual({ dispatched: 1 });
    const b = await add(2);
    expect(await dispatchOutbox(t.db, queues)).toEqual({ dispatched: 1 });
    const c = await add(3);
    const d = await add(1);
    // Two batches of loans.changed are in flight: c and d wait.
    expect(await dispatchOutbox(t.db, queues)).toEqual({ dispatched: 0 });
    await confirmOutbox(t.db, [a]);
    expect(await dispatchOutbox(t.db, queues)).toEqual({ dispatched: 2 });
    expect((await evaluation.getJob(`eval-${c}-${d}-0`))!.data).toEqual({ loanIds: [1, 3], asOf: "2026-06-30", outboxIds: [c, d] });
    await evaluation.obliterate({ force: true });
    await evaluation.resume();
    await t.db.delete(outbox).where(inArray(outbox.id, [a, b, c, d]));
  });

  it("debounces nudges: a burst of writes makes one dispatch job per short window", async () => {
    const system = queues.get("system");
    await Promise.all(Array.from({ length: 50 }, () => nudgeOutbox(queues, 1_000)));
    const nudges = (await system.getJobs(["delayed", "waiting"])).filter((j) => j.name === "outbox.dispatch");
    // 50 nudges within a few ms fall into one (rarely two) windows of 1 s.
    expect(nudges.length).toBeGreaterThanOrEqual(1);
    expect(nudges.length).toBeLessThanOrEqual(2);
    expect(nudges.every((j) => /^outbox-nudge-\d+$/.test(j.id!))).toBe(true);
    await system.obliterate({ force: true });
    await system.resume();
  });

  it("re-sends work whose job Redis lost, then confirms it once a worker completed it", async () => {
    // Redis loses everything queued so far (a FLUSHALL, for this test's prefix).
    await queues.get("loans").obliterate({ force: true });
    await queues.get("loans").resume(); // obliterate leaves the queue paused; a real flush does not
    expect(await reconcileOutbox(t.db, queues, { olderThanMs: 0 })).toEqual({ confirmed: 0, resent: 1 });
    workers = startWorkers({ connection: workerConn, prefix, db: t.db, log: pino({ level: "silent" }), concurrency: 2, queues });
    const [row] = await t.db.select().from(outbox).where(isNotNull(outbox.dispatchedAt));
    const job = await queues.get("loans").getJob(`recompute-${row!.id}-${row!.id}-0`);
    // Polled: the obliterate above also dropped the events stream a QueueEvents listener would wait on.
    await expect.poll(() => job!.getState(), { timeout: 15_000 }).toBe("completed");
    const states = await t.db.select().from(loanState);
    expect(states.map((s) => s.loanId).sort()).toEqual([1, 2]);
    // The recompute also wrote a loans.changed row, which its nudge dispatched within a window: both end confirmed
    // (by the workers that completed their jobs, or by the reconciler).
    await expect
      .poll(
        async () => {
          await reconcileOutbox(t.db, queues, { olderThanMs: 0 });
          return (await t.db.select().from(outbox)).filter((r) => r.confirmedAt === null).length;
        },
        { timeout: 10_000 },
      )
      .toBe(0);
    const topics = (await t.db.select().from(outbox).where(isNotNull(outbox.confirmedAt))).map((r) => r.topic).sort();
    expect(topics).toEqual(["loans.changed", "loans.recompute"]);
    expect(await reconcileOutbox(t.db, queues, { olderThanMs: 0 })).toEqual({ confirmed: 0, resent: 0 });
  });
  it("purges rows confirmed more than a week ago, and only those", async () => {
    const now = new Date("2026-07-20T00:00:00Z");
    const rows = await t.db
      .insert(outbox)
      .values([
        { topic: "loans.recompute", payload: { loanIds: [1], asOf: "2026-07-01" }, dispatchedAt: new Date("2026-07-01T00:00:00Z"), confirmedAt: new Date("2026-07-12T00:00:00Z") },
        { topic: "loans.recompute", payload: { loanIds: [2], asOf: "2026-07-01" }, dispatchedAt: new Date("2026-07-01T00:00:00Z"), confirmedAt: new Date("2026-07-14T00:00:00Z") },
        { topic: "loans.recompute", payload: { loanIds: [3], asOf: "2026-07-01" }, dispatchedAt: new Date("2026-07-01T00:00:00Z") },
      ])
      .returning();
    const before = (await t.db.select({ n: count() }).from(outbox))[0]!.n;
    expect(await purgeOutbox(t.db, 7, now)).toBe(1);
    expect((await t.db.select({ n: count() }).from(outbox))[0]!.n).toBe(before - 1);
    expect(await t.db.select().from(outbox).where(eq(outbox.id, rows[0]!.id))).toEqual([]);
    expect(await t.db.select({ id: outbox.id }).from(outbox).where(inArray(outbox.id, [rows[1]!.id, rows[2]!.id]))).toHaveLength(2);
    await t.db.delete(outbox).where(inArray(outbox.id, [rows[1]!.id, rows[2]!.id]));
  });
});
