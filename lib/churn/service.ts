// Writes on churn events by people: an RM (own customers), a supervisor (their branch) or an admin confirms a detected
// event with its reason family, or dismisses it with a reason; a task resolved as "churned" confirms the customer's
// detected event or records one. Out of scope is NotFound (404); HR only reads. Every write is audited.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "../audit";
import type { Actor } from "../auth/roles";
import { scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { DbOrTx, Tx } from "../db/client";
import { Conflict, Forbidden, NotFound, parseOrInvalid } from "../errors";
import { businessTz, todayIn } from "../time";
import { REASON_FAMILIES, WILLS, type ReasonFamily, type Stage, type Will } from "../vocabulary";
import { loadChurnParams } from "./settings";

export const confirmSchema = z.object({
  decision: z.literal("confirm"),
  reasonFamily: z.enum(REASON_FAMILIES),
  will: z.enum(WILLS).optional(),
});
export const dismissSchema = z.object({ decision: z.literal("dismiss"), reason: z.string().trim().min(2).max(500) });
export const decisionSchema = z.discriminatedUnion("decision", [confirmSchema, dismissSchema]);
export type ChurnDecision = z.infer<typeof decisionSchema>;

type Locked = { id: number; status: string; reason_family: ReasonFamily | null; will: Will; customer_id: number };

/** Who may decide on an event: the customer's RM, the branch's supervisors, admins; not HR. */
export function mayDecide(actor: Actor): boolean {
  return actor.role === "rm" || actor.role === "supervisor" || actor.role === "admin";
}

async function lockEvent(tx: Tx, scope: Scope, id: number): Promise<Locked> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound("churnEvent");
  const [e] = await tx.execute<Locked>(sql`
    select e.id::int as id, e.status::text as status, e.reason_family::text as reason_family, e.will::text as will, e.customer_id
    from churn_events e join customers c on c.id = e.customer_id
    where e.id = ${id} and ${scopeWhere(scope, SHAPES.customerAs("c"))}
    for update of e`);
  if (!e) throw new NotFound("churnEvent");
  return e;
}

/** Confirms (with a reason family) or dismisses (with a reason) a detected event. */
export async function decideChurnEvent(db: DbOrTx, scope: Scope, actor: Actor, id: number, body: unknown, now: Date): Promise<{ id: number; status: "confirmed" | "dismissed" }> {
  const parsed = parseOrInvalid(decisionSchema, body);
  const input = parsed;
  return db.transaction(async (tx) => {
    const e = await lockEvent(tx, scope, id);
    if (!mayDecide(actor)) throw new Forbidden();
    if (e.status !== "detected") throw new Conflict("churnEventDecided");
    const at = now.toISOString();
    if (input.decision === "confirm") {
      await tx.execute(sql`update churn_events set status = 'confirmed', reason_family = ${input.reasonFamily}::reason_family, reason_inferred = false,
        will = coalesce(${input.will ?? null}::churn_will, will), decided_by = ${actor.userId}, decided_at = ${at}::timestamptz, updated_at = now()
        where id = ${e.id}`);
    } else {
      await tx.execute(sql`update churn_events set status = 'dismissed', dismiss_reason = ${input.reason}, decided_by = ${actor.userId},
        decided_at = ${at}::timestamptz, updated_at = now() where id = ${e.id}`);
    }
    const status = input.decision === "confirm" ? "confirmed" : "dismissed";
    await audit(tx, { kind: "user", userId: actor.userId }, {
      action: `churnEvent.${input.decision}`,
      entity: "churn_event",
      entityId: e.id,
      before: { status: e.status, reasonFamily: e.reason_family, will: e.will },
      after: { status, ...(input.decision === "confirm" ? { reasonFamily: input.reasonFamily, will: input.will ?? e.will } : { reason: input.reason }) },
    });
    return { id: e.id, status };
  });
}

/**
 * A task resolved as "churned" (inside the task's transaction): the customer's latest detected event of that stage
 * (effective within the evidence window) is confirmed with the RM's reason family and will; without one, a recorded
 * event (kind "other", on the customer, effective today) is created, already confirmed.
 */
export async function churnFromTask(
  tx: Tx,
  task: { id: number; customerId: number },
  actor: Actor,
  churn: { stage: Stage; will: Will; reasonFamily: ReasonFamily },
  now: Date,
): Promise<{ eventId: number; created: boolean }> {
  const today = todayIn(businessTz(), now);
  const { evidenceDays } = await loadChurnParams(tx);
  const at = now.toISOString();
  const [confirmed] = await tx.execute<{ id: number }>(sql`
    update churn_events set status = 'confirmed', reason_family = ${churn.reasonFamily}::reason_family, reason_inferred = false,
      will = ${churn.will}::churn_will, decided_by = ${actor.userId}, decided_at = ${at}::timestamptz, task_id = ${task.id}, updated_at = now()
    where id = (
      select id from churn_events where customer_id = ${task.customerId} and status = 'detected' and stage = ${churn.stage}::churn_stage
        and effective_on between ${today}::date - ${evidenceDays}::int and ${today}::date
      order by effective_on desc, id desc limit 1)
    returning id::int as id`);
  if (confirmed) return { eventId: confirmed.id, created: false };
  const [created] = await tx.execute<{ id: number }>(sql`
    insert into churn_events (subject_key, customer_id, stage, kind, will, reason_family, reason_inferred, effective_on, detected_on,
      source, status, decided_by, decided_at, task_id)
    values (${`customer:${task.customerId}`}, ${task.customerId}, ${churn.stage}::churn_stage, 'other', ${churn.will}::churn_will,
      ${churn.reasonFamily}::reason_family, false, ${today}::date, ${today}::date, 'recorded', 'confirmed', ${actor.userId}, ${at}::timestamptz, ${task.id})
    on conflict (subject_key, kind, effective_on) do update set task_id = excluded.task_id, reason_family = excluded.reason_family, will = excluded.will,
      stage = excluded.stage, updated_at = now()
    returning id::int as id`);
  return { eventId: created!.id, created: true };
}
