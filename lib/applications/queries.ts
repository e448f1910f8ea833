// Loan applications as a list: the pre-loan funnel's drill-down (applied → approved → drawn, decided, rejected,
// withdrawn, pending), scoped through the applicant (RM own, supervisor branch, admin and HR all). "Approved" and
// "drawn" are the funnel's: a loan that names the application counts as drawn whatever the status says.
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { paging } from "../http/paging";
import { isIsoDate } from "../time";
import type { ApplicationStatus } from "../vocabulary";

const isoDate = z.string().refine(isIsoDate, "expected a YYYY-MM-DD date");

/** The funnel's steps and the other outcomes, as the dashboard counts them (docs/telemetry.md). */
export const FUNNEL_STEPS = ["applied", "approved", "drawn", "decided", "rejected", "withdrawn", "pending"] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export const applicationQuerySchema = z.object({
  step: z.enum(FUNNEL_STEPS).optional(),
  /** Submitted on or after / on or before. */
  submittedFrom: isoDate.optional(),
  submittedTo: isoDate.optional(),
  /** Narrows within the caller's scope. */
  branchId: z.coerce.number().int().positive().optional(),
  ...paging(200),
});
export type ApplicationQuery = z.infer<typeof applicationQuerySchema>;

export type ApplicationRow = {
  id: number;
  applicationNo: string;
  customerId: number;
  customerNo: string;
  customerName: string;
  product: string;
  amountFen: number;
  submittedOn: string;
  decidedOn: string | null;
  status: ApplicationStatus;
  /** The loan drawn from it, if any. */
  loanId: number | null;
  contractNo: string | null;
  /** Days from submission to decision (decided applications). */
  cycleDays: number | null;
};

const DRAWN = sql`(a.status = 'drawn' or dl.id is not null)`;
const DECIDED = sql`(a.decided_on is not null and a.status in ('approved', 'drawn', 'rejected'))`;

function where(scope: Scope, q: Partial<ApplicationQuery>): SQL {
  const conds: SQL[] = [scopeWhere(scope, SHAPES.customerAs("c"))];
  if (q.submittedFrom) conds.push(sql`a.submitted_on >= ${q.submittedFrom}::date`);
  if (q.submittedTo) conds.push(sql`a.submitted_on <= ${q.submittedTo}::date`);
  if (q.branchId) conds.push(sql`c.branch_id = ${q.branchId}`);
  const step: Record<FunnelStep, SQL> = {
    applied: sql`true`,
    approved: sql`(a.status in ('approved', 'drawn') or ${DRAWN})`,
    drawn: DRAWN,
    decided: DECIDED,
    rejected: sql`a.status = 'rejected'`,
    withdrawn: sql`a.status = 'withdrawn'`,
    pending: sql`a.status = 'submitted'`,
  };
  if (q.step) conds.push(step[q.step]);
  return sql.join(conds, sql` and `);
}

// The first loan naming the application (one at most in practice; a lateral keeps the row count exact regardless).
const FROM = sql`applications a join customers c on c.id = a.customer_id
  left join lateral (select l.id, l.contract_no from loans l where l.application_id = a.id order by l.id limit 1) dl on true`;

/** One page of applications, newest submission first, with the total under the same filters. */
export async function listApplications(db: DbOrTx, scope: Scope, q: ApplicationQuery): Promise<{ rows: ApplicationRow[]; total: number }> {
  const w = where(scope, q);
  const [rows, [count]] = await Promise.all([
    db.execute<ApplicationRow>(sql`
      select a.id, a.application_no as "applicationNo", a.customer_id as "customerId", c.customer_no as "customerNo", c.name as "customerName",
             a.product, a.amount_fen::float8 as "amountFen", a.submitted_on::text as "submittedOn", a.decided_on::text as "decidedOn",
             a.status::text as status, dl.id as "loanId", dl.contract_no as "contractNo",
             case when ${DECIDED} then a.decided_on - a.submitted_on end as "cycleDays"
      from ${FROM} where ${w}
      order by a.submitted_on desc, a.id desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from ${FROM} where ${w}`),
  ]);
  return { rows: [...rows], total: count?.n ?? 0 };
}
