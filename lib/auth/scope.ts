// The data scope: which rows an actor may read and whether it sees contact data. One type, one SQL builder and its
// JS twin, and the one way to select contact data. Pure (no I/O), unit-tested in scope.test.ts.
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { customers } from "../db/schema";
import type { Actor } from "./roles";

/**
 * What an actor may read: everything, one branch, or the rows it owns (an RM). `contact: false` (HR) hides contact
 * data — names and phone numbers of the customer's people, and the free-text notes that record contacts.
 */
export type Scope =
  | { kind: "all"; contact: boolean }
  | { kind: "branch"; branchId: number; contact: true }
  | { kind: "owner"; rmId: number; contact: true };

export class ScopeError extends Error {}

export function scopeFor(actor: Actor): Scope {
  switch (actor.role) {
    case "admin":
    // The feed that delivers customers and their contact data reads back what it wrote.
    case "integration":
      return { kind: "all", contact: true };
    case "hr":
      return { kind: "all", contact: false };
    case "supervisor":
      if (actor.branchId == null) throw new ScopeError(`supervisor ${actor.userId} has no branch`);
      return { kind: "branch", branchId: actor.branchId, contact: true };
    case "rm":
      return { kind: "owner", rmId: actor.userId, contact: true };
  }
}

/**
 * Where a scoped row's branch and owner sit in the query that reads it. A new scoped read names its shape here
 * (or builds one inline from its own columns) and calls scopeWhere: that is the whole of applying the scope.
 */
export type ScopeShape = { branch: SQLWrapper; owner: SQLWrapper };

const col = (alias: string, column: string) => sql`${sql.identifier(alias)}.${sql.identifier(column)}`;

export const SHAPES = {
  /** A drizzle query over `customers`: the customer's branch and its RM. */
  customers: { branch: customers.branchId, owner: customers.rmId } satisfies ScopeShape,
  /** Raw SQL over `customers <alias>`. */
  customerAs: (alias: string): ScopeShape => ({ branch: col(alias, "branch_id"), owner: col(alias, "rm_id") }),
  /**
   * Raw SQL over `tasks <t> join customers <c>`: the customer's branch, but the task's assignee as owner, so an RM
   * covering a colleague's task sees it (and its customer through it) while the customer stays the colleague's.
   */
  task: (t = "t", c = "c"): ScopeShape => ({ branch: col(c, "branch_id"), owner: col(t, "assignee_id") }),
};

/** The WHERE condition that keeps a query inside the scope, for rows of the given shape. */
export function scopeWhere(scope: Scope, shape: ScopeShape): SQL {
  switch (scope.kind) {
    case "all":
      return sql`true`;
    case "branch":
      return sql`${shape.branch} = ${scope.branchId}`;
    case "owner":
      return sql`${shape.owner} = ${scope.rmId}`;
  }
}

/** scopeWhere's twin for a row already in memory (e.g. an RM a write names): its branch and owner, either may be null. */
export function inScope(scope: Scope, row: { branchId: number | null; ownerId: number | null }): boolean {
  switch (scope.kind) {
    case "all":
      return true;
    case "branch":
      return row.branchId === scope.branchId;
    case "owner":
      return row.ownerId === scope.rmId;
  }
}

/**
 * The only way a read selects contact data (lint forbids the columns anywhere else): the column itself where the
 * scope shows contact data, `hidden` (NULL unless given) elsewhere. Decided in SQL, so for HR the value never
 * leaves the database and cannot reach an API body or a page's payload.
 */
export function contactField<T = string | null>(scope: Scope, column: SQLWrapper, hidden: SQLWrapper = sql`null`): SQL<NoInfer<T>> {
  return scope.contact ? sql<T>`${column}` : sql<T>`${hidden}`;
}
