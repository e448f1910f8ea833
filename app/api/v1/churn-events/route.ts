// GET /api/v1/churn-events — the caller's churn events (scoped through their customer), filtered and paged.
import { ANY_ROLE, guard } from "@/lib/auth/guard";
import { churnQuerySchema, listChurnEvents } from "@/lib/churn/queries";
import { db } from "@/lib/db/client";
import { parseQuery } from "@/lib/http/query";
import { route } from "@/lib/http/route";

export const GET = route(async (req) => {
  const { scope } = await guard(ANY_ROLE, req);
  const parsed = parseQuery(req, churnQuerySchema);
  const { rows, total, byStatus } = await listChurnEvents(db(), scope, parsed);
  return { rows, total, byStatus, page: parsed.page, pageSize: parsed.pageSize };
});
