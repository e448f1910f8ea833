// HR's writes on the ledger: adjustments (one HR user proposes with a reason, another approves: the approval appends
// an 'adjusted' entry) and locking a period. Every step is audited; a locked period refuses every change (409), and
// the database triggers refuse it too should a check here ever be missed.
import "server-only";
import { decisionNoteSchema, pendingProposal } from "../auth/makerChecker";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "../audit";
import type { Actor } from "../auth/roles";
import { clockNow } from "../clock";
import type { DbOrTx } from "../db/client";
import { Conflict, Forbidden, Invalid, NotFound, parseOrInvalid } from "../errors";
import { todayIn } from "../time";
import { appendEntries, LEDGER_LOCK } from "./engine";
import { adjustmentSchema, periodSchema } from "./scheme";

export { adjustmentSchema };

export const INCENTIVE_EDITORS = ["hr", "admin"] as const;
type HrActor = Pick<Actor, "userId" | "role">;

function requireHr(actor: HrActor): void {
  if (!(INCENTIVE_EDITORS as readonly string[]).includes(actor.role)) throw new Forbidden();
}

/** A database refusal from the ledger's triggers (a locked period) as the conflict the user reads. */
export function lockedConflict(e: unknown): unknown {
  for (let cur: unknown = e, depth = 0; cur && depth < 3; cur = (cur as { cause?: unknown }).cause, depth++) {
    if ((cur as { code?: unknown }).code === "P0002") return new Conflict("incentivePeriodLocked");
  }
  return e;
}

async function periodStatus(tx: DbOrTx, period: string): Promise<string | null> {
  const [p] = await tx.execute<{ status: string }>(sql`select status from incentive_periods where period = ${period} for update`);
  return p?.status ?? null;
}

export async function proposeAdjustment(tx: DbOrTx, actor: HrActor, input: z.output<typeof adjustmentSchema>): Promise<{ id: number; status: string }> {
  requireHr(actor);
  const [rm] = await tx.execute<{ id: number }>(sql`select id from users where username = ${input.rm} and role = 'rm'`);
  if (!rm) throw new Invalid([{ field: "rm", code: "unknownRm", params: { rm: input.rm } }]);
  await tx.execute(LEDGER_LOCK);
  const status = await periodStatus(tx, input.period);
  if (status === "locked") throw new Conflict("incentivePeriodLocked");
  if (!status) await tx.execute(sql`insert into incentive_periods (period) values (${input.period}) on conflict do nothing`);
  const [row] = await tx.execute<{ id: number }>(sql`
    insert into incentive_adjustments (period, rm_id, points, reason, proposed_by)
    values (${input.period}, ${rm.id}, ${input.points}, ${input.reason}, ${actor.userId}) returning id`);
  await audit(tx, { kind: "user", userId: actor.userId }, { action: "incentives.adjustment.propose", entity: "incentive_adjustment", entityId: row!.id, after: { period: input.period, rmId: rm.id, points: input.points, reason: input.reason } });
  return { id: row!.id, status: "proposed" };
}

async function lockAdjustment(tx: DbOrTx, actor: HrActor, id: number) {
  requireHr(actor);
  await tx.execute(LEDGER_LOCK);
  const [a] = await tx.execute<{ id: number; period: string; rm_id: number; points: number; reason: string; status: string; proposed_by: number }>(
    sql`select id, period, rm_id, points, reason, status, proposed_by from incentive_adjustments where id = ${id} for update`,
  );
  if (a && (await periodStatus(tx, a.period)) === "locked") throw new Conflict("incentivePeriodLocked");
  return pendingProposal(a, (x) => x.proposed_by, actor.userId, "adjustment", "incentiveMakerChecker");
}

export async function approveAdjustment(tx: DbOrTx, actor: HrActor, id: number): Promise<{ id: number; status: string; entryPeriod: string }> {
  const a = await lockAdjustment(tx, actor, id);
  await tx.execute(sql`update incentive_adjustments set status = 'approved', decided_by = ${actor.userId}, decided_at = now() where id = ${a.id}`);
  await appendEntries(tx, [
    {
      sourceKey: `adjustment:${a.id}`,
      rule: "adjustment",
      rmId: a.rm_id,
      eventOn: `${a.period}-01`,
      schemeVersionId: null,
      points: a.points,
      status: "adjusted",
      taskId: null,
      customerId: null,
      churnEventId: null,
      followUpIds: [],
      adjustmentId: a.id,
      basis: { reason: a.reason, proposedBy: a.proposed_by, approvedBy: actor.userId },
    },
  ]);
  await audit(tx, { kind: "user", userId: actor.userId }, { action: "incentives.adjustment.approve", entity: "incentive_adjustment", entityId: a.id, before: { status: "proposed" }, after: { status: "approved", points: a.points, period: a.period } });
  return { id: a.id, status: "approved", entryPeriod: a.period };
}

export async function rejectAdjustment(tx: DbOrTx, actor: HrActor, id: number, note: string): Promise<{ id: number; status: string }> {
  const n = parseOrInvalid(decisionNoteSchema, note, "note");
  const a = await lockAdjustment(tx, actor, id);
  await tx.execute(sql`update incentive_adjustments set status = 'rejected', decided_by = ${actor.userId}, decided_at = now() where id = ${a.id}`);
  await audit(tx, { kind: "user", userId: actor.userId }, { action: "incentives.adjustment.reject", entity: "incentive_adjustment", entityId: a.id, after: { status: "rejected", note: n } });
  return { id: a.id, status: "rejected" };
}

/**
 * Locks a period that has ended: nothing in it changes afterwards (entries that arrive late land in the next open
 * period). Refused while adjustments of the period await a decision.
 */
export async function lockPeriod(tx: DbOrTx, actor: HrActor, period: string): Promise<{ period: string; status: string }> {
  requireHr(actor);
  if (!periodSchema.safeParse(period).success) throw new NotFound("period");
  await tx.execute(LEDGER_LOCK);
  const status = await periodStatus(tx, period);
  if (!status) throw new NotFound("period");
  if (status === "locked") throw new Conflict("incentivePeriodLocked");
  const today = todayIn(undefined, await clockNow(tx));
  if (period >= today.slice(0, 7)) throw new Conflict("incentivePeriodNotEnded");
  const [pending] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from incentive_adjustments where period = ${period} and status = 'proposed'`);
  if (pending!.n > 0) throw new Conflict("incentiveAdjustmentsPending");
  await tx.execute(sql`update incentive_periods set status = 'locked', locked_by = ${actor.userId}, locked_at = now() where period = ${period}`);
  const [sum] = await tx.execute<{ entries: number; points: number }>(sql`select count(*)::int as entries, coalesce(sum(points), 0)::int as points from incentive_ledger where period = ${period}`);
  await audit(tx, { kind: "user", userId: actor.userId }, { action: "incentives.period.lock", entity: "incentive_period", entityId: period, before: { status }, after: { status: "locked", ...sum } });
  return { period, status: "locked" };
}
