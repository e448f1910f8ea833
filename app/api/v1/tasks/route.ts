// GET /api/v1/tasks — the caller's tasks (an RM's own, a supervisor's branch, all for admins and HR), filtered,
// sorted and paged, with counts by state.
import { ANY_ROLE, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { parseQuery } from "@/lib/http/query";
import { route } from "@/lib/http/route";
import { now } from "@/lib/tasks/api";
import { listTasks, taskQuerySchema } from "@/lib/tasks/queries";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const { scope } = await guard(ANY_ROLE, req);
  const parsed = parseQuery(req, taskQuerySchema);
  const result = await listTasks(db(), scope, parsed, await now());
  return { ...result, page: parsed.page, pageSize: parsed.pageSize };
});
