// GET /api/model/versions/{id} — one version: metrics, feature decisions and its scorecard bin by bin.
import { guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { NotFound } from "@/lib/errors";
import { getModelVersion, MODEL_READERS, versionView } from "@/lib/model/versions";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (req, { id }) => {
  const { actor } = await guard(MODEL_READERS, req);
  if (!/^\d{1,9}$/.test(id)) throw new NotFound("modelVersion");
  return versionView(await getModelVersion(db(), actor, Number(id)));
});
