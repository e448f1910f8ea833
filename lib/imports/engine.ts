// The import engine: stream the file → validate each row (zod) → COPY valid rows into a temporary staging table →
// set-based checks in SQL (duplicates, references, conflicts) → merge into the real tables, all in one transaction.
// Nothing is written unless the whole file is valid. Memory stays flat: no step holds the file, only a batch.
import "server-only";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql as q } from "drizzle-orm";
import type postgres from "postgres";
import type { AuditActor } from "../audit";
import { executeSql, type Db } from "../db/client";
import { emitted } from "../pipeline/emit";
import { COLUMNS, type ImportKind } from "./columns";
import { ImportFileError, type ImportError, type ImportWarning } from "./errors";
import { KINDS, STAGE_TABLE, createStageSql, stageColumns } from "./merge";
import { openSource, type DetectedEncoding, type Encoding, type ImportSource, type SourceRow } from "./read";
import { rowSchema, validateRow, type RowValue } from "./rows";
import type { Params, RawCell } from "./values";
import type { ImportCounts } from "./view";

export type ImportOptions = {
  kind: ImportKind;
  filePath: string;
  /** The name the user gave the file: its extension helps tell CSV from XLSX. */
  fileName: string;
  encoding: Encoding;
  dryRun: boolean;
  /** Business date: repayments may not be dated after it; it goes with the loans queued for recomputation. */
  asOf: string;
  actor: AuditActor;
  importId?: number;
};

export type ImportPhase = "parsing" | "validating" | "writing";
export type ImportProgress = { phase: ImportPhase; rowsParsed: number; rowsValidated: number; rowsWritten: number };

export type ImportResult = ImportCounts & {
  status: "succeeded" | "rejected";
  kind: ImportKind;
  dryRun: boolean;
  detectedEncoding: DetectedEncoding;
  /** Loans sent to the outbox for recomputation. */
  loansQueued: number;
  errorCount: number;
  /** The first ERROR_CAP errors by row; errorCount is the total. */
  errors: ImportError[];
  warnings: ImportWarning[];
};

export const ERROR_CAP = 1_000;
// Rows per merge statement: progress between statements, each big enough that its fixed cost is noise.
const MERGE_CHUNK_ROWS = 250_000;
const PROGRESS_EVERY_ROWS = 10_000;
// The recompute jobs take at most this many loan ids each.
const OUTBOX_BATCH = 5_000;

/**
 * The id a repayment without a transaction id is stored under: the n-th (1-based) row of a file with the same
 * contract, date and amount is the n-th such payment. Mirrors the SQL in merge.ts.
 */
export function repaymentContentHash(contractNo: string, paidOn: string, amountFen: number, occurrence: number): string {
  return `h:${createHash("sha256").update(`${contractNo}|${paidOn}|${amountFen}|${occurrence}`).digest("hex")}`;
}

/** Keeps the first ERROR_CAP errors by row and counts all of them. */
class Errors {
  list: ImportError[] = [];
  total = 0;
  add(e: ImportError) {
    this.total++;
    if (this.list.length < ERROR_CAP) this.list.push(e);
  }
  merge(found: ImportError[], total: number) {
    this.total += total;
    this.list = [...this.list, ...found].sort((a, b) => (a.row ?? 0) - (b.row ?? 0)).slice(0, ERROR_CAP);
  }
}

// COPY text format: tab-separated, \N for null, backslash escapes for the characters that would break a row.
function copyCell(v: RowValue): string {
  if (v === null) return "\\N";
  if (typeof v === "number") return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c] as string) : v;
}

/** Thrown inside the transaction to roll a dry run back after it has counted what it would write. */
class DryRunDone extends Error {
  constructor(public readonly counts: { total: number; new: number; changed: number; loans: number }) {
    super("dry run");
  }
}

export async function runImport(db: Db, opts: ImportOptions, onProgress: (p: ImportProgress) => void = () => {}): Promise<ImportResult> {
  const { kind } = opts;
  const errors = new Errors();
  const progress: ImportProgress = { phase: "parsing", rowsParsed: 0, rowsValidated: 0, rowsWritten: 0 };
  const report = (p: Partial<ImportProgress>) => {
    Object.assign(progress, p);
    onProgress({ ...progress });
  };
  const result = (source: ImportSource | null, counts = { total: 0, new: 0, changed: 0, loans: 0 }): ImportResult => ({
    status: errors.total ? "rejected" : "succeeded",
    kind,
    dryRun: opts.dryRun,
    detectedEncoding: source?.detectedEncoding ?? null,
    rowsParsed: progress.rowsParsed,
    rowsValidated: progress.rowsValidated,
    rowsWritten: errors.total || opts.dryRun ? 0 : counts.total,
    rowsNew: counts.new,
    rowsChanged: counts.changed,
    rowsUnchanged: counts.total - counts.new - counts.changed,
    loansQueued: opts.dryRun ? 0 : counts.loans,
    errorCount: errors.total,
    errors: errors.list,
    warnings: source?.warnings ?? [],
  });
  const fileError = (e: unknown) => {
    if (!(e instanceof ImportFileError)) throw e;
    errors.add({ row: e.row, column: null, code: e.code, params: e.params });
  };

  report({});
  let source: ImportSource;
  try {
    source = await openSource(opts.filePath, opts);
  } catch (e) {
    fileError(e);
    return result(null);
  }
  const headerOf = new Map(source.columns.map((c) => [c.key, c.header]));

  try {
    const counts = await db.$client.begin(async (sql) => {
      // Room for the hash aggregates and sorts of the checks on a million-row staging table.
      await sql.unsafe(`set local work_mem = '64MB'`);
      await sql.unsafe(createStageSql(kind));
      await stage(sql, opts, source, errors, headerOf, report);
      if (progress.rowsParsed === 0) {
        errors.add({ row: null, column: null, code: "file.noRows", params: {} });
        return undefined;
      }

      report({ phase: "validating" });
      // Temporary tables are never auto-analysed; without statistics the planner assumes a handful of rows.
      await sql.unsafe(`analyze ${STAGE_TABLE}`);
      await runChecks(sql, kind, errors, headerOf);
      report({ rowsValidated: progress.rowsParsed });
      if (errors.total) return undefined;

      const merged = await merge(sql, opts, (written) => !opts.dryRun && report({ phase: "writing", rowsWritten: written }));
      if (opts.dryRun) throw new DryRunDone(merged);
      return merged;
    });
    return result(source, counts);
  } catch (e) {
    if (e instanceof DryRunDone) return result(source, e.counts);
    fileError(e);
    return result(source);
  } finally {
    await source.close();
  }
}

/** Streams the file's rows through validation into the staging table (COPY). */
async function stage(
  sql: postgres.TransactionSql,
  opts: ImportOptions,
  source: ImportSource,
  errors: Errors,
  headerOf: Map<string, string>,
  report: (p: Partial<ImportProgress>) => void,
): Promise<void> {
  const schema = rowSchema(opts.kind, opts.asOf);
  const keys = COLUMNS[opts.kind].map((c) => c.key);
  const indexOf = new Map(source.columns.map((c) => [c.key, c.index]));
  const positions = keys.map((k) => indexOf.get(k));
  const header = (key: string) => headerOf.get(key) ?? key;
  let parsed = 0;
  let reported = 0;

  // The row's COPY line, or null once its problems are recorded.
  const toLine = (r: SourceRow): string | null => {
    if (source.width !== null && r.fieldCount !== source.width) {
      errors.add({ row: r.row, column: null, code: "fieldCount", params: { expected: source.width, actual: r.fieldCount } });
      return null;
    }
    const raw: Record<string, RawCell> = {};
    for (let i = 0; i < keys.length; i++) {
      const p = positions[i];
      raw[keys[i] as string] = p === undefined ? null : (r.cells[p] ?? null);
    }
    const v = validateRow(schema, raw);
    if (!v.ok) {
      for (const i of v.issues) {
        const params: Params = typeof i.params.other === "string" ? { ...i.params, other: header(i.params.other) } : i.params;
        errors.add({ row: r.row, column: header(i.key), code: i.code, params });
      }
      return null;
    }
    let line = String(r.row);
    for (const k of keys) line += `\t${copyCell(v.values[k] ?? null)}`;
    return `${line}\n`;
  };

  // One COPY chunk per batch of rows: each row's strings die young, before the garbage collector has to move them.
  async function* lines(): AsyncGenerator<string> {
    for await (const batch of source.batches) {
      // Rows go on being staged after an error so the set-based checks can report the rest of the file too.
      let buf = "";
      for (const r of batch) buf += toLine(r) ?? "";
      parsed += batch.length;
      if (parsed - reported >= PROGRESS_EVERY_ROWS) report({ rowsParsed: (reported = parsed) });
      if (buf) yield buf;
    }
  }

  const target = await sql.unsafe(`copy ${STAGE_TABLE} (${stageColumns(opts.kind).join(", ")}) from stdin`).writable();
  await pipeline(Readable.from(lines()), target);
  report({ rowsParsed: parsed });
}

async function runChecks(sql: postgres.TransactionSql, kind: ImportKind, errors: Errors, headerOf: Map<string, string>): Promise<void> {
  for (const check of KINDS[kind].checks) {
    const rows = await sql.unsafe<{ row_no: number; params: Params; total: number }[]>(
      `select row_no, params, (count(*) over ())::int as total from (${check.sql}) c order by row_no limit $1`,
      [ERROR_CAP],
    );
    if (!rows.length) continue;
    const column = headerOf.get(check.key) ?? check.key;
    errors.merge(
      rows.map((r) => ({ row: r.row_no, column, code: check.code, params: r.params })),
      rows[0]?.total ?? 0,
    );
  }
}

async function merge(
  sql: postgres.TransactionSql,
  opts: ImportOptions,
  onWritten: (rows: number) => void,
): Promise<{ total: number; new: number; changed: number; loans: number }> {
  const spec = KINDS[opts.kind];
  onWritten(0);
  if (spec.touchesLoans) await sql.unsafe(`create temp table import_affected (loan_id integer primary key) on commit drop`);
  if (spec.prepare) await sql.unsafe(spec.prepare);
  const [range] = await sql.unsafe<{ max: number | null }[]>(`select max(row_no) as max from ${STAGE_TABLE}`);
  const counts = { total: 0, new: 0, changed: 0, loans: 0 };
  for (let lo = 1; lo <= (range?.max ?? 0); lo += MERGE_CHUNK_ROWS) {
    const [c] = await sql.unsafe<{ total: number; new: number; changed: number }[]>(spec.merge, [lo, lo + MERGE_CHUNK_ROWS - 1]);
    counts.total += c?.total ?? 0;
    counts.new += c?.new ?? 0;
    counts.changed += c?.changed ?? 0;
    onWritten(counts.total);
  }
  if (spec.touchesLoans) {
    // The delinquency engine recomputes these loans, a batch of them per outbox row.
    const [queued] = await executeSql<{ n: number }>(
      sql,
      q`with ob as (${emitted(
        "loans.recompute",
        q`select jsonb_build_object('loanIds', jsonb_agg(loan_id order by loan_id), 'asOf', ${opts.asOf}::text)
          from (select loan_id, (row_number() over (order by loan_id) - 1) / ${OUTBOX_BATCH} as batch from import_affected) a
          group by batch`,
      )} returning jsonb_array_length(payload -> 'loanIds') as n)
      select coalesce(sum(n), 0)::int as n from ob`,
      false,
    );
    counts.loans = queued?.n ?? 0;
  }
  const a = opts.actor;
  const after = { kind: opts.kind, fileName: opts.fileName, rows: counts.total, new: counts.new, changed: counts.changed, loansQueued: counts.loans };
  await sql`
    insert into audit_log (actor_id, actor_kind, action, entity, entity_id, after)
    values (${a.kind === "user" ? a.userId : null}, ${a.kind === "user" ? "user" : `system:${a.name}`}, 'import.write', 'imports',
            ${String(opts.importId ?? opts.fileName)}, ${JSON.stringify(after)}::text::jsonb)`;
  return counts;
}
