// Bounded retries of work a second try can cure: a transaction that lost a race to a concurrent writer, or a read
// that lost to a library's race. One loop for every such place; each says which errors, how many tries and how long
// to wait between them.

/** Runs `attempt` up to `attempts` times while it fails with an error `retryIf` accepts; the last error is thrown. */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  opts: { retryIf: (e: unknown) => boolean; attempts?: number; delayMs?: (attempt: number) => number },
): Promise<T> {
  const attempts = opts.attempts ?? 4;
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (i >= attempts || !opts.retryIf(e)) throw e;
      const ms = opts.delayMs?.(i) ?? 0;
      if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    }
  }
}

// Deadlocks, serialisation failures and unique races between workers on overlapping sets.
const CONFLICTS = new Set(["40P01", "40001", "23505"]);

/** A Postgres error (or one wrapping it, as drizzle does) that running the whole transaction again can cure. */
export function isWriteConflict(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
  return code !== undefined && CONFLICTS.has(code);
}

/** A short wait that grows with the attempt, jittered so two conflicting workers do not collide again in step. */
export const conflictBackoffMs = (attempt: number) => 20 * attempt + Math.random() * 50;
