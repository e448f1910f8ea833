import { describe, expect, it } from "vitest";
import { safeCallback } from "./callback";

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
