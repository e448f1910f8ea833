// Single sign-on: an IdP identity is its (issuer, subject) pair, bound to one user. preferred_username, name and
// an unverified e-mail are whatever the IdP user typed, so they never pick the account.
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { audit, type AuditActor } from "../audit";
import type { Db, DbOrTx } from "../db/client";
import { ssoIdentities, users } from "../db/schema";
import { Conflict, NotFound } from "../errors";

const claimsSchema = z.object({
  iss: z.string().min(1).max(500),
  sub: z.string().min(1).max(255),
  email: z.string().max(320).optional(),
  email_verified: z.unknown().optional(),
});

export type SsoClaims = { issuer: string; subject: string; verifiedEmail: string | null };

/** The parts of ID token claims that may identify someone; null when issuer or subject is missing. */
export function ssoClaims(profile: unknown): SsoClaims | null {
  const p = claimsSchema.safeParse(profile);
  if (!p.success) return null;
  // Only a boolean true counts: some IdPs send "false" as a string, and an unverified address proves nothing.
  const verifiedEmail = p.data.email_verified === true && p.data.email ? p.data.email.trim().toLowerCase() : null;
  return { issuer: p.data.iss, subject: p.data.sub, verifiedEmail };
}

const SSO_SYSTEM: AuditActor = { kind: "system", name: "sso" };

/**
 * The active user an ID token signs in as, or null. An identity already bound answers directly (or null if that
 * user is inactive). An unbound one is bound on first sign-in when its verified e-mail names exactly one active user
 * who has no identity at this issuer yet; anything else needs an admin (`npm run cli -- user link-sso`).
 */
export async function ssoUserFor(db: Db, profile: unknown): Promise<number | null> {
  const claims = ssoClaims(profile);
  if (!claims) return null;
  const [bound] = await db
    .select({ userId: ssoIdentities.userId, active: users.active })
    .from(ssoIdentities)
    .innerJoin(users, eq(users.id, ssoIdentities.userId))
    .where(and(eq(ssoIdentities.issuer, claims.issuer), eq(ssoIdentities.subject, claims.subject)));
  if (bound) return bound.active ? bound.userId : null;
  if (!claims.verifiedEmail) return null;
  const matches = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.active, true), sql`lower(${users.email}) = ${claims.verifiedEmail}`))
    .limit(2);
  if (matches.length !== 1) return null;
  const userId = matches[0]!.id;
  return db.transaction(async (tx) => {
    // The unique (user, issuer) index refuses a second subject for the same person; a racing first sign-in of the
    // same subject inserts nothing here and is answered by the row the other one wrote.
    const [row] = await tx
      .insert(ssoIdentities)
      .values({ issuer: claims.issuer, subject: claims.subject, userId, linkedBy: "email" })
      .onConflictDoNothing()
      .returning({ userId: ssoIdentities.userId });
    if (!row) {
      const [again] = await tx
        .select({ userId: ssoIdentities.userId })
        .from(ssoIdentities)
        .where(and(eq(ssoIdentities.issuer, claims.issuer), eq(ssoIdentities.subject, claims.subject)));
      return again?.userId === userId ? userId : null;
    }
    await audit(tx, SSO_SYSTEM, { action: "user.ssoLink", entity: "user", entityId: userId, after: { issuer: claims.issuer, subject: claims.subject, by: "email" } });
    return userId;
  });
}

/** An admin binds an IdP identity to a user (for users without a verified e-mail at the IdP, or to fix one). */
export async function linkSsoIdentity(db: Db, actor: AuditActor, input: { username: string; issuer: string; subject: string }): Promise<{ userId: number }> {
  return db.transaction(async (tx: DbOrTx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = ${input.username.trim().toLowerCase()}`);
    if (!user) throw new NotFound("user");
    const [taken] = await tx
      .select({ userId: ssoIdentities.userId })
      .from(ssoIdentities)
      .where(and(eq(ssoIdentities.issuer, input.issuer), eq(ssoIdentities.subject, input.subject)));
    if (taken) {
      if (taken.userId === user.id) return { userId: user.id };
      throw new Conflict("ssoSubjectLinked");
    }
    const [own] = await tx
      .select({ subject: ssoIdentities.subject })
      .from(ssoIdentities)
      .where(and(eq(ssoIdentities.userId, user.id), eq(ssoIdentities.issuer, input.issuer)));
    if (own) throw new Conflict("ssoUserLinked");
    await tx.insert(ssoIdentities).values({ issuer: input.issuer, subject: input.subject, userId: user.id, linkedBy: "admin" });
    await audit(tx, actor, { action: "user.ssoLink", entity: "user", entityId: user.id, after: { issuer: input.issuer, subject: input.subject, by: "admin" } });
    return { userId: user.id };
  });
}
