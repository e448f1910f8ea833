import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { afterAll, describe, expect, it } from "vitest";
import { COLUMNS, IMPORT_KINDS } from "./columns";
import { ImportFileError } from "./errors";
import { detectEncoding, openSource, type Encoding, type ImportSource, type SourceRow } from "./read";
import { rowSchema, validateRow } from "./rows";
import { buildTemplate } from "./template";

const dir = mkdtempSync(path.join(tmpdir(), "cw-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, `${++n}-${name}`);
  writeFileSync(p, content);
  return p;
}

async function rows(source: ImportSource): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const b of source.batches) out.push(...b);
  return out;
}

const open = (p: string, encoding: Encoding = "auto", kind: "repayments" | "customers" = "repayments") =>
  openSource(p, { kind, fileName: path.basename(p), encoding });

async function fileError(p: Promise<unknown>): Promise<{ code: string; params: object; row?: number }> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof ImportFileError)) throw new Error(`expected an ImportFileError, got ${String(e)}`);
  return e.row === null ? { code: e.code, params: e.params } : { code: e.code, params: e.params, row: e.row };
}

const CN = "杭州示例机械有限公司·张伟（法定代表人）";

describe("CSV", () => {
  it("maps Chinese headers in any order, ignores unknown columns with a warning, numbers rows from 1 under the header", async () => {
    const src = await open(file("r.csv", "还款金额,备注,合同编号,还款日期\n100,x,L1,2026-01-01\n\n200,y,L2,2026-01-02\n"));
    expect(src.format).toBe("csv");
    expect(src.detectedEncoding).toBe("utf8");
    expect(src.columns).toEqual([
      { key: "amount", header: "还款金额", index: 0 },
      { key: "contract_no", header: "合同编号", index: 2 },
      { key: "paid_on", header: "还款日期", index: 3 },
    ]);
    expect(src.warnings).toEqual([{ code: "column.ignored", params: { column: "备注" } }]);
    // The blank line keeps its number: row 3 is the third line under the header.
    expect(await rows(src)).toEqual([
      { row: 1, cells: ["100", "x", "L1", "2026-01-01"], fieldCount: 4 },
      { row: 3, cells: ["200", "y", "L2", "2026-01-02"], fieldCount: 4 },
    ]);
  });

  it("reads quoted fields with commas, quotes and line breaks, and CRLF line endings", async () => {
    const src = await open(file("q.csv", 'contract_no,paid_on,amount\r\n"L1","2026-01-01","1,234.56"\r\n"L""2",2026-01-02,"1\n2"\r\n'));
    expect((await rows(src)).map((r) => r.cells)).toEqual([
      ["L1", "2026-01-01", "1,234.56"],
      ['L"2', "2026-01-02", "1\n2"],
    ]);
  });

  it("keeps the field count so truncated and shifted rows can be refused", async () => {
    const src = await open(file("t.csv", "contract_no,paid_on,amount,external_id\nL1,2026-01-01\nL2,2026-01-01,1,234.56,X\n"));
    expect(src.width).toBe(4);
    expect((await rows(src)).map((r) => r.fieldCount)).toEqual([2, 5]);
  });

  it("round-trips Chinese text from UTF-8 with a BOM", async () => {
    const src = await open(file("bom.csv", `\uFEFF客户编号,企业名称\nC1,${CN}\n`), "auto", "customers").catch((e: ImportFileError) => e);
    // Missing columns are a file error; the header itself decoded (BOM gone) is what matters here.
    expect(src).toBeInstanceOf(ImportFileError);
    const ok = await open(file("bom2.csv", `\uFEFF合同编号,还款日期,还款金额,流水号\n${CN},2026-01-01,1,\n`));
    expect(ok.detectedEncoding).toBe("utf8-bom");
    expect(ok.columns[0]).toEqual({ key: "contract_no", header: "合同编号", index: 0 });
    expect((await rows(ok))[0]?.cells[0]).toBe(CN);
  });

  it("detects GBK (GB18030) and round-trips Chinese text exactly", async () => {
    const p = file("gbk.csv", iconv.encode(`合同编号,还款日期,还款金额,流水号\n${CN},2026-01-01,1,\n`, "gbk"));
    const src = await open(p);
    expect(src.detectedEncoding).toBe("gb18030");
    expect((await rows(src))[0]?.cells[0]).toBe(CN);
  });

  it("decodes a GBK file forced to UTF-8 into replacement characters (reported per cell later)", async () => {
    const p = file("gbk-as-utf8.csv", iconv.encode(`contract_no,paid_on,amount\n${CN},2026-01-01,1\n`, "gbk"));
    const src = await open(p, "utf8");
    expect(src.detectedEncoding).toBe("utf8");
    expect(String((await rows(src))[0]?.cells[0])).toContain("\uFFFD");
  });

  it("honours --encoding gbk on a file that would also pass as UTF-8", async () => {
    const src = await open(file("ascii.csv", "contract_no,paid_on,amount\nL1,2026-01-01,1\n"), "gbk");
    expect(src.detectedEncoding).toBe("gb18030");
  });

  it("refuses UTF-16", async () => {
    const p = file("u16.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("contract_no,paid_on,amount\n", "utf16le")]));
    expect(await fileError(open(p))).toEqual({ code: "file.encoding", params: { encoding: "UTF-16" } });
  });

  it("names the missing required columns", async () => {
    expect(await fileError(open(file("m.csv", "合同编号,备注\nL1,x\n")))).toEqual({
      code: "file.missingColumns",
      params: { columns: "paid_on (还款日期), amount (还款金额)" },
    });
  });

  it("refuses a column given twice (in English and in Chinese)", async () => {
    expect(await fileError(open(file("d.csv", "contract_no,合同编号,paid_on,amount\n")))).toEqual({ code: "file.duplicateColumn", params: { column: "合同编号" } });
  });

  it("calls a 0-byte or blank file empty", async () => {
    expect(await fileError(open(file("e.csv", "")))).toEqual({ code: "file.empty", params: {} });
    expect(await fileError(open(file("b.csv", "\n\n  \n")))).toEqual({ code: "file.empty", params: {} });
  });

  it("stops at an unclosed quote, naming the row it opened on", async () => {
    const src = await open(file("u.csv", 'contract_no,paid_on,amount\nL1,2026-01-01,1\n\nL2,"2026-01-02,2\nL3,2026-01-03,3\n'));
    expect(await fileError(rows(src))).toEqual({ code: "file.csvSyntax", params: { reason: "quote not closed" }, row: 3 });
  });

  it("detects UTF-8 even when the sample ends inside a character", () => {
    const bytes = Buffer.from("合同编号", "utf8");
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1), "auto")).toBe("utf8");
    expect(detectEncoding(iconv.encode("合同编号", "gbk"), "auto")).toBe("gb18030");
  });
});

describe("XLSX", () => {
  async function xlsx(build: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void): Promise<string> {
    const wb = new ExcelJS.Workbook();
    build(wb.addWorksheet("data"), wb);
    return file("w.xlsx", Buffer.from(await wb.xlsx.writeBuffer()));
  }

  it("reads the first sheet: typed cells, formulas flagged, rich text joined, rows numbered under the header", async () => {
    const p = await xlsx((ws, wb) => {
      ws.addRow([]);
      ws.addRow(["合同编号", "还款日期", "还款金额", "流水号"]);
      ws.addRow(["L1", new Date(Date.UTC(2026, 2, 1)), 1234.56, { richText: [{ text: "T" }, { text: "X1" }] }]);
      ws.addRow([]);
      ws.addRow(["L2", 46082, { formula: "1+1", result: 2 }, "X2"]);
      ws.getCell("B3").numFmt = "yyyy-mm-dd";
      wb.addWorksheet("说明").addRow(["not data"]);
    });
    const src = await open(p);
    expect(src.format).toBe("xlsx");
    expect(src.detectedEncoding).toBeNull();
    expect(src.width).toBeNull();
    expect(await rows(src)).toEqual([
      { row: 1, cells: ["L1", new Date(Date.UTC(2026, 2, 1)), 1234.56, "TX1"], fieldCount: 4 },
      { row: 3, cells: ["L2", 46082, { kind: "formula", formula: "1+1" }, "X2"], fieldCount: 4 },
    ]);
  });

  it("calls a 0-byte XLSX empty and a damaged one unreadable", async () => {
    expect(await fileError(open(file("zero.xlsx", "")))).toEqual({ code: "file.empty", params: {} });
    expect(await fileError(open(file("text.xlsx", "contract_no,paid_on,amount\n")))).toEqual({ code: "file.unreadable", params: { format: "XLSX" } });
    const truncated = await xlsx((ws) => ws.addRow(["合同编号", "还款日期", "还款金额"]));
    const bytes = Buffer.from(await (await import("node:fs/promises")).readFile(truncated));
    expect(await fileError(open(file("cut.xlsx", bytes.subarray(0, bytes.length >> 1))).then(rows))).toEqual({ code: "file.unreadable", params: { format: "XLSX" } });
  });

  it("refuses legacy .xls files", async () => {
    expect(await fileError(open(file("old.xls", Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))))).toEqual({
      code: "file.unsupportedFormat",
      params: { format: ".xls" },
    });
    expect(await fileError(open(file("data.pdf", "%PDF-1.4")))).toEqual({ code: "file.unsupportedFormat", params: { format: ".pdf" } });
  });
});

describe("templates", () => {
  it.each(IMPORT_KINDS.flatMap((k) => [[k, "zh-CN"] as const, [k, "en"] as const]))("the %s template (%s) reads back: every column, an example row that validates", async (kind, locale) => {
    const src = await openSource(file(`${kind}.xlsx`, await buildTemplate(kind, locale)), { kind, fileName: `${kind}.xlsx`, encoding: "auto" });
    expect(src.columns.map((c) => c.key)).toEqual(COLUMNS[kind].map((c) => c.key));
    expect(src.warnings).toEqual([]);
    const [example] = await rows(src);
    const raw = Object.fromEntries(src.columns.map((c) => [c.key, example?.cells[c.index] ?? null]));
    expect(validateRow(rowSchema(kind, "2026-12-31"), raw).ok).toBe(true);
  });
});

describe("ExcelJS's streaming race (exceljs#3064)", () => {
  it("an ExcelJS-written template reads back 150 times in a row (about one read in 200 lost its workbook entry)", async () => {
    const p = file("race.xlsx", await buildTemplate("schedules", "en"));
    for (let i = 0; i < 150; i++) {
      const src = await openSource(p, { kind: "schedules", fileName: "race.xlsx", encoding: "auto" });
      expect((await rows(src)).length).toBe(1);
    }
  });
});
