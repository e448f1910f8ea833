// Portfolio totals for the home pages' statistic cards. Scoped like every customer read.
import "server-only";
import { eq, sql } from "drizzle-orm";
import { scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { customers, loans } from "../db/schema";

export type PortfolioSummary = {
  customers: number;
  activeCustomers: number;
  loans: number;
  activeLoans: number;
  activePrincipalFen: number;
  defaultedLoans: number;
};

export async function portfolioSummary(db: DbOrTx, scope: Scope): Promise<PortfolioSummary> {
  const where = scopeWhere(scope, SHAPES.customers);
  const [[c], [l]] = await Promise.all([
    db
      .select({
        customers: sql<number>`count(*)::int`,
        activeCustomers: sql<number>`count(*) filter (where ${customers.status} = 'active')::int`,
      })
      .from(customers)
      .where(where),
    db
      .select({
        loans: sql<number>`count(*)::int`,
        activeLoans: sql<number>`count(*) filter (where ${loans.status} = 'active')::int`,
        activePrincipalFen: sql<string>`coalesce(sum(${loans.principalFen}) filter (where ${loans.status} = 'active'), 0)`,
        defaultedLoans: sql<number>`count(*) filter (where ${loans.status} in ('defaulted', 'written_off'))::int`,
      })
      .from(loans)
      .innerJoin(customers, eq(customers.id, loans.customerId))
      .where(where),
  ]);
  return {
    customers: c?.customers ?? 0,
    activeCustomers: c?.activeCustomers ?? 0,
    loans: l?.loans ?? 0,
    activeLoans: l?.activeLoans ?? 0,
    activePrincipalFen: Number(l?.activePrincipalFen ?? 0),
    defaultedLoans: l?.defaultedLoans ?? 0,
  };
}

/** Customer count per branch inside the scope, for the admin's branch list. */
export async function customersPerBranch(db: DbOrTx, scope: Scope): Promise<Map<number, number>> {
  const rows = await db
    .select({ branchId: customers.branchId, n: sql<number>`count(*)::int` })
    .from(customers)
    .where(scopeWhere(scope, SHAPES.customers))
    .groupBy(customers.branchId);
  return new Map(rows.map((r) => [r.branchId, r.n]));
}
