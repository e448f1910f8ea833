// API tokens: "cw_" + 8-char public prefix + "_" + 32-byte secret. Only the sha256 is stored.
import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
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

/** Resolves a bearer token to its active user id, or null. */
export async function userIdForToken(db: DbOrTx, token: string): Promise<number | null> {
  const [row] = await db
    .select({ userId: apiTokens.userId, id: apiTokens.id })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.id));
  return row.userId;
}
