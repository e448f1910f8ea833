// GET /api/v1/reports/{id}/export?format=xlsx|pdf — the report as a workbook (built here from the snapshot) or as
// the PDF the reports worker rendered for its current revision (409 while that is still being rendered).
import { BOOK_READERS, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { exportReport } from "@/lib/reports/export";
import { assertFormat, assertReportReader, reportIdOf } from "@/lib/reports/service";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (req, { id }) => {
  const g = await guard(BOOK_READERS, req);
  assertReportReader(g.actor.role);
  const file = await exportReport(db(), g.scope, reportIdOf(id), assertFormat(new URL(req.url).searchParams.get("format")), new URL(req.url).searchParams.get("lang") ?? "zh-CN");
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.asciiName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "cache-control": "private, no-store",
    },
  });
});
