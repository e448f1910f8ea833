// Starts one BullMQ Worker per queue in this process and dispatches jobs to the registry's handlers.
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { z } from "zod";
import type { Db } from "../lib/db/client";
import { confirmOutbox, nudgeOutbox } from "../lib/outbox/dispatch";
import { jobDefinitions, QUEUES, type JobName } from "../lib/queue/definitions";
import type { Queues } from "../lib/queue/producer";
import { failCobPartition, failCobRun } from "../lib/rules/cob";
import { handlers, type JobContext } from "./registry";

export type WorkerSet = { workers: Worker[]; close: () => Promise<void> };

type FinalFailure = { [N in JobName]?: (data: z.output<(typeof jobDefinitions)[N]["schema"]>, message: string, ctx: JobContext) => Promise<unknown> };

// Work whose state lives in Postgres and must learn that its job gave up (last attempt failed, or a permanent
// error): recorded before the job is marked failed, so a crash in between leaves a job that re-runs and skips.
const onFinalFailure: FinalFailure = {
  "cob.partition": ({ runId, partitionNo }, message, { db }) => failCobPartition(db, runId, partitionNo, message),
  "cob.finish": ({ runId }, message, { db }) => failCobRun(db, runId, `finish: ${message}`),
};

// How long a job's lock lives without renewal, and how often workers look for jobs whose lock expired (a worker
// killed mid-job): BullMQ's defaults are 30 s each; tests that kill workers shorten them.
const lockEnv = z.object({
  WORKER_LOCK_MS: z.coerce.number().int().min(200).max(600_000).optional(),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).optional(),
});

export function startWorkers(opts: {
  connection: Redis;
  prefix: string;
  db: Db;
  log: Logger;
  concurrency: number;
  queues: Queues;
  /** Only these queues (default: all); e.g. a benchmark that measures one path. */
  only?: readonly (typeof QUEUES)[number][];
  /** Per-queue concurrency overrides (e.g. the evaluation queue on a small machine). */
  queueConcurrency?: Partial<Record<(typeof QUEUES)[number], number>>;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}): WorkerSet {
  const { connection, prefix, db, log, concurrency, queues } = opts;
  const fromEnv = lockEnv.parse({ WORKER_LOCK_MS: process.env.WORKER_LOCK_MS || undefined, WORKER_STALLED_INTERVAL_MS: process.env.WORKER_STALLED_INTERVAL_MS || undefined });
  const lockDuration = opts.lockDurationMs ?? fromEnv.WORKER_LOCK_MS;
  const stalledInterval = opts.stalledIntervalMs ?? fromEnv.WORKER_STALLED_INTERVAL_MS;
  const processor = async (job: Job) => {
    const name = job.name as JobName;
    const def = jobDefinitions[name];
    if (!def) throw new UnrecoverableError(`unknown job ${job.name}`);
    // Payloads are parsed again here: a producer from an older release may have sent a different shape.
    const parsed = def.schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${job.name}: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
    const ctx: JobContext = { db, log: log.child({ job: job.name, jobId: job.id }), jobId: job.id, queues };
    const handle = handlers[name] as (d: unknown, c: JobContext) => Promise<unknown>;
    try {
      const result = await handle(parsed.data, ctx);
      // Outbox rows this job alone carried are done: the reconciler need not look at them again.
      const carried = (parsed.data as { outboxIds?: number[] }).outboxIds;
      if (carried?.length) {
        await confirmOutbox(db, carried);
        // Rows of the topic may be waiting for this batch to finish (adaptive batching): dispatch them now.
        await nudgeOutbox(queues).catch((err: unknown) => ctx.log.warn({ err }, "could not nudge the outbox"));
      }
      return result;
    } catch (err) {
      // attemptsMade counts the attempts that already failed, so this one is the last when it reaches attempts - 1.
      const last = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const record = onFinalFailure[name] as ((d: unknown, m: string, c: JobContext) => Promise<unknown>) | undefined;
      if (last && record) {
        const message = err instanceof Error ? err.message : String(err);
        await record(parsed.data, message, ctx).catch((e: unknown) => ctx.log.error({ err: e }, "could not record the final failure"));
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
