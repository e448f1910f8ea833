import { describe, expect, it } from "vitest";
import { homePath, inScope, scopeFor, ScopeError, type Actor } from "./roles";

const actor = (role: Actor["role"], branchId: number | null = 1, userId = 10): Actor => ({ userId, username: "u", displayName: "U", role, branchId });
const mine = { branchId: 1, rmId: 10 };
const colleagues = { branchId: 1, rmId: 11 };
const otherBranch = { branchId: 2, rmId: 20 };

describe("scopeFor", () => {
  it("gives an RM only their own customers", () => {
    const s = scopeFor(actor("rm"));
    expect(s).toEqual({ kind: "owner", rmId: 10, contact: true });
    expect(inScope(s, mine)).toBe(true);
    expect(inScope(s, colleagues)).toBe(false);
    expect(inScope(s, otherBranch)).toBe(false);
  });

  it("gives a supervisor their branch", () => {
    const s = scopeFor(actor("supervisor"));
    expect(inScope(s, mine)).toBe(true);
    expect(inScope(s, colleagues)).toBe(true);
    expect(inScope(s, otherBranch)).toBe(false);
  });

  it("refuses a supervisor without a branch rather than widening the scope", () => {
    expect(() => scopeFor(actor("supervisor", null))).toThrow(ScopeError);
  });

  it("lets HR see every customer but no contact data", () => {
    const s = scopeFor(actor("hr", null));
    expect(s).toEqual({ kind: "all", contact: false });
    expect(inScope(s, otherBranch)).toBe(true);
  });

  it("lets an admin see everything", () => {
    expect(scopeFor(actor("admin", null))).toEqual({ kind: "all", contact: true });
  });

  it("sends each role to its own home", () => {
    expect([homePath("rm"), homePath("supervisor"), homePath("hr"), homePath("admin")]).toEqual(["/rm", "/supervisor", "/hr", "/admin"]);
  });
});
