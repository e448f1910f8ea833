import { describe, expect, it } from "vitest";
import { clientIp, safeCallback } from "./callback";

describe("safeCallback", () => {
  it("keeps same-site paths with their query", () => {
    expect(safeCallback("/customers?page=2")).toBe("/customers?page=2");
    expect(safeCallback("http://localhost:3000/customers/12")).toBe("/customers/12");
  });
  it("never leaves the site", () => {
    expect(safeCallback("https://evil.example/phish")).toBe("/phish");
    expect(safeCallback("//evil.example/x")).toBe("/x");
    expect(safeCallback("javascript:alert(1)")).toBe("/");
  });
  it("goes home for nothing, or for the sign-in page itself", () => {
    expect(safeCallback(undefined)).toBe("/");
    expect(safeCallback("/login?callbackUrl=/x")).toBe("/");
  });
});

describe("clientIp", () => {
  it("takes the address the trusted proxy appended, not what the client wrote", () => {
    expect(clientIp("6.6.6.6, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientIp("6.6.6.6, 203.0.113.7, 10.0.0.2", 2)).toBe("203.0.113.7");
    expect(clientIp("127.0.0.1", 1)).toBe("127.0.0.1");
  });
  it("has no address when there are fewer entries than trusted proxies", () => {
    expect(clientIp("203.0.113.7", 2)).toBeNull();
    expect(clientIp(null, 1)).toBeNull();
  });
});
