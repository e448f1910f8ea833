// `npm run worker`: one worker process. Start more against the same Postgres and Redis to scale out.
import { Queue } from "bullmq";
import { closeDb, createDb } from "../lib/db/client";
import { env } from "../lib/env";
import { isUniqueViolation } from "../lib/errors";
import { ensureBuiltinRules, ensureReferenceRates } from "../lib/rules/library";
import { ensureCalendar } from "../lib/tasks/settings";
import { cobScheduler, loadCobTime } from "../lib/rules/schedule";
import { log } from "../lib/log";
import { redisConnection } from "../lib/queue/connection";
import { COB_NIGHTLY, defaultJobOptions, jobDefinitions, schedules } from "../lib/queue/definitions";
import { openQueues } from "../lib/queue/producer";
import { applyLocalRuntime } from "../lib/runtime/localEnv";
import { startWorkers } from "./runtime";

applyLocalRuntime();

const e = env();
const db = createDb(e.DATABASE_URL, Math.max(2, e.WORKER_CONCURRENCY + 1));
const connection = redisConnection(e.REDIS_URL, "worker");
connection.on("error", (err) => log.warn({ err: err.message }, "redis connection error"));
// Jobs that enqueue other jobs (the outbox dispatcher) use their own producer connection.
const queues = openQueues(redisConnection(e.REDIS_URL, "worker"), e.QUEUE_PREFIX);
const set = startWorkers({ connection, prefix: e.QUEUE_PREFIX, db, log, concurrency: e.WORKER_CONCURRENCY, queues });

// Built-in rules and reference rates for installs started without `npm start`; idempotent, and a worker starting
// at the same moment as another may lose the insert race, which is fine.
await ensureReferenceRates(db).catch((e: unknown) => (isUniqueViolation(e) ? undefined : Promise.reject(e)));
const library = await ensureBuiltinRules(db).catch((e: unknown) => (isUniqueViolation(e) ? undefined : Promise.reject(e)));
// A release's changed built-ins wait in /admin/rules for an editor's approval; deferred ones, for a pending decision.
if (library?.proposed || library?.deferred) log.info({ proposed: library.proposed, deferred: library.deferred }, "built-in rule updates from the library");
await ensureCalendar(db).catch((e: unknown) => (isUniqueViolation(e) ? undefined : Promise.reject(e)));

// Schedulers are upserted by stable id, so every worker can do it at start without creating duplicates.
// The nightly COB runs at the admin-set time (settings table), the declared pattern being only the default.
const cobTime = await loadCobTime(db);
for (const s of schedules) {
  const queue = new Queue(jobDefinitions[s.job].queue, { connection, prefix: e.QUEUE_PREFIX, defaultJobOptions });
  queue.on("error", () => {});
  const repeat = "every" in s ? { every: s.every } : s.id === COB_NIGHTLY.id ? cobScheduler(cobTime).repeat : { pattern: s.pattern, tz: s.tz };
  await queue.upsertJobScheduler(s.id, repeat, { name: s.job, data: s.data });
  await queue.close();
}
log.info({ queues: set.workers.map((w) => w.name), concurrency: e.WORKER_CONCURRENCY }, "worker ready");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "worker stopping: finishing active jobs");
  const force = setTimeout(() => {
    log.warn("worker did not stop within 30 s; exiting");
    process.exit(1);
  }, 30_000);
  force.unref();
  await set.close();
  await queues.close();
  await Promise.all([connection.quit().catch(() => {}), queues.connection.quit().catch(() => {})]);
  await closeDb(db);
  log.info("worker stopped");
  process.exit(0);
}
// While closing, BullMQ's last in-flight commands may reject with "Connection is closed": expected, not a crash.
process.on("unhandledRejection", (reason) => {
  if (stopping && reason instanceof Error && reason.message.includes("Connection is closed")) return;
  log.error({ err: reason }, "unhandled rejection");
  process.exitCode = 1;
});
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
