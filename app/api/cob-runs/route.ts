// GET /api/cob-runs — recent nightly portfolio runs with progress, polled by /admin/cob (admins and supervisors).
import { guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { listCobRuns } from "@/lib/rules/runs";

export const GET = route(async (req) => {
  await guard(["admin", "supervisor"], req);
  return { rows: await listCobRuns(db()) };
});
