// API tokens: "cw_" + 8-char public prefix + "_" + 32-byte secret. Only the sha256 is stored.
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { ACTOR_COLUMNS } from "./actor-sql";
import type { Actor } from "./roles";
import { apiTokens, users } from "../db/schema";
import { audit, type AuditActor } from "../audit";
import { Invalid, NotFound } from "../errors";

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function newTokenSecret(): { token: string; prefix: string } {
  const prefix = randomBytes(6).toString("base64url").slice(0, 8);
  return { token: `cw_${prefix}_${randomBytes(32).toString("base64url")}`, prefix };
}

export const TOKEN_DAYS_DEFAULT = 90;
export const TOKEN_DAYS_MAX = 3650;

export async function createApiToken(
  db: DbOrTx,
  actor: AuditActor,
  username: string,
  name: string,
  days: number = TOKEN_DAYS_DEFAULT,
): Promise<{ id: number; token: string; prefix: string; expiresAt: Date }> {
  if (!Number.isInteger(days) || days < 1 || days > TOKEN_DAYS_MAX) {
    throw new Invalid([{ field: "days", code: "too_big", key: "token.days", params: { max: TOKEN_DAYS_MAX } }]);
  }
  const [user] = await db.select().from(users).where(eq(users.username, username));
  if (!user || !user.active) throw new NotFound("user");
  const { token, prefix } = newTokenSecret();
  const [row] = await db
    .insert(apiTokens)
    .values({ userId: user.id, name, tokenHash: hashToken(token), prefix, expiresAt: sql`now() + make_interval(days => ${days})` })
    .returning({ id: apiTokens.id, expiresAt: apiTokens.expiresAt });
  await audit(db, actor, { action: "token.create", entity: "api_token", entityId: row!.id, after: { userId: user.id, name, prefix, expiresAt: row!.expiresAt } });
  return { id: row!.id, token, prefix, expiresAt: row!.expiresAt };
}

export type TokenRow = { id: number; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; expiresAt: Date; revokedAt: Date | null };

/** A user's tokens, newest first: metadata only (the secret is never stored). Audited: it shows who holds access. */
export async function listApiTokens(db: DbOrTx, actor: AuditActor, username: string): Promise<TokenRow[]> {
  const [user] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = ${username.trim().toLowerCase()}`);
  if (!user) throw new NotFound("user");
  const rows = await db
    .select({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, expiresAt: apiTokens.expiresAt, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.userId, user.id))
    .orderBy(desc(apiTokens.id));
  await audit(db, actor, { action: "token.list", entity: "user", entityId: user.id, after: { count: rows.length } });
  return rows;
}

/** Revokes one token; revoking it again changes nothing and writes no second audit row. */
export async function revokeApiToken(db: DbOrTx, actor: AuditActor, id: number): Promise<{ revoked: boolean }> {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ userId: apiTokens.userId, name: apiTokens.name, prefix: apiTokens.prefix });
  if (!row) {
    const [exists] = await db.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.id, id));
    if (!exists) throw new NotFound("api_token");
    return { revoked: false };
  }
  await audit(db, actor, { action: "token.revoke", entity: "api_token", entityId: id, after: row });
  return { revoked: true };
}

/** Revokes every live token of a user (password change or reset); returns how many. */
export async function revokeUserTokens(db: DbOrTx, userId: number): Promise<number> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length;
}

/**
 * The active user a bearer token stands for, in one round trip (every API request pays it): the token, its user,
 * and `last_used_at` moved at most once a minute, so a busy integration does not commit a write per request.
 */
export async function actorForToken(db: DbOrTx, token: string): Promise<Actor | null> {
  const [row] = await db.execute<Actor>(sql`
    with tok as (
      select id, user_id, last_used_at from api_tokens
      where token_hash = ${hashToken(token)} and revoked_at is null and expires_at > now()
    ), touch as (
      update api_tokens a set last_used_at = now() from tok
      where a.id = tok.id and (tok.last_used_at is null or tok.last_used_at < now() - interval '1 minute')
    )
    select ${ACTOR_COLUMNS}
    from tok join users u on u.id = tok.user_id where u.active`);
  return row ?? null;
}
