// POST /api/v1/loans — a loan contract with its schedule (given, or implied by the repayment method); the feed or an
// admin.
import { apiWrite } from "@/lib/api/write";
import { BOOK_WRITERS } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { loanIn } from "@/lib/intake/schemas";
import { createLoan } from "@/lib/intake/service";
import { todayIn } from "@/lib/time";

export const dynamic = "force-dynamic";

export function POST(req: Request) {
  return apiWrite(req, BOOK_WRITERS, loanIn, (body, { actor, scope }, tx) => createLoan(tx, actor, scope, body, todayIn(env().TZ_BUSINESS)));
}
