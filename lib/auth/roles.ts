// Roles and the data scope each one gets. Pure: no I/O, unit-tested.
import type { Role } from "../vocabulary";

export { ROLES, type Role } from "../vocabulary";

export type Actor = { userId: number; username: string; displayName: string; role: Role; branchId: number | null };

/** Which customers an actor may read. `contact: false` hides contact data (HR). */
export type Scope =
  | { kind: "all"; contact: boolean }
  | { kind: "branch"; branchId: number; contact: true }
  | { kind: "owner"; rmId: number; contact: true };

export class ScopeError extends Error {}

export function scopeFor(actor: Actor): Scope {
  switch (actor.role) {
    case "admin":
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

/** Whether a customer owned by `rmId` in `branchId` is inside the scope. */
export function inScope(scope: Scope, customer: { branchId: number; rmId: number }): boolean {
  switch (scope.kind) {
    case "all":
      return true;
    case "branch":
      return customer.branchId === scope.branchId;
    case "owner":
      return customer.rmId === scope.rmId;
  }
}

/** Roles whose home page and menus an actor sees. */
export function homePath(role: Role): string {
  return { rm: "/rm", supervisor: "/supervisor", hr: "/hr", admin: "/admin" }[role];
}
