// The `imports` row around an engine run: created at upload (or by the CLI), claimed by the worker, kept up to date
// with progress so the UI can poll it, and closed with the result. The stored upload is deleted once done.
import "server-only";
import { rm, stat } from "node:fs/promises";
import { UnrecoverableError } from "bullmq";
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import type { AuditActor } from "../audit";
import type { Db, DbOrTx } from "../db/client";
import { imports } from "../db/schema";
import { safeErrorMessage } from "../log";
import { enqueue, type Queues } from "../pipeline/queues";
import { todayIn } from "../time";
import type { ImportKind } from "./columns";
import { runImport, type ImportProgress, type ImportResult } from "./engine";
import { REFUSED_FILE_CODES } from "./errors";
import type { Encoding } from "./read";

export type NewImport = {
  kind: ImportKind;
  fileName: string;
  fileBytes: number;
  /** Where the upload waits for the worker; null when the caller runs the file in-process (CLI). */
  storedPath: string | null;
  encoding: Encoding;
  dryRun: boolean;
  userId: number | null;
};

export async function createImport(db: DbOrTx, input: NewImport): Promise<number> {
  const [row] = await db.insert(imports).values(input).returning({ id: imports.id });
  if (!row) throw new Error("insert into imports returned nothing");
  return row.id;
}

/** The BullMQ job id of an import's run: one per import. */
export const importJobId = (importId: number) => `imports.run-${importId}`;

/** Queues the worker's run of an import; the job id is deterministic, so enqueueing twice runs it once. */
export async function enqueueImport(queues: Queues, importId: number, asOf?: string): Promise<void> {
  await enqueue(queues, "imports.run", asOf ? { importId, asOf } : { importId }, { jobId: importJobId(importId) });
}

const TERMINAL = new Set(["succeeded", "rejected"]);
// Often enough for a progress bar, rarely enough that the row's updates cost nothing next to the import.
const PROGRESS_WRITE_MS = 500;

export type ProcessOptions = {
  /** The file to read instead of the row's stored upload (the CLI reads the operator's own file, never deleted). */
  filePath?: string;
  asOf?: string;
  /** Who the audit log names when the import has no user. */
  systemActor?: string;
  log?: Logger;
};

/**
 * Runs an import recorded in `imports`, keeping its row up to date. Returns null when the import was already
 * finished (a redelivered job). An unexpected failure marks the row failed and is rethrown so the job retries;
 * the upload is kept until the import finishes.
 */
export async function processImport(db: Db, importId: number, opts: ProcessOptions = {}): Promise<ImportResult | null> {
  const [row] = await db.select().from(imports).where(eq(imports.id, importId));
  if (!row) throw new UnrecoverableError(`import ${importId} does not exist`);
  if (TERMINAL.has(row.status)) return null;
  const filePath = opts.filePath ?? row.storedPath;
  const fail = async (failure: string) => {
    await db.update(imports).set({ status: "failed", failure, finishedAt: new Date() }).where(eq(imports.id, importId));
  };
  if (!filePath || !(await stat(/* turbopackIgnore: true */ filePath).catch(() => null))) {
    await fail("the uploaded file is missing");
    throw new UnrecoverableError(`import ${importId} has no readable file`);
  }

  await db
    .update(imports)
    .set({ status: "parsing", startedAt: new Date(), finishedAt: null, failure: null, rowsParsed: 0, rowsValidated: 0, rowsWritten: 0 })
    .where(eq(imports.id, importId));

  // Progress writes are chained (never two at once, never out of order) and throttled; a failed one is only logged.
  let chain: Promise<void> = Promise.resolve();
  let lastWrite = 0;
  let lastPhase = "parsing";
  const onProgress = (p: ImportProgress) => {
    const now = Date.now();
    if (p.phase === lastPhase && now - lastWrite < PROGRESS_WRITE_MS) return;
    [lastWrite, lastPhase] = [now, p.phase];
    chain = chain
      .then(async () => {
        await db
          .update(imports)
          .set({ status: p.phase, rowsParsed: p.rowsParsed, rowsValidated: p.rowsValidated, rowsWritten: p.rowsWritten })
          .where(eq(imports.id, importId));
      })
      .catch((err: unknown) => opts.log?.warn({ err, importId }, "import progress update failed"));
  };

  const actor: AuditActor = row.userId !== null ? { kind: "user", userId: row.userId } : { kind: "system", name: opts.systemActor ?? "import" };
  let result: ImportResult;
  try {
    result = await runImport(
      db,
      {
        kind: row.kind,
        filePath,
        fileName: row.fileName,
        encoding: row.encoding as Encoding,
        dryRun: row.dryRun,
        asOf: opts.asOf ?? todayIn(),
        actor,
        importId,
      },
      onProgress,
    );
  } catch (e) {
    await chain;
    // Admins read this: a query error's bound values (names, phones) stay out of it, as they do out of the logs.
    await fail(safeErrorMessage(e).slice(0, 500));
    throw e;
  }
  await chain;
  await db
    .update(imports)
    .set({
      status: result.status,
      detectedEncoding: result.detectedEncoding,
      rowsParsed: result.rowsParsed,
      rowsValidated: result.rowsValidated,
      rowsWritten: result.rowsWritten,
      rowsNew: result.rowsNew,
      rowsChanged: result.rowsChanged,
      rowsUnchanged: result.rowsUnchanged,
      errorCount: result.errorCount,
      errors: result.errors,
      warnings: result.warnings,
      finishedAt: new Date(),
      storedPath: opts.filePath ? row.storedPath : null,
    })
    .where(eq(imports.id, importId));
  if (!opts.filePath && row.storedPath) await rm(row.storedPath, { force: true });
  opts.log?.info({ importId, kind: row.kind, status: result.status, rows: result.rowsParsed, errors: result.errorCount }, "import finished");
  return result;
}

/**
 * The `imports.run` job: runs the upload, then its row says how it went. A file refused for its size or shape (a
 * zip bomb, too many rows) is recorded as rejected like any bad file, and fails the job for good, so that the
 * queue dashboard shows it and BullMQ does not try it again.
 */
export async function runImportJob(db: Db, payload: { importId: number; asOf?: string }, log: Logger) {
  const result = await processImport(db, payload.importId, { asOf: payload.asOf, log });
  const refused = result?.errors.find((e) => REFUSED_FILE_CODES.has(e.code));
  if (refused) throw new UnrecoverableError(`import ${payload.importId}: file refused (${refused.code})`);
  return result
    ? { status: result.status, rows: result.rowsParsed, written: result.rowsWritten, loansQueued: result.loansQueued, errors: result.errorCount }
    : { status: "already finished", written: 0, loansQueued: 0 };
}
