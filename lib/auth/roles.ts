// Roles and who an actor is. Pure: no I/O, unit-tested. The data scope each role gets is lib/auth/scope.ts.
import type { Role } from "../vocabulary";

export { ROLES, STAFF_ROLES, type Role } from "../vocabulary";

/**
 * Who may write money and the books through /api/v1 (customers, loans, repayments): the core banking feed and admins.
 * A made-up repayment clears DPD, moves the classification and closes warnings, so RMs, supervisors and HR may not.
 */
export const BOOK_WRITERS = ["integration", "admin"] as const satisfies readonly Role[];

export type Actor = { userId: number; username: string; displayName: string; role: Role; branchId: number | null };

/** Roles whose home page and menus an actor sees. */
export function homePath(role: Role): string {
  // The service account has no session (it is refused at sign-in), so it never reaches a home page.
  return { rm: "/rm", supervisor: "/supervisor", hr: "/hr", admin: "/admin", integration: "/login" }[role];
}
