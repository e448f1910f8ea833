// The warning-quality relations of docs/telemetry.md as SQL fragments, so the telemetry, the warning list's
// drill-down filter and later the report and incentives apply one definition. Each takes the alias of a `warnings`
// row and the horizon H in days.
import { sql, type SQL } from "drizzle-orm";

/** Task outcomes by which the RM says the warning's risk was real (intervened on, or lost). */
export const CONFIRMING_OUTCOMES = ["retained", "restructured", "recovered", "churned"] as const;
export const CONFIRMING = sql.raw(`(${CONFIRMING_OUTCOMES.map((o) => `'${o}'`).join(", ")})`);

const col = (w: string, c: string) => sql`${sql.identifier(w)}.${sql.identifier(c)}`;

/** A churn event (not dismissed) of the warning's customer and stage, effective within H days of its opening. */
export function matchedByEvent(w: string, h: number): SQL {
  return sql`exists (select 1 from churn_events e where e.customer_id = ${col(w, "customer_id")} and e.stage = ${col(w, "stage")}
    and e.status <> 'dismissed' and e.effective_on between ${col(w, "opened_on")} and ${col(w, "opened_on")} + ${h}::int)`;
}

/**
 * A task of the warning resolved with a confirming outcome. (The telemetry computes the same two task verdicts as one
 * grouped join over the period's warnings, which the planner can hash at a year's volume; the list uses these.)
 */
export function confirmedByTask(w: string): SQL {
  return sql`exists (select 1 from task_warnings tw join tasks t on t.id = tw.task_id
    where tw.warning_id = ${col(w, "id")} and t.status = 'resolved' and t.outcome in ${CONFIRMING})`;
}

/** A task of the warning resolved as a false alarm. */
export function rejectedByTask(w: string): SQL {
  return sql`exists (select 1 from task_warnings tw join tasks t on t.id = tw.task_id
    where tw.warning_id = ${col(w, "id")} and t.status = 'resolved' and t.outcome = 'false_alarm')`;
}

/** The horizon of the warning has ended by `today`. */
export function horizonEnded(w: string, h: number, today: string): SQL {
  return sql`(${col(w, "opened_on")} + ${h}::int < ${today}::date)`;
}

export const WARNING_QUALITIES = ["hit", "false_alarm", "pending"] as const;
export type WarningQuality = (typeof WARNING_QUALITIES)[number];

/** The condition that a warning turned out as `quality` (hit, false alarm, pending; exclusive). */
export function warningQualityIs(w: string, quality: WarningQuality, h: number, today: string): SQL {
  const hit = sql`(${matchedByEvent(w, h)} or ${confirmedByTask(w)})`;
  const fa = sql`(${rejectedByTask(w)} or ${horizonEnded(w, h, today)})`;
  if (quality === "hit") return hit;
  if (quality === "false_alarm") return sql`(not ${hit} and ${fa})`;
  return sql`(not ${hit} and not ${fa})`;
}

/** A churn event (alias `e`) that a warning of the rule version preceded: the match relation read from the event. */
export function precededByVersion(e: string, ruleVersionId: number, h: number): SQL {
  return sql`exists (select 1 from warnings pw where pw.rule_version_id = ${ruleVersionId} and pw.customer_id = ${col(e, "customer_id")}
    and pw.stage = ${col(e, "stage")} and pw.opened_on between ${col(e, "effective_on")} - ${h}::int and ${col(e, "effective_on")})`;
}
