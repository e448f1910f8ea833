// POST /api/v1/notifications/read — {ids} or {all: true}; answers the unread count left. Marking read is naturally
// idempotent, so no Idempotency-Key is needed.
import { ANY_ROLE, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { parseOrInvalid } from "@/lib/errors";
import { readBodyJson } from "@/lib/http/body";
import { route } from "@/lib/http/route";
import { markRead, markReadSchema } from "@/lib/tasks/notifications";

export const dynamic = "force-dynamic";

export const POST = route(async (req) => {
  const { actor } = await guard(ANY_ROLE, req);
  const parsed = parseOrInvalid(markReadSchema, await readBodyJson(req));
  return { unread: await markRead(db(), actor.userId, "all" in parsed ? "all" : parsed.ids) };
});
