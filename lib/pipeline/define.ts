// The shapes a domain declares in its `lib/<domain>/jobs.ts`: jobs (name → queue, payload schema, handler, what
// happens on final failure, an optional schedule and warm-up) and outbox topics (name → payload schema, the job that
// consumes its rows and how a sweep's rows are merged into that job's payloads). lib/registry.ts collects every
// domain's declarations; nothing else lists jobs or topics. Pure: no I/O.
import type { JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { z } from "zod";
import type { Db } from "../db/client";

export const QUEUES = ["system", "loans", "imports", "evaluation", "tasks", "reports"] as const;
export type QueueName = (typeof QUEUES)[number];

/** Every job's and topic's declaration, collected from the domains (lib/registry.ts). */
export type RegistryData = { jobs: Record<string, JobDef>; topics: Record<string, TopicDef> };

// `prefix` lets a FlowProducer (COB runs) share the queues' key space.
export type Queues = { get(name: QueueName): Queue; close(): Promise<void>; connection: Redis; prefix: string; registry: RegistryData };

/**
 * The names and payload types of every job and topic. lib/registry.ts fills these in (module augmentation) from the
 * domains' declarations, so `enqueue` and `emit` check names and payloads at compile time without the pipeline
 * importing the registry.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobCatalogue {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TopicCatalogue {}
export type JobName = keyof JobCatalogue & string;
export type JobPayload<N extends JobName> = JobCatalogue[N] extends { schema: infer S extends z.ZodType } ? z.input<S> : never;
export type TopicName = keyof TopicCatalogue & string;
export type TopicPayload<T extends TopicName> = TopicCatalogue[T] extends { schema: infer S extends z.ZodType } ? z.input<S> : never;

export type JobContext = { db: Db; log: Logger; jobId: string | undefined; queues: Queues };

/** A recurring job: `every` ms, or a cron pattern in the business time zone (or `repeat` read from settings at start). */
export type Schedule = { id: string; data: object } & (
  | { every: number }
  | { pattern: string }
  | { repeat: (db: Db) => Promise<{ pattern: string; tz: string }> }
);

export type JobDef<S extends z.ZodType = z.ZodType> = {
  queue: QueueName;
  schema: S;
  handle: (data: z.output<S>, ctx: JobContext) => Promise<unknown>;
  /**
   * Work whose state lives in Postgres and must learn that its job gave up (last attempt failed, or a permanent
   * error): recorded before the job is marked failed, so a crash in between leaves a job that re-runs and skips.
   */
  onFinalFailure?: (data: z.output<S>, message: string, ctx: JobContext) => Promise<unknown>;
  /**
   * Topics whose rows this job's handler writes and then consumes itself, right after it succeeds, instead of
   * through a sweep and a queue (one hop less where latency matters). The rows are written already claimed; if the
   * worker dies first the reconciler sends their jobs as usual.
   */
  followThrough?: readonly string[];
  schedule?: Schedule;
  /** Runs once when a worker process starts (connections, prepared statements), so first jobs do not pay for it. */
  warm?: (ctx: JobContext) => Promise<void>;
  options?: Pick<JobsOptions, "attempts" | "backoff" | "removeOnComplete" | "removeOnFail">;
};

/** The outbox rows a job alone carries (./dispatch.ts): the worker confirms them once the job completed. */
export const outboxIdsSchema = z.array(z.number().int().positive()).max(1_000).optional();

/** An outbox row as the dispatcher reads it. */
export type OutboxRow = { id: number; topic: string; payload: Record<string, unknown> };
export type PlannedJob = { name: string; jobId: string; data: unknown };
/** Rows that are sent and confirmed together, and the jobs that carry their work. */
export type Batch = { rowIds: number[]; jobs: PlannedJob[] };
/** A topic's plan: rows (one sweep's, in id order) → batches. Deterministic: the reconciler re-runs it. */
export type TopicPlan = (rows: OutboxRow[]) => Batch[];

export type TopicDef<S extends z.ZodType = z.ZodType> = {
  schema: S;
  /** The consuming job's name, for the registry's consistency check and the architecture doc. */
  consumer: string;
  plan: TopicPlan;
  /**
   * Adaptive batching: the topic is not dispatched while this many of its sweeps are in flight (sent in the last
   * 30 s, not yet confirmed). Its rows wait, and the sweep after a batch completes merges them into one job: under
   * load batches grow instead of jobs queueing up one small batch each.
   */
  maxInFlight?: number;
};

export type Domain = { jobs?: Record<string, JobDef<z.ZodType>>; topics?: Record<string, TopicDef<z.ZodType>> };

/** Identity helpers that keep each declaration's schema type for its handler. */
export const job = <S extends z.ZodType>(def: JobDef<S>): JobDef<S> => def;
export const topic = <S extends z.ZodType>(def: TopicDef<S>): TopicDef<S> => def;

const CHUNK = 5_000;

/**
 * The usual plan: rows with the same group key (e.g. as-of date) are merged into the union of their ids, sorted, in
 * chunks of `chunk`, each chunk one job of `consumer` with the id `<slug>-<firstRowId>-<lastRowId>-<chunk>`. A batch
 * carried by one job names its rows in the job (`outboxIds`) and the worker confirms them when the job completes;
 * larger batches are confirmed by the reconciler.
 */
export function coalesceIds<S extends z.ZodType>(opts: {
  consumer: string;
  slug: string;
  ids: (payload: z.output<S>) => readonly number[];
  /** The consumer's payload for a chunk of ids of one group (outboxIds is added when one job carries the batch). */
  payload: (ids: number[], sample: z.output<S>) => Record<string, unknown>;
  groupKey?: (payload: z.output<S>) => string;
  chunk?: number;
}): { consumer: string; plan: TopicPlan } {
  const chunk = opts.chunk ?? CHUNK;
  const groupKey = opts.groupKey ?? (() => "");
  const plan: TopicPlan = (rows) => {
    const groups = new Map<string, OutboxRow[]>();
    for (const r of [...rows].sort((a, b) => a.id - b.id)) {
      const key = groupKey(r.payload as z.output<S>);
      let list = groups.get(key);
      if (!list) groups.set(key, (list = []));
      list.push(r);
    }
    return [...groups.values()].map((rs) => {
      const rowIds = rs.map((r) => r.id);
      const ids = [...new Set(rs.flatMap((r) => opts.ids(r.payload as z.output<S>)))].sort((a, b) => a - b);
      const single = ids.length <= chunk;
      const jobs: PlannedJob[] = [];
      for (let i = 0; i < ids.length; i += chunk) {
        const data = opts.payload(ids.slice(i, i + chunk), rs[0]!.payload as z.output<S>);
        jobs.push({ name: opts.consumer, jobId: `${opts.slug}-${rowIds[0]}-${rowIds.at(-1)}-${i / chunk}`, data: single ? { ...data, outboxIds: rowIds } : data });
      }
      return { rowIds, jobs };
    });
  };
  return { consumer: opts.consumer, plan };
}
