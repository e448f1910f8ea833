// One loan as its readers see it: terms, schedule with what each installment received, repayments with their
// allocation, current state and the history of bucket/class changes. Scoped: out of scope is NotFound.
import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { customers, installments, installmentState, loans, loanState, loanStateHistory, repayments } from "../db/schema";
import { NotFound } from "../errors";

/** A loan's contract terms and status, as every loan listing selects them. */
export const loanTermColumns = {
  product: loans.product,
  principalFen: loans.principalFen,
  annualRate: loans.annualRate,
  termMonths: loans.termMonths,
  method: loans.method,
  disbursedOn: loans.disbursedOn,
  maturityOn: loans.maturityOn,
  status: loans.status,
  closedOn: loans.closedOn,
};

export async function getLoanDetail(db: DbOrTx, scope: Scope, by: { contractNo: string } | { id: number }) {
  const [loan] = await db
    .select({
      id: loans.id,
      contractNo: loans.contractNo,
      customerId: loans.customerId,
      customerNo: customers.customerNo,
      customerName: customers.name,
      ...loanTermColumns,
    })
    .from(loans)
    .innerJoin(customers, eq(customers.id, loans.customerId))
    .where(and("contractNo" in by ? eq(loans.contractNo, by.contractNo) : eq(loans.id, by.id), scopeWhere(scope, SHAPES.customers)));
  if (!loan) throw new NotFound("loan");
  const [schedule, paid, state, history] = await Promise.all([
    db
      .select({
        installmentNo: installments.installmentNo,
        dueOn: installments.dueOn,
        principalDueFen: installments.principalDueFen,
        interestDueFen: installments.interestDueFen,
        paidPrincipalFen: sql<number>`coalesce(${installmentState.paidPrincipalFen}, 0)::float8`,
        paidInterestFen: sql<number>`coalesce(${installmentState.paidInterestFen}, 0)::float8`,
        paidPenaltyFen: sql<number>`coalesce(${installmentState.paidPenaltyFen}, 0)::float8`,
        penaltyAccruedFen: sql<number>`coalesce(${installmentState.penaltyAccruedFen}, 0)::float8`,
        settledOn: installmentState.settledOn,
      })
      .from(installments)
      .leftJoin(installmentState, and(eq(installmentState.loanId, installments.loanId), eq(installmentState.installmentNo, installments.installmentNo)))
      .where(eq(installments.loanId, loan.id))
      .orderBy(asc(installments.installmentNo)),
    db
      .select({ id: repayments.id, paidOn: repayments.paidOn, amountFen: repayments.amountFen, source: repayments.source, externalId: repayments.externalId })
      .from(repayments)
      .where(eq(repayments.loanId, loan.id))
      .orderBy(desc(repayments.paidOn), desc(repayments.id)),
    db.select().from(loanState).where(eq(loanState.loanId, loan.id)),
    db
      .select({ changedOn: loanStateHistory.changedOn, cause: loanStateHistory.cause, dpd: loanStateHistory.dpd, bucket: loanStateHistory.bucket, classification: loanStateHistory.classification })
      .from(loanStateHistory)
      .where(eq(loanStateHistory.loanId, loan.id))
      .orderBy(asc(loanStateHistory.seq)),
  ]);
  return { loan, schedule, repayments: paid, state: state[0] ?? null, history };
}
