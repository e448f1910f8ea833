// The one way into domain code from app/: session or bearer token → active user → role → data scope.
import "server-only";
import { notFound, redirect } from "next/navigation";
import { limitApiToken } from "../api/rateLimit";
import { db } from "../db/client";
import { CrossSite, Forbidden, NotFound, Unauthenticated } from "../errors";
import { isSameOriginWrite } from "../http/origin";
import { currentSession } from "./nextauth";
import { STAFF_ROLES, type Actor, type Role } from "./roles";
import { scopeFor, type Scope } from "./scope";
import { actorForToken, hashToken } from "./tokens";

/** `sessionId` is the signed-in session's id (null for an API token): a password change keeps that one session. */
export type Guarded = { actor: Actor; scope: Scope; sessionId: string | null };

/** Every signed-in person: the pages and the staff's reads. The service account is let in only where named. */
export const ANY_ROLE: readonly Role[] = STAFF_ROLES;
/** Reads of the books the core banking feed may make too (the customers and loans it writes). */
export const BOOK_READERS: readonly Role[] = [...STAFF_ROLES, "integration"];

function bearer(req: Request | null | undefined): string | null {
  const h = req?.headers.get("authorization");
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m ? m[1]! : null;
}

/**
 * Throws Unauthenticated (no valid session/token), Throttled (the token's request rate), CrossSite (a cookie-borne
 * write from another origin) or Forbidden (role not allowed). Server actions pass no request: Next.js checks their
 * Origin itself.
 */
export async function guard(allow: readonly Role[], req?: Request | null): Promise<Guarded> {
  const token = bearer(req);
  // A session comes back from auth() already checked: live, before its absolute end, user active.
  const session = token ? null : await currentSession();
  const actor = token ? await actorForToken(db(), token) : (session?.actor ?? null);
  if (!actor) throw new Unauthenticated();
  if (token) await limitApiToken(hashToken(token));
  // A bearer token is never sent by the browser on its own, so only cookie sessions can be ridden cross-site.
  else if (req && !isSameOriginWrite(req)) throw new CrossSite();
  if (!allow.includes(actor.role)) throw new Forbidden();
  return { actor, scope: scopeFor(actor), sessionId: session?.sid ?? null };
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
