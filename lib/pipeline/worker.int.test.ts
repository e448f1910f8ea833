// The job registry end to end on real Redis and Postgres: enqueue → validated → handled; bad payloads fail
// permanently; health counts the worker processes.
import { QueueEvents } from "bullmq";
import { count, sql } from "drizzle-orm";
import { z } from "zod";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, redisUrl, testPrefix, type TestDb } from "../../test/int-db";
import { authFailures } from "../db/schema";
import { checkHealth } from "../health";
import { createDb, closeDb } from "../db/client";
import { job } from "./define";
import { createQueues, enqueue, redisConnection, type Queues } from "./queues";
import { openQueues } from "../registry";
import { startWarmWorkers, startWorkers, type WorkerSet } from "./worker";

let t: TestDb;
let queues: Queues;
let workers: WorkerSet;
let events: QueueEvents;
const prefix = testPrefix();
const workerConn = redisConnection(redisUrl(), "worker");
const eventsConn = redisConnection(redisUrl(), "worker");

beforeAll(async () => {
  t = await freshDb();
  queues = openQueues(redisConnection(redisUrl(), "producer"), prefix);
  workers = startWorkers({ connection: workerConn, prefix, db: t.db, log: pino({ level: "silent" }), concurrency: 2, queues });
  events = new QueueEvents("system", { connection: eventsConn, prefix });
  await events.waitUntilReady();
  await Promise.all(workers.workers.map((w) => w.waitUntilReady()));
});

afterAll(async () => {
  await workers.close();
  await events.close();
  await queues.close();
  // BullMQ never closes connections it was given.
  await Promise.all([workerConn.quit(), eventsConn.quit(), queues.connection.quit()]);
  await t.drop();
});

describe("job registry", () => {
  it("runs a job through its handler against Postgres", async () => {
    const old = new Date(Date.now() - 30 * 86_400_000);
    await t.db.insert(authFailures).values([{ key: "u:old", at: old }, { key: "u:new" }]);
    const job = await enqueue(queues, "auth.purgeFailedSignIns", { olderThanDays: 7 });
    expect(await job.waitUntilFinished(events, 10_000)).toEqual({ purged: 1 });
    const [left] = await t.db.select({ n: count() }).from(authFailures);
    expect(left!.n).toBe(1);
  });

  it("refuses an invalid payload at the producer", async () => {
    await expect(enqueue(queues, "auth.purgeFailedSignIns", { olderThanDays: -1 })).rejects.toThrow();
  });

  it("fails a malformed payload that bypassed the producer permanently, without retries", async () => {
    const job = await queues.get("system").add("auth.purgeFailedSignIns", { olderThanDays: "soon" }, { attempts: 5 });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/invalid payload/);
    const again = await queues.get("system").getJob(job.id!);
    expect(again!.attemptsMade).toBe(1);
  });

  it("reports db, redis and the number of worker processes", async () => {
    expect(await checkHealth(t.db, queues)).toEqual({ db: "ok", redis: "ok", workers: 1 });
  });

  it("warms every connection of the pool at start, each job's warm-up once per connection", async () => {
    const pool = createDb(t.url, 5);
    const seen: Record<string, Set<number>> = { a: new Set(), b: new Set() };
    const backend = async (d: typeof pool) => (await d.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`))[0]!.pid;
    const warmed = (key: "a" | "b") =>
      job({ queue: "system", schema: z.object({}), handle: async () => null, warm: async ({ db }) => void seen[key]!.add(await backend(db)) });
    const conn = redisConnection(redisUrl(), "worker");
    const q = createQueues(redisConnection(redisUrl(), "producer"), `${prefix}w`, { jobs: { "test.a": warmed("a"), "test.b": warmed("b") }, topics: {} });
    const set = await startWarmWorkers({ connection: conn, prefix: `${prefix}w`, db: pool, log: pino({ level: "silent" }), concurrency: 1, queues: q, only: ["system"] });
    try {
      expect(seen.a!.size).toBe(5);
      expect([...seen.b!].sort()).toEqual([...seen.a!].sort());
    } finally {
      await set.close();
      await q.close();
      await Promise.all([conn.quit(), q.connection.quit()]);
      await closeDb(pool);
    }
  });
});
