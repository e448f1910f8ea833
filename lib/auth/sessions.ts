// Server-side session rows behind the JWT cookie. A signed cookie cannot be recalled, so every request asks its row:
// not revoked, before its absolute end (SESSION_MAX_HOURS from sign-in, never extended), user still active.
// Rows are purged only once expired, when the check refuses the cookie anyway.
import { randomUUID } from "node:crypto";
import { and, eq, isNull, lt, ne, sql } from "drizzle-orm";
import { executeSql, type Db, type DbOrTx } from "../db/client";
import { authSessions } from "../db/schema";
import { ACTOR_COLUMNS } from "./actor-sql";
import type { Actor } from "./roles";

/** Records a new session at sign-in; `authAt` (epoch seconds) goes into the cookie. */
export async function startSession(db: DbOrTx, userId: number, maxHours: number): Promise<{ sid: string; authAt: number }> {
  const sid = randomUUID();
  const [row] = await db
    .insert(authSessions)
    .values({ sid, userId, expiresAt: sql`now() + make_interval(secs => ${Math.round(maxHours * 3600)})` })
    .returning({ createdAt: authSessions.createdAt });
  return { sid, authAt: Math.floor(row!.createdAt.getTime() / 1000) };
}

/**
 * The active user of a live session, in one indexed lookup (the proxy and every guarded page, action and API call
 * pay it). `maxHours` is applied again here so that lowering SESSION_MAX_HOURS shortens sessions already open.
 */
export async function actorForSession(db: Db, userId: number, sid: string, maxHours: number): Promise<Actor | null> {
  // Prepared: one round trip and a reused plan, as it runs on every request.
  const [row] = await executeSql<Actor>(db.$client, sql`
    select ${ACTOR_COLUMNS}
    from auth_sessions s join users u on u.id = s.user_id
    where s.sid = ${sid} and s.user_id = ${userId} and s.revoked_at is null and s.expires_at > now()
      and s.created_at > now() - make_interval(secs => ${Math.round(maxHours * 3600)}) and u.active
      and u.role <> 'integration'`); // the service account has API tokens only, however a session was made
  return row ?? null;
}

export async function endSession(db: DbOrTx, sid: string): Promise<void> {
  await db.update(authSessions).set({ revokedAt: sql`now()` }).where(and(eq(authSessions.sid, sid), isNull(authSessions.revokedAt)));
}

/** Ends every live session of a user, except `keep` (the one that asked, on a password change); returns how many. */
export async function endUserSessions(db: DbOrTx, userId: number, keep?: string | null): Promise<number> {
  const rows = await db
    .update(authSessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt), sql`${authSessions.expiresAt} > now()`, keep ? ne(authSessions.sid, keep) : undefined))
    .returning({ sid: authSessions.sid });
  return rows.length;
}

export async function purgeExpiredSessions(db: DbOrTx, now = new Date()): Promise<number> {
  const rows = await db.delete(authSessions).where(lt(authSessions.expiresAt, now)).returning({ sid: authSessions.sid });
  return rows.length;
}
