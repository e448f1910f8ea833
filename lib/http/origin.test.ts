import { describe, expect, it } from "vitest";
import { isSameOriginWrite } from "./origin";

const req = (method: string, headers: Record<string, string>) => new Request("http://internal:3000/api/x", { method, headers });

describe("isSameOriginWrite", () => {
  it("lets reads through whatever their origin", () => {
    expect(isSameOriginWrite(req("GET", { host: "a.example", origin: "https://evil.example" }))).toBe(true);
    expect(isSameOriginWrite(req("HEAD", {}))).toBe(true);
  });

  it("matches the host, not the scheme (TLS ends at the proxy), and compares ports", () => {
    expect(isSameOriginWrite(req("POST", { host: "a.example", origin: "https://a.example" }))).toBe(true);
    expect(isSameOriginWrite(req("POST", { host: "a.example:3000", origin: "http://a.example:3001" }))).toBe(false);
    expect(isSameOriginWrite(req("DELETE", { host: "A.Example", origin: "https://a.example" }))).toBe(true);
  });

  it("knows the public URL from AUTH_URL or NEXTAUTH_URL when the proxy rewrites Host and forwards nothing", () => {
    const behindProxy = req("POST", { host: "127.0.0.1:3000", origin: "https://churn.bank.example" });
    expect(isSameOriginWrite(behindProxy, {})).toBe(false);
    expect(isSameOriginWrite(behindProxy, { AUTH_URL: "https://churn.bank.example/" })).toBe(true);
    expect(isSameOriginWrite(behindProxy, { NEXTAUTH_URL: "https://churn.bank.example" })).toBe(true);
    expect(isSameOriginWrite(behindProxy, { AUTH_URL: "not a url" })).toBe(false);
  });

  it("uses the first X-Forwarded-Host a proxy sends", () => {
    expect(isSameOriginWrite(req("POST", { host: "127.0.0.1:3000", "x-forwarded-host": "churn.bank.example, other", origin: "https://churn.bank.example" }), {})).toBe(true);
  });

  it("without Origin falls back to Sec-Fetch-Site, then Referer, and refuses a request that says nothing", () => {
    expect(isSameOriginWrite(req("POST", { host: "a.example", "sec-fetch-site": "same-origin" }), {})).toBe(true);
    expect(isSameOriginWrite(req("POST", { host: "a.example", "sec-fetch-site": "same-site", referer: "https://a.example/x" }), {})).toBe(false);
    expect(isSameOriginWrite(req("POST", { host: "a.example", referer: "https://a.example/x" }), {})).toBe(true);
    expect(isSameOriginWrite(req("POST", { host: "a.example", referer: "https://b.example/x" }), {})).toBe(false);
    expect(isSameOriginWrite(req("POST", { host: "a.example" }), {})).toBe(false);
    expect(isSameOriginWrite(req("POST", { host: "a.example", origin: "null" }), {})).toBe(false);
  });
});
