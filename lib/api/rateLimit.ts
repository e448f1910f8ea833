// Per-token request limit of the API: a fixed one-minute window per token in Redis, so every app instance counts
// together (rate-limiter-flexible's atomic Lua increment). When Redis cannot answer, each instance falls back to
// an in-memory window of the same size rather than refusing or waving every request through.
import "server-only";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "../env";
import { Throttled } from "../errors";
import { appQueues } from "../http/queues";

const g = globalThis as unknown as { churnwatchTokenLimiter?: RateLimiterRedis };

function limiter(): RateLimiterRedis {
  if (!g.churnwatchTokenLimiter) {
    const { API_RATE_PER_MINUTE: points, QUEUE_PREFIX } = env();
    g.churnwatchTokenLimiter = new RateLimiterRedis({
      storeClient: appQueues().connection,
      keyPrefix: `${QUEUE_PREFIX}:api-rate`,
      points,
      duration: 60,
      insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
    });
  }
  return g.churnwatchTokenLimiter;
}

/** Counts one request of the token (by its hash); Throttled (429, Retry-After) once its minute's share is used. */
export async function limitApiToken(tokenHash: string): Promise<void> {
  try {
    await limiter().consume(tokenHash);
  } catch (e) {
    if (e instanceof RateLimiterRes) throw new Throttled(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
    throw e;
  }
}
