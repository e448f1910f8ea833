// The print-friendly report: the same document the PDF is made of, without the app's shell.
import { getLocale } from "next-intl/server";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { orNotFound, pageId } from "@/lib/http/page";
import { reportHtmlParts } from "@/lib/reports/html";
import { getReport } from "@/lib/reports/service";
import { notFound } from "next/navigation";

export const dynamic = "force-dynamic";

export default async function ReportPrintPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { scope } = await guardPage(["supervisor", "admin"], `/reports/${id}/print`);
  const r = await orNotFound(getReport(db(), scope, pageId(id)));
  if (!r.snapshot) notFound();
  const { style, body } = reportHtmlParts(r, { locale: await getLocale() });
  return (
    <main data-testid="report-print" style={{ background: "#fff", padding: "16px 24px" }}>
      <style>{style}</style>
      <div dangerouslySetInnerHTML={{ __html: body }} />
    </main>
  );
}
