// GET /api/model/versions — churn model versions with training progress, polled by /admin/model (admins and supervisors).
import { guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { listModelVersions, MODEL_READERS, versionView } from "@/lib/model/versions";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const { actor } = await guard(MODEL_READERS, req);
  return { rows: (await listModelVersions(db(), actor)).map(versionView) };
});
