// GET /api/imports/{id}/errors.csv — the import's error report (row, column, code, message) in the caller's
// language, as a download that Excel opens with Chinese intact.
import { getLocale } from "next-intl/server";
import { guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { attachment } from "@/lib/imports/download";
import { errorReportCsv } from "@/lib/imports/errors";
import { importErrors, parseImportId } from "@/lib/imports/queries";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (req, { id }) => {
  await guard(["admin"], req);
  const locale = await getLocale();
  const found = await importErrors(db(), parseImportId(id));
  const name = locale.startsWith("zh") ? `导入${found.id}-错误报告.csv` : `import-${found.id}-errors.csv`;
  return new Response(errorReportCsv(found.errors, locale), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": attachment(name, `import-${found.id}-errors.csv`), "cache-control": "no-store" },
  });
});
