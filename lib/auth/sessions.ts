// Sign-out must end a session even if a stale copy of its cookie is still around (a prefetch in flight can
// re-issue it): revoked session ids are kept until the cookie would have expired on its own.
import { lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { revokedSessions } from "../db/schema";
import { ACTOR_COLUMNS } from "./actor-sql";
import type { Actor } from "./roles";

export async function revokeSession(db: DbOrTx, sid: string, userId: number, idleHours: number): Promise<void> {
  await db
    .insert(revokedSessions)
    .values({ sid, userId, expiresAt: sql`now() + make_interval(hours => ${idleHours})` })
    .onConflictDoNothing();
}

/** The active user of a session that was not signed out, in one round trip (every page and API call pays it). */
export async function actorForSession(db: DbOrTx, userId: number, sid: string | null): Promise<Actor | null> {
  const [row] = await db.execute<Actor>(sql`
    select ${ACTOR_COLUMNS}
    from users u
    where u.id = ${userId} and u.active and (${sid}::text is null or not exists (select 1 from revoked_sessions r where r.sid = ${sid}::text))`);
  return row ?? null;
}

export async function isSessionRevoked(db: DbOrTx, sid: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from revoked_sessions where sid = ${sid}`);
  return rows.length > 0;
}

export async function purgeRevokedSessions(db: DbOrTx, now = new Date()): Promise<number> {
  const rows = await db.delete(revokedSessions).where(lt(revokedSessions.expiresAt, now)).returning({ sid: revokedSessions.sid });
  return rows.length;
}
