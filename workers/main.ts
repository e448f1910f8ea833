// `npm run worker`: one worker process running the job registry (lib/registry.ts). Start more against the same
// Postgres and Redis to scale out.
import { closeDb, createDb } from "../lib/db/client";
import { parseWorkerEnv } from "../lib/env";
import { isUniqueViolation } from "../lib/errors";
import { log } from "../lib/log";
import { redisConnection } from "../lib/pipeline/queues";
import { upsertSchedules } from "../lib/pipeline/schedules";
import { startWarmWorkers } from "../lib/pipeline/worker";
import { openQueues } from "../lib/registry";
import { ensureBuiltinRules, ensureReferenceRates } from "../lib/rules/library";
import { applyLocalRuntime } from "../lib/runtime/localEnv";
import { ensureBuiltinLexicon } from "../lib/signals/versions";
import { ensureCalendar } from "../lib/tasks/settings";

applyLocalRuntime();

const e = parseWorkerEnv(process.env);
const db = createDb(e.DATABASE_URL, Math.max(2, e.WORKER_CONCURRENCY + 1), { idleTimeout: 0 });
const connection = redisConnection(e.REDIS_URL, "worker");
connection.on("error", (err) => log.warn({ err: err.message }, "redis connection error"));
// Jobs that enqueue other jobs (the outbox dispatcher) use their own producer connection.
const queues = openQueues(redisConnection(e.REDIS_URL, "worker"), e.QUEUE_PREFIX);

// Built-in rules and reference rates for installs started without `npm start`; idempotent, and a worker starting
// at the same moment as another may lose the insert race, which is fine.
const idempotent = <T>(p: Promise<T>) => p.catch((err: unknown) => (isUniqueViolation(err) ? undefined : Promise.reject(err)));
await idempotent(ensureReferenceRates(db));
const library = await idempotent(ensureBuiltinRules(db));
// A release's changed built-ins wait in /admin/rules for an editor's approval; deferred ones, for a pending decision.
if (library?.proposed || library?.deferred) log.info({ proposed: library.proposed, deferred: library.deferred }, "built-in rule updates from the library");
await idempotent(ensureCalendar(db));
await ensureBuiltinLexicon(db);

const set = await startWarmWorkers({ connection, prefix: e.QUEUE_PREFIX, db, log, concurrency: e.WORKER_CONCURRENCY, queues });
const schedulers = await upsertSchedules(db, queues);
log.info({ queues: set.workers.map((w) => w.name), concurrency: e.WORKER_CONCURRENCY, schedulers: schedulers.length, warmMs: set.warmMs }, "worker ready");

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
