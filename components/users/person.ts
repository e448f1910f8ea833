// A staff member as the user screens show them (admin's user management, HR's staff list), serialised for the
// browser by the page.
import type { Role } from "@/lib/vocabulary";
import type { UserRow } from "@/lib/users/service";

export type Person = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  branchId: number | null;
  active: boolean;
  customerCount: number;
  lastLoginAt: string | null;
};

export function toPerson(u: UserRow): Person {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    branchId: u.branchId,
    active: u.active,
    customerCount: u.customerCount,
    lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
  };
}
