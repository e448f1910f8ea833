// GET /api/v1/dashboard?branchId=&period=|from=&to= — the supervisor dashboard's figures (supervisors: their
// branch, another branch is 404; admins: the bank or one branch). Other roles have no dashboard: 404.
import { guard } from "@/lib/auth/guard";
import { dashboard } from "@/lib/dashboard/queries";
import { dashboardQuerySchema, resolvePeriod } from "@/lib/dashboard/period";
import { db } from "@/lib/db/client";
import { Forbidden, NotFound } from "@/lib/errors";
import { parseQuery } from "@/lib/http/query";
import { route } from "@/lib/http/route";
import { now } from "@/lib/tasks/api";
import { todayIn } from "@/lib/time";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const { scope } = await guard(["supervisor", "admin"], req).catch((e: unknown) => {
    throw e instanceof Forbidden ? new NotFound("dashboard") : e;
  });
  const parsed = parseQuery(req, dashboardQuerySchema);
  const at = await now();
  const today = todayIn(undefined, at);
  return dashboard(db(), scope, { branchId: parsed.branchId, period: resolvePeriod(parsed, today), now: at, today });
});
