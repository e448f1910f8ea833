// The downloadable template of each kind: an XLSX whose first sheet has the header and an example row, and whose
// second sheet explains every column. The reader only reads the first sheet.
import ExcelJS from "exceljs";
import { COLUMNS, columnHeader, type ImportKind } from "./columns";

export async function buildTemplate(kind: ImportKind, locale: string): Promise<Buffer> {
  const zh = locale.startsWith("zh");
  const wb = new ExcelJS.Workbook();
  const data = wb.addWorksheet(zh ? "数据" : "data");
  const cols = COLUMNS[kind];
  data.columns = cols.map((c) => ({ header: columnHeader(c, locale), key: c.key, width: Math.max(14, columnHeader(c, locale).length * 2 + 4) }));
  data.addRow(Object.fromEntries(cols.map((c) => [c.key, c.example])));
  // Text cells, so Excel neither drops leading zeros from ids nor turns dates and amounts into its own formats.
  cols.forEach((_, i) => (data.getColumn(i + 1).numFmt = "@"));
  data.getRow(1).font = { bold: true };

  const help = wb.addWorksheet(zh ? "说明" : "columns");
  help.columns = [
    { header: zh ? "列名（英文）" : "column (English)", width: 22 },
    { header: zh ? "列名（中文）" : "column (Chinese)", width: 20 },
    { header: zh ? "必填" : "required", width: 10 },
    { header: zh ? "说明" : "description", width: 70 },
    { header: zh ? "示例" : "example", width: 24 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of cols) help.addRow([c.en, c.zh, c.required ? (zh ? "是" : "yes") : zh ? "否" : "no", zh ? c.zhDesc : c.enDesc, c.example]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
