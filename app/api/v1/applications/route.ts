// GET /api/v1/applications — the caller's loan applications (scoped through the applicant), by funnel step and
// submission dates: the dashboard funnel's drill-down.
import { guard } from "@/lib/auth/guard";
import { applicationQuerySchema, listApplications } from "@/lib/applications/queries";
import { db } from "@/lib/db/client";
import { Invalid, fromZodIssues } from "@/lib/errors";
import { route } from "@/lib/http/route";

export const GET = route(async (req) => {
  const { scope } = await guard(["rm", "supervisor", "admin", "hr"], req);
  // An empty parameter means "no filter", as it does in the browser's form.
  const raw = Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = applicationQuerySchema.safeParse(raw);
  if (!parsed.success) throw new Invalid(fromZodIssues(parsed.error.issues));
  const { rows, total } = await listApplications(db(), scope, parsed.data);
  return { rows, total, page: parsed.data.page, pageSize: parsed.data.pageSize };
});
