// The operator CLI's commands, separate from argv handling so tests can call them directly.
import { eq } from "drizzle-orm";
import { createApiToken } from "../auth/tokens";
import { ROLES, type Role } from "../auth/roles";
import type { Db } from "../db/client";
import { branches } from "../db/schema";
import { AppError } from "../errors";
import { createUser } from "../users/service";

export class UsageError extends Error {}

const SYSTEM = { kind: "system", name: "cli" } as const;

export async function userCreate(
  db: Db,
  opts: { username?: string; role?: string; branch?: string; name?: string; email?: string },
  password: string,
): Promise<string> {
  if (!opts.username) throw new UsageError("--username is required");
  if (!opts.role || !ROLES.includes(opts.role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
  let branchId: number | null = null;
  if (opts.branch) {
    const [b] = await db.select({ id: branches.id }).from(branches).where(eq(branches.code, opts.branch));
    if (!b) throw new UsageError(`unknown branch code ${opts.branch}`);
    branchId = b.id;
  }
  const { id } = await createUser(db, SYSTEM, {
    username: opts.username,
    displayName: opts.name ?? opts.username,
    role: opts.role as Role,
    branchId,
    email: opts.email ?? null,
    password,
  });
  return `created user ${opts.username} (id ${id}, role ${opts.role})`;
}

export async function tokenCreate(db: Db, opts: { user?: string; name?: string }): Promise<string> {
  if (!opts.user) throw new UsageError("--user is required");
  if (!opts.name) throw new UsageError("--name is required");
  const { token } = await createApiToken(db, SYSTEM, opts.user, opts.name);
  return token;
}

/** One line per problem, for stderr. */
export function describeError(e: unknown): string {
  if (e instanceof AppError) {
    if (e.issues.length) return e.issues.map((i) => `${i.field}: ${i.message}`).join("\n");
    return `${e.code}${Object.keys(e.params).length ? ` (${Object.entries(e.params).map(([k, v]) => `${k}=${v}`).join(", ")})` : ""}`;
  }
  return e instanceof Error ? e.message : String(e);
}
