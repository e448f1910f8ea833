// Reading imports for the imports page and its API. Imports are a back-office record (admins only, checked by the
// callers' guard); their errors are stored as codes and worded here in the reader's language.
import "server-only";
import { and, count, desc, eq, getTableColumns } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "../db/client";
import { imports, users } from "../db/schema";
import { NotFound } from "../errors";
import { issueMessage } from "../http/messages";
import { IMPORT_KINDS } from "./columns";
import { formatImportWarning, type ImportError, type ImportWarning } from "./errors";
import { IMPORT_STATUSES, type ImportDetail, type ImportErrorView, type ImportList, type ImportListRow } from "./view";
import { paging } from "../http/paging";

export const importListQuery = z.object({
  ...paging(100),
  kind: z.enum(IMPORT_KINDS).optional(),
  status: z.enum(IMPORT_STATUSES).optional(),
});
export type ImportListQuery = z.output<typeof importListQuery>;

/** An id as it appears in a URL; anything else is simply not found. */
export function parseImportId(raw: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw new NotFound("import");
  return Number(raw);
}

const { errors: _errors, warnings: _warnings, storedPath: _storedPath, ...listColumns } = getTableColumns(imports);

type Row = typeof imports.$inferSelect & { username: string | null; displayName: string | null };

function toListRow(r: Omit<Row, "errors" | "warnings" | "storedPath">): ImportListRow {
  return {
    id: r.id,
    kind: r.kind,
    fileName: r.fileName,
    fileBytes: r.fileBytes,
    dryRun: r.dryRun,
    status: r.status,
    user: r.userId !== null && r.username !== null ? { id: r.userId, username: r.username, displayName: r.displayName ?? r.username } : null,
    rowsParsed: r.rowsParsed,
    rowsValidated: r.rowsValidated,
    rowsWritten: r.rowsWritten,
    rowsNew: r.rowsNew,
    rowsChanged: r.rowsChanged,
    rowsUnchanged: r.rowsUnchanged,
    errorCount: r.errorCount,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** Every import, newest first, a page at a time. */
export async function listImports(db: DbOrTx, q: ImportListQuery): Promise<ImportList> {
  const cond = and(q.kind ? eq(imports.kind, q.kind) : undefined, q.status ? eq(imports.status, q.status) : undefined);
  const [rows, [total]] = await Promise.all([
    db
      .select({ ...listColumns, username: users.username, displayName: users.displayName })
      .from(imports)
      .leftJoin(users, eq(users.id, imports.userId))
      .where(cond)
      .orderBy(desc(imports.createdAt), desc(imports.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(imports).where(cond),
  ]);
  return { rows: rows.map(toListRow), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
}

async function loadImport(db: DbOrTx, id: number): Promise<Row> {
  const [row] = await db
    .select({ ...getTableColumns(imports), username: users.username, displayName: users.displayName })
    .from(imports)
    .leftJoin(users, eq(users.id, imports.userId))
    .where(eq(imports.id, id));
  if (!row) throw new NotFound("import");
  return row;
}

/** One import with its stored errors and warnings worded in `locale`. */
export async function importDetail(db: DbOrTx, id: number, locale: string): Promise<ImportDetail> {
  const row = await loadImport(db, id);
  const errors = (row.errors as ImportError[]).map<ImportErrorView>((e) => ({ row: e.row, column: e.column, code: e.code, message: issueMessage(e, locale) }));
  return {
    ...toListRow(row),
    encoding: row.encoding,
    detectedEncoding: row.detectedEncoding,
    startedAt: row.startedAt?.toISOString() ?? null,
    errors,
    warnings: (row.warnings as ImportWarning[]).map((w) => formatImportWarning(w, locale)),
    failure: row.failure,
  };
}

/** The stored errors of an import (for the CSV report). */
export async function importErrors(db: DbOrTx, id: number): Promise<{ id: number; errors: ImportError[] }> {
  const row = await loadImport(db, id);
  return { id: row.id, errors: row.errors as ImportError[] };
}
