// Writes on tasks: transitions (acknowledge, start, resolve, cancel, reassign, escalate), follow-ups, playbook ticks,
// bulk acknowledge. Every write checks the scope first (out of scope = NotFound, the API's 404), locks the task row,
// checks the state machine and the optional expected version, and records a task event in the same transaction.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "../audit";
import type { Actor } from "../auth/roles";
import { scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { DbOrTx, Tx } from "../db/client";
import { followUps, taskChecklist, taskEvents } from "../db/schema";
import { Conflict, Forbidden, Invalid, NotFound, parseOrInvalid, type Issue } from "../errors";
import { businessTz, isIsoDate } from "../time";
import { ACTIVE_TASK_STATUSES, FOLLOW_UP_TYPES, REASON_FAMILIES, STAGES, TASK_OUTCOMES, WILLS, type ReasonFamily, type TaskStatus } from "../vocabulary";
import { churnFromTask } from "../churn/service";
import { tagOnWrite } from "../signals/store";
import { localDate } from "./calendar";
import { ACTIVE } from "./open";
import { notify } from "./notify";
import { PLAYBOOKS } from "./playbooks";

export const ACTIONS = ["acknowledge", "start", "resolve", "cancel", "reassign", "escalate"] as const;
export type TaskAction = (typeof ACTIONS)[number];

const expectedVersion = z.number().int().positive().optional();
export const transitionSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("acknowledge"), expectedVersion }),
  z.object({ action: z.literal("start"), expectedVersion }),
  z.object({
    action: z.literal("resolve"),
    outcome: z.enum(TASK_OUTCOMES),
    note: z.string().trim().max(2000).optional(),
    churn: z
      .object({ stage: z.enum(STAGES), will: z.enum(WILLS), reasonFamily: z.enum(REASON_FAMILIES) })
      .optional(),
    expectedVersion,
  }),
  z.object({ action: z.literal("cancel"), reason: z.string().trim().min(2).max(500), expectedVersion }),
  z.object({ action: z.literal("reassign"), assigneeId: z.number().int().positive(), reason: z.string().trim().min(2).max(500), expectedVersion }),
  z.object({ action: z.literal("escalate"), reason: z.string().trim().min(2).max(500), expectedVersion }),
]);
export type TransitionInput = z.infer<typeof transitionSchema>;

const yuan = z
  .union([z.number(), z.string().trim()])
  .transform((v) => String(v).replace(/,/g, ""))
  .refine((v) => /^\d{1,12}(\.\d{1,2})?$/.test(v) && Number(v) > 0, "a positive amount in yuan with at most two decimals")
  .transform((v) => Math.round(Number(v) * 100));
const isoDate = z.string().refine(isIsoDate, "expected a YYYY-MM-DD date");

export const followUpSchema = z.object({
  type: z.enum(FOLLOW_UP_TYPES),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  contactPerson: z.string().trim().max(100).optional(),
  notes: z.string().trim().min(1).max(4000),
  result: z.string().trim().max(500).optional(),
  nextActionOn: isoDate.optional(),
  promise: z.object({ amount: yuan, dueOn: isoDate }).optional(),
});
export type FollowUpInput = z.input<typeof followUpSchema>;

export const checklistSchema = z.object({ itemKey: z.string().min(1).max(60), checked: z.boolean() });
export const acknowledgeSchema = z.object({ ids: z.array(z.number().int().positive()).min(1).max(500) });

/** Who may do what: the assignee works the task; supervisors (their branch) and admins steer it; HR only reads. */
export function allowedActions(actor: Actor, task: { status: TaskStatus; escalated: boolean; assigneeId: number | null }): TaskAction[] {
  if (!(ACTIVE_TASK_STATUSES as readonly string[]).includes(task.status)) return [];
  if (actor.role === "hr") return [];
  const out: TaskAction[] = [];
  const works = actor.role !== "rm" || task.assigneeId === actor.userId;
  if (!works) return [];
  if (task.status === "open") out.push("acknowledge");
  if (task.status !== "in_progress") out.push("start");
  out.push("resolve", "cancel");
  if (!task.escalated) out.push("escalate");
  if (actor.role === "supervisor" || actor.role === "admin") out.push("reassign");
  return out;
}

type Locked = {
  id: number;
  status: TaskStatus;
  escalated: boolean;
  assignee_id: number | null;
  customer_id: number;
  branch_id: number;
  version: number;
  opened_at: string;
  first_contact_at: string | null;
  reason_family: ReasonFamily;
};

/** The task, locked, if it is in the actor's scope; NotFound otherwise (whether it exists or not). */
async function lockTask(tx: Tx, scope: Scope, taskId: number): Promise<Locked> {
  if (!Number.isSafeInteger(taskId) || taskId <= 0) throw new NotFound("task");
  const [t] = await tx.execute<Locked>(sql`
    select t.id, t.status::text as status, t.escalated, t.assignee_id, t.customer_id, c.branch_id, t.version, t.opened_at,
           t.first_contact_at, t.reason_family::text as reason_family
    from tasks t join customers c on c.id = t.customer_id
    where t.id = ${taskId} and ${scopeWhere(scope, SHAPES.task())}
    for update of t`);
  if (!t) throw new NotFound("task");
  return t;
}

function must(actor: Actor, t: Locked, action: TaskAction, expected?: number) {
  if (expected !== undefined && expected !== t.version) throw new Conflict("taskVersion");
  if (!allowedActions(actor, { status: t.status, escalated: t.escalated, assigneeId: t.assignee_id }).includes(action)) {
    if (actor.role === "hr") throw new Forbidden();
    throw new Conflict(t.status === "resolved" || t.status === "cancelled" ? "taskClosed" : "taskState");
  }
}

async function event(tx: Tx, taskId: number, kind: string, actor: Actor, at: Date, detail: object = {}) {
  await tx.insert(taskEvents).values({ taskId, kind, actorId: actor.userId, at, detail });
}

export async function transitionTask(db: DbOrTx, scope: Scope, actor: Actor, taskId: number, body: unknown, now: Date): Promise<{ id: number; status: TaskStatus; version: number }> {
  const parsed = parseOrInvalid(transitionSchema, body);
  const input = parsed;
  return db.transaction(async (tx) => {
    const t = await lockTask(tx, scope, taskId);
    must(actor, t, input.action, input.expectedVersion);
    const at = sql`${now.toISOString()}::timestamptz`;
    let set = sql``;
    let status: TaskStatus = t.status;
    let detail: object = {};
    switch (input.action) {
      case "acknowledge":
        status = "acknowledged";
        set = sql`status = 'acknowledged', acknowledged_at = ${at}`;
        break;
      case "start":
        status = "in_progress";
        set = sql`status = 'in_progress', started_at = ${at}, acknowledged_at = coalesce(acknowledged_at, ${at})`;
        break;
      case "resolve": {
        const issues: Issue[] = [];
        if (input.outcome === "churned" && !input.churn) issues.push({ field: "churn", code: "required" });
        if (input.outcome !== "false_alarm") {
          const [f] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from follow_ups where task_id = ${t.id}`);
          if (!f?.n) issues.push({ field: "outcome", code: "follow_up_required" });
        }
        if (issues.length) throw new Invalid(issues);
        status = "resolved";
        const churn = input.outcome === "churned" ? input.churn! : null;
        // A write of contact data; reads go through contactField.
        // eslint-disable-next-line no-restricted-syntax
        set = sql`status = 'resolved', closed_at = ${at}, outcome = ${input.outcome}::task_outcome, resolution_note = ${input.note ?? null},
          outcome_stage = ${churn?.stage ?? null}::churn_stage, outcome_will = ${churn?.will ?? null}::churn_will,
          outcome_reason_family = ${churn?.reasonFamily ?? null}::reason_family`;
        // The churn itself becomes a churn event: the detected one confirmed, or one recorded (lib/churn/service.ts).
        const event = churn ? await churnFromTask(tx, { id: t.id, customerId: t.customer_id }, actor, churn, now) : null;
        detail = { outcome: input.outcome, churn, note: input.note ?? null, ...(event ? { churnEventId: event.eventId } : {}) };
        break;
      }
      case "cancel":
        status = "cancelled";
        set = sql`status = 'cancelled', closed_at = ${at}, cancel_reason = ${input.reason}`;
        detail = { reason: input.reason };
        break;
      case "reassign": {
        if (input.assigneeId === t.assignee_id) throw new Invalid([{ field: "assigneeId", code: "same_assignee" }]);
        const [rm] = await tx.execute<{ id: number }>(sql`
          select id from users where id = ${input.assigneeId} and role = 'rm' and active and branch_id = ${t.branch_id}`);
        if (!rm) throw new Invalid([{ field: "assigneeId", code: "not_branch_rm" }]);
        set = sql`assignee_id = ${input.assigneeId}`;
        detail = { from: t.assignee_id, to: input.assigneeId, reason: input.reason };
        await notify(tx, { userIds: [input.assigneeId], kind: "reassigned", taskId: t.id, key: `task:${t.id}:reassigned:v${t.version}`, detail: { ...detail, role: "to" }, at: now });
        if (t.assignee_id) await notify(tx, { userIds: [t.assignee_id], kind: "reassigned", taskId: t.id, key: `task:${t.id}:reassigned-away:v${t.version}`, detail: { ...detail, role: "from" }, at: now });
        break;
      }
      case "escalate":
        set = sql`escalated = true, escalated_at = ${at}, escalation_reason = ${"manual"}`;
        detail = { reason: input.reason };
        await notify(tx, { branchSupervisorsOf: t.branch_id, kind: "escalated", taskId: t.id, key: `task:${t.id}:escalated-manual:v${t.version}`, detail: { reason: input.reason, by: actor.userId }, at: now });
        break;
    }
    const [row] = await tx.execute<{ version: number }>(sql`update tasks set ${set}, version = version + 1, updated_at = now() where id = ${t.id} returning version`);
    const kind = { acknowledge: "acknowledged", start: "started", resolve: "resolved", cancel: "cancelled", reassign: "reassigned", escalate: "escalated" }[input.action];
    await event(tx, t.id, kind, actor, now, detail);
    await audit(tx, { kind: "user", userId: actor.userId }, { action: `task.${input.action}`, entity: "task", entityId: t.id, before: { status: t.status, assigneeId: t.assignee_id }, after: { status, ...detail } });
    return { id: t.id, status, version: row!.version };
  });
}

export async function addFollowUp(db: DbOrTx, scope: Scope, actor: Actor, taskId: number, body: unknown, now: Date): Promise<{ id: number; taskStatus: TaskStatus }> {
  const parsed = parseOrInvalid(followUpSchema, body);
  return addParsedFollowUp(db, scope, actor, taskId, parsed, now);
}

/** For callers that already validated with followUpSchema (the API route): the amount is already in fen. */
export async function addParsedFollowUp(db: DbOrTx, scope: Scope, actor: Actor, taskId: number, f: z.output<typeof followUpSchema>, now: Date): Promise<{ id: number; taskStatus: TaskStatus }> {
  const today = localDate(now.getTime(), businessTz());
  const occurredAt = f.occurredAt ? new Date(f.occurredAt) : now;
  const issues: Issue[] = [];
  // A few minutes of clock skew between the browser and the server are tolerated.
  if (occurredAt.getTime() > now.getTime() + 5 * 60_000) issues.push({ field: "occurredAt", code: "in_future" });
  if (f.nextActionOn && f.nextActionOn < today) issues.push({ field: "nextActionOn", code: "in_past" });
  if (f.promise && f.promise.dueOn < today) issues.push({ field: "promise.dueOn", code: "in_past" });
  if (issues.length) throw new Invalid(issues);
  const result = await db.transaction(async (tx) => {
    const t = await lockTask(tx, scope, taskId);
    if (actor.role === "hr") throw new Forbidden();
    if (!(ACTIVE_TASK_STATUSES as readonly string[]).includes(t.status)) throw new Conflict("taskClosed");
    if (actor.role === "rm" && t.assignee_id !== actor.userId) throw new NotFound("task");
    const [row] = await tx
      .insert(followUps)
      .values({
        taskId: t.id,
        customerId: t.customer_id,
        authorId: actor.userId,
        type: f.type,
        occurredAt,
        contactPerson: f.contactPerson || null,
        notes: f.notes,
        result: f.result || null,
        nextActionOn: f.nextActionOn ?? null,
        promiseAmountFen: f.promise?.amount ?? null,
        promiseDueOn: f.promise?.dueOn ?? null,
        promiseStatus: f.promise ? "pending" : null,
      })
      .returning({ id: followUps.id });
    // The first recorded contact stops the first-contact clock; working on the task puts it in progress.
    const contactAt = new Date(Math.min(occurredAt.getTime(), now.getTime())).toISOString();
    const status: TaskStatus = "in_progress";
    await tx.execute(sql`
      update tasks set first_contact_at = coalesce(first_contact_at, ${contactAt}::timestamptz),
        status = 'in_progress', started_at = coalesce(started_at, ${now.toISOString()}::timestamptz),
        acknowledged_at = coalesce(acknowledged_at, ${now.toISOString()}::timestamptz), version = version + 1, updated_at = now()
      where id = ${t.id}`);
    if (t.status !== "in_progress") await event(tx, t.id, "started", actor, now, { via: "follow_up" });
    await event(tx, t.id, "follow_up", actor, now, { followUpId: row!.id, type: f.type, first: t.first_contact_at === null, promise: f.promise ?? null });
    return { id: row!.id, taskStatus: status };
  });
  await tagOnWrite(db, result.id);
  return result;
}

export async function setChecklistItem(db: DbOrTx, scope: Scope, actor: Actor, taskId: number, itemKey: string, checked: boolean, now: Date): Promise<{ checked: boolean }> {
  return db.transaction(async (tx) => {
    const t = await lockTask(tx, scope, taskId);
    if (actor.role === "hr") throw new Forbidden();
    if (actor.role === "rm" && t.assignee_id !== actor.userId) throw new NotFound("task");
    if (!(ACTIVE_TASK_STATUSES as readonly string[]).includes(t.status)) throw new Conflict("taskClosed");
    const families = await tx.execute<{ f: ReasonFamily }>(sql`
      select distinct w.reason_family::text as f from task_warnings tw join warnings w on w.id = tw.warning_id where tw.task_id = ${t.id}`);
    const allowed = new Set([t.reason_family, ...families.map((r) => r.f)].flatMap((fam) => PLAYBOOKS[fam].map((i) => i.key)));
    if (!allowed.has(itemKey)) throw new Invalid([{ field: "itemKey", code: "not_in_playbook" }]);
    if (checked) await tx.insert(taskChecklist).values({ taskId: t.id, itemKey, checkedBy: actor.userId, checkedAt: now }).onConflictDoNothing();
    else await tx.execute(sql`delete from task_checklist where task_id = ${t.id} and item_key = ${itemKey}`);
    await tx.execute(sql`update tasks set version = version + 1, updated_at = now() where id = ${t.id}`);
    await event(tx, t.id, checked ? "playbook_checked" : "playbook_unchecked", actor, now, { itemKey });
    return { checked };
  });
}

/** Acknowledges every open task of `ids` the actor may work; returns which were acknowledged. */
export async function acknowledgeTasks(db: DbOrTx, scope: Scope, actor: Actor, ids: readonly number[], now: Date): Promise<{ acknowledged: number[] }> {
  const clean = [...new Set(ids)].filter((id) => Number.isSafeInteger(id) && id > 0).slice(0, 500);
  if (actor.role === "hr") throw new Forbidden();
  if (clean.length === 0) return { acknowledged: [] };
  return db.transaction(async (tx) => {
    const mine = actor.role === "rm" ? sql`t.assignee_id = ${actor.userId}` : sql`true`;
    const rows = await tx.execute<{ id: number }>(sql`
      with a as (
        update tasks t set status = 'acknowledged', acknowledged_at = ${now.toISOString()}::timestamptz, version = version + 1, updated_at = now()
        from customers c
        where c.id = t.customer_id and t.id = any(${`{${clean.join(",")}}`}::int[]) and t.status = 'open' and ${scopeWhere(scope, SHAPES.task())} and ${mine}
        returning t.id
      ), ev as (
        insert into task_events (task_id, kind, actor_id, at, detail) select id, 'acknowledged', ${actor.userId}::int, ${now.toISOString()}::timestamptz, '{"bulk": true}'::jsonb from a
      )
      select id from a order by id`);
    await audit(tx, { kind: "user", userId: actor.userId }, { action: "task.acknowledge_bulk", entity: "task", entityId: rows.map((r) => r.id).join(",") || "-", after: { count: rows.length } });
    return { acknowledged: rows.map((r) => r.id) };
  });
}

export { ACTIVE };
