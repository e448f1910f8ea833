// Tasks through the queues: warnings reach the task worker through the outbox (a replayed row opens nothing twice),
// SLA timers fire from their delayed jobs, and after Redis lost them the sweep (the reconciler) re-creates them and
// each reminder and escalation still fires exactly once.
import { sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, redisUrl, testPrefix, type TestDb } from "../../test/int-db";
import { buildTaskFixture, type TaskFixture } from "../../test/task-fixture";
import { dispatchOutbox } from "../pipeline/dispatch";
import { redisConnection, type Queues } from "../pipeline/queues";
import { openQueues } from "../registry";
import { runJob, startWorkers, type WorkerSet } from "../pipeline/worker";
import { localDate, addDays } from "./calendar";
import { saveSla } from "./settings";
import { timerJobId } from "./timers";

let t: TestDb;
let f: TaskFixture;
let queues: Queues;
let workers: WorkerSet;
const prefix = testPrefix();
const workerConn = redisConnection(redisUrl(), "worker");
const log = pino({ level: "silent" });

async function until<T>(fn: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}
const n = async (q: ReturnType<typeof sql>) => (await t.db.execute<{ n: number }>(q))[0]!.n;

async function wipeRedis() {
  const keys = await queues.connection.keys(`${prefix}:*`);
  if (keys.length) await queues.connection.del(...keys);
}

beforeAll(async () => {
  t = await freshDb();
  f = await buildTaskFixture(t.db);
  // Every day from yesterday to a week ahead is a working day, so business time flows whenever this runs.
  const today = localDate(Date.now(), "Asia/Shanghai");
  for (let i = -1; i <= 7; i++) await t.db.execute(sql`insert into business_calendar (day, kind, name) values (${addDays(today, i)}, 'workday', 'test')`);
  queues = openQueues(redisConnection(redisUrl(), "producer"), prefix);
});

afterAll(async () => {
  await workers?.close();
  await queues.close();
  await wipeRedis();
  await Promise.all([workerConn.quit(), queues.connection.quit()]);
  await t.drop();
});

describe("tasks through the outbox and delayed jobs", () => {
  it("opens the task from the outbox once, even when the row is sent again", async () => {
    workers = startWorkers({ connection: workerConn, prefix, db: t.db, log, concurrency: 2, queues });
    const w = await f.raise("C1", "high");
    await t.db.execute(sql`insert into outbox (topic, payload) values ('warning.opened', jsonb_build_object('warningId', ${w}::int))`);
    await dispatchOutbox(t.db, queues);
    await until(() => n(sql`select count(*)::int as n from tasks`));
    // The job has finished (it confirms its row) before the row is made to look unsent.
    await until(() => n(sql`select count(*)::int as n from outbox where confirmed_at is not null`));
    // The row sent again (a crash before it was marked, or a replay): same warning, nothing new. Redis is wiped
    // first: a worker's own sweep that claims the reset row in between then sends its job where this test looks.
    await wipeRedis();
    await t.db.execute(sql`update outbox set dispatched_at = null, confirmed_at = null`);
    await dispatchOutbox(t.db, queues);
    // The re-sent job runs (and finds nothing to do). A worker's sweep may have claimed the row first and still be
    // adding its job (then this dispatch found nothing to send): wait for the job rather than look once.
    const resent = await until(async () => (await queues.get("tasks").getJobs(["waiting", "active", "completed", "delayed", "prioritized"]))[0]);
    await until(async () => (await resent.getState()) === "completed", 30_000);
    expect(await n(sql`select count(*)::int as n from tasks`)).toBe(1);
    expect(await n(sql`select count(*)::int as n from task_warnings`)).toBe(1);
    expect(await n(sql`select count(*)::int as n from notifications where kind = 'assigned'`)).toBe(1);
  });

  it("fires the reminder and the escalation from delayed jobs, once each, also after Redis lost them", async () => {
    // Seconds-long SLAs for the test: critical first contact in ≈ 4 s (reminder at ≈ 3 s).
    await saveSla(t.db, { kind: "system", name: "test" }, {
      critical: { contactDays: 4 / 86_400, resolveDays: 8 / 86_400 },
      high: { contactDays: 2, resolveDays: 10 },
      medium: { contactDays: 5, resolveDays: 20 },
      low: { contactDays: 10, resolveDays: 30 },
    });
    const w = await f.raise("C3", "critical");
    await t.db.execute(sql`insert into outbox (topic, payload) values ('warning.opened', jsonb_build_object('warningId', ${w}::int))`);
    await dispatchOutbox(t.db, queues);
    const [task] = await until(async () => {
      const r = await t.db.execute<{ id: number; contact_remind_at: string }>(sql`select t.id, t.contact_remind_at from tasks t join customers c on c.id = t.customer_id where c.customer_no = 'C3'`);
      return r.length ? r : null;
    });
    const due = new Date(`${task!.contact_remind_at.replace(" ", "T").replace(/\+00$/, "Z")}`);
    // The timers go to Redis after the task's commit (one addBulk), so the task can be seen a moment before them.
    expect(await until(async () => (await queues.get("tasks").getJob(timerJobId(task!.id, "contact_remind", due))) ?? null)).toBeTruthy();
    // The reminder fires from its delayed job.
    await until(() => n(sql`select count(*)::int as n from tasks where id = ${task!.id} and contact_reminded_at is not null`), 10_000);

    // Redis loses every job (breach jobs included) before the breaches fall due; the reconciler sweep re-creates them.
    await workers.close();
    await wipeRedis();
    workers = startWorkers({ connection: workerConn, prefix, db: t.db, log, concurrency: 2, queues });
    const ctx = { db: t.db, log, jobId: "test", queues };
    await runJob("tasks.sweep", {}, ctx);
    await until(() => n(sql`select count(*)::int as n from tasks where id = ${task!.id} and resolve_breached_at is not null`), 15_000);
    // Sweeps and replays afterwards change nothing.
    await runJob("tasks.sweep", {}, ctx);
    await runJob("tasks.timer", { taskId: task!.id }, ctx);
    const kinds = await t.db.execute<{ kind: string; n: number }>(sql`
      select kind, count(*)::int as n from notifications where task_id = ${task!.id} group by kind order by kind`);
    // rm3 assigned; rm3 reminded twice (contact, resolution); escalated twice (contact, resolution) × (rm3, sup2).
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k.n]))).toEqual({ assigned: 1, reminder: 2, escalated: 4 });
    expect(await n(sql`select count(*)::int as n from task_events where task_id = ${task!.id} and kind = 'escalated'`)).toBe(2);
  });
});
