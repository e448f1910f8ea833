// POST /api/v1/incentives/periods/{period}/lock — HR locks an ended period (Idempotency-Key; body empty or {}).
import { z } from "zod";
import { apiWrite } from "@/lib/api/write";
import { INCENTIVE_EDITORS, lockedConflict, lockPeriod } from "@/lib/incentives/service";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ period: string }> }): Promise<Response> {
  const { period } = await ctx.params;
  return apiWrite(req, INCENTIVE_EDITORS, z.object({}).strict(), (_b, { actor }, tx) => lockPeriod(tx, actor, period).catch((e) => Promise.reject(lockedConflict(e))));
}
