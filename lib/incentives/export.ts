// A period to XLSX for payroll: per-RM totals by rule, every entry with its evidence ids, adjustments with who
// proposed and who approved, and the period's lock. Built from the same scoped reads as the screens.
import "server-only";
import ExcelJS from "exceljs";
import type { Scope } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { POINT_RULES } from "./compute";
import { ledgerEntries, listAdjustments, periodReview } from "./queries";

export const EXPORT_WORDS = {
  "zh-CN": { totals: "按客户经理", entries: "积分明细", adjustments: "调整与审批", period: "期间", rm: "客户经理", name: "姓名", branch: "支行", pending: "待核实", gains: "加分", capped: "封顶扣减", losses: "扣分", adjustmentsCol: "调整", payable: "应发积分", id: "编号", rule: "规则", points: "积分", status: "状态", eventOn: "发生日", task: "任务编号", customer: "客户号", churn: "流失事件编号", followUps: "跟进记录编号", adjustment: "调整编号", scheme: "方案版本", reason: "原因", proposedBy: "提出人", proposedAt: "提出时间", decidedBy: "审批人", decidedAt: "审批时间", locked: "已锁定", lockedAt: "锁定时间", total: "合计" },
  en: { totals: "By RM", entries: "Entries", adjustments: "Adjustments and approvals", period: "Period", rm: "RM", name: "Name", branch: "Branch", pending: "Pending", gains: "Gains", capped: "Cap cut", losses: "Losses", adjustmentsCol: "Adjustments", payable: "Payable", id: "ID", rule: "Rule", points: "Points", status: "Status", eventOn: "Event day", task: "Task ID", customer: "Customer no.", churn: "Churn event ID", followUps: "Follow-up IDs", adjustment: "Adjustment ID", scheme: "Scheme version", reason: "Reason", proposedBy: "Proposed by", proposedAt: "Proposed at", decidedBy: "Decided by", decidedAt: "Decided at", locked: "Locked", lockedAt: "Locked at", total: "Total" },
} as const;

export async function exportPeriod(db: DbOrTx, scope: Scope, period: string, locale: string): Promise<Buffer> {
  const w = EXPORT_WORDS[locale === "en" ? "en" : "zh-CN"];
  const review = await periodReview(db, scope, period);
  const [entries, adjustments] = await Promise.all([ledgerEntries(db, scope, { period }), listAdjustments(db, scope, period)]);
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(0);
  const totals = wb.addWorksheet(w.totals);
  const rules = POINT_RULES.filter((r) => r !== "adjustment");
  totals.addRow([w.period, period, w.status, review.status, w.lockedAt, review.lockedAt ?? "", w.scheme, review.schemeVersion ?? ""]);
  totals.addRow([w.rm, w.name, w.branch, ...rules, w.pending, w.gains, w.capped, w.losses, w.adjustmentsCol, w.payable]).font = { bold: true };
  for (const r of review.rms) totals.addRow([r.username, r.displayName, r.branchName ?? "", ...rules.map((k) => r.byRule[k] ?? 0), r.pending, r.gains, r.capped, r.losses, r.adjustments, r.payable]);
  const sum = (f: (r: (typeof review.rms)[number]) => number) => review.rms.reduce((s, r) => s + f(r), 0);
  totals.addRow([w.total, "", "", ...rules.map((k) => sum((r) => r.byRule[k] ?? 0)), sum((r) => r.pending), sum((r) => r.gains), sum((r) => r.capped), sum((r) => r.losses), sum((r) => r.adjustments), sum((r) => r.payable)]).font = { bold: true };
  const es = wb.addWorksheet(w.entries);
  es.addRow([w.id, w.rm, w.rule, w.points, w.status, w.eventOn, w.task, w.customer, w.churn, w.followUps, w.adjustment, w.scheme]).font = { bold: true };
  for (const e of entries) es.addRow([e.id, e.rmUsername, e.rule, e.points, e.status, e.eventOn, e.taskId ?? "", e.customerNo ?? "", e.churnEventId ?? "", e.followUpIds.join(","), e.adjustmentId ?? "", e.schemeVersion ?? ""]);
  const as = wb.addWorksheet(w.adjustments);
  as.addRow([w.adjustment, w.rm, w.points, w.reason, w.status, w.proposedBy, w.proposedAt, w.decidedBy, w.decidedAt]).font = { bold: true };
  for (const a of adjustments) as.addRow([a.id, a.rmUsername, a.points, a.reason, a.status, a.proposedByName, a.proposedAt, a.decidedByName ?? "", a.decidedAt ?? ""]);
  for (const ws of [totals, es, as]) ws.columns.forEach((c) => (c.width = 14));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
