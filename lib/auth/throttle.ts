// Password attempts (sign-in, change-password) are slowed per account and per client address, never locked: after
// `freeFailures` failures in the window, each further attempt must wait 2^k seconds after the latest failure (k =
// failures beyond the free ones), capped. Counted in Postgres, so every app instance agrees.
import { and, gt, inArray, lt, notInArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { authFailures } from "../db/schema";

export type ThrottleConfig = { freeFailures: number; windowMinutes: number; maxDelaySeconds: number };

export function throttleKeys(username: string, ip: string | null): string[] {
  const keys = [`u:${username.trim().toLowerCase()}`];
  if (ip) keys.push(`ip:${ip}`);
  return keys;
}

/** Seconds to wait after the latest failure, given `failures` earlier failures in the window. */
export function delaySeconds(failures: number, cfg: ThrottleConfig): number {
  if (failures < cfg.freeFailures) return 0;
  return Math.min(2 ** (failures - cfg.freeFailures), cfg.maxDelaySeconds);
}

export type Attempt = { ok: true; ids: number[] } | { ok: false; retryAfterSeconds: number };

/**
 * Starts a password attempt: records it as a failure of the account first (so a burst of parallel guesses at one
 * account sees itself), then checks every key against the failures before it. A refused attempt is forgotten, so
 * waiting it out is enough; an allowed one stays a failure unless `forgetAttempt` is called after the password proved
 * right. The address is charged only once a password proved wrong (`recordFailure`): counted while in flight, the
 * sign-ins of colleagues behind one office address in the same few seconds refused each other (six at once were
 * enough).
 */
export async function beginAttempt(db: DbOrTx, keys: string[], cfg: ThrottleConfig, now = new Date()): Promise<Attempt> {
  const rows = await db.insert(authFailures).values(keys.slice(0, 1).map((key) => ({ key, at: now }))).returning({ id: authFailures.id });
  const ids = rows.map((r) => r.id);
  const since = new Date(now.getTime() - cfg.windowMinutes * 60_000);
  const prior = await db
    .select({ n: sql<number>`count(*)::int`, last: sql<Date>`max(${authFailures.at})` })
    .from(authFailures)
    .where(and(inArray(authFailures.key, keys), gt(authFailures.at, since), notInArray(authFailures.id, ids)))
    .groupBy(authFailures.key);
  let wait = 0;
  for (const p of prior) {
    const readyAt = new Date(p.last).getTime() + delaySeconds(p.n, cfg) * 1000;
    wait = Math.max(wait, Math.ceil((readyAt - now.getTime()) / 1000));
  }
  if (wait > 0) {
    await forgetAttempt(db, ids);
    return { ok: false, retryAfterSeconds: wait };
  }
  return { ok: true, ids };
}

/** A password proved wrong: the client's address (the keys after the account's) is charged with the failure. */
export async function recordFailure(db: DbOrTx, keys: string[], now = new Date()): Promise<void> {
  const address = keys.slice(1);
  if (address.length) await db.insert(authFailures).values(address.map((key) => ({ key, at: now })));
}

export async function forgetAttempt(db: DbOrTx, ids: number[]): Promise<void> {
  if (ids.length) await db.delete(authFailures).where(inArray(authFailures.id, ids));
}

export async function clearFailures(db: DbOrTx, keys: string[]): Promise<void> {
  if (keys.length) await db.delete(authFailures).where(inArray(authFailures.key, keys));
}

export async function purgeOldFailures(db: DbOrTx, olderThan: Date): Promise<number> {
  const rows = await db.delete(authFailures).where(lt(authFailures.at, olderThan)).returning({ id: authFailures.id });
  return rows.length;
}

export function throttleConfig(e: { LOGIN_MAX_FAILURES: number; LOGIN_WINDOW_MINUTES: number; LOGIN_MAX_DELAY_SECONDS: number }): ThrottleConfig {
  return { freeFailures: e.LOGIN_MAX_FAILURES, windowMinutes: e.LOGIN_WINDOW_MINUTES, maxDelaySeconds: e.LOGIN_MAX_DELAY_SECONDS };
}
