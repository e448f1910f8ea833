// API tokens: "cw_" + 8-char public prefix + "_" + 32-byte secret. Only the sha256 is stored.
import { createHash, randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { ACTOR_COLUMNS } from "./actor-sql";
import type { Actor } from "./roles";
import { apiTokens, users } from "../db/schema";
import { audit, type AuditActor } from "../audit";
import { NotFound } from "../errors";

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function newTokenSecret(): { token: string; prefix: string } {
  const prefix = randomBytes(6).toString("base64url").slice(0, 8);
  return { token: `cw_${prefix}_${randomBytes(32).toString("base64url")}`, prefix };
}

export async function createApiToken(
  db: DbOrTx,
  actor: AuditActor,
  username: string,
  name: string,
): Promise<{ id: number; token: string; prefix: string }> {
  const [user] = await db.select().from(users).where(eq(users.username, username));
  if (!user || !user.active) throw new NotFound("user");
  const { token, prefix } = newTokenSecret();
  const [row] = await db.insert(apiTokens).values({ userId: user.id, name, tokenHash: hashToken(token), prefix }).returning({ id: apiTokens.id });
  await audit(db, actor, { action: "token.create", entity: "api_token", entityId: row!.id, after: { userId: user.id, name, prefix } });
  return { id: row!.id, token, prefix };
}

/**
 * The active user a bearer token stands for, in one round trip (every API request pays it): the token, its user,
 * and `last_used_at` moved at most once a minute, so a busy integration does not commit a write per request.
 */
export async function actorForToken(db: DbOrTx, token: string): Promise<Actor | null> {
  const [row] = await db.execute<Actor>(sql`
    with tok as (
      select id, user_id, last_used_at from api_tokens where token_hash = ${hashToken(token)} and revoked_at is null
    ), touch as (
      update api_tokens a set last_used_at = now() from tok
      where a.id = tok.id and (tok.last_used_at is null or tok.last_used_at < now() - interval '1 minute')
    )
    select ${ACTOR_COLUMNS}
    from tok join users u on u.id = tok.user_id where u.active`);
  return row ?? null;
}
