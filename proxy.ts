// Every request but /api/ passes here (API routes get the same headers from next.config.ts). Pages (and Bull Board)
// refresh the session cookie (idle expiry) and send signed-out visitors to /login; every response, files included,
// gets the security headers (lib/http/security-headers.ts), pages with a fresh script nonce that Next reads from the
// request's CSP header.
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { auth, requestIsHttps } from "@/lib/auth/nextauth";
import { newNonce, responseKind, securityHeaders, sessionless } from "@/lib/http/security-headers";
import { env } from "@/lib/env";

export async function proxy(req: NextRequest, ev: NextFetchEvent): Promise<Response> {
  const kind = responseKind(req.nextUrl.pathname);
  const e = env();
  const headers = securityHeaders({
    kind,
    nonce: kind === "page" ? newNonce() : undefined,
    https: requestIsHttps(req.headers),
    // Inlined at build time: `next dev` builds get React's dev-mode allowance, production builds never do.
    dev: process.env.NODE_ENV === "development",
    formOrigins: e.OIDC_ISSUER ? [new URL(e.OIDC_ISSUER).origin] : [],
  });
  const csp = headers["Content-Security-Policy"]!;
  // Next takes the nonce from the request's CSP header; set here, it replaces anything the client sent.
  const forwarded = new Headers(req.headers);
  forwarded.set("content-security-policy", csp);
  const pass = () => NextResponse.next({ request: { headers: forwarded } });

  // Server actions guard themselves; refreshing the cookie there would undo sign-out's deletion of it.
  const res = sessionless(req.nextUrl.pathname) || req.headers.has("next-action") ? pass() : await withSession(pass, req, ev);
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}

// Auth.js's wrapper form: with a lazy config (NextAuth(() => config)), auth(handler) answers a promise of the wrapper,
// though its type says the wrapper itself; awaiting covers both. The wrapper answers the handler's Response, or its
// redirect to /login for a signed-out visitor.
type Wrapped = (req: NextRequest, ev: NextFetchEvent) => Promise<Response | void>;
async function withSession(handler: () => Response, req: NextRequest, ev: NextFetchEvent): Promise<Response> {
  const wrapped = await (auth(handler) as unknown as Wrapped | Promise<Wrapped>);
  const res = await wrapped(req, ev);
  if (!(res instanceof Response)) throw new Error("auth() answered no response");
  return res;
}

// Everything but /api/ (see next.config.ts: the proxy would buffer upload bodies): files under _next/static and
// public/ get their headers here too.
export const config = { matcher: "/((?!api/).*)" };
