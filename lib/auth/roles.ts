// Roles and who an actor is. Pure: no I/O, unit-tested. The data scope each role gets is lib/auth/scope.ts.
import type { Role } from "../vocabulary";

export { ROLES, type Role } from "../vocabulary";

export type Actor = { userId: number; username: string; displayName: string; role: Role; branchId: number | null };

/** Roles whose home page and menus an actor sees. */
export function homePath(role: Role): string {
  return { rm: "/rm", supervisor: "/supervisor", hr: "/hr", admin: "/admin" }[role];
}
