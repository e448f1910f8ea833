// POST /api/v1/incentives/adjustments/{id}/approve — another HR user than the proposer approves (Idempotency-Key).
import { z } from "zod";
import { apiWrite } from "@/lib/api/write";
import { NotFound } from "@/lib/errors";
import { approveAdjustment, INCENTIVE_EDITORS, lockedConflict } from "@/lib/incentives/service";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  return apiWrite(req, INCENTIVE_EDITORS, z.object({}).strict(), async (_b, { actor }, tx) => {
    if (!/^\d{1,9}$/.test(id)) throw new NotFound("adjustment");
    return approveAdjustment(tx, actor, Number(id)).catch((e) => Promise.reject(lockedConflict(e)));
  });
}
