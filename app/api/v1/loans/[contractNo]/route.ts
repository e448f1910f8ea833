// GET /api/v1/loans/{contractNo} — the loan, its schedule with what each installment received, its repayments and
// its current state (outstanding, DPD, bucket, class); 404 when unknown or outside the caller's scope.
import { BOOK_READERS, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { getLoanDetail } from "@/lib/loans/detail";

export const dynamic = "force-dynamic";

export const GET = route<{ contractNo: string }>(async (req, { contractNo }) => {
  const { scope } = await guard(BOOK_READERS, req);
  return getLoanDetail(db(), scope, { contractNo });
});
