// Health: Postgres answers, Redis answers, and how many worker processes are connected to the queues.
import { sql } from "drizzle-orm";
import type { Db } from "./db/client";
import type { Queues } from "./pipeline/queues";

export type Health = { db: "ok" | "down"; redis: "ok" | "down"; workers: number };

async function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error("timeout")), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(db: Db, queues: Queues): Promise<Health> {
  const [dbOk, redisOk] = await Promise.all([
    within(db.execute(sql`select 1`), 2_000).then(
      () => true,
      () => false,
    ),
    within(queues.connection.ping(), 2_000).then(
      (r) => r === "PONG",
      () => false,
    ),
  ]);
  // Every worker process runs one Worker on the system queue (the dispatcher's), so its count is the number of processes.
  const workers = redisOk ? await within(queues.get("system").getWorkersCount(), 2_000).catch(() => 0) : 0;
  return { db: dbOk ? "ok" : "down", redis: redisOk ? "ok" : "down", workers };
}
