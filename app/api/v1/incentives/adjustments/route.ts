// POST /api/v1/incentives/adjustments — {period, rm, points, reason}: HR proposes an adjustment (Idempotency-Key);
// another HR user approves it. GET lists the adjustments in scope (?period=).
import { apiWrite } from "@/lib/api/write";
import { ANY_ROLE, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { listAdjustments } from "@/lib/incentives/queries";
import { periodSchema } from "@/lib/incentives/scheme";
import { adjustmentSchema, INCENTIVE_EDITORS, lockedConflict, proposeAdjustment } from "@/lib/incentives/service";

export const dynamic = "force-dynamic";

export function POST(req: Request) {
  return apiWrite(req, INCENTIVE_EDITORS, adjustmentSchema, (b, { actor }, tx) => proposeAdjustment(tx, actor, b).catch((e) => Promise.reject(lockedConflict(e))));
}

export const GET = route(async (req) => {
  const { scope } = await guard(ANY_ROLE, req);
  const p = new URL(req.url).searchParams.get("period");
  return { adjustments: await listAdjustments(db(), scope, p && periodSchema.safeParse(p).success ? p : undefined) };
});
