// Sign-out must end a session even if a stale copy of its cookie is still around (a prefetch in flight can
// re-issue it): revoked session ids are kept until the cookie would have expired on its own.
import { lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { revokedSessions } from "../db/schema";

export async function revokeSession(db: DbOrTx, sid: string, userId: number, idleHours: number): Promise<void> {
  await db
    .insert(revokedSessions)
    .values({ sid, userId, expiresAt: sql`now() + make_interval(hours => ${idleHours})` })
    .onConflictDoNothing();
}

export async function isSessionRevoked(db: DbOrTx, sid: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from revoked_sessions where sid = ${sid}`);
  return rows.length > 0;
}

export async function purgeRevokedSessions(db: DbOrTx, now = new Date()): Promise<number> {
  const rows = await db.delete(revokedSessions).where(lt(revokedSessions.expiresAt, now)).returning({ sid: revokedSessions.sid });
  return rows.length;
}
