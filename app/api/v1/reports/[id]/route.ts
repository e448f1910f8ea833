// GET /api/v1/reports/{id} — the report's status, progress and sections (its snapshot) as JSON. Out of scope: 404.
import { BOOK_READERS, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { assertReportReader, reportIdOf, getReport } from "@/lib/reports/service";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (req, { id }) => {
  const g = await guard(BOOK_READERS, req);
  assertReportReader(g.actor.role);
  return getReport(db(), g.scope, reportIdOf(id));
});
