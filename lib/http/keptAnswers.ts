// Answers that many readers share (every supervisor of a branch reads the same dashboard and telemetry, and the pages
// poll): kept per key in this process. Fresh for DASHBOARD_CACHE_MS (default 30 s; 0 turns keeping off); after that,
// up to DASHBOARD_STALE_MS (default 5 min) the previous answer is served at once while ONE background computation
// replaces it (stale-while-revalidate: no reader waits behind a recomputation); older than that, readers wait.
// Concurrent misses share one computation; a failed recomputation keeps the old answer, a failed first one is dropped.
// The key must hold the resolved scope, so an answer only ever reaches readers of the same scope.
// Background recomputations run one at a time in the process, whatever the store: nobody waits for them, and a
// dashboard's takes 7 connections for seconds at 1M loans — four branches refreshing together emptied the web pool,
// and every request (sign-in checks included) queued behind them for ~4 s (docs/benchmarks.md, issue 13).

type Entry<T> = { at: number; value: Promise<T>; done?: T; refreshing?: Promise<T> };

const ms = (name: string, dflt: number): number => {
  const v = Number(process.env[name] ?? dflt);
  return Number.isFinite(v) && v >= 0 ? v : dflt;
};

let refreshQueue: Promise<unknown> = Promise.resolve();
/** Runs `compute` after every background recomputation queued before it. */
function inTurn<T>(compute: () => Promise<T>): Promise<T> {
  const next = refreshQueue.then(compute);
  refreshQueue = next.catch(() => undefined);
  return next;
}

/** `background`: nobody waits for this computation (a stale answer is being served): it may go slower and lighter. */
export type KeptAnswers<T> = (key: unknown[], compute: (how: { background: boolean }) => Promise<T>) => Promise<T>;

/** One store (a Map of at most 1,000 entries) for answers of one kind. */
export function keptAnswers<T>(): KeptAnswers<T> {
  const cache = new Map<string, Entry<T>>();
  return (keyParts, compute) => {
    const ttl = ms("DASHBOARD_CACHE_MS", 30_000);
    if (ttl === 0) return compute({ background: false });
    const maxStale = Math.max(ttl, ms("DASHBOARD_STALE_MS", 300_000));
    const key = JSON.stringify(keyParts);
    const hit = cache.get(key);
    if (!hit) {
      const e: Entry<T> = { at: Date.now(), value: compute({ background: false }) };
      e.value.then(
        (d) => (e.done = d),
        () => cache.get(key) === e && cache.delete(key),
      );
      if (cache.size > 1_000) cache.clear();
      cache.set(key, e);
      return e.value;
    }
    const age = Date.now() - hit.at;
    // Fresh, or the first computation still running: share it.
    if (age < ttl || hit.done === undefined) return hit.value;
    if (!hit.refreshing) {
      const at = Date.now();
      const next = inTurn(() => compute({ background: true }));
      hit.refreshing = next;
      next.then(
        (d) => cache.get(key) === hit && cache.set(key, { at, value: next, done: d }),
        () => (hit.refreshing = undefined),
      );
    }
    return age < maxStale ? Promise.resolve(hit.done) : hit.refreshing;
  };
}
