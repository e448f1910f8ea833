// Reads of the churn scores for the pages that show them: a customer's score (their highest-scoring live loan) with
// its reason codes, by customer (customer page) or through a task (task page, the task's scope). Scoped like every
// customer read: out of scope is simply nothing.
import { sql, type SQL } from "drizzle-orm";
import { scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { featureLabels } from "../rules/features";
import type { RiskBand } from "../vocabulary";
import type { StoredReason } from "./scoring";

export type FeatureLabelInfo = ReturnType<typeof featureLabels>[string];

export type CustomerRisk = {
  score: number;
  band: RiskBand;
  asOf: string;
  modelVersion: number;
  loanId: number;
  contractNo: string;
  reasons: StoredReason[];
  /** Labels and units of the reasons' features, for "DPD in the last 90 days: 45 days". */
  labels: Record<string, FeatureLabelInfo>;
};

async function riskWhere(db: DbOrTx, from: SQL, where: SQL): Promise<CustomerRisk | null> {
  const [r] = await db.execute<Omit<CustomerRisk, "labels">>(sql`
    select ms.score, ms.band, ms.as_of::text as "asOf", mv.version as "modelVersion", ms.loan_id as "loanId", l.contract_no as "contractNo", ms.reasons
    ${from}
    join model_scores ms on ms.customer_id = c.id
    join model_versions mv on mv.id = ms.model_version_id and mv.active
    join loans l on l.id = ms.loan_id
    where ${where}
    order by ms.score desc, ms.loan_id
    limit 1`);
  if (!r) return null;
  return { ...r, labels: featureLabels(r.reasons.map((x) => x.feature)) };
}

/** The customer's churn score by the active model (their highest-scoring loan), or null (none, or out of scope). */
export function customerRisk(db: DbOrTx, scope: Scope, customerId: number): Promise<CustomerRisk | null> {
  return riskWhere(db, sql`from customers c`, sql`c.id = ${customerId} and ${scopeWhere(scope, SHAPES.customerAs("c"))}`);
}

/** The same for a task's customer, in the task's scope (an RM covering a colleague's task sees it). */
export function taskRisk(db: DbOrTx, scope: Scope, taskId: number): Promise<CustomerRisk | null> {
  return riskWhere(db, sql`from tasks t join customers c on c.id = t.customer_id`, sql`t.id = ${taskId} and ${scopeWhere(scope, SHAPES.task("t", "c"))}`);
}
