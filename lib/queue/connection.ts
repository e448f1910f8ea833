// Redis connections for BullMQ. Producers fail fast when Redis is down (no offline queue); workers retry forever.
import { Redis, type RedisOptions } from "ioredis";

export function redisConnection(url: string, kind: "producer" | "worker"): Redis {
  const opts: RedisOptions =
    kind === "worker"
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 3_000 };
  return new Redis(url, { ...opts, lazyConnect: false });
}
