// XLSX zip-bomb checks (security issue 11, finding 12): real bombs and crafted archives, generated here, are
// refused before ExcelJS reads them; the files ExcelJS itself writes pass and still import.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { sheetXml, xlsxEntries, zip, type ZipEntry } from "../../test/fixtures/imports/zip";
import { ImportFileError } from "./errors";
import { MAX_DATA_ROWS, openSource, type ImportSource } from "./read";
import { checkXlsxZip, XLSX_LIMITS } from "./zip";

const dir = mkdtempSync(path.join(tmpdir(), "cw-zip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (content: Buffer) => {
  const p = path.join(dir, `${++n}.xlsx`);
  writeFileSync(p, content);
  return p;
};

const HEADER = { r: 1, cells: ["合同编号", "还款日期", "还款金额"] };
const ROW = { r: 2, cells: ["L1", "2026-01-01", "100.00"] };
const MB = 1024 * 1024;

async function refusal(p: Promise<unknown>): Promise<{ code: string; params: object }> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof ImportFileError)) throw new Error(`expected an ImportFileError, got ${String(e)}`);
  return { code: e.code, params: e.params };
}
const openXlsx = (p: string) => openSource(p, { kind: "repayments", fileName: "还款.xlsx", encoding: "auto" });
async function rowCount(src: ImportSource): Promise<number> {
  let count = 0;
  for await (const b of src.batches) count += b.length;
  return count;
}

describe("XLSX files that pass", () => {
  it("the minimal workbook these tests build is read by ExcelJS (so refusals below are the checks' doing)", async () => {
    const src = await openXlsx(file(zip(xlsxEntries(sheetXml([HEADER, ROW])))));
    expect(src.columns.map((c) => c.key)).toEqual(["contract_no", "paid_on", "amount"]);
    expect(await rowCount(src)).toBe(1);
  });

  it("files written by ExcelJS, buffered (jszip) and streamed (data descriptors), pass the checks", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("data").addRows([HEADER.cells, ROW.cells]);
    await checkXlsxZip(file(Buffer.from(await wb.xlsx.writeBuffer())));
    const streamed = path.join(dir, "streamed.xlsx");
    const w = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: streamed, useSharedStrings: true });
    const ws = w.addWorksheet("data");
    ws.addRow(HEADER.cells).commit();
    for (let i = 0; i < 2_000; i++) ws.addRow([`L${i}`, "2026-01-01", 100 + i]).commit();
    ws.commit();
    await w.commit();
    await checkXlsxZip(streamed);
    expect(await rowCount(await openXlsx(streamed))).toBe(2_000);
  });
});

describe("zip bombs and crafted archives are refused before ExcelJS opens them", () => {
  it("a sheet that inflates 1,000 : 1 (64 MB of padding from 64 KB)", async () => {
    const bomb = file(zip(xlsxEntries(sheetXml([HEADER, ROW], " ".repeat(64 * MB)))));
    const { code, params } = await refusal(openXlsx(bomb));
    expect(code).toBe("file.xlsxCompression");
    expect(params).toMatchObject({ entry: "xl/worksheets/sheet1.xml", max: 100 });
    expect(Number((params as { ratio: string }).ratio)).toBeGreaterThan(500);
  });

  it("a sheet whose headers declare a small size but which inflates to far more", async () => {
    const liar = file(zip(xlsxEntries(sheetXml([HEADER, ROW], " ".repeat(8 * MB)), { declaredSize: 5_000 })));
    expect(await refusal(openXlsx(liar))).toEqual({ code: "file.xlsxInconsistent", params: { entry: "xl/worksheets/sheet1.xml" } });
  });

  it("a bomb hidden between entries, in local headers the directory does not list (unzipper would inflate it)", async () => {
    const entries = xlsxEntries(sheetXml([HEADER, ROW]));
    const hidden: ZipEntry = { name: "xl/worksheets/sheet2.xml", data: Buffer.alloc(32 * MB, 0x20), hidden: true };
    const p = file(zip([...entries.slice(0, 2), hidden, ...entries.slice(2)]));
    expect((await refusal(openXlsx(p))).code).toBe("file.xlsxInconsistent");
  });

  it("a data descriptor signature inside an entry's data (unzipper would stop there and read on as a new entry)", async () => {
    const data = Buffer.concat([Buffer.from(sheetXml([HEADER, ROW]).slice(0, 100)), Buffer.from([0x50, 0x4b, 0x07, 0x08]), Buffer.from("rest")]);
    const p = file(zip([...xlsxEntries(sheetXml([HEADER, ROW])).slice(0, 4), { name: "xl/worksheets/sheet1.xml", data, method: 0, descriptor: true }]));
    expect((await refusal(checkXlsxZip(p))).code).toBe("file.xlsxInconsistent");
  });

  it("too many entries", async () => {
    const many = Array.from({ length: XLSX_LIMITS.maxEntries + 1 }, (_, i) => ({ name: `x/${i}.xml`, data: Buffer.from("<x/>") }));
    expect(await refusal(openXlsx(file(zip([...xlsxEntries(sheetXml([HEADER, ROW])), ...many]))))).toEqual({
      code: "file.xlsxEntries",
      params: { count: XLSX_LIMITS.maxEntries + 6, max: XLSX_LIMITS.maxEntries },
    });
  });

  it("more uncompressed data in total than the cap, and a shared-strings part over its own cap", async () => {
    // Incompressible data keeps every ratio low: only the totals can refuse it.
    const noise = (bytes: number) => randomBytes(bytes);
    const p = file(zip([...xlsxEntries(sheetXml([HEADER, ROW])), { name: "a.bin", data: noise(3 * MB) }, { name: "xl/sharedStrings.xml", data: noise(3 * MB) }]));
    const small = { ...XLSX_LIMITS, maxTotalBytes: 5 * MB };
    expect(await refusal(checkXlsxZip(p, small))).toEqual({ code: "file.xlsxTooLarge", params: { max: "5 MB" } });
    const strings = { ...XLSX_LIMITS, maxEntryBytes: { "xl/sharedStrings.xml": 2 * MB } };
    expect(await refusal(checkXlsxZip(p, strings))).toEqual({ code: "file.xlsxEntryTooLarge", params: { entry: "xl/sharedStrings.xml", max: "2 MB" } });
    await checkXlsxZip(p);
  });

  it("small files are not judged on their ratio", async () => {
    // 500 KB of one character compresses ~1,000 : 1 but stays under the 1 MB floor.
    await checkXlsxZip(file(zip(xlsxEntries(sheetXml([HEADER, ROW], " ".repeat(500 * 1024))))));
  });
});

describe("row cap", () => {
  it(`accepts data rows up to ${MAX_DATA_ROWS.toLocaleString("en-US")} and refuses the sheet at the next one`, async () => {
    const last = { r: MAX_DATA_ROWS + 1, cells: ROW.cells };
    expect(await rowCount(await openXlsx(file(zip(xlsxEntries(sheetXml([HEADER, ROW, last]))))))).toBe(2);
    const beyond = { r: MAX_DATA_ROWS + 2, cells: ROW.cells };
    const src = await openXlsx(file(zip(xlsxEntries(sheetXml([HEADER, ROW, beyond])))));
    expect(await refusal(rowCount(src))).toEqual({ code: "file.tooManyRows", params: { max: "1,000,000" } });
  });

  it("counts CSV records the same way", async () => {
    const p = path.join(dir, "many.csv");
    writeFileSync(p, `合同编号,还款日期,还款金额\n${"L1,2026-01-01,1\n".repeat(MAX_DATA_ROWS + 1)}`);
    const src = await openSource(p, { kind: "repayments", fileName: "many.csv", encoding: "auto" });
    expect(await refusal(rowCount(src))).toEqual({ code: "file.tooManyRows", params: { max: "1,000,000" } });
  }, 60_000);
});
