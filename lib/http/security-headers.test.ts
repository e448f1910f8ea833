import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, responseKind, securityHeaders, sessionless } from "./security-headers";

const directives = (csp: string) => new Map(csp.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)]));

describe("responseKind", () => {
  it("sorts pages, Bull Board, Auth.js pages, API answers and files", () => {
    expect(responseKind("/")).toBe("page");
    expect(responseKind("/tasks/12")).toBe("page");
    expect(responseKind("/login")).toBe("page");
    expect(responseKind("/admin/queues")).toBe("board");
    expect(responseKind("/admin/queues/api/queues")).toBe("board");
    expect(responseKind("/admin/queuesx")).toBe("page");
    expect(responseKind("/api/auth/signout")).toBe("auth");
    expect(responseKind("/api/v1/tasks")).toBe("other");
    expect(responseKind("/_next/static/chunks/a.js")).toBe("other");
    expect(responseKind("/logo.svg")).toBe("other");
    expect(sessionless("/api/health")).toBe(true);
    expect(sessionless("/admin/queues")).toBe(false);
    expect(sessionless("/customers")).toBe(false);
  });
});

describe("contentSecurityPolicy", () => {
  it("locks a page's scripts to its nonce, refuses framing and objects", () => {
    const d = directives(contentSecurityPolicy({ kind: "page", nonce: "abc", https: false }));
    expect(d.get("script-src")).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'"]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("connect-src")).toEqual(["'self'"]);
    expect(d.get("form-action")).toEqual(["'self'"]);
    expect(d.has("upgrade-insecure-requests")).toBe(false);
    // A page policy without a nonce would block Next's own scripts.
    expect(() => contentSecurityPolicy({ kind: "page", https: false })).toThrow(/nonce/);
  });

  it("allows eval only in a dev build and the SSO issuer only as a form target", () => {
    expect(directives(contentSecurityPolicy({ kind: "page", nonce: "n", https: false, dev: true })).get("script-src")).toContain("'unsafe-eval'");
    const d = directives(contentSecurityPolicy({ kind: "page", nonce: "n", https: true, formOrigins: ["https://sso.bank.example"] }));
    expect(d.get("form-action")).toEqual(["'self'", "https://sso.bank.example"]);
    expect(d.has("upgrade-insecure-requests")).toBe(true);
  });

  it("lets API answers and files load nothing, and Bull Board only its own scripts", () => {
    const other = directives(contentSecurityPolicy({ kind: "other", https: true }));
    expect(other.get("default-src")).toEqual(["'none'"]);
    expect(other.get("frame-ancestors")).toEqual(["'none'"]);
    const board = directives(contentSecurityPolicy({ kind: "board", https: false }));
    expect(board.get("script-src")).toEqual(["'self'"]);
    expect(board.get("font-src")).toEqual(["'self'"]);
    expect(board.get("frame-ancestors")).toEqual(["'none'"]);
  });
});

describe("securityHeaders", () => {
  it("sends nosniff, a Referrer-Policy and framing refusal always, HSTS only over https", () => {
    const plain = securityHeaders({ kind: "other", https: false });
    expect(plain["X-Content-Type-Options"]).toBe("nosniff");
    expect(plain["Referrer-Policy"]).toBe("same-origin");
    expect(plain["X-Frame-Options"]).toBe("DENY");
    expect(plain["Strict-Transport-Security"]).toBeUndefined();
    expect(securityHeaders({ kind: "other", https: true })["Strict-Transport-Security"]).toMatch(/^max-age=\d{7,}/);
  });

  it("makes a fresh, unguessable nonce each time", () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(newNonce()).not.toBe(a);
  });
});
