// POST /api/v1/notifications/read — {ids} or {all: true}; answers the unread count left. Marking read is naturally
// idempotent, so no Idempotency-Key is needed.
import { z } from "zod";
import { ANY_ROLE, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { Invalid, fromZodIssues } from "@/lib/errors";
import { readBodyJson } from "@/lib/http/body";
import { route } from "@/lib/http/route";
import { markRead } from "@/lib/tasks/notifications";

export const dynamic = "force-dynamic";

const body = z.union([z.object({ ids: z.array(z.number().int().positive()).min(1).max(500) }), z.object({ all: z.literal(true) })]);

export const POST = route(async (req) => {
  const { actor } = await guard(ANY_ROLE, req);
  const parsed = body.safeParse(await readBodyJson(req));
  if (!parsed.success) throw new Invalid(fromZodIssues(parsed.error.issues));
  return { unread: await markRead(db(), actor.userId, "all" in parsed.data ? "all" : parsed.data.ids) };
});
