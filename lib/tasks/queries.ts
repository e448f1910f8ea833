// Task reads, scoped (lib/auth/scope.ts): the inbox list with counts by state, one task with everything its page
// shows, and the supervisor board. Out-of-scope tasks are simply not found.
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../auth/roles";
import { contactField, scopeWhere, SHAPES, type Scope } from "../auth/scope";
import { getCustomer, loansOfCustomer, type CustomerDetail, type LoanSummary } from "../customers/queries";
import type { DbOrTx } from "../db/client";
import { NotFound } from "../errors";
import type { HistoryPoint } from "../loans/view";
import { businessTz, isoDateSchema } from "../time";
import { REASON_FAMILIES, SEVERITIES, TASK_OUTCOMES, TASK_STATUSES, type FollowUpType, type PromiseStatus, type ReasonFamily, type Stage, type TaskOutcome, type TaskStatus, type WarningStatus, type Will } from "../vocabulary";
import type { Priority } from "./calendar";
import { playbookFor } from "./playbooks";
import { ACTIVE } from "./open";
import { isoRow } from "./rows";
import { allowedActions, type TaskAction } from "./service";
import { paging } from "../http/paging";
import { sentenceAround } from "../signals/text";
import type { Polarity, SignalId } from "../signals/types";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
export const taskQuerySchema = z.object({
  status: z.enum(["active", "all", ...TASK_STATUSES]).default("active"),
  priority: z.enum(SEVERITIES).optional(),
  reasonFamily: z.enum(REASON_FAMILIES).optional(),
  escalated: bool.optional(),
  overdue: bool.optional(),
  assigneeId: z.union([z.literal("none"), z.coerce.number().int().positive()]).optional(),
  q: z.string().trim().max(80).optional(),
  /** The customer's branch (admins narrowing the board's list; a supervisor's scope already is one branch). */
  branchId: z.coerce.number().int().positive().optional(),
  outcome: z.enum(TASK_OUTCOMES).optional(),
  /** Business dates, inclusive: when the task opened / closed (the dashboard's drill-downs name its period). */
  openedFrom: isoDateSchema.optional(),
  openedTo: isoDateSchema.optional(),
  closedFrom: isoDateSchema.optional(),
  closedTo: isoDateSchema.optional(),
  sort: z.enum(["urgency", "due", "priority", "opened", "customer"]).default("urgency"),
  order: z.enum(["asc", "desc"]).optional(),
  ...paging(100),
});
export type TaskQuery = z.infer<typeof taskQuerySchema>;

export type TaskRow = {
  id: number;
  status: TaskStatus;
  priority: Priority;
  reasonFamily: ReasonFamily;
  stage: Stage;
  will: Will;
  escalated: boolean;
  customerId: number;
  customerNo: string;
  customerName: string;
  assigneeId: number | null;
  assigneeName: string | null;
  openedAt: string;
  firstContactAt: string | null;
  /** The next deadline: first contact until it happened, then resolution (null once closed). */
  nextDueAt: string | null;
  nextDueKind: "contact" | "resolve" | null;
  overdue: boolean;
  warningCount: number;
  outcome: TaskOutcome | null;
  closedAt: string | null;
  version: number;
};

const nextDue = sql`(case when t.status not in ${ACTIVE} then null when t.first_contact_at is null then t.contact_due_at else t.resolve_due_at end)`;
const prio = sql`array_position(enum_range(null::severity), t.priority)`;

function conditions(scope: Scope, q: TaskQuery, now: Date, withStatus: boolean): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const c: SQL[] = [scopeWhere(scope, SHAPES.task())];
  if (withStatus && q.status === "active") c.push(sql`t.status in ${ACTIVE}`);
  else if (withStatus && q.status !== "all") c.push(sql`t.status = ${q.status}::task_status`);
  if (q.priority) c.push(sql`t.priority = ${q.priority}::severity`);
  if (q.reasonFamily) c.push(sql`t.reason_family = ${q.reasonFamily}::reason_family`);
  if (q.escalated !== undefined) c.push(sql`t.escalated = ${q.escalated}`);
  if (q.overdue !== undefined) c.push(q.overdue ? sql`${nextDue} < ${at}` : sql`(${nextDue} is null or ${nextDue} >= ${at})`);
  if (q.assigneeId === "none") c.push(sql`t.assignee_id is null`);
  else if (q.assigneeId) c.push(sql`t.assignee_id = ${q.assigneeId}::int`);
  if (q.branchId) c.push(sql`c.branch_id = ${q.branchId}::int`);
  if (q.outcome) c.push(sql`t.outcome = ${q.outcome}::task_outcome`);
  // Day bounds as instants in the business zone, so the task indexes' timestamps compare directly.
  const tz = businessTz();
  if (q.openedFrom) c.push(sql`t.opened_at >= (${q.openedFrom}::date::timestamp at time zone ${tz})`);
  if (q.openedTo) c.push(sql`t.opened_at < ((${q.openedTo}::date + 1)::timestamp at time zone ${tz})`);
  if (q.closedFrom) c.push(sql`t.closed_at >= (${q.closedFrom}::date::timestamp at time zone ${tz})`);
  if (q.closedTo) c.push(sql`t.closed_at < ((${q.closedTo}::date + 1)::timestamp at time zone ${tz})`);
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    c.push(sql`(c.name ilike ${like} or c.customer_no ilike ${like})`);
  }
  return sql.join(c, sql` and `);
}

function orderBy(q: TaskQuery, now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const dir = (d: "asc" | "desc") => sql.raw(q.order ?? d);
  switch (q.sort) {
    case "urgency":
      // Escalated and overdue first, then the most severe, then the nearest deadline.
      return sql`t.escalated desc, (${nextDue} < ${at}) desc nulls last, ${prio} desc, ${nextDue} asc nulls last, t.id`;
    case "due":
      return sql`${nextDue} ${dir("asc")} nulls last, t.id`;
    case "priority":
      return sql`${prio} ${dir("desc")}, ${nextDue} asc nulls last, t.id`;
    case "opened":
      return sql`t.opened_at ${dir("desc")}, t.id`;
    case "customer":
      return sql`c.name ${dir("asc")}, t.id`;
  }
}

// A TaskRow's columns (over tasks t, customers c, users u), with the SLA as of `at`: the list and the task read the same.
const taskRowColumns = (at: SQL) => sql`
           t.id, t.status::text as status, t.priority::text as priority, t.reason_family::text as "reasonFamily",
           t.stage::text as stage, t.will::text as will, t.escalated, t.customer_id as "customerId", c.customer_no as "customerNo",
           c.name as "customerName", t.assignee_id as "assigneeId", u.display_name as "assigneeName", t.opened_at as "openedAt",
           t.first_contact_at as "firstContactAt", ${nextDue} as "nextDueAt",
           case when t.status not in ${ACTIVE} then null when t.first_contact_at is null then 'contact' else 'resolve' end as "nextDueKind",
           coalesce(${nextDue} < ${at}, false) as overdue,
           (select count(*)::int from task_warnings tw where tw.task_id = t.id) as "warningCount",
           t.outcome::text as outcome, t.closed_at as "closedAt", t.version`;

export async function listTasks(
  db: DbOrTx,
  scope: Scope,
  q: TaskQuery,
  now: Date,
): Promise<{ rows: TaskRow[]; total: number; counts: Record<TaskStatus, number> & { overdue: number; escalated: number }; now: string }> {
  const at = sql`${now.toISOString()}::timestamptz`;
  // The page and the counts are independent: two statements in flight at once, not one after the other.
  const [rows, [counts]] = await Promise.all([db.execute<TaskRow & { total: number }>(sql`
    select ${taskRowColumns(at)}, count(*) over ()::int as total
    from tasks t join customers c on c.id = t.customer_id left join users u on u.id = t.assignee_id
    where ${conditions(scope, q, now, true)}
    order by ${orderBy(q, now)}
    limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`),
  // Counts by state under the same filters except the state itself, plus the active tasks overdue / escalated.
  db.execute<Record<TaskStatus | "overdue" | "escalated", number>>(sql`
    select count(*) filter (where t.status = 'open')::int as open, count(*) filter (where t.status = 'acknowledged')::int as acknowledged,
           count(*) filter (where t.status = 'in_progress')::int as in_progress, count(*) filter (where t.status = 'resolved')::int as resolved,
           count(*) filter (where t.status = 'cancelled')::int as cancelled,
           count(*) filter (where ${nextDue} < ${at})::int as overdue,
           count(*) filter (where t.escalated and t.status in ${ACTIVE})::int as escalated
    from tasks t join customers c on c.id = t.customer_id
    where ${conditions(scope, { ...q, status: "all" }, now, false)}`),
  ]);
  let total = rows[0]?.total ?? 0;
  if (!rows.length && q.page > 1) {
    const [n] = await db.execute<{ n: number }>(sql`select count(*)::int as n from tasks t join customers c on c.id = t.customer_id where ${conditions(scope, q, now, true)}`);
    total = n?.n ?? 0;
  }
  // `now` is the server's (possibly test-moved) clock, so the browser's SLA countdowns agree with `overdue`.
  return { rows: rows.map(({ total: _t, ...r }) => isoRow(r)), total, counts: counts!, now: now.toISOString() };
}

export type TaskDetail = {
  task: TaskRow & {
    acknowledgedAt: string | null;
    startedAt: string | null;
    contactRemindAt: string;
    contactDueAt: string;
    resolveRemindAt: string;
    resolveDueAt: string;
    escalatedAt: string | null;
    escalationReason: string | null;
    outcomeStage: string | null;
    outcomeWill: string | null;
    outcomeReasonFamily: string | null;
    /** Free text that may name the customer's people: null where the scope hides contact data (HR). */
    resolutionNote: string | null;
    cancelReason: string | null;
  };
  customer: CustomerDetail;
  loans: LoanSummary[];
  dpdHistory: { loanId: number; contractNo: string; disbursedOn: string; asOf: string; settledOn: string | null; current: { dpd: number; classification: HistoryPoint["classification"] }; history: HistoryPoint[] }[];
  repayments: { id: number; contractNo: string; paidOn: string; amountFen: number; source: string }[];
  previousTasks: { id: number; status: TaskStatus; priority: Priority; reasonFamily: ReasonFamily; outcome: string | null; openedAt: string; closedAt: string | null }[];
  warnings: {
    id: number;
    ruleNameZh: string;
    ruleNameEn: string;
    severity: Priority;
    status: WarningStatus;
    reasonFamily: ReasonFamily;
    stage: Stage;
    will: Will;
    contractNo: string | null;
    openedOn: string;
    lastSeenOn: string;
    closedOn: string | null;
    evidence: { asOf?: string; features?: Record<string, unknown> };
  }[];
  playbook: { family: ReasonFamily; items: { key: string; zh: string; en: string; checkedAt: string | null; checkedBy: string | null }[] }[];
  followUps: {
    id: number;
    type: FollowUpType;
    occurredAt: string;
    /** The person contacted and the notes of the contact: null where the scope hides contact data (HR). */
    contactPerson: string | null;
    notes: string | null;
    result: string | null;
    nextActionOn: string | null;
    promiseAmountFen: number | null;
    promiseDueOn: string | null;
    promiseStatus: PromiseStatus | null;
    authorName: string;
    /**
     * Text signals the active lexicon found in the note (lib/signals/store.ts), each with its evidence span and the
     * sentence around it (UTF-16 offsets into `notes`); no spans where the notes are hidden.
     */
    signals: { signal: SignalId; polarity: Polarity; span: [number, number] | null; sentence: [number, number] | null }[];
  }[];
  events: { id: number; kind: string; at: string; actorName: string | null; detail: Record<string, unknown> }[];
  allowedActions: TaskAction[];
  /** For supervisors and admins: who the task can be reassigned to (active RMs of the customer's branch). */
  assignees: { id: number; name: string; activeTasks: number }[];
  /** The server's clock when this was read (test runs may move it), for the SLA countdowns. */
  now: string;
};

export async function getTask(db: DbOrTx, scope: Scope, actor: Actor, id: number, now: Date): Promise<TaskDetail> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound("task");
  const at = sql`${now.toISOString()}::timestamptz`;
  const [task] = await db.execute<TaskDetail["task"]>(sql`
    select ${taskRowColumns(at)},
           t.acknowledged_at as "acknowledgedAt", t.started_at as "startedAt", t.contact_remind_at as "contactRemindAt",
           t.contact_due_at as "contactDueAt", t.resolve_remind_at as "resolveRemindAt", t.resolve_due_at as "resolveDueAt",
           t.escalated_at as "escalatedAt", t.escalation_reason as "escalationReason", t.outcome_stage::text as "outcomeStage",
           t.outcome_will::text as "outcomeWill", t.outcome_reason_family::text as "outcomeReasonFamily",
           ${contactField(scope, sql`t.resolution_note`)} as "resolutionNote", t.cancel_reason as "cancelReason"
    from tasks t join customers c on c.id = t.customer_id left join users u on u.id = t.assignee_id
    where t.id = ${id} and ${scopeWhere(scope, SHAPES.task())}`);
  if (!task) throw new NotFound("task");

  // The customer is read through the task (an RM covering for another sees the customer here, and only here).
  const [customer, loans, warnings, followUps, events, checked, previousTasks] = await Promise.all([
    getCustomer(db, scope, { viaTask: id }),
    loansOfCustomer(db, scope, { viaTask: id }),
    db.execute<TaskDetail["warnings"][number]>(sql`
      select w.id::int as id, v.name_zh as "ruleNameZh", v.name_en as "ruleNameEn", w.severity::text as severity, w.status::text as status,
             w.reason_family::text as "reasonFamily", w.stage::text as stage, w.will::text as will, l.contract_no as "contractNo",
             w.opened_on as "openedOn", w.last_seen_on as "lastSeenOn", w.closed_on as "closedOn", w.evidence
      from task_warnings tw join warnings w on w.id = tw.warning_id join rule_versions v on v.id = w.rule_version_id
      left join loans l on l.id = w.loan_id
      where tw.task_id = ${id}
      order by array_position(enum_range(null::severity), w.severity) desc, w.id`),
    db.execute<Omit<TaskDetail["followUps"][number], "signals"> & { rawSignals: RawSignal[] }>(sql`
      select f.id, f.type::text as type, f.occurred_at as "occurredAt", ${contactField(scope, sql`f.contact_person`)} as "contactPerson",
             ${contactField(scope, sql`f.notes`)} as notes, f.result,
             f.next_action_on as "nextActionOn", f.promise_amount_fen::float8 as "promiseAmountFen", f.promise_due_on as "promiseDueOn",
             f.promise_status::text as "promiseStatus", u.display_name as "authorName",
             (select coalesce(json_agg(json_build_object('signal', s.signal, 'polarity', s.polarity, 'start', s.span_start, 'end', s.span_end) order by s.span_start, s.signal), '[]'::json)
              from follow_up_signals s where s.follow_up_id = f.id) as "rawSignals"
      from follow_ups f join users u on u.id = f.author_id where f.task_id = ${id} order by f.occurred_at desc, f.id desc`),
    db.execute<TaskDetail["events"][number]>(sql`
      select e.id::int as id, e.kind, e.at, u.display_name as "actorName", ${contactField(scope, sql`e.detail`, sql`e.detail - 'note'`)} as detail
      from task_events e left join users u on u.id = e.actor_id where e.task_id = ${id} order by e.id desc limit 200`),
    db.execute<{ item_key: string; checked_at: string; name: string }>(sql`
      select k.item_key, k.checked_at, u.display_name as name from task_checklist k join users u on u.id = k.checked_by where k.task_id = ${id}`),
    db.execute<TaskDetail["previousTasks"][number]>(sql`
      select id, status::text as status, priority::text as priority, reason_family::text as "reasonFamily", outcome::text as outcome,
             opened_at as "openedAt", closed_at as "closedAt"
      from tasks where customer_id = ${task.customerId} and id <> ${id} order by opened_at desc limit 20`),
  ]);

  const liveLoans = loans.filter((l) => l.state).sort((a, b) => b.state!.dpd - a.state!.dpd || b.id - a.id).slice(0, 3);
  const [history, repayments] = await Promise.all([
    liveLoans.length
      ? db.execute<{ loan_id: number; changed_on: string; dpd: number; classification: HistoryPoint["classification"] }>(sql`
          select loan_id, changed_on, dpd, classification::text as classification from loan_state_history
          where loan_id = any(${`{${liveLoans.map((l) => l.id).join(",")}}`}::int[]) order by loan_id, seq`)
      : Promise.resolve([]),
    loans.length
      ? db.execute<TaskDetail["repayments"][number]>(sql`
          select r.id::int as id, l.contract_no as "contractNo", r.paid_on as "paidOn", r.amount_fen::float8 as "amountFen", r.source::text as source
          from repayments r join loans l on l.id = r.loan_id where l.customer_id = ${task.customerId}
          order by r.paid_on desc, r.id desc limit 10`)
      : Promise.resolve([]),
  ]);
  const settledOn = new Map(loans.map((l) => [l.id, l.closedOn]));
  const dpdHistory = liveLoans.map((l) => ({
    loanId: l.id,
    contractNo: l.contractNo,
    disbursedOn: l.disbursedOn,
    asOf: l.state!.asOf,
    settledOn: settledOn.get(l.id) ?? null,
    current: { dpd: l.state!.dpd, classification: l.state!.classification },
    history: history.filter((h) => h.loan_id === l.id).map((h) => ({ changedOn: h.changed_on, dpd: h.dpd, classification: h.classification })),
  }));

  const ticks = new Map(checked.map((c) => [c.item_key, c]));
  const playbook = playbookFor(task.reasonFamily, [...new Set(warnings.map((w) => w.reasonFamily))]).map((s) => ({
    family: s.family,
    items: s.items.map((i) => ({ ...i, checkedAt: isoOrNull(ticks.get(i.key)?.checked_at), checkedBy: ticks.get(i.key)?.name ?? null })),
  }));

  const actions = allowedActions(actor, { status: task.status, escalated: task.escalated, assigneeId: task.assigneeId });
  const assignees = actions.includes("reassign")
    ? await db.execute<{ id: number; name: string; activeTasks: number }>(sql`
        select u.id, u.display_name as name,
               (select count(*)::int from tasks t where t.assignee_id = u.id and t.status in ${ACTIVE}) as "activeTasks"
        from users u where u.role = 'rm' and u.active and u.branch_id = ${customer.branchId} order by u.display_name, u.id`)
    : [];

  return {
    task: isoRow(task),
    customer,
    loans,
    dpdHistory,
    repayments: [...repayments],
    previousTasks: previousTasks.map(isoRow),
    warnings: [...warnings],
    playbook,
    followUps: followUps.map(({ rawSignals, ...f }) => ({ ...isoRow(f), signals: noteSignals(f.notes, rawSignals) })),
    events: events.map(isoRow),
    allowedActions: actions,
    assignees: [...assignees],
    now: now.toISOString(),
  };
}

type RawSignal = { signal: SignalId; polarity: Polarity; start: number; end: number };

/** A note's stored signals with their evidence sentences; the spans only where the note itself is visible. */
function noteSignals(notes: string | null, raw: RawSignal[]): TaskDetail["followUps"][number]["signals"] {
  return raw.map((r) => {
    const span: [number, number] | null = notes !== null && r.end <= notes.length ? [r.start, r.end] : null;
    return { signal: r.signal, polarity: r.polarity, span, sentence: span ? sentenceAround(notes!, span) : null };
  });
}

function isoOrNull(v: string | undefined): string | null {
  return v ? isoRow({ v }).v : null;
}

export type BoardRow = {
  assigneeId: number | null;
  assigneeName: string | null;
  active: boolean;
  open: number;
  acknowledged: number;
  in_progress: number;
  overdue: number;
  escalated: number;
  resolved30d: number;
};

/** The supervisor board: the scope's active tasks by assignee × state, with overdue and escalated counts. */
export async function taskBoard(db: DbOrTx, scope: Scope, now: Date, branchId?: number): Promise<BoardRow[]> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const branch = branchId ? sql`c.branch_id = ${branchId}::int` : sql`true`;
  const rows = await db.execute<BoardRow>(sql`
    select t.assignee_id as "assigneeId", u.display_name as "assigneeName", coalesce(u.active, false) as active,
           count(*) filter (where t.status = 'open')::int as open,
           count(*) filter (where t.status = 'acknowledged')::int as acknowledged,
           count(*) filter (where t.status = 'in_progress')::int as in_progress,
           count(*) filter (where t.status in ${ACTIVE} and ${nextDue} < ${at})::int as overdue,
           count(*) filter (where t.status in ${ACTIVE} and t.escalated)::int as escalated,
           count(*) filter (where t.status = 'resolved' and t.closed_at > ${at} - interval '30 days')::int as "resolved30d"
    from tasks t join customers c on c.id = t.customer_id left join users u on u.id = t.assignee_id
    where ${scopeWhere(scope, SHAPES.task())} and ${branch}
      and (t.status in ${ACTIVE} or t.closed_at > ${at} - interval '30 days')
    group by t.assignee_id, u.display_name, u.active
    order by count(*) filter (where t.escalated and t.status in ${ACTIVE}) desc,
             count(*) filter (where t.status in ${ACTIVE} and ${nextDue} < ${at}) desc, u.display_name nulls first`);
  return [...rows];
}
