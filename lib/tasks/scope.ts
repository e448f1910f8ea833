import { sql, type SQL } from "drizzle-orm";
import type { Scope } from "../auth/roles";

/**
 * Which tasks a scope sees, over `tasks t join customers c`: an RM the tasks assigned to them, a supervisor their
 * branch's, admins and HR all. Out of scope is simply not found.
 */
export function taskScope(scope: Scope): SQL {
  switch (scope.kind) {
    case "all":
      return sql`true`;
    case "branch":
      return sql`c.branch_id = ${scope.branchId}::int`;
    case "owner":
      return sql`t.assignee_id = ${scope.rmId}::int`;
  }
}
