// Wording shared by every rendering of a report (screen, print page, PDF, XLSX): the scope's name, amounts in the
// reader's unit, a measure's text. Pure and safe in the browser: the caller passes its translator.
import { fenToScale, formatPercent } from "../format";
import type { Measure } from "./sections";

/** A translator over the whole catalogue ("reports.…", "enums.…"). */
export type T = (key: string, values?: Record<string, string | number>) => string;

const grouped2 = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Fen → "1,234.56 万元" (zh) or "CNY 1.23 million" (en). */
export function amount(fen: number, locale: string, t: T): string {
  return t("reports.amountWan", { value: grouped2.format(fenToScale(fen, locale)) });
}

export function scopeName(r: { branchId: number | null; branchName: string | null; branchNameEn: string | null }, locale: string, t: T): string {
  if (r.branchId == null) return t("reports.bank");
  return (locale.startsWith("zh") ? r.branchName : r.branchNameEn) ?? r.branchName ?? "";
}

export function reasonLabel(key: string | null, t: T): string {
  return key == null || key === "undetermined" ? t("reports.reasons.undetermined") : t(`enums.reasonFamily.${key}`);
}

/** The key of a distribution line in words (reason family, stage or will). */
export function distLabel(dim: "reason" | "stage" | "will", key: string, t: T): string {
  if (dim === "reason") return reasonLabel(key, t);
  return t(dim === "stage" ? `enums.churnStage.${key}` : `enums.churnWill.${key}`);
}

/** What a measure says: the supervisor's text once edited, else the catalogue's wording of its figures. */
export function measureText(m: Measure, t: T): string {
  if (m.text) return m.text;
  if (m.area === "reason" && m.reasonFamily) return t(`reports.measures.text.${m.reasonFamily}`, m.basis);
  if (m.area === "custom") return "";
  return t(`reports.measures.text.${m.area}`, m.basis);
}

export const pct = (v: number | null | undefined) => formatPercent(v, 1);
/** A change of a ratio in percentage points, signed. */
export function ppChange(before: number | null, after: number | null): string {
  if (before == null || after == null) return "—";
  const d = (after - before) * 100;
  return `${d >= 0 ? "+" : ""}${d.toFixed(2)} pp`;
}
