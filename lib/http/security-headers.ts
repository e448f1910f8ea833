// Security headers for every response (proxy.ts adds them, next.config.ts for /api/): a Content-Security-Policy per kind of
// response, framing refused, no MIME sniffing, no Referer to other origins, HSTS when the browser came over https.
// Pure (no env, no I/O), so the policy is unit-tested and the proxy only feeds it the request's facts.

export type ResponseKind = "page" | "board" | "auth" | "other";

// The brand files in public/, served without a session (the sign-in page shows them).
const PUBLIC_FILES = /^\/(?:favicon\.ico|favicon\.svg|logo\.svg|icon-192\.png|icon-512\.png|manifest\.webmanifest)$/;

/** What a path serves: app pages (HTML with Next's inline scripts), Bull Board, Auth.js's own pages, or data/files. */
export function responseKind(pathname: string): ResponseKind {
  if (pathname === "/admin/queues" || pathname.startsWith("/admin/queues/")) return "board";
  if (pathname.startsWith("/api/auth/")) return "auth";
  if (pathname.startsWith("/api/") || pathname.startsWith("/_next/") || pathname.startsWith("/fonts/") || PUBLIC_FILES.test(pathname)) return "other";
  return "page";
}

/** Paths that answer without a session: the proxy only adds headers to them (API routes and files guard themselves). */
export function sessionless(pathname: string): boolean {
  return responseKind(pathname) !== "page" && responseKind(pathname) !== "board";
}

/** 128 random bits, base64: a fresh script nonce for one page request. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export type HeaderFacts = {
  kind: ResponseKind;
  /** Required for pages: Next puts it on every inline and external script it renders. */
  nonce?: string;
  https: boolean;
  /** next dev: React's dev build evaluates code for its stack traces. */
  dev?: boolean;
  /** Origins a sign-in form may post to besides our own (the OIDC issuer). */
  formOrigins?: string[];
};

export function contentSecurityPolicy(f: HeaderFacts): string {
  const forms = ["'self'", ...(f.formOrigins ?? [])].join(" ");
  const common = ["object-src 'none'", "frame-ancestors 'none'"];
  let d: string[];
  switch (f.kind) {
    case "page":
      if (!f.nonce) throw new Error("a page's policy needs its nonce");
      d = [
        "default-src 'self'",
        // Next's inline bootstrap and flight data carry the nonce; 'strict-dynamic' lets those scripts load the
        // chunks they need. No 'unsafe-inline' for scripts: an injected <script> does not run.
        `script-src 'self' 'nonce-${f.nonce}' 'strict-dynamic'${f.dev ? " 'unsafe-eval'" : ""}`,
        // antd styles components with CSS-in-JS (<style> elements written at run time) and React style attributes;
        // a nonce cannot cover style attributes, so styles stay 'unsafe-inline'. Styles cannot run script, and
        // every other source (scripts, fetches, frames, forms) stays locked to this origin.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "base-uri 'self'",
        `form-action ${forms}`,
        ...common,
      ];
      break;
    case "board":
      // Bull Board's page: its own scripts from our origin, inline style attributes and one <style> block.
      d = ["default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'", "base-uri 'self'", "form-action 'self'", ...common];
      break;
    case "auth":
      // Auth.js's built-in pages (sign-out confirmation, errors): inline styles and forms to its own endpoints.
      d = ["default-src 'none'", "style-src 'unsafe-inline'", "img-src 'self' data:", "base-uri 'none'", `form-action ${forms}`, ...common];
      break;
    case "other":
      // JSON, files and scripts: nothing here is a document, and if a browser were tricked into rendering one as
      // such it could load nothing.
      d = ["default-src 'none'", "base-uri 'none'", "form-action 'none'", ...common];
      break;
  }
  if (f.https && f.kind !== "other") d.push("upgrade-insecure-requests");
  return d.join("; ");
}

export function securityHeaders(f: HeaderFacts): Record<string, string> {
  const h: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(f),
    "X-Content-Type-Options": "nosniff",
    // Browsers that predate frame-ancestors.
    "X-Frame-Options": "DENY",
    // Our URLs carry customer and task ids: other origins get no Referer at all.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  // One year; without includeSubDomains, which would bind every host under the bank's domain to this app's choice.
  if (f.https) h["Strict-Transport-Security"] = "max-age=31536000";
  return h;
}
