// Churn event reads, scoped through the event's customer (RM own, supervisor branch, admin and HR all): an event out
// of scope is not there (404). No contact data is read here, so HR sees the same rows.
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { paging } from "../http/paging";
import { scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { NotFound } from "../errors";
import { isIsoDate } from "../time";
import {
  CHURN_EVENT_STATUSES,
  CHURN_KINDS,
  REASON_FAMILIES,
  STAGES,
  WILLS,
  type ChurnEventStatus,
  type ChurnKind,
  type ChurnSource,
  type ReasonFamily,
  type Stage,
  type Will,
} from "../vocabulary";
import { precededByVersion } from "../insights/definitions";
import { DEFAULT_HORIZON_DAYS } from "../insights/params";

const isoDate = z.string().refine(isIsoDate, "expected a YYYY-MM-DD date");

export const churnQuerySchema = z.object({
  stage: z.enum(STAGES).optional(),
  kind: z.enum(CHURN_KINDS).optional(),
  /** "standing" = detected or confirmed (not dismissed): what the dashboard counts. */
  status: z.enum([...CHURN_EVENT_STATUSES, "standing"]).optional(),
  will: z.enum(WILLS).optional(),
  /** "undetermined" = no reason family yet. */
  reasonFamily: z.enum([...REASON_FAMILIES, "undetermined"]).optional(),
  /** GB/T 4754 section letter of the customer's industry. */
  industry: z
    .string()
    .regex(/^[A-T]$/)
    .optional(),
  /** Narrows within the caller's scope (a supervisor naming another branch simply sees nothing). */
  branchId: z.coerce.number().int().positive().optional(),
  /** Effective on or after / on or before. */
  from: isoDate.optional(),
  to: isoDate.optional(),
  customerId: z.coerce.number().int().positive().optional(),
  /** "1": only the events the telemetry counts (not dismissed). */
  counted: z.enum(["1"]).optional(),
  /** Events a warning of this rule version preceded within `horizon` days (docs/telemetry.md): the recall drill-down. */
  ruleVersionId: z.coerce.number().int().positive().optional(),
  horizon: z.coerce.number().int().min(30).max(730).optional(),
  ...paging(200),
});
export type ChurnQuery = z.infer<typeof churnQuerySchema>;

export type ChurnEventRow = {
  id: number;
  customerId: number;
  customerNo: string;
  customerName: string;
  loanId: number | null;
  contractNo: string | null;
  applicationId: number | null;
  applicationNo: string | null;
  stage: Stage;
  kind: ChurnKind;
  will: Will;
  reasonFamily: ReasonFamily | null;
  reasonInferred: boolean;
  effectiveOn: string;
  detectedOn: string;
  exposureFen: number;
  principalLostFen: number;
  interestLostFen: number;
  interestForgoneFen: number;
  source: ChurnSource;
  status: ChurnEventStatus;
  decidedByName: string | null;
  decidedAt: string | null;
  dismissReason: string | null;
  taskId: number | null;
};

const COLUMNS = sql`e.id::int as "id", e.customer_id as "customerId", c.customer_no as "customerNo", c.name as "customerName",
  e.loan_id as "loanId", l.contract_no as "contractNo", e.application_id as "applicationId", ap.application_no as "applicationNo",
  e.stage::text as "stage", e.kind::text as "kind", e.will::text as "will", e.reason_family::text as "reasonFamily",
  e.reason_inferred as "reasonInferred", e.effective_on::text as "effectiveOn", e.detected_on::text as "detectedOn",
  e.exposure_fen::float8 as "exposureFen", e.principal_lost_fen::float8 as "principalLostFen", e.interest_lost_fen::float8 as "interestLostFen",
  e.interest_forgone_fen::float8 as "interestForgoneFen", e.source::text as "source", e.status::text as "status",
  u.display_name as "decidedByName", e.decided_at as "decidedAt", e.dismiss_reason as "dismissReason", e.task_id as "taskId"`;
const FROM = sql`churn_events e join customers c on c.id = e.customer_id left join loans l on l.id = e.loan_id
  left join applications ap on ap.id = e.application_id left join users u on u.id = e.decided_by`;

function where(scope: Scope, q: Partial<ChurnQuery>): SQL {
  const conds: SQL[] = [scopeWhere(scope, SHAPES.customerAs("c"))];
  if (q.stage) conds.push(sql`e.stage = ${q.stage}::churn_stage`);
  if (q.kind) conds.push(sql`e.kind = ${q.kind}::churn_kind`);
  if (q.status === "standing") conds.push(sql`e.status <> 'dismissed'`);
  else if (q.status) conds.push(sql`e.status = ${q.status}::churn_event_status`);
  if (q.will) conds.push(sql`e.will = ${q.will}::churn_will`);
  if (q.reasonFamily === "undetermined") conds.push(sql`e.reason_family is null`);
  else if (q.reasonFamily) conds.push(sql`e.reason_family = ${q.reasonFamily}::reason_family`);
  if (q.industry) conds.push(sql`left(c.industry_code, 1) = ${q.industry}`);
  if (q.branchId) conds.push(sql`c.branch_id = ${q.branchId}`);
  if (q.from) conds.push(sql`e.effective_on >= ${q.from}::date`);
  if (q.to) conds.push(sql`e.effective_on <= ${q.to}::date`);
  if (q.customerId) conds.push(sql`e.customer_id = ${q.customerId}`);
  if (q.counted) conds.push(sql`e.status <> 'dismissed'`);
  if (q.ruleVersionId) conds.push(precededByVersion("e", q.ruleVersionId, q.horizon ?? DEFAULT_HORIZON_DAYS));
  return sql.join(conds, sql` and `);
}

/** One page of events, newest first, with the total and the counts by status under the same filters (status aside). */
export async function listChurnEvents(db: DbOrTx, scope: Scope, q: ChurnQuery): Promise<{ rows: ChurnEventRow[]; total: number; byStatus: Record<ChurnEventStatus, number> }> {
  const w = where(scope, q);
  const [rows, counts] = await Promise.all([
    db.execute<ChurnEventRow>(sql`select ${COLUMNS} from ${FROM} where ${w}
      order by e.effective_on desc, e.id desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`),
    db.execute<{ status: ChurnEventStatus; n: number }>(sql`select e.status::text as status, count(*)::int as n from ${FROM}
      where ${where(scope, { ...q, status: undefined })} group by e.status`),
  ]);
  const byStatus = Object.fromEntries(CHURN_EVENT_STATUSES.map((s) => [s, 0])) as Record<ChurnEventStatus, number>;
  for (const c of counts) byStatus[c.status] = c.n;
  const total =
    q.status === "standing" ? byStatus.detected + byStatus.confirmed : q.status ? byStatus[q.status] : Object.values(byStatus).reduce((a, b) => a + b, 0);
  return { rows: [...rows], total, byStatus };
}

export type ChurnEventChange = { id: number; change: string; reason: string; asOf: string; at: string; before: unknown; after: unknown };
export type ChurnEventDetail = ChurnEventRow & { evidence: Record<string, unknown>; changes: ChurnEventChange[] };

export async function getChurnEvent(db: DbOrTx, scope: Scope, id: number): Promise<ChurnEventDetail> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound("churnEvent");
  const [e] = await db.execute<ChurnEventRow & { evidence: Record<string, unknown> }>(sql`
    select ${COLUMNS}, e.evidence from ${FROM} where e.id = ${id} and ${scopeWhere(scope, SHAPES.customerAs("c"))}`);
  if (!e) throw new NotFound("churnEvent");
  const changes = await db.execute<ChurnEventChange>(sql`
    select id::int as id, change, reason, as_of::text as "asOf", at, before, after from churn_event_changes where event_id = ${id} order by id`);
  return { ...e, changes: [...changes] };
}

/** The events of one customer (the customer page's churn card); the customer's own scope check is the caller's. */
export async function customerChurnEvents(db: DbOrTx, scope: Scope, customerId: number): Promise<ChurnEventRow[]> {
  return [...(await db.execute<ChurnEventRow>(sql`select ${COLUMNS} from ${FROM} where ${where(scope, { customerId })} order by e.effective_on desc, e.id desc limit 50`))];
}

/** Removed events of a customer (re-derived away), newest first: the card says what changed and why. */
export async function customerChurnRemovals(db: DbOrTx, scope: Scope, customerId: number): Promise<{ kind: ChurnKind; reason: string; asOf: string; effectiveOn: string }[]> {
  return [
    ...(await db.execute<{ kind: ChurnKind; reason: string; asOf: string; effectiveOn: string }>(sql`
      select x.kind::text as kind, x.reason, x.as_of::text as "asOf", x.before->>'effective_on' as "effectiveOn"
      from churn_event_changes x join customers c on c.id = x.customer_id
      where x.customer_id = ${customerId} and x.change = 'removed' and ${scopeWhere(scope, SHAPES.customerAs("c"))}
      order by x.id desc limit 20`)),
  ];
}
