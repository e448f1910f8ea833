// The will and reason family of a churn event (docs/churn.md): one table per kind, read by the pure inferReason()
// (unit-tested) and turned into the SQL CASE expressions the detection runs, so the two cannot disagree.
import { sql, type SQL } from "drizzle-orm";
import type { ChurnKind, ReasonFamily, Will } from "../vocabulary";

export type DetectedKind = Exclude<ChurnKind, "other">;

/** Who ended it: the bank (rejection, default, termination, write-off) or the customer. */
export const KIND_WILL: Record<DetectedKind, Will> = {
  application_rejected: "involuntary",
  application_withdrawn: "voluntary",
  approved_not_drawn: "voluntary",
  prepaid_in_full: "voluntary",
  large_partial_prepayment: "voluntary",
  default: "involuntary",
  terminated: "involuntary",
  written_off: "involuntary",
  matured_not_renewed: "voluntary",
};

/**
 * The reason a kind implies by itself: credit risk for what the bank ends for credit reasons; "rate" for a
 * prepayment, which is service and competition when the contract rate is at least the margin over the LPR (the
 * customer refinanced cheaper elsewhere); null where the kind alone says nothing (then written-down evidence).
 */
export const KIND_REASON: Record<DetectedKind, ReasonFamily | "rate" | null> = {
  application_rejected: "credit_risk",
  application_withdrawn: null,
  approved_not_drawn: null,
  prepaid_in_full: "rate",
  large_partial_prepayment: "rate",
  default: "credit_risk",
  terminated: "credit_risk",
  written_off: "credit_risk",
  matured_not_renewed: null,
};

export type ReasonFrom = "task_outcome" | "kind" | "follow_up" | null;
export type Inference = { reasonFamily: ReasonFamily | null; inferred: boolean; will: Will; from: ReasonFrom };

/**
 * The RM's confirmed "churned" outcome wins (not inferred); else the kind's own reason (a prepayment only when the
 * rate spread is known and at least the margin); else the family written down on a worked task; else undetermined.
 */
export function inferReason(x: {
  kind: DetectedKind;
  spreadBp: number | null;
  marginBp: number;
  confirmed?: { reasonFamily: ReasonFamily; will: Will | null } | null;
  evidence?: ReasonFamily | null;
}): Inference {
  const will = x.confirmed?.will ?? KIND_WILL[x.kind];
  if (x.confirmed) return { reasonFamily: x.confirmed.reasonFamily, inferred: false, will, from: "task_outcome" };
  const own = KIND_REASON[x.kind];
  const byKind = own === "rate" ? (x.spreadBp !== null && x.spreadBp >= x.marginBp ? "service_competition" : null) : own;
  if (byKind) return { reasonFamily: byKind, inferred: true, will, from: "kind" };
  if (x.evidence) return { reasonFamily: x.evidence, inferred: true, will, from: "follow_up" };
  return { reasonFamily: null, inferred: true, will, from: null };
}

/** KIND_WILL as SQL over a churn_kind expression. */
export function willSql(kind: SQL): SQL {
  const arms = Object.entries(KIND_WILL).map(([k, w]) => sql`when ${k} then ${w}`);
  return sql`(case ${kind}::text ${sql.join(arms, sql` `)} end)::churn_will`;
}

/** KIND_REASON as SQL: the kind's own reason given the rate spread (bp, may be null) and the margin. */
export function kindReasonSql(kind: SQL, spreadBp: SQL, marginBp: number): SQL {
  const arms = Object.entries(KIND_REASON)
    .filter(([, r]) => r !== null)
    .map(([k, r]) => (r === "rate" ? sql`when ${k} then case when ${spreadBp} >= ${marginBp}::int then 'service_competition' end` : sql`when ${k} then ${r}`));
  return sql`(case ${kind}::text ${sql.join(arms, sql` `)} end)::reason_family`;
}
