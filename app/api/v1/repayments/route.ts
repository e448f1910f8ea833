// POST /api/v1/repayments — one repayment or {items: [...]}; Idempotency-Key required.
import { apiWrite } from "@/lib/api/write";
import { env } from "@/lib/env";
import { postRepayments } from "@/lib/intake/service";
import { repaymentsBody } from "@/lib/intake/schemas";
import { todayIn } from "@/lib/time";

export const dynamic = "force-dynamic";

export function POST(req: Request) {
  return apiWrite(req, ["rm", "supervisor", "admin"], repaymentsBody, (body, { actor, scope }, tx) => {
    return postRepayments(tx, actor, scope, body.items, todayIn(env().TZ_BUSINESS));
  });
}
