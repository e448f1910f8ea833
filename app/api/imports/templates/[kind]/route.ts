// GET /api/imports/templates/{kind} — the XLSX template of an import kind (header, example row, column notes) in
// the caller's language.
import { getLocale } from "next-intl/server";
import { guard } from "@/lib/auth/guard";
import { NotFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { isImportKind } from "@/lib/imports/columns";
import { attachment, templateFileName } from "@/lib/imports/download";
import { buildTemplate } from "@/lib/imports/template";

export const dynamic = "force-dynamic";

export const GET = route<{ kind: string }>(async (req, { kind }) => {
  await guard(["admin"], req);
  if (!isImportKind(kind)) throw new NotFound("template");
  const locale = await getLocale();
  const xlsx = await buildTemplate(kind, locale);
  return new Response(new Uint8Array(xlsx), {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": attachment(templateFileName(kind, locale), `churnwatch-${kind}-template.xlsx`),
      "cache-control": "no-store",
    },
  });
});
