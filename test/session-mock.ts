// For integration tests that call route handlers and actions as a signed-in browser user: what
// lib/auth/nextauth's currentSession() answers for a live session of user `uid` (the actor read from the database
// the test points DATABASE_URL at).
import { sql } from "drizzle-orm";
import type { Actor } from "../lib/auth/roles";

export async function sessionOf(uid: number | null): Promise<{ sid: string; actor: Actor } | null> {
  if (uid === null) return null;
  const { db } = await import("../lib/db/client");
  const { ACTOR_COLUMNS } = await import("../lib/auth/actor-sql");
  const [actor] = await db().execute<Actor>(sql`select ${ACTOR_COLUMNS} from users u where u.id = ${uid} and u.active`);
  return actor ? { sid: `test-session-${uid}`, actor } : null;
}
