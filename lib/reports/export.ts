// The report's downloads. XLSX is built here from the snapshot (ExcelJS): one sheet per section, numbers stored as
// numbers (yuan with two decimals, counts, percentages) with their formats, frozen header rows, totals as formulas.
// PDF is the file the reports worker rendered for the report's current revision (./pdf.ts).
import "server-only";
import ExcelJS from "exceljs";
import { sql } from "drizzle-orm";
import type { Scope } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { Conflict } from "../errors";
import { catalogue } from "./html";
import { getReport, type Report } from "./service";
import type { DistLine } from "./sections";
import { distLabel, measureText, reasonLabel, scopeName } from "./text";

export type ExportFile = { bytes: Buffer; contentType: string; fileName: string; asciiName: string };

const YUAN = "#,##0.00";
const INT = "#,##0";
const PCT = "0.00%";
const yuan = (fen: number) => Math.round(fen) / 100;

/** A1 column letters of a 1-based column number. */
const col = (n: number): string => (n <= 26 ? String.fromCharCode(64 + n) : col(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26)));

function header(ws: ExcelJS.Worksheet, row: number, labels: string[]) {
  const r = ws.getRow(row);
  labels.forEach((l, i) => (r.getCell(i + 1).value = l));
  r.font = { bold: true };
  r.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF1F5F9" } };
}

/** A sum over rows [from, to] of a column, with the computed value as the cached result (readers without a calc engine). */
const sum = (c: number, from: number, to: number, result: number): ExcelJS.CellFormulaValue => ({ formula: to >= from ? `SUM(${col(c)}${from}:${col(c)}${to})` : "0", result });

export async function buildXlsx(r: Report, locale: string): Promise<Buffer> {
  const t = catalogue(locale);
  const s = r.snapshot!;
  const wb = new ExcelJS.Workbook();
  wb.creator = "churnwatch";
  wb.title = `${t("reports.docTitle")} ${scopeName(r, locale, t)} ${r.period}`;
  wb.created = new Date(r.generatedAt ?? r.createdAt);

  // 1 Basic information: one row per event, totals of the amounts as SUM formulas.
  const b = wb.addWorksheet(t("reports.xlsx.sheetBasic"), { views: [{ state: "frozen", ySplit: 1 }] });
  const basicCols: [string, number, string?][] = [
    ["customerNo", 14],
    ["company", 30],
    ["legalRep", 12],
    ["capital", 18, YUAN],
    ["industry", 10],
    ["rm", 14],
    ["subject", 22],
    ["amount", 18, YUAN],
    ["exposure", 18, YUAN],
    ["principalLost", 16, YUAN],
    ["interestLost", 16, YUAN],
    ["forgone", 16, YUAN],
    ["effectiveOn", 12],
    ["stage", 10],
    ["kind", 16],
    ["kindWill", 10],
    ["reason", 16],
  ];
  header(b, 1, basicCols.map(([k]) => t(`reports.basic.${k === "kindWill" ? "will" : k}`)));
  basicCols.forEach(([, w, fmt], i) => {
    b.getColumn(i + 1).width = w;
    if (fmt) b.getColumn(i + 1).numFmt = fmt;
  });
  s.basic.rows.forEach((x, i) => {
    b.getRow(i + 2).values = [
      x.customerNo,
      x.company,
      x.legalRep,
      yuan(x.registeredCapitalFen),
      x.industryCode,
      x.rmName ?? "",
      x.contractNo ?? x.applicationNo ?? "",
      yuan(x.amountFen),
      yuan(x.exposureFen),
      yuan(x.principalLostFen),
      yuan(x.interestLostFen),
      yuan(x.interestForgoneFen),
      x.effectiveOn,
      t(`enums.churnStage.${x.stage}`),
      t(`enums.churnKind.${x.kind}`),
      t(`enums.churnWill.${x.will}`),
      reasonLabel(x.reasonFamily, t),
    ];
  });
  const last = s.basic.rows.length + 1;
  const tot = b.getRow(last + 1);
  tot.getCell(1).value = t("reports.basic.total");
  const sums: [number, number][] = [
    [8, s.basic.amountFen],
    [9, s.basic.exposureFen],
    [10, s.loss.principalLostFen],
    [11, s.loss.interestLostFen],
    [12, s.loss.interestForgoneFen],
  ];
  for (const [c, fen] of sums) tot.getCell(c).value = sum(c, 2, last, yuan(fen));
  tot.font = { bold: true };

  // 2 Reason analysis: the three distributions (each with its total row), the drivers and the top cases.
  const ra = wb.addWorksheet(t("reports.xlsx.sheetReasons"), { views: [{ state: "frozen", ySplit: 1 }] });
  const distHead = ["key", "events", "customers", "exposure", "loss", "prevEvents", "prevExposure", "change"].map((k) => t(`reports.reasons.${k}`));
  header(ra, 1, distHead);
  [22, 10, 10, 18, 18, 12, 18, 10].forEach((w, i) => (ra.getColumn(i + 1).width = w));
  let row = 2;
  const dist = (title: string, dim: "reason" | "stage" | "will", lines: DistLine[]) => {
    ra.getRow(row).getCell(1).value = title;
    ra.getRow(row).font = { bold: true, italic: true };
    row++;
    const first = row;
    for (const l of lines) {
      const rr = ra.getRow(row);
      rr.values = [distLabel(dim, l.key, t), l.events, l.customers, yuan(l.exposureFen), yuan(l.lossFen), l.prevEvents, yuan(l.prevExposureFen)];
      rr.getCell(8).value = { formula: `B${row}-F${row}`, result: l.events - l.prevEvents };
      row++;
    }
    const tr = ra.getRow(row);
    tr.getCell(1).value = t("reports.basic.total");
    const totals = [lines.reduce((a, l) => a + l.events, 0), lines.reduce((a, l) => a + l.customers, 0), yuan(lines.reduce((a, l) => a + l.exposureFen, 0)), yuan(lines.reduce((a, l) => a + l.lossFen, 0)), lines.reduce((a, l) => a + l.prevEvents, 0), yuan(lines.reduce((a, l) => a + l.prevExposureFen, 0))];
    totals.forEach((v, i) => (tr.getCell(i + 2).value = sum(i + 2, first, row - 1, v)));
    tr.getCell(8).value = { formula: `B${row}-F${row}`, result: totals[0]! - totals[4]! };
    tr.font = { bold: true };
    for (let k = first; k <= row; k++) {
      for (const c of [2, 3, 6, 8]) ra.getRow(k).getCell(c).numFmt = INT;
      for (const c of [4, 5, 7]) ra.getRow(k).getCell(c).numFmt = YUAN;
    }
    row += 2;
  };
  dist(t("reports.reasons.byReason"), "reason", s.reasons.byReason);
  dist(t("reports.reasons.byStage"), "stage", s.reasons.byStage);
  dist(t("reports.reasons.byWill"), "will", s.reasons.byWill);
  ra.getRow(row++).getCell(1).value = t("reports.reasons.drivers");
  for (const d of s.reasons.drivers) {
    const rr = ra.getRow(row++);
    rr.values = [`${reasonLabel(d.reasonFamily, t)} · ${t(`enums.churnKind.${d.kind}`)}`, d.events, null, yuan(d.exposureFen), null, null, null, d.share];
    rr.getCell(4).numFmt = YUAN;
    rr.getCell(8).numFmt = PCT;
  }
  row++;
  ra.getRow(row++).getCell(1).value = t("reports.reasons.topCases");
  for (const c of s.reasons.topCases) {
    const rr = ra.getRow(row++);
    rr.values = [c.company, c.warnings.length, c.followUps.count, yuan(c.exposureFen), yuan(c.lossFen), c.effectiveOn, t(`enums.churnKind.${c.kind}`), c.task?.contactHours ?? null];
    rr.getCell(4).numFmt = YUAN;
    rr.getCell(5).numFmt = YUAN;
  }

  // 3 Loss assessment: the amounts, direct loss and profit effect as formulas over them, asset quality.
  const lo = wb.addWorksheet(t("reports.xlsx.sheetLoss"), { views: [{ state: "frozen", ySplit: 1 }] });
  header(lo, 1, [t("reports.loss.item"), t("reports.loss.amount")]);
  lo.getColumn(1).width = 44;
  lo.getColumn(2).width = 20;
  lo.getColumn(3).width = 20;
  lo.getColumn(4).width = 16;
  const L = s.loss;
  const lines: [string, ExcelJS.CellValue, string][] = [
    [t("reports.loss.events"), L.events, INT],
    [t("reports.loss.principal"), yuan(L.principalLostFen), YUAN],
    [t("reports.loss.interest"), yuan(L.interestLostFen), YUAN],
    [t("reports.loss.direct"), { formula: "B3+B4", result: yuan(L.directLossFen) }, YUAN],
    [t("reports.loss.forgone"), yuan(L.interestForgoneFen), YUAN],
    [t("reports.loss.forgoneInPeriod"), yuan(L.forgoneInPeriodFen), YUAN],
    [t("reports.loss.lostBalance"), yuan(L.lostBalanceFen), YUAN],
    [t("reports.loss.profit"), { formula: "-(B5+B7)", result: yuan(L.profitEffectFen) }, YUAN],
  ];
  lines.forEach(([label, v, fmt], i) => {
    const rr = lo.getRow(i + 2);
    rr.getCell(1).value = label;
    rr.getCell(2).value = v;
    rr.getCell(2).numFmt = fmt;
  });
  lo.getRow(5).font = { bold: true };
  lo.getRow(9).font = { bold: true };
  lo.getRow(10).getCell(1).value = t("reports.loss.profitFormula");
  lo.getRow(10).getCell(1).alignment = { wrapText: true };
  header(lo, 12, [t("reports.loss.quality"), t("reports.loss.before", { date: L.before.date }), t("reports.loss.after", { date: L.after.date }), t("reports.loss.change")]);
  const q: [string, number, number, string][] = [
    [t("reports.loss.balance"), yuan(L.before.totalFen), yuan(L.after.totalFen), YUAN],
    [t("reports.loss.npl"), yuan(L.before.nplFen), yuan(L.after.nplFen), YUAN],
  ];
  q.forEach(([label, a, z, fmt], i) => {
    const rr = lo.getRow(13 + i);
    rr.values = [label, a, z];
    rr.getCell(4).value = { formula: `C${13 + i}-B${13 + i}`, result: Math.round((z - a) * 100) / 100 };
    for (const c of [2, 3, 4]) rr.getCell(c).numFmt = fmt;
  });
  const ratioRow = (r0: number, label: string, num: number, den: number, a: number | null, z: number | null) => {
    const rr = lo.getRow(r0);
    rr.getCell(1).value = label;
    rr.getCell(2).value = { formula: `IF(B${den}=0,"",B${num}/B${den})`, result: a ?? "" };
    rr.getCell(3).value = { formula: `IF(C${den}=0,"",C${num}/C${den})`, result: z ?? "" };
    rr.getCell(4).value = { formula: `IF(OR(B${r0}="",C${r0}=""),"",C${r0}-B${r0})`, result: a != null && z != null ? z - a : "" };
    for (const c of [2, 3, 4]) rr.getCell(c).numFmt = PCT;
  };
  ratioRow(15, t("reports.loss.nplRatio"), 14, 13, L.before.ratio, L.after.ratio);
  const bank = lo.getRow(17);
  bank.values = [`${t("reports.bank")} · ${t("reports.loss.balance")}`, yuan(L.before.bankTotalFen), yuan(L.after.bankTotalFen)];
  for (const c of [2, 3]) bank.getCell(c).numFmt = YUAN;
  ratioRow(16, t("reports.loss.share"), 13, 17, L.before.share, L.after.share);

  // 4 Improvement measures: the text as the report says it, and the figures it rests on.
  const me = wb.addWorksheet(t("reports.xlsx.sheetMeasures"), { views: [{ state: "frozen", ySplit: 1 }] });
  header(me, 1, ["#", t("reports.loss.item"), t("reports.sections.measures")]);
  me.getColumn(1).width = 5;
  me.getColumn(2).width = 16;
  me.getColumn(3).width = 100;
  s.measures.items.forEach((m, i) => {
    const rr = me.getRow(i + 2);
    rr.values = [i + 1, t(`reports.measures.area.${m.area}`), measureText(m, t)];
    rr.getCell(3).alignment = { wrapText: true, vertical: "top" };
  });

  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function exportReport(db: DbOrTx, scope: Scope, id: number, format: "xlsx" | "pdf", lang: string): Promise<ExportFile> {
  const r = await getReport(db, scope, id);
  if (r.status !== "ready" || !r.snapshot) throw new Conflict("reportNotReady");
  const locale = lang.startsWith("zh") ? "zh-CN" : "en";
  const base = `churn-report-${r.branchCode ?? "bank"}-${r.period}-r${r.revision}`;
  const t = catalogue(locale);
  const title = `${t("reports.docTitle")}-${scopeName(r, locale, t)}-${r.period}`;
  if (format === "xlsx") {
    return { bytes: await buildXlsx(r, locale), contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName: `${title}.xlsx`, asciiName: `${base}.xlsx` };
  }
  const [f] = await db.execute<{ bytes: Buffer }>(sql`
    select bytes from report_files where report_id = ${id} and format = ${`pdf:${locale}`} and revision = ${r.revision}`);
  if (!f) throw new Conflict("reportPdfPending");
  return { bytes: Buffer.from(f.bytes), contentType: "application/pdf", fileName: `${title}.pdf`, asciiName: `${base}.pdf` };
}
