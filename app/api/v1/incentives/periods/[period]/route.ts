// GET /api/v1/incentives/periods/{period} — per-RM totals of a period by rule (HR: all, supervisor: their branch,
// RM: their own line); an unknown period → 404.
import { ANY_ROLE, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { periodReview } from "@/lib/incentives/queries";

export const dynamic = "force-dynamic";

export const GET = route<{ period: string }>(async (req, { period }) => {
  const { scope } = await guard(ANY_ROLE, req);
  return periodReview(db(), scope, period);
});
