// POST /api/v1/reports {branch, period} → 202 {id}: records a churn report for the reports worker to generate
// (Idempotency-Key). Supervisors: their own branch; admins: any branch, or null for the whole bank. Every other role,
// and any other branch, 404. GET: the reports the caller may read, newest first.
import { apiWrite } from "@/lib/api/write";
import { BOOK_READERS, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { assertReportReader, listReports, requestReport, requestSchema } from "@/lib/reports/service";

export const dynamic = "force-dynamic";

export const POST = (req: Request) =>
  apiWrite(req, BOOK_READERS, requestSchema, (input, g, tx) => {
    assertReportReader(g.actor.role);
    return requestReport(tx, g.scope, { kind: "user", userId: g.actor.userId }, input);
  }, { status: 202 });

export const GET = route(async (req) => {
  const g = await guard(BOOK_READERS, req);
  assertReportReader(g.actor.role);
  return { rows: await listReports(db(), g.scope) };
});
