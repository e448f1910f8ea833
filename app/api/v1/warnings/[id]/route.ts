// GET /api/v1/warnings/{id} — one warning with its rule version, evidence and history; out of scope answers 404.
import { ANY_ROLE, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { getWarning } from "@/lib/warnings/queries";

export const GET = route<{ id: string }>(async (req, { id }) => {
  const { scope } = await guard(ANY_ROLE, req);
  if (!/^\d{1,15}$/.test(id)) throw new NotFound("warning");
  return getWarning(db(), scope, Number(id));
});
