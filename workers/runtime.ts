// Starts one BullMQ Worker per queue in this process and dispatches jobs to the registry's handlers.
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Db } from "../lib/db/client";
import { jobDefinitions, QUEUES, type JobName } from "../lib/queue/definitions";
import type { Queues } from "../lib/queue/producer";
import { handlers, type JobContext } from "./registry";

export type WorkerSet = { workers: Worker[]; close: () => Promise<void> };

export function startWorkers(opts: { connection: Redis; prefix: string; db: Db; log: Logger; concurrency: number; queues: Queues }): WorkerSet {
  const { connection, prefix, db, log, concurrency, queues } = opts;
  const processor = async (job: Job) => {
    const name = job.name as JobName;
    const def = jobDefinitions[name];
    if (!def) throw new UnrecoverableError(`unknown job ${job.name}`);
    // Payloads are parsed again here: a producer from an older release may have sent a different shape.
    const parsed = def.schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${job.name}: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
    const handle = handlers[name] as (d: unknown, c: JobContext) => Promise<unknown>;
    return handle(parsed.data, { db, log: log.child({ job: job.name, jobId: job.id }), jobId: job.id, queues });
  };
  const workers = QUEUES.map((q) => {
    const w = new Worker(q, processor, { connection, prefix, concurrency, autorun: true });
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
