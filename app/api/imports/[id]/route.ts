// GET /api/imports/{id} — one import: status, counts, its first errors worded in the caller's language, warnings.
// The imports page polls this every second while the import runs.
import { getLocale } from "next-intl/server";
import { guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { importDetail, parseImportId } from "@/lib/imports/queries";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (req, { id }) => {
  await guard(["admin"], req);
  return importDetail(db(), parseImportId(id), await getLocale());
});
