// Request limits: fixed one-minute windows in Redis, so every app instance counts together (rate-limiter-flexible's
// atomic Lua increment). When Redis cannot answer, each instance falls back to an in-memory window of the same size
// rather than refusing or waving every request through. One limiter per purpose: API tokens, and the rule backtest
// per user (a heavy query anyone may start by clicking).
import "server-only";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "../env";
import { Throttled, type Issue } from "../errors";
import { appQueues } from "../http/queues";

const g = globalThis as unknown as { churnwatchLimiters?: Map<string, RateLimiterRedis> };

function limiter(name: string, points: number): RateLimiterRedis {
  g.churnwatchLimiters ??= new Map();
  let l = g.churnwatchLimiters.get(name);
  if (!l) {
    l = new RateLimiterRedis({
      storeClient: appQueues().connection,
      keyPrefix: `${env().QUEUE_PREFIX}:${name}`,
      points,
      duration: 60,
      insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
    });
    g.churnwatchLimiters.set(name, l);
  }
  return l;
}

async function consume(name: string, points: number, key: string, issue?: (seconds: number) => Issue): Promise<void> {
  try {
    await limiter(name, points).consume(key);
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    const seconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    const t = new Throttled(seconds);
    if (issue) t.issues.push(issue(seconds));
    throw t;
  }
}

/** Counts one request of the token (by its hash); Throttled (429, Retry-After) once its minute's share is used. */
export function limitApiToken(tokenHash: string): Promise<void> {
  return consume("api-rate", env().API_RATE_PER_MINUTE, tokenHash);
}

/** Counts one backtest of the user; Throttled with the issue backtest.tooMany once BACKTEST_RATE_PER_MINUTE are used. */
export function limitBacktest(userId: number): Promise<void> {
  return consume("backtest-rate", env().BACKTEST_RATE_PER_MINUTE, String(userId), (seconds) => ({ field: "condition", code: "backtest.tooMany", params: { seconds } }));
}
