// POST /api/v1/repayments — one repayment or {items: [...]} from the core banking feed (or an admin); Idempotency-Key
// required.
import { apiWrite } from "@/lib/api/write";
import { BOOK_WRITERS } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { postRepayments } from "@/lib/intake/service";
import { repaymentsBody } from "@/lib/intake/schemas";
import { todayIn } from "@/lib/time";

export const dynamic = "force-dynamic";

export function POST(req: Request) {
  return apiWrite(req, BOOK_WRITERS, repaymentsBody, (body, { actor, scope }, tx) => {
    return postRepayments(tx, actor, scope, body.items, todayIn(env().TZ_BUSINESS));
  });
}
