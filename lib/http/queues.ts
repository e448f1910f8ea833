// The Next.js process's producer connection and queues, created on first use and kept across hot reloads.
import "server-only";
import { env } from "../env";
import { redisConnection, type Queues } from "../pipeline/queues";
import { openQueues } from "../registry";

const g = globalThis as unknown as { churnwatchQueues?: Queues };

export function appQueues(): Queues {
  if (!g.churnwatchQueues) {
    const conn = redisConnection(env().REDIS_URL, "producer");
    conn.on("error", () => {
      // Reported by /api/health and by the calls that need Redis.
    });
    g.churnwatchQueues = openQueues(conn, env().QUEUE_PREFIX);
  }
  return g.churnwatchQueues;
}
