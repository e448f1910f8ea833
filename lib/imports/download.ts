// Download headers for import files: a Chinese file name for Chinese readers, with an ASCII fallback for clients
// that do not read RFC 6266's filename*.
import type { ImportKind } from "./columns";

const ZH_KIND: Record<ImportKind, string> = { customers: "客户", applications: "贷款申请", loans: "贷款合同", schedules: "还款计划", repayments: "还款流水" };

export function templateFileName(kind: ImportKind, locale: string): string {
  return locale.startsWith("zh") ? `${ZH_KIND[kind]}导入模板.xlsx` : `churnwatch-${kind}-template.xlsx`;
}

/** `attachment; filename="ascii.csv"; filename*=UTF-8''%E5%AF%BC…` */
export function attachment(name: string, asciiFallback: string): string {
  const ascii = asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
