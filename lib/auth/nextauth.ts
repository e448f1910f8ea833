// Auth.js (next-auth v5): credentials with argon2id and throttling, optional OIDC SSO, JWT sessions that
// expire after SESSION_IDLE_HOURS without a request (the proxy re-issues the cookie on every request).
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { Provider } from "next-auth/providers";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { db } from "../db/client";
import { env, oidcEnabled } from "../env";
import { log } from "../log";
import { clientIp } from "./callback";
import { revokeSession } from "./sessions";
import { authenticate, findActiveUserBySso, type SsoIdentity } from "../users/service";

function ssoIdentity(profile: Record<string, unknown> | undefined | null): SsoIdentity {
  return {
    username: typeof profile?.preferred_username === "string" ? profile.preferred_username : null,
    // An e-mail address only identifies someone when the IdP has verified it.
    email: profile?.email_verified === true && typeof profile.email === "string" ? profile.email : null,
  };
}

class ThrottledSignin extends CredentialsSignin {
  code = "throttled";
}
class InvalidSignin extends CredentialsSignin {
  code = "invalid";
}

const credentialsSchema = z.object({ username: z.string().trim().min(1).max(80), password: z.string().min(1).max(200) });


function providers(): Provider[] {
  const list: Provider[] = [
    Credentials({
      credentials: { username: {}, password: {} },
      async authorize(raw, req) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new InvalidSignin();
        const e = env();
        const result = await authenticate(
          db(),
          { ...parsed.data, ip: clientIp(req?.headers.get("x-forwarded-for"), e.TRUSTED_PROXY_HOPS) },
          { maxFailures: e.LOGIN_MAX_FAILURES, windowMinutes: e.LOGIN_WINDOW_MINUTES },
        );
        if (!result.ok) {
          log.info({ event: "signin.failed", reason: result.reason }, "sign-in refused");
          throw result.reason === "throttled" ? new ThrottledSignin() : new InvalidSignin();
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

function config(): NextAuthConfig {
  const e = env();
  return {
    secret: e.AUTH_SECRET,
    trustHost: true,
    providers: providers(),
    pages: { signIn: "/login" },
    session: { strategy: "jwt", maxAge: Math.round(e.SESSION_IDLE_HOURS * 3600), updateAge: 0 },
    callbacks: {
      // SSO users must already exist (matched on username or e-mail) and be active; no self-provisioning.
      async signIn({ account, profile }) {
        if (account?.provider !== "oidc") return true;
        return (await findActiveUserBySso(db(), ssoIdentity(profile))) !== null;
      },
      async jwt({ token, user, account, profile }) {
        if (account?.provider === "oidc") {
          const id = await findActiveUserBySso(db(), ssoIdentity(profile));
          if (id) token.uid = id;
        } else if (user?.id) {
          token.uid = Number(user.id);
        }
        // A session id, fixed at sign-in and kept across cookie refreshes, so that sign-out can revoke it.
        if (user || account) token.sid = randomUUID();
        return token;
      },
      session({ session, token }) {
        Object.assign(session, { uid: token.uid as number | undefined, sid: token.sid as string | undefined });
        return session;
      },
      // Pages need a session; API routes and the health check answer for themselves.
      authorized({ auth, request }) {
        const p = request.nextUrl.pathname;
        if (p === "/login" || p.startsWith("/api/")) return true;
        return Boolean(auth);
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

/**
 * The signed-in user as the cookie says (uid, session id), not yet checked against sign-out or deactivation:
 * `actorForSession` (lib/auth/sessions.ts) does that.
 */
export async function sessionIdentity(): Promise<{ uid: number; sid: string | null } | null> {
  const s = (await auth()) as unknown as { uid?: number; sid?: string } | null;
  return typeof s?.uid === "number" ? { uid: s.uid, sid: s.sid ?? null } : null;
}

/** Ends the current session for good (a signed cookie cannot be recalled, so its id is refused from now on). */
export async function revokeCurrentSession(): Promise<void> {
  const s = await sessionIdentity();
  if (s?.sid) await revokeSession(db(), s.sid, s.uid, env().SESSION_IDLE_HOURS);
}
