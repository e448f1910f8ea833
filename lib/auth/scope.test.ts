import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { followUps } from "../db/schema";
import type { Actor } from "./roles";
import { contactField, inScope, scopeFor, ScopeError, scopeWhere, SHAPES, type Scope } from "./scope";

const actor = (role: Actor["role"], branchId: number | null = 1, userId = 10): Actor => ({ userId, username: "u", displayName: "U", role, branchId });
const mine = { branchId: 1, ownerId: 10 };
const colleagues = { branchId: 1, ownerId: 11 };
const otherBranch = { branchId: 2, ownerId: 20 };
/** Whether the scope sees [the actor's own customer, a colleague's in the branch, one in another branch]. */
const sees = (s: Scope) => [mine, colleagues, otherBranch].map((row) => inScope(s, row));
const render = (q: ReturnType<typeof sql>) => {
  const { sql: text, params } = new PgDialect().sqlToQuery(q);
  return { sql: text, params };
};

describe("scopeFor", () => {
  it("gives an RM only their own customers", () => {
    const s = scopeFor(actor("rm"));
    expect(s).toEqual({ kind: "owner", rmId: 10, contact: true });
    expect(sees(s)).toEqual([true, false, false]);
  });

  it("gives a supervisor their branch", () => {
    const s = scopeFor(actor("supervisor"));
    expect(s).toEqual({ kind: "branch", branchId: 1, contact: true });
    expect(sees(s)).toEqual([true, true, false]);
  });

  it("refuses a supervisor without a branch rather than widening the scope", () => {
    expect(() => scopeFor(actor("supervisor", null))).toThrow(ScopeError);
  });

  it("lets HR see every customer but no contact data", () => {
    const s = scopeFor(actor("hr", null));
    expect(s).toEqual({ kind: "all", contact: false });
    expect(sees(s)).toEqual([true, true, true]);
  });

  it("lets an admin see everything", () => {
    expect(scopeFor(actor("admin", null))).toEqual({ kind: "all", contact: true });
  });

  it("lets the integration account read back all the customers and loans it feeds (what it may call is the guard's business)", () => {
    expect(scopeFor(actor("integration", null))).toEqual({ kind: "all", contact: true });
  });
});

describe("inScope", () => {
  it("never matches a row without a branch or owner to a branch or owner scope", () => {
    expect(inScope({ kind: "branch", branchId: 1, contact: true }, { branchId: null, ownerId: 10 })).toBe(false);
    expect(inScope({ kind: "owner", rmId: 10, contact: true }, { branchId: 1, ownerId: null })).toBe(false);
    expect(inScope({ kind: "all", contact: false }, { branchId: null, ownerId: null })).toBe(true);
  });
});

describe("scopeWhere", () => {
  const all: Scope = { kind: "all", contact: true };
  const branch: Scope = { kind: "branch", branchId: 3, contact: true };
  const owner: Scope = { kind: "owner", rmId: 7, contact: true };

  it("filters customers by branch or RM, with the value as a parameter", () => {
    expect(render(scopeWhere(all, SHAPES.customers))).toEqual({ sql: "true", params: [] });
    expect(render(scopeWhere(branch, SHAPES.customers))).toEqual({ sql: '"customers"."branch_id" = $1', params: [3] });
    expect(render(scopeWhere(owner, SHAPES.customers))).toEqual({ sql: '"customers"."rm_id" = $1', params: [7] });
  });

  it("reads an aliased customer's columns", () => {
    expect(render(scopeWhere(owner, SHAPES.customerAs("c")))).toEqual({ sql: '"c"."rm_id" = $1', params: [7] });
  });

  it("scopes tasks by the customer's branch but by the task's assignee for an RM", () => {
    expect(render(scopeWhere(branch, SHAPES.task()))).toEqual({ sql: '"c"."branch_id" = $1', params: [3] });
    expect(render(scopeWhere(owner, SHAPES.task()))).toEqual({ sql: '"t"."assignee_id" = $1', params: [7] });
    expect(render(scopeWhere(owner, SHAPES.task("tk", "cu")))).toEqual({ sql: '"tk"."assignee_id" = $1', params: [7] });
  });

  it("takes any shape a new read brings", () => {
    const ledger = { branch: sql`(select branch_id from users u where u.id = e.rm_id)`, owner: sql`e.rm_id` };
    expect(render(scopeWhere(branch, ledger))).toEqual({ sql: "(select branch_id from users u where u.id = e.rm_id) = $1", params: [3] });
  });
});

describe("contactField", () => {
  it("selects the column where the scope shows contact data and NULL (or the given stand-in) elsewhere", () => {
    expect(render(contactField({ kind: "branch", branchId: 1, contact: true }, followUps.notes)).sql).toBe('"follow_ups"."notes"');
    expect(render(contactField({ kind: "all", contact: true }, sql`f.notes`)).sql).toBe("f.notes");
    expect(render(contactField({ kind: "all", contact: false }, followUps.notes)).sql).toBe("null");
    expect(render(contactField({ kind: "all", contact: false }, sql`e.detail`, sql`e.detail - 'note'`)).sql).toBe("e.detail - 'note'");
  });
});
