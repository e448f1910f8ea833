// GET /api/v1/churn-events — the caller's churn events (scoped through their customer), filtered and paged.
import { ANY_ROLE, guard } from "@/lib/auth/guard";
import { churnQuerySchema, listChurnEvents } from "@/lib/churn/queries";
import { db } from "@/lib/db/client";
import { Invalid, fromZodIssues } from "@/lib/errors";
import { route } from "@/lib/http/route";

export const GET = route(async (req) => {
  const { scope } = await guard(ANY_ROLE, req);
  // An empty parameter means "no filter", as it does in the browser's form.
  const raw = Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = churnQuerySchema.safeParse(raw);
  if (!parsed.success) throw new Invalid(fromZodIssues(parsed.error.issues));
  const { rows, total, byStatus } = await listChurnEvents(db(), scope, parsed.data);
  return { rows, total, byStatus, page: parsed.data.page, pageSize: parsed.data.pageSize };
});
