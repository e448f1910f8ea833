// GET /api/v1/warnings — the caller's warnings (scoped through their customer), filtered and paged.
import { ANY_ROLE, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { parseQuery } from "@/lib/http/query";
import { route } from "@/lib/http/route";
import { listWarnings, warningQuerySchema } from "@/lib/warnings/queries";

export const GET = route(async (req) => {
  const { scope } = await guard(ANY_ROLE, req);
  const parsed = parseQuery(req, warningQuerySchema);
  const { rows, total, bySeverity } = await listWarnings(db(), scope, parsed);
  return { rows, total, bySeverity, page: parsed.page, pageSize: parsed.pageSize };
});
