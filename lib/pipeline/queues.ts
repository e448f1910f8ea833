// Redis connections, the queues of one process and enqueueing. A Queues handle carries the registry it was opened
// with (lib/registry.ts openQueues), so a payload is validated against its job's schema before it reaches Redis.
import { Queue, type JobsOptions } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { QUEUES, type Domain, type JobDef, type JobName, type JobPayload, type QueueName, type Queues, type RegistryData } from "./define";

export type { Queues, RegistryData };

/** Producers fail fast when Redis is down (no offline queue); workers retry forever. */
export function redisConnection(url: string, kind: "producer" | "worker"): Redis {
  const opts: RedisOptions =
    kind === "worker"
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 3_000 };
  return new Redis(url, { ...opts, lazyConnect: false });
}

/** Shared defaults: retries with exponential backoff, bounded history so Redis does not grow without limit. */
export const defaultJobOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5_000 },
} as const satisfies JobsOptions;

/** Merges the domains' declarations; a name declared twice is a programming error caught at start. */
export function collect(domains: Record<string, Domain>): RegistryData {
  const out: RegistryData = { jobs: {}, topics: {} };
  for (const d of Object.values(domains)) {
    for (const [kind, entries] of [["jobs", d.jobs], ["topics", d.topics]] as const) {
      for (const [name, def] of Object.entries(entries ?? {})) {
        if (name in out[kind]) throw new Error(`${kind} "${name}" is declared twice`);
        (out[kind] as Record<string, unknown>)[name] = def;
      }
    }
  }
  return out;
}

export function createQueues(connection: Redis, prefix: string, registry: RegistryData): Queues {
  const map = new Map<QueueName, Queue>();
  for (const name of QUEUES) {
    const q = new Queue(name, { connection, prefix, defaultJobOptions });
    q.on("error", () => {
      // Connection errors surface on the calls that need Redis; the listener keeps them from crashing the process.
    });
    map.set(name, q);
  }
  return {
    connection,
    prefix,
    registry,
    get: (name) => map.get(name)!,
    close: async () => {
      await Promise.all([...map.values()].map((q) => q.close()));
    },
  };
}

export function jobDef(queues: Pick<Queues, "registry">, name: string): JobDef {
  const def = queues.registry.jobs[name];
  if (!def) throw new Error(`unknown job ${name}`);
  return def;
}

/** The queue a job runs on. */
export const queueOf = (queues: Queues, name: JobName): Queue => queues.get(jobDef(queues, name).queue);

/** Options a job's declaration sets over the shared defaults (e.g. one attempt for a permanent kind of work). */
export const optionsOf = (queues: Pick<Queues, "registry">, name: JobName): JobsOptions => ({ ...defaultJobOptions, ...jobDef(queues, name).options });

/** A job of a BullMQ flow (FlowProducer.add), validated like an enqueued one. */
export function flowJob<N extends JobName>(queues: Queues, name: N, payload: JobPayload<N>, opts: JobsOptions = {}) {
  const def = jobDef(queues, name);
  return { name, queueName: def.queue, data: def.schema.parse(payload), opts: { ...optionsOf(queues, name), ...opts } };
}

/**
 * Several jobs of one name in one Redis round trip (BullMQ addBulk), validated like `enqueue`: a task batch's SLA
 * timers are four delayed jobs per task, and adding them one by one held the batch's job slot for a round trip each.
 */
export async function enqueueBulk<N extends JobName>(queues: Queues, name: N, jobs: readonly { payload: JobPayload<N>; opts?: { jobId?: string; delay?: number } }[]) {
  if (!jobs.length) return [];
  const def = jobDef(queues, name);
  return queues.get(def.queue).addBulk(jobs.map((j) => ({ name, data: def.schema.parse(j.payload), opts: { ...def.options, ...j.opts } })));
}

export async function enqueue<N extends JobName>(queues: Queues, name: N, payload: JobPayload<N>, opts: { jobId?: string; delay?: number } = {}) {
  const def = jobDef(queues, name);
  const data = def.schema.parse(payload);
  return queues.get(def.queue).add(name, data, { ...def.options, ...opts });
}
