// What the imports page and its API share: the response shapes and how an import's status reads as steps and a
// progress bar. Pure and client-safe (no Node modules): the browser bundle imports it.
import type { ImportKind, ImportStatus } from "../vocabulary";

export { IMPORT_STATUSES, type ImportStatus } from "../vocabulary";
/** The encodings an upload may ask for (the same list as read.ts ENCODINGS, which the browser cannot import). */
export const UPLOAD_ENCODINGS = ["auto", "utf8", "gbk"] as const;
export type UploadEncoding = (typeof UPLOAD_ENCODINGS)[number];
/** Largest upload accepted; the engine streams, so this bounds disk use, not memory. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
export const UPLOAD_ACCEPT = ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export type ImportUser = { id: number; username: string; displayName: string };

/** An import's row counts, as the engine reports them and the imports table keeps them. */
export type ImportCounts = {
  rowsParsed: number;
  rowsValidated: number;
  /** Rows merged (new + changed + unchanged); 0 for a dry run or a rejected file. */
  rowsWritten: number;
  rowsNew: number;
  rowsChanged: number;
  rowsUnchanged: number;
};

export type ImportListRow = ImportCounts & {
  id: number;
  kind: ImportKind;
  fileName: string;
  fileBytes: number;
  dryRun: boolean;
  status: ImportStatus;
  user: ImportUser | null;
  errorCount: number;
  createdAt: string;
  finishedAt: string | null;
};

export type ImportErrorView = { row: number | null; column: string | null; code: string; message: string };

export type ImportDetail = ImportListRow & {
  encoding: string;
  detectedEncoding: string | null;
  startedAt: string | null;
  /** The first errors stored with the import (at most 1,000), worded in the reader's language; errorCount is the total. */
  errors: ImportErrorView[];
  warnings: string[];
  failure: string | null;
};

export type ImportList = { rows: ImportListRow[]; total: number; page: number; pageSize: number };

/** Finished for good: nothing about the import changes any more. A failed import may still be retried. */
export function isFinished(status: ImportStatus): boolean {
  return status === "succeeded" || status === "rejected";
}

/** How often the page asks about an import: every second while it runs, slower once it failed (a retry may come). */
export function pollInterval(status: ImportStatus | undefined): number | false {
  if (status === undefined) return 1_000;
  if (isFinished(status)) return false;
  return status === "failed" ? 5_000 : 1_000;
}

export const STEP_KEYS = ["parsing", "validating", "writing", "done"] as const;
export type StepState = { current: number; status: "wait" | "process" | "finish" | "error" };

/** Where an import stands on the steps parsing → validating → writing → done. */
export function stepState(d: Pick<ImportListRow, "status" | "rowsParsed" | "rowsValidated">): StepState {
  switch (d.status) {
    case "queued":
      return { current: 0, status: "wait" };
    case "parsing":
      return { current: 0, status: "process" };
    case "validating":
      return { current: 1, status: "process" };
    case "writing":
      return { current: 2, status: "process" };
    case "succeeded":
      return { current: 3, status: "finish" };
    // A file that cannot be read fails at parsing; anything else is turned back by validation.
    case "rejected":
      return { current: d.rowsParsed === 0 ? 0 : 1, status: "error" };
    case "failed":
      return { current: d.rowsValidated > 0 ? 2 : d.rowsParsed > 0 ? 1 : 0, status: "error" };
  }
}

/**
 * The progress bar's percentage. The row total is unknown until the file is read, so the phases get fixed shares
 * (reading to 40 %, checks to 70 %) and only writing, whose total is known, moves smoothly.
 */
export function progressPercent(d: Pick<ImportListRow, "status" | "rowsValidated" | "rowsWritten">): number {
  switch (d.status) {
    case "queued":
      return 0;
    case "parsing":
      return 10;
    case "validating":
      return 40;
    case "writing": {
      const share = d.rowsValidated > 0 ? Math.min(1, d.rowsWritten / d.rowsValidated) : 0;
      return Math.round(70 + 29 * share);
    }
    case "succeeded":
    case "rejected":
      return 100;
    case "failed":
      return 0;
  }
}

/** How a CSV was actually decoded, as people name encodings. */
export function detectedEncodingLabel(e: string): string {
  return ({ utf8: "UTF-8", "utf8-bom": "UTF-8 (BOM)", gb18030: "GB18030" } as Record<string, string>)[e] ?? e;
}

/** "12.3 MB"-style sizes for the file column. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const one = (v: number) => v.toFixed(1).replace(/\.0$/, "");
  if (n < 1024 * 1024) return `${one(n / 1024)} KB`;
  return `${one(n / 1024 / 1024)} MB`;
}
