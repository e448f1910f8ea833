// Cross-site request refusal for cookie-authenticated writes. SameSite=Lax still sends the cookie with a top-level
// cross-site POST and from sibling subdomains (same site, other origin), so writes must also come from our origin.
// The browser says where a request comes from (Origin on every non-GET fetch and form post; Sec-Fetch-Site or
// Referer when it leaves Origin out), and a page on another site cannot forge those headers.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * The hosts the app is reached under: the configured public URL (AUTH_URL / NEXTAUTH_URL, which Auth.js reads too),
 * and the host the request was addressed to (X-Forwarded-Host from a proxy, else Host) — the host only, not the
 * scheme, because behind a TLS-terminating proxy the app itself is spoken to over plain HTTP.
 */
export function appHosts(req: Request, env: Record<string, string | undefined> = process.env): Set<string> {
  const hosts = new Set<string>();
  for (const configured of [env.AUTH_URL, env.NEXTAUTH_URL]) {
    const h = hostOf(configured);
    if (h) hosts.add(h);
  }
  const forwarded = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const direct = forwarded || req.headers.get("host");
  if (direct) hosts.add(direct.toLowerCase());
  return hosts;
}

/** Whether a cookie-authenticated request may proceed: reads always; writes only from the app's own origin. */
export function isSameOriginWrite(req: Request, env?: Record<string, string | undefined>): boolean {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return true;
  const hosts = appHosts(req, env);
  const origin = req.headers.get("origin");
  // "null" (a sandboxed frame, a redirect across sites) names no origin at all: refused like a foreign one.
  if (origin !== null) return hosts.has(hostOf(origin) ?? "\0");
  const site = req.headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin";
  const referer = hostOf(req.headers.get("referer"));
  return referer !== null && hosts.has(referer);
}
