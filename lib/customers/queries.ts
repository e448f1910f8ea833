// Customer reads. Every function takes the caller's scope; out-of-scope rows are simply not there (404).
import "server-only";
import { and, asc, count, desc, eq, getTableColumns, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { contactField, scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { applications, branches, customers, installments, loans, loanState, repayments, users } from "../db/schema";
import { NotFound } from "../errors";
import { loanTermColumns } from "../loans/detail";
import { CLASSIFICATIONS, CUSTOMER_STATUSES, type Classification, type CustomerStatus } from "../vocabulary";
import { paging } from "../http/paging";

export const customerQuerySchema = z.object({
  q: z.string().trim().max(80).optional(),
  branchId: z.coerce.number().int().positive().optional(),
  rmId: z.coerce.number().int().positive().optional(),
  status: z.enum(CUSTOMER_STATUSES).optional(),
  industry: z
    .string()
    .regex(/^[A-T]$/)
    .optional(),
  /** Customers with at least one unsettled loan in this class (the dashboard's five-category drill-down). */
  classification: z.enum(CLASSIFICATIONS).optional(),
  ...paging(200),
  sort: z.enum(["customerNo", "name", "registeredCapital", "onboardedOn", "outstanding"]).default("customerNo"),
  order: z.enum(["asc", "desc"]).default("asc"),
});
export type CustomerQuery = z.infer<typeof customerQuerySchema>;

export type CustomerRow = {
  id: number;
  customerNo: string;
  name: string;
  industryCode: string;
  region: string;
  branchName: string;
  branchNameEn: string;
  rmName: string;
  registeredCapitalFen: number;
  onboardedOn: string;
  status: CustomerStatus;
  activeLoans: number;
  principalFen: number;
};

// Principal of the customer's active loans; repayment-aware balances arrive with the delinquency engine.
const loanAgg = sql`(select count(*)::int as n, coalesce(sum(l.principal_fen), 0)::bigint as p from loans l where l.customer_id = ${customers.id} and l.status = 'active')`;

export async function listCustomers(db: DbOrTx, scope: Scope, q: CustomerQuery): Promise<{ rows: CustomerRow[]; total: number }> {
  const conds: SQL[] = [scopeWhere(scope, SHAPES.customers)];
  if (q.q) {
    const like = `%${q.q}%`;
    conds.push(or(ilike(customers.name, like), ilike(customers.customerNo, like), ilike(customers.creditCode, like))!);
  }
  if (q.branchId) conds.push(eq(customers.branchId, q.branchId));
  if (q.rmId) conds.push(eq(customers.rmId, q.rmId));
  if (q.status) conds.push(eq(customers.status, q.status));
  if (q.industry) conds.push(sql`left(${customers.industryCode}, 1) = ${q.industry}`);
  if (q.classification)
    conds.push(sql`exists (select 1 from loans l join loan_state ls on ls.loan_id = l.id
                           where l.customer_id = ${customers.id} and not ls.settled and ls.classification = ${q.classification}::classification)`);
  const where = and(...conds);
  const dir = q.order === "desc" ? desc : asc;
  const sortCol = {
    customerNo: customers.customerNo,
    name: customers.name,
    registeredCapital: customers.registeredCapitalFen,
    onboardedOn: customers.onboardedOn,
    outstanding: sql`agg.p`,
  }[q.sort];
  const [rows, [totalRow]] = await Promise.all([
    db
      .select({
        id: customers.id,
        customerNo: customers.customerNo,
        name: customers.name,
        industryCode: customers.industryCode,
        region: customers.region,
        branchName: branches.name,
        branchNameEn: branches.nameEn,
        rmName: users.displayName,
        registeredCapitalFen: customers.registeredCapitalFen,
        onboardedOn: customers.onboardedOn,
        status: customers.status,
        activeLoans: sql<number>`agg.n`,
        principalFen: sql<number>`agg.p::float8`,
      })
      .from(customers)
      .innerJoin(branches, eq(branches.id, customers.branchId))
      .innerJoin(users, eq(users.id, customers.rmId))
      .crossJoin(sql`lateral ${loanAgg} agg`)
      .where(where)
      .orderBy(dir(sortCol), asc(customers.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(customers).where(where),
  ]);
  return { rows: rows.map((r) => ({ ...r, principalFen: Number(r.principalFen) })), total: totalRow?.n ?? 0 };
}

// The customer's columns as lib/db/schema.ts declares them, with its branch and RM by name. contactPerson and
// contactPhone are also null when the scope hides contact data (HR).
export type CustomerDetail = Omit<typeof customers.$inferSelect, "createdAt" | "updatedAt"> & { branchName: string; branchNameEn: string; rmName: string };

/**
 * How a read reaches a customer: by id, under the customer scope; or through a task (`viaTask`), under the task
 * scope, so an RM covering a colleague's task sees that task's customer there and nowhere else.
 */
export type CustomerRef = number | { viaTask: number };

function reach(scope: Scope, ref: CustomerRef): SQL {
  if (typeof ref === "number") return and(eq(customers.id, ref), scopeWhere(scope, SHAPES.customers))!;
  // Uncorrelated, so the planner runs it once and then probes the customer (and its loans) by id.
  return sql`${customers.id} = (select t.customer_id from tasks t join customers c on c.id = t.customer_id where t.id = ${ref.viaTask} and ${scopeWhere(scope, SHAPES.task())})`;
}

async function findCustomer(db: DbOrTx, scope: Scope, where: SQL): Promise<CustomerDetail> {
  const [c] = await db
    .select({
      id: customers.id,
      customerNo: customers.customerNo,
      name: customers.name,
      creditCode: customers.creditCode,
      legalRep: customers.legalRep,
      registeredCapitalFen: customers.registeredCapitalFen,
      industryCode: customers.industryCode,
      region: customers.region,
      branchId: customers.branchId,
      branchName: branches.name,
      branchNameEn: branches.nameEn,
      rmId: customers.rmId,
      rmName: users.displayName,
      onboardedOn: customers.onboardedOn,
      status: customers.status,
      churnedOn: customers.churnedOn,
      wonBackOn: customers.wonBackOn,
      contactPerson: contactField(scope, customers.contactPerson),
      contactPhone: contactField(scope, customers.contactPhone),
    })
    .from(customers)
    .innerJoin(branches, eq(branches.id, customers.branchId))
    .innerJoin(users, eq(users.id, customers.rmId))
    .where(where);
  if (!c) throw new NotFound("customer");
  return c;
}

export function getCustomer(db: DbOrTx, scope: Scope, ref: CustomerRef): Promise<CustomerDetail> {
  return findCustomer(db, scope, reach(scope, ref));
}

export function getCustomerByNo(db: DbOrTx, scope: Scope, customerNo: string): Promise<CustomerDetail> {
  return findCustomer(db, scope, and(eq(customers.customerNo, customerNo), scopeWhere(scope, SHAPES.customers))!);
}

// The loan's columns as lib/db/schema.ts declares them, with what was paid and the engine's state.
export type LoanSummary = Omit<typeof loans.$inferSelect, "customerId" | "applicationId" | "createdAt" | "updatedAt"> & {
  paidFen: number;
  installmentCount: number;
  /** The delinquency engine's current state; null until the loan has been computed. */
  state: {
    dpd: number;
    bucket: string;
    classification: Classification;
    outstandingPrincipalFen: number;
    asOf: string;
  } | null;
};

/** The customer's loans, newest first; none when the customer is out of scope. */
export async function loansOfCustomer(db: DbOrTx, scope: Scope, ref: CustomerRef): Promise<LoanSummary[]> {
  const rows = await db
    .select({
      id: loans.id,
      contractNo: loans.contractNo,
      ...loanTermColumns,
      // Spelled out as "loans"."id", so the subqueries bind to the outer loan and not to r.id / i.id.
      paidFen: sql<string>`(select coalesce(sum(r.amount_fen), 0) from repayments r where r.loan_id = "loans"."id")`,
      installmentCount: sql<number>`(select count(*)::int from installments i where i.loan_id = "loans"."id")`,
      dpd: loanState.dpd,
      bucket: loanState.bucket,
      classification: loanState.classification,
      outstandingPrincipalFen: loanState.outstandingPrincipalFen,
      asOf: loanState.asOf,
    })
    .from(loans)
    .innerJoin(customers, eq(customers.id, loans.customerId))
    .leftJoin(loanState, eq(loanState.loanId, loans.id))
    .where(reach(scope, ref))
    .orderBy(desc(loans.disbursedOn), desc(loans.id));
  return rows.map(({ dpd, bucket, classification, outstandingPrincipalFen, asOf, ...r }) => ({
    ...r,
    paidFen: Number(r.paidFen),
    state:
      dpd !== null && bucket !== null && classification !== null && outstandingPrincipalFen !== null && asOf !== null
        ? { dpd, bucket, classification, outstandingPrincipalFen, asOf }
        : null,
  }));
}

export async function applicationsOfCustomer(db: DbOrTx, scope: Scope, customerId: number) {
  return db
    .select(getTableColumns(applications))
    .from(applications)
    .innerJoin(customers, eq(customers.id, applications.customerId))
    .where(reach(scope, customerId))
    .orderBy(desc(applications.submittedOn));
}

/** The loans' installments, those of out-of-scope loans left out. */
export async function schedulesOf(db: DbOrTx, scope: Scope, loanIds: number[]) {
  if (!loanIds.length) return [];
  return db
    .select(getTableColumns(installments))
    .from(installments)
    .innerJoin(loans, eq(loans.id, installments.loanId))
    .innerJoin(customers, eq(customers.id, loans.customerId))
    .where(and(inArray(installments.loanId, loanIds), scopeWhere(scope, SHAPES.customers)))
    .orderBy(asc(installments.loanId), asc(installments.installmentNo));
}

/** The loans' repayments, newest first, those of out-of-scope loans left out. */
export async function repaymentsOf(db: DbOrTx, scope: Scope, loanIds: number[]) {
  if (!loanIds.length) return [];
  return db
    .select({ id: repayments.id, loanId: repayments.loanId, paidOn: repayments.paidOn, amountFen: repayments.amountFen, source: repayments.source, externalId: repayments.externalId })
    .from(repayments)
    .innerJoin(loans, eq(loans.id, repayments.loanId))
    .innerJoin(customers, eq(customers.id, loans.customerId))
    .where(and(inArray(repayments.loanId, loanIds), scopeWhere(scope, SHAPES.customers)))
    .orderBy(desc(repayments.paidOn), desc(repayments.id));
}

/** Branch overview for a supervisor (or an admin looking at one branch). */
export async function branchOverview(db: DbOrTx, scope: Scope) {
  const where = scopeWhere(scope, SHAPES.customers);
  const perRm = await db
    .select({
      rmId: users.id,
      rmName: users.displayName,
      username: users.username,
      active: users.active,
      customers: sql<number>`count(distinct ${customers.id})::int`,
      activeLoans: sql<number>`count(${loans.id}) filter (where ${loans.status} = 'active')::int`,
      principalFen: sql<string>`coalesce(sum(${loans.principalFen}) filter (where ${loans.status} = 'active'), 0)`,
      defaulted: sql<number>`count(${loans.id}) filter (where ${loans.status} in ('defaulted', 'written_off'))::int`,
    })
    .from(customers)
    .innerJoin(users, eq(users.id, customers.rmId))
    .leftJoin(loans, eq(loans.customerId, customers.id))
    .where(where)
    .groupBy(users.id, users.displayName, users.username, users.active)
    .orderBy(asc(users.username));
  return perRm.map((r) => ({ ...r, principalFen: Number(r.principalFen) }));
}
