// Helpers for the sign-in flow that need no I/O.

/** Keeps only the path and query of a post-sign-in callback URL (the proxy sends absolute ones), so it can never
 * redirect to another site; /login itself and anything unparsable go home. */
export function safeCallback(url: string | undefined): string {
  if (!url) return "/";
  try {
    const u = new URL(url, "http://self.invalid");
    const path = `${u.pathname}${u.search}`;
    return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/login") ? path : "/";
  } catch {
    return "/";
  }
}

/** The client address as the nearest trusted proxy saw it: the X-Forwarded-For entry `trustedHops` from the right
 * (Next fills the header with the socket address when a request arrives without one). Entries further left are
 * whatever the client sent. */
export function clientIp(forwardedFor: string | null | undefined, trustedHops: number): string | null {
  const hops = (forwardedFor ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return hops.length >= trustedHops ? hops[hops.length - trustedHops]! : null;
}
