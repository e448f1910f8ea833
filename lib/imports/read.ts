// Streaming readers for import files: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) and XLSX. They map the header
// onto the kind's canonical columns and yield one row at a time, so memory does not depend on the file's size.
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import path from "node:path";
import { Readable, pipeline } from "node:stream";
import { parse, type CsvError } from "csv-parse";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { COLUMNS, matchHeader, type ImportKind } from "./columns";
import { ImportFileError, type ImportWarning } from "./errors";
import type { RawCell } from "./values";
import { checkXlsxZip } from "./zip";
import { withRetries } from "../retry";

export const ENCODINGS = ["auto", "utf8", "gbk"] as const;
export type Encoding = (typeof ENCODINGS)[number];
/** What a CSV file was decoded as; null for XLSX, which carries its own encoding. */
export type DetectedEncoding = "utf8" | "utf8-bom" | "gb18030" | null;
export type FileFormat = "csv" | "xlsx";

/** A canonical column found in the file: its position and the header text as the file writes it. */
export type SourceColumn = { key: string; header: string; index: number };
/** One data row: `row` counts from 1 at the first row under the header; `cells` are by file position. */
export type SourceRow = { row: number; cells: readonly RawCell[]; fieldCount: number };
// Rows come in batches: one promise per batch rather than per row is a third of the parsing time saved.
const BATCH_ROWS = 1_000;

export type ImportSource = {
  format: FileFormat;
  detectedEncoding: DetectedEncoding;
  columns: readonly SourceColumn[];
  /** Number of header fields; CSV rows with another count are truncated or shifted. Null for XLSX. */
  width: number | null;
  warnings: ImportWarning[];
  /** The data rows in file order, a batch at a time; blank rows are skipped but keep their number. */
  batches: AsyncIterable<readonly SourceRow[]>;
  /** Releases the file when reading stops early (reading to the end releases it too). */
  close(): Promise<void>;
};

/** Data rows an import may have (the benchmark's million fits): a sheet's row count costs time and disk, not memory. */
export const MAX_DATA_ROWS = 1_000_000;
const tooManyRows = () => new ImportFileError("file.tooManyRows", { max: MAX_DATA_ROWS.toLocaleString("en-US") });

const SNIFF_BYTES = 64 * 1024;
// Far beyond any real row, low enough that an unclosed quote cannot swallow the whole file into memory.
const MAX_RECORD_CHARS = 1 << 20;

async function head(filePath: string, n: number): Promise<Buffer> {
  const fh = await open(filePath, "r");
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function formatOf(fileName: string, first: Buffer): FileFormat {
  // The content decides over the name: an XLSX is a zip (PK\3\4) whatever it is called.
  if (first.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return "xlsx";
  const ext = path.extname(fileName).toLowerCase();
  if (first.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])) || ext === ".xls") throw new ImportFileError("file.unsupportedFormat", { format: ".xls" });
  if (ext === ".xlsx" || ext === ".xlsm") throw new ImportFileError("file.unreadable", { format: "XLSX" });
  if (ext === "" || ext === ".csv" || ext === ".txt") return "csv";
  throw new ImportFileError("file.unsupportedFormat", { format: ext });
}

/**
 * UTF-8 when the sample is valid UTF-8 (a BOM settles it at once), GB18030 otherwise: the choice is between two
 * encodings, and strict UTF-8 validation decides it exactly where statistical guessing would not.
 */
export function detectEncoding(sample: Buffer, override: Encoding): Exclude<DetectedEncoding, null> {
  const bom = sample.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
  if (override === "utf8") return bom ? "utf8-bom" : "utf8";
  if (override === "gbk") return "gb18030";
  if (bom) return "utf8-bom";
  const b0 = sample[0];
  const b1 = sample[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) throw new ImportFileError("file.encoding", { encoding: "UTF-16" });
  try {
    // stream: true tolerates a character cut in two at the end of the sample.
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: true });
    return "utf8";
  } catch {
    return "gb18030";
  }
}

// Undecodable bytes become U+FFFD here and are reported against the row and column they land in.
async function* decode(filePath: string, enc: Exclude<DetectedEncoding, null>): AsyncGenerator<string> {
  const decoder = enc === "gb18030" ? iconv.getDecoder("gb18030") : null;
  const utf8 = new TextDecoder("utf-8", { ignoreBOM: false });
  for await (const chunk of createReadStream(filePath, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    const s = decoder ? decoder.write(chunk) : utf8.decode(chunk, { stream: true });
    if (s) yield s;
  }
  const rest = decoder ? (decoder.end() ?? "") : utf8.decode();
  if (rest) yield rest;
}

function isBlankRow(cells: readonly RawCell[]): boolean {
  return cells.every((c) => c === null || (typeof c === "string" && c.trim() === ""));
}

function headerText(c: RawCell): string {
  if (c === null) return "";
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  if (typeof c === "object") return c.kind === "formula" ? `=${c.formula}` : c.text;
  return String(c).trim();
}

/** Maps header cells to canonical columns; unknown ones become warnings, missing required ones a file error. */
function mapHeader(kind: ImportKind, header: readonly RawCell[]): { columns: SourceColumn[]; warnings: ImportWarning[] } {
  const columns: SourceColumn[] = [];
  const warnings: ImportWarning[] = [];
  header.forEach((cell, index) => {
    const text = headerText(cell);
    if (text === "") return;
    const def = matchHeader(kind, text);
    if (!def) {
      warnings.push({ code: "column.ignored", params: { column: text } });
      return;
    }
    if (columns.some((c) => c.key === def.key)) throw new ImportFileError("file.duplicateColumn", { column: text });
    columns.push({ key: def.key, header: text, index });
  });
  const missing = COLUMNS[kind].filter((c) => c.required && !columns.some((s) => s.key === c.key));
  if (missing.length) throw new ImportFileError("file.missingColumns", { columns: missing.map((c) => `${c.en} (${c.zh})`).join(", ") });
  return { columns, warnings };
}

// csv-parse counts complete records (the header included, blank lines too), so the broken one is data row `records`.
function csvSyntaxError(e: CsvError): ImportFileError {
  const reasons: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: "quote not closed",
    CSV_INVALID_CLOSING_QUOTE: "invalid closing quote",
    CSV_MAX_RECORD_SIZE: "row too long",
  };
  const records = (e as CsvError & { records?: number }).records ?? 0;
  return new ImportFileError("file.csvSyntax", { reason: reasons[e.code] ?? e.code }, records > 0 ? records : null);
}

/** Drains an object-mode stream up to `max` items at a time; waits only when it has nothing buffered. */
async function* drain<T>(stream: Readable, max: number): AsyncGenerator<T[]> {
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  stream.on("readable", () => wake?.());
  // "close" too: a stream destroyed while someone waits must end the wait, not leave it hanging.
  stream.on("end", () => ((ended = true), wake?.()));
  stream.on("close", () => ((ended = true), wake?.()));
  stream.on("error", (e) => ((failure = e), wake?.()));
  for (;;) {
    const batch: T[] = [];
    for (let item: T | null; batch.length < max && (item = stream.read() as T | null) !== null; ) batch.push(item);
    if (batch.length) {
      yield batch;
      continue;
    }
    if (failure) throw failure;
    if (ended) return;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
}

async function openCsv(kind: ImportKind, filePath: string, sample: Buffer, encoding: Encoding): Promise<ImportSource> {
  const detectedEncoding = detectEncoding(sample, encoding);
  // Line endings are detected from the first line: a trailing \r on a mixed-ending file is trimmed with the cell.
  const parser = parse({ relax_column_count: true, relax_quotes: true, max_record_size: MAX_RECORD_CHARS });
  // pipeline, not pipe: a read error reaches the parser, and destroying the parser closes the file.
  pipeline(Readable.from(decode(filePath, detectedEncoding)), parser, () => {});
  const close = async () => void parser.destroy();
  const records = drain<string[]>(parser, BATCH_ROWS);
  const next = async (): Promise<IteratorResult<string[][]>> => {
    try {
      return await records.next();
    } catch (e) {
      throw (e as CsvError).code?.startsWith("CSV_") ? csvSyntaxError(e as CsvError) : e;
    }
  };

  // The header is the first non-blank record; the rest of its batch is data.
  let pending: string[][] = [];
  let header: string[] | undefined;
  let mapped: ReturnType<typeof mapHeader>;
  try {
    while (!header) {
      const r = await next();
      if (r.done) throw new ImportFileError("file.empty");
      const at = r.value.findIndex((rec) => !isBlankRow(rec));
      if (at >= 0) [header, pending] = [r.value[at], r.value.slice(at + 1)];
    }
    mapped = mapHeader(kind, header);
  } catch (e) {
    await close();
    throw e;
  }
  const { columns, warnings } = mapped;
  const width = header.length;

  async function* batches(): AsyncGenerator<SourceRow[]> {
    let row = 0;
    const toRows = (recs: string[][]) => {
      const out: SourceRow[] = [];
      for (const rec of recs) {
        if (++row > MAX_DATA_ROWS) throw tooManyRows();
        if (!isBlankRow(rec)) out.push({ row, cells: rec, fieldCount: rec.length });
      }
      return out;
    };
    try {
      if (pending.length) yield toRows(pending);
      for (let r = await next(); !r.done; r = await next()) yield toRows(r.value);
    } finally {
      await close();
    }
  }
  return { format: "csv", detectedEncoding, columns, width, warnings, batches: batches(), close };
}

type ExcelValue = ExcelJS.CellValue | undefined;

function xlsxCell(v: ExcelValue): RawCell {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || v instanceof Date) return v;
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if ("formula" in v || "sharedFormula" in v) return { kind: "formula", formula: "formula" in v ? String(v.formula) : String(v.sharedFormula) };
  if ("error" in v) return { kind: "error", text: String(v.error) };
  if ("richText" in v) return v.richText.map((t) => t.text).join("");
  // A hyperlink cell's text is rich text when the link is styled, whatever the typings say.
  if ("text" in v) {
    const t: unknown = v.text;
    return typeof t === "string" ? t : ((t as ExcelJS.CellRichTextValue).richText ?? []).map((r) => r.text).join("");
  }
  return null;
}

/**
 * ExcelJS's streaming reader sometimes loses the zip's last entries (exceljs#3064, open upstream): the same bytes read
 * fine on the next try. Our own central-directory check has already vouched for the structure, so a reader that throws
 * something other than our own error, or finds no worksheet the directory lists, is read again, a bounded number of times.
 */
const XLSX_OPEN_ATTEMPTS = 4;

class XlsxReaderRace extends Error {}

async function openXlsx(kind: ImportKind, filePath: string): Promise<ImportSource> {
  const unreadable = () => new ImportFileError("file.unreadable", { format: "XLSX" });
  // Before ExcelJS inflates anything: a zip bomb is refused on its structure, not discovered by running out of memory.
  const { hasWorksheet } = await checkXlsxZip(filePath);
  const firstSheet = async () => {
    // Shared strings are cached (the sheet refers to them by index); styles let date cells come out as dates.
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(filePath, { worksheets: "emit", sharedStrings: "cache", styles: "cache", hyperlinks: "ignore", entries: "emit" });
    const sheets = reader[Symbol.asyncIterator]();
    try {
      // Only the first sheet holds data; a template's second sheet explains the columns.
      const sheet = await sheets.next();
      if (sheet.done && hasWorksheet) throw new XlsxReaderRace();
      if (sheet.done) throw new ImportFileError("file.empty");
      return { sheets, rows: sheet.value[Symbol.asyncIterator]() };
    } catch (e) {
      await sheets.return?.(undefined).catch(() => {});
      throw e instanceof ImportFileError ? e : new XlsxReaderRace();
    }
  };
  let opened: Awaited<ReturnType<typeof firstSheet>>;
  try {
    opened = await withRetries(firstSheet, { retryIf: (e) => e instanceof XlsxReaderRace, attempts: XLSX_OPEN_ATTEMPTS });
  } catch (e) {
    throw e instanceof ImportFileError ? e : unreadable();
  }
  const { sheets, rows: sheetRows } = opened;
  const next = async (): Promise<IteratorResult<ExcelJS.Row>> => {
    try {
      return await sheetRows.next();
    } catch {
      throw unreadable();
    }
  };
  const cellsOf = (r: ExcelJS.Row): RawCell[] => {
    // row.values is 1-based and sparse.
    const values = r.values as ExcelValue[];
    const out: RawCell[] = [];
    for (let i = 1; i < values.length; i++) out.push(xlsxCell(values[i]));
    return out;
  };

  const close = async () => void (await sheets.return?.(undefined));
  let first = await next();
  while (!first.done && isBlankRow(cellsOf(first.value))) first = await next();
  if (first.done) {
    await close();
    throw new ImportFileError("file.empty");
  }
  const headerRow = first.value.number;
  let mapped: ReturnType<typeof mapHeader>;
  try {
    mapped = mapHeader(kind, cellsOf(first.value));
  } catch (e) {
    await close();
    throw e;
  }
  const { columns, warnings } = mapped;

  async function* batches(): AsyncGenerator<SourceRow[]> {
    let batch: SourceRow[] = [];
    try {
      for (let r = await next(); !r.done; r = await next()) {
        const row = r.value.number - headerRow;
        if (row > MAX_DATA_ROWS) throw tooManyRows();
        const cells = cellsOf(r.value);
        if (!isBlankRow(cells)) batch.push({ row, cells, fieldCount: cells.length });
        if (batch.length >= BATCH_ROWS) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    } finally {
      await close();
    }
  }
  return { format: "xlsx", detectedEncoding: null, columns, width: null, warnings, batches: batches(), close };
}

/** Opens an import file, reads and maps its header; throws ImportFileError for problems with the file as a whole. */
export async function openSource(filePath: string, opts: { kind: ImportKind; fileName: string; encoding: Encoding }): Promise<ImportSource> {
  const size = (await stat(filePath)).size;
  if (size === 0) throw new ImportFileError("file.empty");
  const sample = await head(filePath, SNIFF_BYTES);
  return formatOf(opts.fileName, sample) === "xlsx" ? openXlsx(opts.kind, filePath) : openCsv(opts.kind, filePath, sample, opts.encoding);
}
