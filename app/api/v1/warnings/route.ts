// GET /api/v1/warnings — the caller's warnings (scoped through their customer), filtered and paged.
import { ANY_ROLE, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { Invalid, fromZodIssues } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { listWarnings, warningQuerySchema } from "@/lib/warnings/queries";

export const GET = route(async (req) => {
  const { scope } = await guard(ANY_ROLE, req);
  // An empty parameter means "no filter", as it does in the browser's form.
  const raw = Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = warningQuerySchema.safeParse(raw);
  if (!parsed.success) throw new Invalid(fromZodIssues(parsed.error.issues));
  const { rows, total, bySeverity } = await listWarnings(db(), scope, parsed.data);
  return { rows, total, bySeverity, page: parsed.data.page, pageSize: parsed.data.pageSize };
});
