// GET /api/v1/customers — the caller's customers (scope applied in the query), searched, filtered, sorted, paged.
import { apiWrite } from "@/lib/api/write";
import { BOOK_WRITERS } from "@/lib/auth/roles";
import { BOOK_READERS, guard } from "@/lib/auth/guard";
import { customerQuerySchema, listCustomers } from "@/lib/customers/queries";
import { db } from "@/lib/db/client";
import { parseQuery } from "@/lib/http/query";
import { route } from "@/lib/http/route";
import { customerIn } from "@/lib/intake/schemas";
import { createCustomer } from "@/lib/intake/service";

export const GET = route(async (req) => {
  const { scope } = await guard(BOOK_READERS, req);
  const parsed = parseQuery(req, customerQuerySchema);
  const { rows, total } = await listCustomers(db(), scope, parsed);
  return { rows, total, page: parsed.page, pageSize: parsed.pageSize };
});

// POST /api/v1/customers — registers an enterprise customer (the feed or an admin); Idempotency-Key required.
export function POST(req: Request) {
  return apiWrite(req, BOOK_WRITERS, customerIn, (body, { actor, scope }, tx) => createCustomer(tx, actor, scope, body));
}
