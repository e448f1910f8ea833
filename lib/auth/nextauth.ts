// Auth.js (next-auth v5): credentials with argon2id and slowed retries, optional OIDC SSO bound to the IdP's
// (issuer, subject), and JWT cookies that name a server-side session row (lib/auth/sessions.ts). The cookie expires
// after SESSION_IDLE_HOURS without a request (the proxy re-issues it); the session ends SESSION_MAX_HOURS after
// sign-in whatever happens, and every re-issue first checks that the session and its user are still good.
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { Provider } from "next-auth/providers";
import { headers } from "next/headers";
import { NextResponse } from "next/server";
import type { BlockList } from "node:net";
import { z } from "zod";
import { db } from "../db/client";
import { env, oidcEnabled } from "../env";
import { log } from "../log";
import { clientAddress, parseTrustedProxies, servedOverHttps } from "./client-address";
import type { Actor } from "./roles";
import { actorForSession, endSession, startSession } from "./sessions";
import { throttleConfig } from "./throttle";
import { authenticate } from "../users/service";
import { ssoUserFor } from "../users/sso";

class InvalidSignin extends CredentialsSignin {
  code = "invalid";
}

const credentialsSchema = z.object({ username: z.string().trim().min(1).max(80), password: z.string().min(1).max(200) });

let proxies: { spec: string; list: BlockList | null } | undefined;
function trustedProxies(): BlockList | null {
  const spec = env().TRUSTED_PROXIES;
  if (proxies?.spec !== spec) proxies = { spec, list: spec.trim() ? parseTrustedProxies(spec) : null };
  return proxies.list;
}

/** The client address of the request being handled (server actions, route handlers). */
export async function requestClientAddress(): Promise<string | null> {
  return clientAddress(await headers(), trustedProxies());
}

/** Whether this request came over https through a trusted proxy (HSTS is sent only then). */
export function requestIsHttps(h: Headers): boolean {
  return servedOverHttps(h, trustedProxies());
}

function providers(): Provider[] {
  const list: Provider[] = [
    Credentials({
      credentials: { username: {}, password: {} },
      async authorize(raw, req) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new InvalidSignin();
        const result = await authenticate(db(), { ...parsed.data, ip: clientAddress(req.headers, trustedProxies()) }, throttleConfig(env()));
        if (!result.ok) {
          log.info({ event: "signin.failed", reason: result.reason }, "sign-in refused");
          // Delayed or wrong: one answer, so the form does not tell a guesser which accounts are being slowed.
          throw new InvalidSignin();
        }
        log.info({ event: "signin.ok", userId: result.userId }, "signed in");
        return { id: String(result.userId) };
      },
    }),
  ];
  const e = env();
  if (oidcEnabled(e)) {
    list.push({
      id: "oidc",
      name: e.OIDC_NAME,
      type: "oidc",
      issuer: e.OIDC_ISSUER,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
    });
  }
  return list;
}

type SessionToken = { uid?: unknown; sid?: unknown; authAt?: unknown };

// The actor each token was checked against in this very jwt() call, for the session() call that follows it.
const checked = new WeakMap<object, Actor>();

function config(): NextAuthConfig {
  const e = env();
  return {
    secret: e.AUTH_SECRET,
    trustHost: true,
    providers: providers(),
    pages: { signIn: "/login" },
    session: { strategy: "jwt", maxAge: Math.round(Math.min(e.SESSION_IDLE_HOURS, e.SESSION_MAX_HOURS) * 3600), updateAge: 0 },
    callbacks: {
      // SSO users must already exist and be bound (or bindable by a verified e-mail); no self-provisioning.
      async signIn({ account, profile }) {
        if (account?.provider !== "oidc") return true;
        const ok = (await ssoUserFor(db(), profile)) !== null;
        if (!ok) log.info({ event: "sso.refused" }, "SSO identity not bound to an active user");
        return ok;
      },
      async jwt({ token, user, account, profile }) {
        if (account) {
          const uid = account.provider === "oidc" ? await ssoUserFor(db(), profile) : Number(user?.id);
          if (!uid) return null;
          const s = await startSession(db(), uid, e.SESSION_MAX_HOURS);
          // Only what the checks need: no name or e-mail in the cookie.
          return { uid, sid: s.sid, authAt: s.authAt };
        }
        // Every read of the cookie (the proxy's re-issue, auth() in pages and actions) checks the session first.
        const t = token as SessionToken;
        if (typeof t.uid !== "number" || typeof t.sid !== "string" || typeof t.authAt !== "number") return null;
        if (Date.now() / 1000 >= t.authAt + e.SESSION_MAX_HOURS * 3600) return null;
        const actor = await actorForSession(db(), t.uid, t.sid, e.SESSION_MAX_HOURS);
        if (!actor) return null;
        checked.set(token, actor);
        return token;
      },
      session({ session, token }) {
        return Object.assign(session, { sid: token.sid, actor: checked.get(token) });
      },
      // Pages need a session; API routes and the health check answer for themselves. The redirect is spelled out:
      // the proxy wraps a handler (it forwards the CSP nonce), and with a handler Auth.js only redirects on a Response.
      authorized({ auth, request }) {
        const p = request.nextUrl.pathname;
        if (p === "/login" || p.startsWith("/api/") || auth) return true;
        const signIn = request.nextUrl.clone();
        signIn.pathname = "/login";
        signIn.searchParams.set("callbackUrl", request.nextUrl.href);
        return NextResponse.redirect(signIn);
      },
    },
    events: {
      // Sign-out ends the session row too: a copy of the cookie is refused from the next request on.
      async signOut(message) {
        const sid = "token" in message ? (message.token as SessionToken | null)?.sid : undefined;
        if (typeof sid === "string") await endSession(db(), sid);
      },
    },
    logger: {
      error(error) {
        // A refused sign-in is expected traffic, not a server error.
        if ((error as { type?: string }).type === "CredentialsSignin") return;
        log.error({ err: error }, "auth error");
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());

/** The signed-in session of this request, already checked (live, user active), with its user; or null. */
export async function currentSession(): Promise<{ sid: string; actor: Actor } | null> {
  const s = (await auth()) as unknown as { sid?: unknown; actor?: Actor } | null;
  return typeof s?.sid === "string" && s.actor ? { sid: s.sid, actor: s.actor } : null;
}
