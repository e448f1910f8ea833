// GET /api/v1/incentives/periods — the incentive periods with the caller's scope of the ledger summed.
import { ANY_ROLE, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { listPeriods } from "@/lib/incentives/queries";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const { scope } = await guard(ANY_ROLE, req);
  return { periods: await listPeriods(db(), scope) };
});
