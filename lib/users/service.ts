// Users: sign-in checks, the actor behind a session or token, and the admin's user management.
import { and, asc, count, eq, ilike, or, sql } from "drizzle-orm";
import { z } from "zod";
import { audit, type AuditActor } from "../audit";
import type { Actor, Role } from "../auth/roles";
import { ROLES } from "../auth/roles";
import { hashPassword, PASSWORD_MIN, verifyPassword } from "../auth/password";
import { beginAttempt, clearFailures, forgetAttempt, recordFailure, throttleKeys, type ThrottleConfig } from "../auth/throttle";
import { endUserSessions } from "../auth/sessions";
import { revokeUserTokens } from "../auth/tokens";
import type { Db, DbOrTx } from "../db/client";
import { branches, customers, users } from "../db/schema";
import { Conflict, Invalid, NotFound, parseOrInvalid } from "../errors";
import { clockNow } from "../clock";
import { reassignFromInactive } from "../tasks/open";

export type SignInResult = { ok: true; userId: number } | { ok: false; reason: "invalid" | "throttled" };

export async function authenticate(
  db: Db,
  input: { username: string; password: string; ip: string | null },
  cfg: ThrottleConfig,
): Promise<SignInResult> {
  const keys = throttleKeys(input.username, input.ip);
  // Within the delay even the right password is refused unchecked: otherwise the delay would not slow guessing.
  const attempt = await beginAttempt(db, keys, cfg);
  if (!attempt.ok) return { ok: false, reason: "throttled" };
  const [user] = await db
    .select({ id: users.id, hash: users.passwordHash, active: users.active, role: users.role })
    .from(users)
    .where(sql`lower(${users.username}) = ${input.username.trim().toLowerCase()}`);
  // Verify even for unknown users so response time does not reveal which usernames exist.
  const ok = await verifyPassword(user?.hash ?? DUMMY_HASH, input.password);
  // The service account works through API tokens only: a screen session would be a second, unneeded way in.
  if (!user || !user.active || !ok || user.role === "integration") {
    await recordFailure(db, keys);
    return { ok: false, reason: "invalid" };
  }
  await forgetAttempt(db, attempt.ids);
  await clearFailures(db, keys.slice(0, 1));
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
  return { ok: true, userId: user.id };
}
// argon2id hash of a random string nobody knows.
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$hxWLam+5Bul0Eu/j+2HorQ$1fiNrxoQBTF6epLDr7/QZUtz29flZaJFgzrLFe4lfYY";

/** The active user behind a session or token, or null when deactivated or gone. */
export async function loadActor(db: DbOrTx, userId: number): Promise<Actor | null> {
  const [u] = await db
    .select({ userId: users.id, username: users.username, displayName: users.displayName, role: users.role, branchId: users.branchId, active: users.active })
    .from(users)
    .where(eq(users.id, userId));
  if (!u || !u.active) return null;
  return { userId: u.userId, username: u.username, displayName: u.displayName, role: u.role, branchId: u.branchId };
}

export const usernameSchema = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[a-zA-Z0-9._-]+$/, "letters, digits, dot, dash and underscore only");

export const createUserSchema = z
  .object({
    username: usernameSchema,
    displayName: z.string().trim().min(1).max(60),
    role: z.enum(ROLES),
    branchId: z.number().int().positive().nullable().optional(),
    email: z.email().nullable().optional(),
    password: z.string().min(PASSWORD_MIN).max(200),
  })
  .superRefine((v, ctx) => {
    if ((v.role === "rm" || v.role === "supervisor") && !v.branchId) {
      ctx.addIssue({ code: "custom", path: ["branchId"], message: "branch required for relationship managers and supervisors" });
    }
  });
export type CreateUserInput = z.input<typeof createUserSchema>;

export async function createUser(db: Db, actor: AuditActor, input: CreateUserInput): Promise<{ id: number }> {
  const parsed = parseOrInvalid(createUserSchema, input);
  const v = parsed;
  const passwordHash = await hashPassword(v.password);
  return db.transaction(async (tx) => {
    const [exists] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = ${v.username.toLowerCase()}`);
    if (exists) throw new Conflict("usernameTaken");
    if (v.branchId) {
      const [b] = await tx.select({ id: branches.id }).from(branches).where(eq(branches.id, v.branchId));
      if (!b) throw new Invalid([{ field: "branchId", code: "unknown", key: "user.branchUnknown" }]);
    }
    const [row] = await tx
      .insert(users)
      .values({ username: v.username, displayName: v.displayName, role: v.role, branchId: v.branchId ?? null, email: v.email ?? null, passwordHash })
      .onConflictDoNothing()
      .returning({ id: users.id });
    // Another admin created the same username in the meantime.
    if (!row) throw new Conflict("usernameTaken");
    await audit(tx, actor, {
      action: "user.create",
      entity: "user",
      entityId: row!.id,
      after: { username: v.username, role: v.role, branchId: v.branchId ?? null },
    });
    return { id: row!.id };
  });
}

export async function setUserActive(db: Db, actor: AuditActor, userId: number, active: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    const [u] = await tx.select({ active: users.active }).from(users).where(eq(users.id, userId)).for("update");
    if (!u) throw new NotFound("user");
    if (actor.kind === "user" && actor.userId === userId && !active) throw new Conflict("cannotDeactivateSelf");
    if (u.active === active) return;
    await tx.update(users).set({ active, updatedAt: new Date() }).where(eq(users.id, userId));
    // Nobody would work a deactivated RM's tasks: they move to the branch's least-loaded active RM.
    if (!active) await reassignFromInactive(tx, userId, await clockNow(tx), actor.kind === "user" ? actor.userId : null);
    await audit(tx, actor, { action: active ? "user.activate" : "user.deactivate", entity: "user", entityId: userId, before: { active: u.active }, after: { active } });
  });
}

/**
 * Sets a new password and ends what the old one opened: the user's sessions (all of them, or all but `keepSession`,
 * the one that changed it) and their API tokens. In one transaction with its audit row; the hash is never audited.
 */
async function replacePassword(db: Db, actor: AuditActor, action: string, userId: number, password: string, keepSession: string | null): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    if (!u) throw new NotFound("user");
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, userId));
    const sessionsEnded = await endUserSessions(tx, userId, keepSession);
    const tokensRevoked = await revokeUserTokens(tx, userId);
    await audit(tx, actor, { action, entity: "user", entityId: userId, after: { sessionsEnded, tokensRevoked } });
  });
}

/** An admin sets a user's password: every session of that user ends and every API token is revoked. */
export async function resetPassword(db: Db, actor: AuditActor, userId: number, password: string): Promise<void> {
  const parsed = z.string().min(PASSWORD_MIN).max(200).safeParse(password);
  if (!parsed.success) throw new Invalid([{ field: "password", code: "too_small", key: "user.passwordTooShort", params: { min: PASSWORD_MIN } }]);
  await replacePassword(db, actor, "user.resetPassword", userId, password, null);
}

// Delayed or wrong: one answer (issues.wrongPassword says both).
const WRONG_CURRENT = { field: "current", code: "wrongPassword" };

/**
 * A user changes their own password. The current one is checked under the sign-in throttle (same keys: this account
 * and this address), so a stolen session cannot guess it any faster than the sign-in form. Their other sessions end
 * and their API tokens are revoked; the session that made the change stays.
 */
export async function changeOwnPassword(
  db: Db,
  who: { userId: number; sessionId: string | null; ip: string | null },
  current: string,
  next: string,
  cfg: ThrottleConfig,
): Promise<void> {
  const [u] = await db.select({ hash: users.passwordHash, username: users.username }).from(users).where(eq(users.id, who.userId));
  if (!u) throw new NotFound("user");
  const keys = throttleKeys(u.username, who.ip);
  const attempt = await beginAttempt(db, keys, cfg);
  // Delayed or wrong: one answer, as at sign-in.
  if (!attempt.ok) throw new Invalid([WRONG_CURRENT]);
  if (!(await verifyPassword(u.hash, current))) {
    await recordFailure(db, keys);
    throw new Invalid([WRONG_CURRENT]);
  }
  await forgetAttempt(db, attempt.ids);
  await clearFailures(db, keys.slice(0, 1));
  if (current === next) throw new Invalid([{ field: "next", code: "samePassword" }]);
  const parsed = z.string().min(PASSWORD_MIN).max(200).safeParse(next);
  if (!parsed.success) throw new Invalid([{ field: "next", code: "too_small", key: "user.passwordTooShort", params: { min: PASSWORD_MIN } }]);
  await replacePassword(db, { kind: "user", userId: who.userId }, "user.changePassword", who.userId, next, who.sessionId);
}

export type UserRow = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  branchId: number | null;
  branchName: string | null;
  active: boolean;
  lastLoginAt: Date | null;
  customerCount: number;
};

export async function listUsers(db: DbOrTx, q: { search?: string; role?: Role; branchId?: number } = {}): Promise<UserRow[]> {
  const conds = [];
  if (q.search) conds.push(or(ilike(users.username, `%${q.search}%`), ilike(users.displayName, `%${q.search}%`)));
  if (q.role) conds.push(eq(users.role, q.role));
  if (q.branchId) conds.push(eq(users.branchId, q.branchId));
  const customerCounts = db
    .select({ rmId: customers.rmId, n: count().as("n") })
    .from(customers)
    .groupBy(customers.rmId)
    .as("cc");
  const rows = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      branchId: users.branchId,
      branchName: branches.name,
      active: users.active,
      lastLoginAt: users.lastLoginAt,
      customerCount: sql<number>`coalesce(${customerCounts.n}, 0)::int`,
    })
    .from(users)
    .leftJoin(branches, eq(branches.id, users.branchId))
    .leftJoin(customerCounts, eq(customerCounts.rmId, users.id))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(users.role), asc(users.username));
  return rows;
}

export async function listBranches(db: DbOrTx) {
  return db.select().from(branches).orderBy(asc(branches.code));
}

export const createBranchSchema = z.object({
  code: z.string().trim().regex(/^[A-Z0-9]{2,12}$/, "2–12 capital letters or digits"),
  name: z.string().trim().min(1).max(60),
  nameEn: z.string().trim().min(1).max(80),
  region: z.string().trim().min(1).max(40),
});

export async function createBranch(db: Db, actor: AuditActor, input: z.input<typeof createBranchSchema>): Promise<{ id: number }> {
  const parsed = parseOrInvalid(createBranchSchema, input);
  return db.transaction(async (tx) => {
    const [exists] = await tx.select({ id: branches.id }).from(branches).where(eq(branches.code, parsed.code));
    if (exists) throw new Conflict("branchCodeTaken");
    const [row] = await tx.insert(branches).values(parsed).onConflictDoNothing().returning({ id: branches.id });
    if (!row) throw new Conflict("branchCodeTaken");
    await audit(tx, actor, { action: "branch.create", entity: "branch", entityId: row!.id, after: parsed });
    return { id: row!.id };
  });
}
