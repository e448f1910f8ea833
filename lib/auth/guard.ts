// The one way into domain code from app/: session or bearer token → active user → role → data scope.
import "server-only";
import { notFound, redirect } from "next/navigation";
import { db } from "../db/client";
import { Forbidden, NotFound, Unauthenticated } from "../errors";
import { sessionIdentity } from "./nextauth";
import { ROLES, scopeFor, type Actor, type Role, type Scope } from "./roles";
import { actorForSession } from "./sessions";
import { actorForToken } from "./tokens";

export type Guarded = { actor: Actor; scope: Scope };

export const ANY_ROLE: readonly Role[] = ROLES;

function bearer(req: Request | null | undefined): string | null {
  const h = req?.headers.get("authorization");
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m ? m[1]! : null;
}

/** Throws Unauthenticated (no valid session/token) or Forbidden (role not allowed). */
export async function guard(allow: readonly Role[], req?: Request | null): Promise<Guarded> {
  const token = bearer(req);
  const session = token ? null : await sessionIdentity();
  const actor = token ? await actorForToken(db(), token) : session ? await actorForSession(db(), session.uid, session.sid) : null;
  if (!actor) throw new Unauthenticated();
  if (!allow.includes(actor.role)) throw new Forbidden();
  return { actor, scope: scopeFor(actor) };
}

/** For pages: signed-out visitors go to /login; a role without access sees 404, as if the page did not exist. */
export async function guardPage(allow: readonly Role[], from?: string): Promise<Guarded> {
  try {
    return await guard(allow);
  } catch (e) {
    if (e instanceof Unauthenticated) redirect(from ? `/login?callbackUrl=${encodeURIComponent(from)}` : "/login");
    if (e instanceof Forbidden || e instanceof NotFound) notFound();
    throw e;
  }
}
