// Failed sign-ins are counted per account and per client address in Postgres, so every app instance agrees.
import { and, count, eq, gt, inArray, lt } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { authFailures } from "../db/schema";

export type ThrottleConfig = { maxFailures: number; windowMinutes: number };

export function throttleKeys(username: string, ip: string | null): string[] {
  const keys = [`u:${username.trim().toLowerCase()}`];
  if (ip) keys.push(`ip:${ip}`);
  return keys;
}

export async function isThrottled(db: DbOrTx, keys: string[], cfg: ThrottleConfig, now = new Date()): Promise<boolean> {
  const since = new Date(now.getTime() - cfg.windowMinutes * 60_000);
  for (const key of keys) {
    const [row] = await db
      .select({ n: count() })
      .from(authFailures)
      .where(and(eq(authFailures.key, key), gt(authFailures.at, since)));
    if ((row?.n ?? 0) >= cfg.maxFailures) return true;
  }
  return false;
}

/** Records a failed (or not yet checked) attempt under each key; returns the row ids. */
export async function recordFailure(db: DbOrTx, keys: string[], now = new Date()): Promise<number[]> {
  const rows = await db.insert(authFailures).values(keys.map((key) => ({ key, at: now }))).returning({ id: authFailures.id });
  return rows.map((r) => r.id);
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
