// Import problems as data ({row, column, code, params}), rendered later in the reader's language through the shared
// catalogue (messages/*.json: issues.*, imports.report.*), which the error CSV and the CLI read with an explicit
// locale. Rows are data rows (1 = the first row under the header); columns are named as the file's own header names them.
import { issueMessage, translator } from "../http/messages";
import type { Params } from "./values";

export type ImportError = { row: number | null; column: string | null; code: string; params: Params };
export type ImportWarning = { code: string; params: Params };

/** A problem with the file as a whole (unreadable, no header, broken CSV): nothing row by row follows it. */
export class ImportFileError extends Error {
  constructor(
    public readonly code: string,
    public readonly params: Params = {},
    /** The data row where reading broke off, when there is one. */
    public readonly row: number | null = null,
  ) {
    super(code);
    this.name = "ImportFileError";
  }
}

/** Files refused for their size or shape (zip bombs, too many rows): never worth another attempt. */
export const REFUSED_FILE_CODES: ReadonlySet<string> = new Set(["file.tooManyRows", "file.xlsxEntries", "file.xlsxTooLarge", "file.xlsxEntryTooLarge", "file.xlsxCompression", "file.xlsxInconsistent"]);
/** `row 12, column 还款金额: Must not be negative.` (zh: `第 12 行，还款金额 列：…`); file-level problems have no position. */
export function formatImportError(err: ImportError, locale: string): string {
  const message = issueMessage(err, locale);
  const t = translator(locale, "imports.report");
  if (err.row !== null && err.column !== null) return t("rowColumn", { row: err.row, column: err.column, message });
  if (err.row !== null) return t("row", { row: err.row, message });
  if (err.column !== null) return t("column", { column: err.column, message });
  return message;
}

export function formatImportWarning(w: ImportWarning, locale: string): string {
  const t = translator(locale, "imports.warnings");
  return t.has(w.code) ? t(w.code, w.params) : w.code;
}

// The report is opened in spreadsheets: a cell that could run as a formula is prefixed with a quote.
function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The error report as CSV (UTF-8 with BOM so Excel shows Chinese correctly). */
export function errorReportCsv(errors: readonly ImportError[], locale: string): string {
  const t = translator(locale, "imports.report.headers");
  const head = ["row", "column", "code", "message"].map((k) => t(k));
  const lines = errors.map((e) => [e.row === null ? "" : String(e.row), e.column ?? "", e.code, issueMessage(e, locale)].map(csvCell).join(","));
  return `\uFEFF${[head.join(","), ...lines].join("\r\n")}\r\n`;
}
