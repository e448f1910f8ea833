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
