// Enqueueing: the payload is validated against the registry before it reaches Redis.
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { defaultJobOptions, jobDefinitions, QUEUES, type JobName, type JobPayload, type QueueName } from "./definitions";

// `prefix` lets a FlowProducer (COB runs) share the queues' key space.
export type Queues = { get(name: QueueName): Queue; close(): Promise<void>; connection: Redis; prefix: string };

export function openQueues(connection: Redis, prefix: string): Queues {
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
    get: (name) => map.get(name)!,
    close: async () => {
      await Promise.all([...map.values()].map((q) => q.close()));
    },
  };
}

export async function enqueue<N extends JobName>(queues: Queues, name: N, payload: JobPayload<N>, opts: { jobId?: string; delay?: number } = {}) {
  const def = jobDefinitions[name];
  const data = def.schema.parse(payload);
  return queues.get(def.queue).add(name, data, opts);
}
