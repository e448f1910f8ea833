// GET /api/v1/incentives/ledger?rm=&period= — ledger entries with their evidence; an RM out of scope → 404.
import { ANY_ROLE, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { Invalid, fromZodIssues } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { ledgerEntries, ledgerQuerySchema } from "@/lib/incentives/queries";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const { actor, scope } = await guard(ANY_ROLE, req);
  const raw = Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = ledgerQuerySchema.safeParse(raw);
  if (!parsed.success) throw new Invalid(fromZodIssues(parsed.error.issues));
  return { entries: await ledgerEntries(db(), scope, parsed.data, actor.userId) };
});
