// Outbox → BullMQ → recompute, and the reconciler finding work that Redis lost.
import { count, inArray, isNotNull, isNull } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, redisUrl, testPrefix, type TestDb } from "../../test/int-db";
import { buildScopeFixture } from "../../test/scope-fixture";
import { startWorkers, type WorkerSet } from "../../workers/runtime";
import { loanState, outbox } from "../db/schema";
import { redisConnection } from "../queue/connection";
import { openQueues, type Queues } from "../queue/producer";
import { dispatchOutbox, reconcileOutbox } from "./dispatch";

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
  await queues.close();
  await Promise.all([workerConn.quit(), queues.connection.quit()]);
  await t.drop();
});

describe("outbox dispatch and reconciliation", () => {
  it("sends a pending row once, with a deterministic job id", async () => {
    const [row] = await t.db.insert(outbox).values({ topic: "loans.recompute", payload: { loanIds: [1, 2], asOf: "2026-06-30" } }).returning();
    expect(await dispatchOutbox(t.db, queues)).toEqual({ dispatched: 1 });
    expect(await dispatchOutbox(t.db, queues)).toEqual({ dispatched: 0 });
    const job = await queues.get("loans").getJob(`outbox-${row!.id}-0`);
    expect(job?.data).toEqual({ loanIds: [1, 2], asOf: "2026-06-30" });
  });

  it("sends loans.changed to the rules engine as evaluation.batch, and leaves topics without a consumer pending", async () => {
    const [changed] = await t.db.insert(outbox).values({ topic: "loans.changed", payload: { loanIds: [1], asOf: "2026-06-30" } }).returning();
    await t.db.insert(outbox).values({ topic: "warning.opened", payload: { warningId: 1 } });
    expect(await dispatchOutbox(t.db, queues)).toEqual({ dispatched: 1 });
    const job = await queues.get("evaluation").getJob(`outbox-${changed!.id}-0`);
    expect(job).toMatchObject({ name: "evaluation.batch", data: { loanIds: [1], asOf: "2026-06-30" } });
    const [pending] = await t.db.select({ n: count() }).from(outbox).where(isNull(outbox.dispatchedAt));
    expect(pending!.n).toBe(1);
    // The evaluation job is not what the next test is about: drop it and its row from the reconciler's view.
    await queues.get("evaluation").obliterate({ force: true });
    await queues.get("evaluation").resume();
    await t.db.delete(outbox).where(inArray(outbox.topic, ["loans.changed", "warning.opened"]));
  });

  it("re-sends work whose job Redis lost, then confirms it once a worker completed it", async () => {
    // Redis loses everything queued so far (a FLUSHALL, for this test's prefix).
    await queues.get("loans").obliterate({ force: true });
    await queues.get("loans").resume(); // obliterate leaves the queue paused; a real flush does not
    expect(await reconcileOutbox(t.db, queues, { olderThanMs: 0 })).toEqual({ confirmed: 0, resent: 1 });
    workers = startWorkers({ connection: workerConn, prefix, db: t.db, log: pino({ level: "silent" }), concurrency: 2, queues });
    const [row] = await t.db.select().from(outbox).where(isNotNull(outbox.dispatchedAt));
    const job = await queues.get("loans").getJob(`outbox-${row!.id}-0`);
    // Polled: the obliterate above also dropped the events stream a QueueEvents listener would wait on.
    await expect.poll(() => job!.getState(), { timeout: 15_000 }).toBe("completed");
    const states = await t.db.select().from(loanState);
    expect(states.map((s) => s.loanId).sort()).toEqual([1, 2]);
    // The recompute also wrote a loans.changed row, which its nudge dispatched at once: both end confirmed.
    await expect
      .poll(
        async () => {
          await reconcileOutbox(t.db, queues, { olderThanMs: 0 });
          return (await t.db.select().from(outbox)).filter((r) => r.dispatchedAt !== null && r.confirmedAt === null).length;
        },
        { timeout: 10_000 },
      )
      .toBe(0);
    const topics = (await t.db.select().from(outbox).where(isNotNull(outbox.confirmedAt))).map((r) => r.topic).sort();
    expect(topics).toEqual(["loans.changed", "loans.recompute"]);
    expect(await reconcileOutbox(t.db, queues, { olderThanMs: 0 })).toEqual({ confirmed: 0, resent: 0 });
  });
});
