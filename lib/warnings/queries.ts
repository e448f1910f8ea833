// Warning reads, scoped through the warning's customer: out-of-scope warnings are simply not there (404).
import "server-only";
import { and, asc, count, desc, eq, gte, ilike, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { customers, loans, ruleVersions, warningEvents, warnings } from "../db/schema";
import { NotFound } from "../errors";
import { isoDateSchema, todayIn } from "../time";
import { REASON_FAMILIES, SEVERITIES, STAGES, WARNING_STATUSES, WILLS, type ReasonFamily, type Severity, type Stage, type WarningStatus, type Will } from "../vocabulary";
import { paging } from "../http/paging";
import { clockNow } from "../clock";
import { WARNING_QUALITIES, warningQualityIs } from "../insights/definitions";
import { DEFAULT_HORIZON_DAYS } from "../insights/params";

export const warningQuerySchema = z.object({
  status: z.enum(WARNING_STATUSES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  stage: z.enum(STAGES).optional(),
  will: z.enum(WILLS).optional(),
  reasonFamily: z.enum(REASON_FAMILIES).optional(),
  ruleId: z.coerce.number().int().positive().optional(),
  ruleVersionId: z.coerce.number().int().positive().optional(),
  /** How the warning turned out (docs/telemetry.md, warning quality) within `horizon` days: the insights drill-down. */
  quality: z.enum(WARNING_QUALITIES).optional(),
  horizon: z.coerce.number().int().min(30).max(730).optional(),
  /** The customer's branch (within the caller's scope: a supervisor naming another branch simply finds nothing). */
  branchId: z.coerce.number().int().positive().optional(),
  /** Business dates, inclusive: when the warning opened (the dashboard's drill-downs name its period). */
  openedFrom: isoDateSchema.optional(),
  openedTo: isoDateSchema.optional(),
  q: z.string().trim().max(80).optional(),
  ...paging(200),
});
export type WarningQuery = z.infer<typeof warningQuerySchema>;

export type WarningRow = {
  id: number;
  ruleId: number;
  ruleVersionId: number;
  ruleNameZh: string;
  ruleNameEn: string;
  status: WarningStatus;
  severity: Severity;
  stage: Stage;
  will: Will;
  reasonFamily: ReasonFamily;
  customerId: number;
  customerNo: string;
  customerName: string;
  loanId: number | null;
  contractNo: string | null;
  applicationId: number | null;
  openedOn: string;
  lastSeenOn: string;
  closedOn: string | null;
  closeReason: string | null;
};

const rowColumns = {
  id: warnings.id,
  ruleId: warnings.ruleId,
  ruleVersionId: warnings.ruleVersionId,
  ruleNameZh: ruleVersions.nameZh,
  ruleNameEn: ruleVersions.nameEn,
  status: warnings.status,
  severity: warnings.severity,
  stage: warnings.stage,
  will: warnings.will,
  reasonFamily: warnings.reasonFamily,
  customerId: warnings.customerId,
  customerNo: customers.customerNo,
  customerName: customers.name,
  loanId: warnings.loanId,
  contractNo: loans.contractNo,
  applicationId: warnings.applicationId,
  openedOn: warnings.openedOn,
  lastSeenOn: warnings.lastSeenOn,
  closedOn: warnings.closedOn,
  closeReason: warnings.closeReason,
};

function filters(scope: Scope, q: Omit<WarningQuery, "severity" | "page" | "pageSize">, today: string): SQL[] {
  const conds: SQL[] = [scopeWhere(scope, SHAPES.customers)];
  if (q.status) conds.push(eq(warnings.status, q.status));
  if (q.stage) conds.push(eq(warnings.stage, q.stage));
  if (q.will) conds.push(eq(warnings.will, q.will));
  if (q.reasonFamily) conds.push(eq(warnings.reasonFamily, q.reasonFamily));
  if (q.ruleId) conds.push(eq(warnings.ruleId, q.ruleId));
  if (q.ruleVersionId) conds.push(eq(warnings.ruleVersionId, q.ruleVersionId));
  if (q.quality) conds.push(warningQualityIs("warnings", q.quality, q.horizon ?? DEFAULT_HORIZON_DAYS, today));
  if (q.branchId) conds.push(eq(customers.branchId, q.branchId));
  if (q.openedFrom) conds.push(gte(warnings.openedOn, q.openedFrom));
  if (q.openedTo) conds.push(lte(warnings.openedOn, q.openedTo));
  if (q.q) {
    const like = `%${q.q}%`;
    conds.push(or(ilike(customers.name, like), ilike(customers.customerNo, like), ilike(loans.contractNo, like))!);
  }
  return conds;
}

/** One page of warnings, plus counts by severity under the same filters (severity filter aside). */
export async function listWarnings(
  db: DbOrTx,
  scope: Scope,
  q: WarningQuery,
): Promise<{ rows: WarningRow[]; total: number; bySeverity: Record<Severity, number> }> {
  // The quality filter judges horizons against the shared clock's business date (as the telemetry does).
  const base = filters(scope, q, todayIn(undefined, q.quality ? await clockNow(db) : new Date()));
  const where = and(...base, ...(q.severity ? [eq(warnings.severity, q.severity)] : []));
  const [rows, [totalRow], sev] = await Promise.all([
    db
      .select(rowColumns)
      .from(warnings)
      .innerJoin(customers, eq(customers.id, warnings.customerId))
      .innerJoin(ruleVersions, eq(ruleVersions.id, warnings.ruleVersionId))
      .leftJoin(loans, eq(loans.id, warnings.loanId))
      .where(where)
      .orderBy(asc(warnings.status), desc(sql`array_position(enum_range(null::severity), ${warnings.severity})`), desc(warnings.lastSeenOn), desc(warnings.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: count() })
      .from(warnings)
      .innerJoin(customers, eq(customers.id, warnings.customerId))
      .leftJoin(loans, eq(loans.id, warnings.loanId))
      .where(where),
    db
      .select({ severity: warnings.severity, n: count() })
      .from(warnings)
      .innerJoin(customers, eq(customers.id, warnings.customerId))
      .leftJoin(loans, eq(loans.id, warnings.loanId))
      .where(and(...base))
      .groupBy(warnings.severity),
  ]);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const s of sev) bySeverity[s.severity] = s.n;
  return { rows, total: totalRow?.n ?? 0, bySeverity };
}

export type WarningEvent = { id: number; kind: string; asOf: string; detail: unknown; at: string };
export type Evidence = { ruleVersionId?: number; asOf?: string; features?: Record<string, unknown> };
export type WarningDetail = WarningRow & { ruleVersion: number; evidence: Evidence; events: WarningEvent[] };

export async function getWarning(db: DbOrTx, scope: Scope, id: number): Promise<WarningDetail> {
  const [w] = await db
    .select({ ...rowColumns, ruleVersion: ruleVersions.version, evidence: warnings.evidence })
    .from(warnings)
    .innerJoin(customers, eq(customers.id, warnings.customerId))
    .innerJoin(ruleVersions, eq(ruleVersions.id, warnings.ruleVersionId))
    .leftJoin(loans, eq(loans.id, warnings.loanId))
    .where(and(eq(warnings.id, id), scopeWhere(scope, SHAPES.customers)));
  if (!w) throw new NotFound("warning");
  const events = await db
    .select({ id: warningEvents.id, kind: warningEvents.kind, asOf: warningEvents.asOf, detail: warningEvents.detail, at: warningEvents.at })
    .from(warningEvents)
    .where(eq(warningEvents.warningId, id))
    .orderBy(asc(warningEvents.at), asc(warningEvents.id));
  return {
    ...w,
    evidence: (w.evidence ?? {}) as Evidence,
    events: events.map((e) => ({ ...e, at: e.at.toISOString() })),
  };
}

/** Rules for the filter: each rule's newest version name (rules are not customer data, so no scope). */
export async function listRuleOptions(db: DbOrTx): Promise<{ id: number; nameZh: string; nameEn: string }[]> {
  return db
    .selectDistinctOn([ruleVersions.ruleId], { id: ruleVersions.ruleId, nameZh: ruleVersions.nameZh, nameEn: ruleVersions.nameEn })
    .from(ruleVersions)
    .orderBy(ruleVersions.ruleId, desc(ruleVersions.version));
}
