// Runs the registry: one BullMQ Worker per queue in this process, each job through the same steps — payload parsed
// again, handler run with its emissions tracked, rows it follows through consumed here, rows its job carried
// confirmed, the dispatcher nudged when anything was emitted, the final failure recorded where the job declares it.
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { z } from "zod";
import type { Db } from "../db/client";
import { scrubErrorInPlace } from "../log";
import { QUEUES, type JobContext, type QueueName, type Queues } from "./define";
import { confirmOutbox, nudgeOutbox, planRows, unclaimOutbox } from "./dispatch";
import { trackEmissions } from "./emit";

export type WorkerSet = { workers: Worker[]; close: () => Promise<void> };

// How long a job's lock lives without renewal, and how often workers look for jobs whose lock expired (a worker
// killed mid-job): BullMQ's defaults are 30 s each; tests that kill workers shorten them.
const lockEnv = z.object({
  WORKER_LOCK_MS: z.coerce.number().int().min(200).max(600_000).optional(),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).optional(),
});

const nudge = (ctx: JobContext) => nudgeOutbox(ctx.queues).catch((err: unknown) => ctx.log.warn({ err }, "could not nudge the outbox"));

/**
 * One job of the registry, as a worker runs it (exported for tests and for the follow-through, which runs the
 * consumer's handler in the same way, minus the queue).
 */
export async function runJob(name: string, data: unknown, ctx: JobContext): Promise<unknown> {
  const def = ctx.queues.registry.jobs[name];
  if (!def) throw new UnrecoverableError(`unknown job ${name}`);
  const parsed = def.schema.safeParse(data);
  // Payloads are parsed again here: a producer from an older release may have sent a different shape.
  if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${name}: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
  const { result, emitted, claimed } = await trackEmissions(() => def.handle(parsed.data, ctx), def.followThrough);
  let output = result;
  if (claimed.length) {
    // The rows this job wrote for itself: their consumers run here and now (each as a job of its own, minus the
    // queue: it confirms the rows it carries and nudges for what it emits), and the rows are confirmed after.
    const ids = claimed.map((r) => r.id);
    try {
      const { batches } = planRows(ctx.queues.registry, claimed);
      const followed: Record<string, unknown> = {};
      for (const j of batches.flatMap((b) => b.jobs)) followed[j.name] = await runJob(j.name, j.data, ctx);
      output = { ...(result as object), followThrough: followed };
    } catch (e) {
      // A retry of this job would find its own work done and consume nothing: hand the rows to the next sweep
      // rather than leave them to the reconciler's minute.
      await unclaimOutbox(ctx.db, ids).catch(() => {});
      await nudge(ctx);
      throw e;
    }
    await confirmOutbox(ctx.db, ids);
  }
  // Outbox rows this job alone carried are done: the reconciler need not look at them again.
  const carried = (parsed.data as { outboxIds?: number[] }).outboxIds;
  if (carried?.length) await confirmOutbox(ctx.db, carried);
  // Rows it wrote go out now, not at the next scheduled sweep; and rows of its topic may be waiting for this batch to
  // finish (adaptive batching).
  if (emitted || carried?.length) await nudge(ctx);
  return output;
}

type WorkerOptions = {
  connection: Redis;
  prefix: string;
  db: Db;
  log: Logger;
  concurrency: number;
  queues: Queues;
  /** Only these queues (default: all); e.g. a benchmark that measures one path. */
  only?: readonly QueueName[];
  /** Per-queue concurrency overrides (e.g. the evaluation queue on a small machine). */
  queueConcurrency?: Partial<Record<QueueName, number>>;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
};

/**
 * What a worker process does at start: every job of its queues warms up first (connections, prepared statements,
 * catalog caches, compiled code: the first events after a start should not pay for them), then the workers start
 * taking jobs. A failed warm-up is logged, never fatal.
 *
 * Each warm-up runs once per connection of the pool, its copies side by side (concurrent queries and transactions
 * each take a connection of their own, opening it if need be), one job's warm-up after the other: any job may run on
 * any connection, and prepared statements and catalog caches are per connection (per PostgreSQL backend). A single
 * call per job left most connections to be opened, and their statements prepared, by the first events.
 */
export async function startWarmWorkers(opts: WorkerOptions): Promise<WorkerSet & { warmMs: number }> {
  const started = Date.now();
  const ctx = (name: string): JobContext => ({ db: opts.db, log: opts.log.child({ job: name, warm: true }), jobId: undefined, queues: opts.queues });
  const connections = Math.max(1, Number(opts.db.$client.options.max) || 1);
  for (const [name, def] of Object.entries(opts.queues.registry.jobs)) {
    if (!def.warm || (opts.only && !opts.only.includes(def.queue))) continue;
    await Promise.all(Array.from({ length: connections }, () => def.warm!(ctx(name)).catch((err: unknown) => opts.log.warn({ err, job: name }, "warm-up failed"))));
  }
  return { ...startWorkers(opts), warmMs: Date.now() - started };
}

export function startWorkers(opts: WorkerOptions): WorkerSet {
  const { connection, prefix, db, log, concurrency, queues } = opts;
  const { jobs } = queues.registry;
  const fromEnv = lockEnv.parse({ WORKER_LOCK_MS: process.env.WORKER_LOCK_MS || undefined, WORKER_STALLED_INTERVAL_MS: process.env.WORKER_STALLED_INTERVAL_MS || undefined });
  const lockDuration = opts.lockDurationMs ?? fromEnv.WORKER_LOCK_MS;
  const stalledInterval = opts.stalledIntervalMs ?? fromEnv.WORKER_STALLED_INTERVAL_MS;
  const processor = async (job: Job) => {
    const ctx: JobContext = { db, log: log.child({ job: job.name, jobId: job.id }), jobId: job.id, queues };
    try {
      return await runJob(job.name, job.data, ctx);
    } catch (err) {
      // The message BullMQ keeps (Redis, the queue dashboard) must not carry a failed query's bound values.
      scrubErrorInPlace(err);
      // attemptsMade counts the attempts that already failed, so this one is the last when it reaches attempts - 1.
      const last = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const def = jobs[job.name];
      const parsed = def?.schema.safeParse(job.data);
      if (last && def?.onFinalFailure && parsed?.success) {
        const message = err instanceof Error ? err.message : String(err);
        await def.onFinalFailure(parsed.data, message, ctx).catch((e: unknown) => ctx.log.error({ err: e }, "could not record the final failure"));
      }
      throw err;
    }
  };
  const workers = QUEUES.filter((q) => !opts.only || opts.only.includes(q)).map((q) => {
    const w = new Worker(q, processor, {
      connection,
      prefix,
      concurrency: opts.queueConcurrency?.[q] ?? concurrency,
      autorun: true,
      ...(lockDuration ? { lockDuration } : {}),
      ...(stalledInterval ? { stalledInterval } : {}),
    });
    w.on("error", (err) => log.error({ err, queue: q }, "worker error"));
    w.on("failed", (job, err) => log.warn({ queue: q, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, "job failed"));
    return w;
  });
  return {
    workers,
    // close() waits for active jobs to finish; unfinished ones are picked up again as stalled by another worker.
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
