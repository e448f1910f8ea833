import { getLocale, getTranslations } from "next-intl/server";
import { ReportView } from "@/components/reports/ReportView";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { orNotFound, pageId } from "@/lib/http/page";
import { reportHtmlParts } from "@/lib/reports/html";
import { getReport } from "@/lib/reports/service";

export default async function ReportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { scope } = await guardPage(["supervisor", "admin"], `/reports/${id}`);
  const r = await orNotFound(getReport(db(), scope, pageId(id)));
  const [locale, t] = await Promise.all([getLocale(), getTranslations("reports")]);
  const scopeName = r.branchId == null ? t("bank") : locale.startsWith("zh") ? r.branchName : r.branchNameEn;
  const { snapshot, ...head } = r;
  return (
    <ReportView
      initial={head}
      title={`${t("title")} · ${scopeName} · ${r.period}`}
      html={snapshot ? reportHtmlParts(r, { locale }) : null}
      measures={snapshot?.measures.items ?? []}
    />
  );
}
