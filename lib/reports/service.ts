// Churn reports: requesting one (a user, or the monthly schedule), generating its snapshot in the reports worker,
// reading it within the reader's scope, editing the measures and finalising (audited, locks the snapshot).
// docs/reports.md has the definitions and the life cycle.
import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { audit, type AuditActor } from "../audit";
import type { Scope } from "../auth/scope";
import type { Db, DbOrTx } from "../db/client";
import { reportSections } from "../db/schema";
import { Conflict, Invalid, NotFound } from "../errors";
import { loadChurnParams } from "../churn/settings";
import { emit } from "../pipeline/emit";
import type { ReportStatus, ReportTrigger } from "../vocabulary";
import { buildSnapshot } from "./generate";
import { monthBefore, periodOf } from "./period";
import { SECTION_KEYS, type Measure, type MeasuresSection, type Snapshot } from "./sections";

/** A report's scope: its branch, or the bank. The figures read exactly what a reader of that scope would see. */
export function scopeOfReport(branchId: number | null): Scope {
  return branchId == null ? { kind: "all", contact: true } : { kind: "branch", branchId, contact: true };
}

export const periodSchema = z.string().refine((p) => periodOf(p) !== null, "period");

/** POST /api/v1/reports and the generate form: a branch code (null = the bank, admins only) and a period. */
export const requestSchema = z.strictObject({ branch: z.string().min(1).max(40).nullable(), period: periodSchema });
export type ReportRequest = z.infer<typeof requestSchema>;

export type ReportHead = {
  id: number;
  branchId: number | null;
  branchCode: string | null;
  branchName: string | null;
  branchNameEn: string | null;
  period: string;
  periodFrom: string;
  periodTo: string;
  status: ReportStatus;
  progress: number;
  phase: string | null;
  trigger: ReportTrigger;
  requestedByName: string | null;
  asOf: string | null;
  revision: number;
  failure: string | null;
  createdAt: string;
  generatedAt: string | null;
  finalisedAt: string | null;
  finalisedByName: string | null;
  pdfReady: boolean;
};
export type Report = ReportHead & { snapshot: Snapshot | null; measuresVersion: number };

/** Who may read which report: admins all, a supervisor their branch's (not the bank's), nobody else. */
function visible(scope: Scope) {
  switch (scope.kind) {
    case "all":
      return sql`true`;
    case "branch":
      return sql`r.branch_id = ${scope.branchId}`;
    case "owner":
      return sql`false`;
  }
}

const HEAD = sql`
  select r.id, r.branch_id, b.code as branch_code, b.name as branch_name, b.name_en as branch_name_en, r.period,
         r.period_from::text as period_from, r.period_to::text as period_to, r.status::text as status, r.progress, r.phase,
         r.trigger::text as trigger, u.display_name as requested_by_name, r.as_of::text as as_of, r.revision, r.failure,
         r.created_at, r.generated_at, r.finalised_at, f.display_name as finalised_by_name,
         (select count(*) from report_files rf where rf.report_id = r.id and rf.format like 'pdf:%' and rf.revision = r.revision) = 2 as pdf_ready
  from reports r left join branches b on b.id = r.branch_id left join users u on u.id = r.requested_by left join users f on f.id = r.finalised_by`;

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());
function head(r: Record<string, unknown>): ReportHead {
  return {
    id: Number(r.id),
    branchId: r.branch_id == null ? null : Number(r.branch_id),
    branchCode: (r.branch_code as string) ?? null,
    branchName: (r.branch_name as string) ?? null,
    branchNameEn: (r.branch_name_en as string) ?? null,
    period: String(r.period),
    periodFrom: String(r.period_from),
    periodTo: String(r.period_to),
    status: r.status as ReportStatus,
    progress: Number(r.progress),
    phase: (r.phase as string) ?? null,
    trigger: r.trigger as ReportTrigger,
    requestedByName: (r.requested_by_name as string) ?? null,
    asOf: (r.as_of as string) ?? null,
    revision: Number(r.revision),
    failure: (r.failure as string) ?? null,
    createdAt: iso(r.created_at)!,
    generatedAt: iso(r.generated_at),
    finalisedAt: iso(r.finalised_at),
    finalisedByName: (r.finalised_by_name as string) ?? null,
    pdfReady: Boolean(r.pdf_ready),
  };
}

export async function listReports(db: DbOrTx, scope: Scope, limit = 200): Promise<ReportHead[]> {
  const rows = await db.execute<Record<string, unknown>>(sql`${HEAD} where ${visible(scope)} order by r.created_at desc, r.id desc limit ${limit}`);
  return rows.map(head);
}

/** The report with its latest sections; not found when out of the reader's scope. */
export async function getReport(db: DbOrTx, scope: Scope, id: number): Promise<Report> {
  const [r] = await db.execute<Record<string, unknown>>(sql`${HEAD} where r.id = ${id} and ${visible(scope)}`);
  if (!r) throw new NotFound("report");
  const secs = await db.execute<{ section: number; version: number; body: unknown }>(sql`
    select distinct on (section) section, version, body from report_sections where report_id = ${id} order by section, version desc`);
  const by = new Map(secs.map((s) => [s.section, s]));
  const snapshot = by.size === 4 ? (Object.fromEntries(SECTION_KEYS.map((k, i) => [k, by.get(i + 1)!.body])) as Snapshot) : null;
  return { ...head(r), snapshot, measuresVersion: by.get(4)?.version ?? 0 };
}

/**
 * Records a report to generate and, in the same transaction, the outbox row that starts the worker. A supervisor
 * names their own branch (any other, or the bank, is not found); an admin any branch or null for the bank.
 */
export async function requestReport(tx: DbOrTx, scope: Scope, actor: AuditActor, input: ReportRequest): Promise<{ id: number }> {
  const p = periodOf(input.period)!;
  let branchId: number | null = null;
  if (input.branch != null) {
    const [b] = await tx.execute<{ id: number }>(sql`select id from branches where code = ${input.branch}`);
    if (!b) throw new NotFound("branch");
    branchId = b.id;
  }
  if (scope.kind === "owner") throw new NotFound("report");
  if (scope.kind === "branch" && branchId !== scope.branchId) throw new NotFound("branch");
  const [r] = await tx.execute<{ id: number }>(sql`
    insert into reports (branch_id, period, period_from, period_to, trigger, requested_by)
    values (${branchId}, ${input.period}, ${p.from}::date, ${p.to}::date, 'user', ${actor.kind === "user" ? actor.userId : null})
    returning id`);
  await audit(tx, actor, { action: "report.requested", entity: "report", entityId: r!.id, after: { branchId, period: input.period } });
  await emit(tx, "reports.requested", { reportId: r!.id });
  return { id: r!.id };
}

/**
 * The monthly drafts: one report per branch for the month before `today`, written once (a unique index per branch
 * and period among scheduled reports), each with its outbox row.
 */
export async function draftMonthly(db: Db, period: string): Promise<number[]> {
  const p = periodOf(period)!;
  return db.transaction(async (tx) => {
    const rows = await tx.execute<{ id: number }>(sql`
      insert into reports (branch_id, period, period_from, period_to, trigger)
      select b.id, ${period}, ${p.from}::date, ${p.to}::date, 'schedule' from branches b order by b.id
      on conflict (coalesce(branch_id, 0), period) where trigger = 'schedule' do nothing
      returning id`);
    for (const r of rows) await emit(tx, "reports.requested", { reportId: r.id });
    return rows.map((r) => r.id);
  });
}

/**
 * The worker's step: reads the figures in one repeatable-read snapshot of the data, then stores them. Idempotent: a
 * report already generated is left alone, and a rerun after a crash starts over (nothing was stored).
 */
export async function generateReport(db: Db, reportId: number, asOf: string): Promise<{ skipped: boolean }> {
  const [r] = await db.execute<{ branch_id: number | null; period: string }>(sql`
    update reports set status = 'running', started_at = now(), progress = 0, phase = 'start', failure = null, as_of = ${asOf}::date
    where id = ${reportId} and status in ('queued', 'running', 'failed') returning branch_id, period`);
  if (!r) return { skipped: true };
  const churn = await loadChurnParams(db);
  const progress = async (pct: number, phase: string) => {
    await db.execute(sql`update reports set progress = ${pct}, phase = ${phase} where id = ${reportId}`);
  };
  const snapshot = await db.transaction(
    (tx) => buildSnapshot(tx, scopeOfReport(r.branch_id), { period: r.period, asOf, evidenceDays: churn.evidenceDays, lprMarginBp: churn.lprMarginBp }, progress),
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  await db.transaction(async (tx) => {
    const [done] = await tx.execute<{ id: number }>(sql`
      update reports set status = 'ready', progress = 100, phase = null, generated_at = now(), revision = revision + 1
      where id = ${reportId} and status = 'running' returning id`);
    if (!done) return;
    await tx
      .insert(reportSections)
      .values(SECTION_KEYS.map((k, i) => ({ reportId, section: i + 1, version: 1, body: snapshot[k] })))
      .onConflictDoNothing();
    await emit(tx, "reports.changed", { reportId });
  });
  return { skipped: false };
}

export async function markReportFailed(db: DbOrTx, reportId: number, message: string): Promise<void> {
  await db.execute(sql`update reports set status = 'failed', failure = ${message.slice(0, 500)}, phase = null where id = ${reportId} and status <> 'ready'`);
}

/** A report for a write: in scope, locked, generated and not finalised. */
async function lockForEdit(tx: DbOrTx, scope: Scope, id: number): Promise<{ revision: number }> {
  const [r] = await tx.execute<{ status: ReportStatus; finalised_at: string | null; revision: number }>(sql`
    select r.status::text as status, r.finalised_at, r.revision from reports r where r.id = ${id} and ${visible(scope)} for update`);
  if (!r) throw new NotFound("report");
  if (r.finalised_at) throw new Conflict("reportFinalised");
  if (r.status !== "ready") throw new Conflict("reportNotReady");
  return { revision: r.revision };
}

const measureSchema = z.strictObject({ area: z.enum(["reason", "approval", "rules", "followUp", "pricing", "monitor", "custom"]), text: z.string().trim().min(1, "required").max(2000) });
export const measuresInputSchema = z.strictObject({ reportId: z.number().int().positive(), items: z.array(measureSchema).min(1).max(30) });

/** The supervisor's wording of the measures: a new version of section 4 (the telemetry it rests on is kept). */
export async function editMeasures(tx: DbOrTx, scope: Scope, actor: AuditActor, input: z.infer<typeof measuresInputSchema>): Promise<{ version: number }> {
  await lockForEdit(tx, scope, input.reportId);
  const [cur] = await tx.execute<{ version: number; body: MeasuresSection }>(sql`
    select version, body from report_sections where report_id = ${input.reportId} and section = 4 order by version desc limit 1`);
  if (!cur) throw new Conflict("reportNotReady");
  const generated = new Map(cur.body.items.map((m) => [m.area === "reason" ? `reason:${m.reasonFamily}` : m.area, m]));
  const items: Measure[] = input.items.map((i, k) => {
    const prev = cur.body.items[k];
    const same = prev && prev.area === i.area ? prev : generated.get(i.area);
    return { area: i.area, ...(same?.reasonFamily ? { reasonFamily: same.reasonFamily } : {}), basis: same?.basis ?? {}, text: i.text };
  });
  const version = cur.version + 1;
  await tx.insert(reportSections).values({ reportId: input.reportId, section: 4, version, body: { ...cur.body, items }, createdBy: actor.kind === "user" ? actor.userId : null });
  await tx.execute(sql`update reports set revision = revision + 1 where id = ${input.reportId}`);
  await audit(tx, actor, { action: "report.measuresEdited", entity: "report", entityId: input.reportId, before: { version: cur.version }, after: { version, items: items.length } });
  await emit(tx, "reports.changed", { reportId: input.reportId });
  return { version };
}

/** Finalising: audited, and from then on the snapshot refuses every edit. */
export async function finaliseReport(tx: DbOrTx, scope: Scope, actor: AuditActor & { kind: "user" }, reportId: number): Promise<{ finalisedAt: string }> {
  await lockForEdit(tx, scope, reportId);
  const [r] = await tx.execute<{ at: string }>(sql`
    update reports set finalised_at = now(), finalised_by = ${actor.userId}, revision = revision + 1 where id = ${reportId} returning finalised_at as at`);
  const at = new Date(r!.at).toISOString();
  await audit(tx, actor, { action: "report.finalised", entity: "report", entityId: reportId, after: { finalisedAt: at } });
  await emit(tx, "reports.changed", { reportId });
  return { finalisedAt: at };
}

export function assertFormat(v: string | null): "xlsx" | "pdf" {
  if (v === "xlsx" || v === "pdf") return v;
  throw new Invalid([{ field: "format", code: "enum.invalid", params: { value: String(v), allowed: "xlsx, pdf" } }]);
}

/** Reports are the supervisors' and admins' (docs/reports.md): to anyone else a report does not exist. */
export function assertReportReader(role: string): void {
  if (role !== "supervisor" && role !== "admin") throw new NotFound("report");
}

/** A route's report id, or not found. */
export function reportIdOf(raw: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw new NotFound("report");
  return Number(raw);
}

/**
 * The demo's past: each branch's monthly report for the month before `asOf`, drafted as the schedule would, and a
 * year-to-date report per branch requested by its supervisor (a month of a demo branch holds few events), all
 * generated at once so a fresh install shows real reports (the worker then renders their PDFs).
 */
export async function draftDemoReports(db: Db, asOf: string): Promise<number> {
  const ids = await draftMonthly(db, monthBefore(asOf));
  const year = asOf.slice(0, 4);
  const p = periodOf(year)!;
  const yearly = await db.transaction(async (tx) => {
    const rows = await tx.execute<{ id: number }>(sql`
      insert into reports (branch_id, period, period_from, period_to, trigger, requested_by)
      select b.id, ${year}, ${p.from}::date, ${p.to}::date, 'user',
             (select u.id from users u where u.branch_id = b.id and u.role = 'supervisor' order by u.id limit 1)
      from branches b order by b.id returning id`);
    for (const r of rows) await emit(tx, "reports.requested", { reportId: r.id });
    return rows.map((r) => r.id);
  });
  for (const id of [...ids, ...yearly]) await generateReport(db, id, asOf);
  return ids.length + yearly.length;
}
