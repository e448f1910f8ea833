// GET /api/v1/insights/rules?branchId=&period=|from=&to=&horizon= — warning quality per rule version
// (docs/telemetry.md). Supervisors: their branch; admins: the bank or one branch; other roles 404.
import { db } from "@/lib/db/client";
import { insightsRequest } from "@/lib/insights/api";
import { rulesInsights } from "@/lib/insights/queries";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const { scope, params } = await insightsRequest(req);
  return rulesInsights(db(), scope, params);
});
