import { eq, sql, type SQL } from "drizzle-orm";
import type { Scope } from "../auth/roles";
import { customers } from "../db/schema";

/** The WHERE condition that keeps a query on `customers` inside the scope. */
export function customerScope(scope: Scope): SQL {
  switch (scope.kind) {
    case "all":
      return sql`true`;
    case "branch":
      return eq(customers.branchId, scope.branchId);
    case "owner":
      return eq(customers.rmId, scope.rmId);
  }
}
