// The columns that make an Actor (lib/auth/roles.ts) out of a `users u` row: one list for every one-query lookup.
import { sql } from "drizzle-orm";

export const ACTOR_COLUMNS = sql`u.id as "userId", u.username, u.display_name as "displayName", u.role::text as role, u.branch_id as "branchId"`;
