// GET /api/v1/customers — the caller's customers (scope applied in the query), searched, filtered, sorted, paged.
import { apiWrite } from "@/lib/api/write";
import { BOOK_WRITERS } from "@/lib/auth/roles";
import { BOOK_READERS, guard } from "@/lib/auth/guard";
import { customerQuerySchema, listCustomers } from "@/lib/customers/queries";
import { db } from "@/lib/db/client";
import { Invalid, fromZodIssues } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { customerIn } from "@/lib/intake/schemas";
import { createCustomer } from "@/lib/intake/service";

export const GET = route(async (req) => {
  const { scope } = await guard(BOOK_READERS, req);
  // An empty parameter means "no filter", as it does in the browser's form.
  const raw = Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = customerQuerySchema.safeParse(raw);
  if (!parsed.success) throw new Invalid(fromZodIssues(parsed.error.issues));
  const { rows, total } = await listCustomers(db(), scope, parsed.data);
  return { rows, total, page: parsed.data.page, pageSize: parsed.data.pageSize };
});

// POST /api/v1/customers — registers an enterprise customer (the feed or an admin); Idempotency-Key required.
export function POST(req: Request) {
  return apiWrite(req, BOOK_WRITERS, customerIn, (body, { actor, scope }, tx) => createCustomer(tx, actor, scope, body));
}
