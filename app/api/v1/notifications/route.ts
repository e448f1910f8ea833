// GET /api/v1/notifications — the caller's own notifications, newest first, with the unread count.
import { ANY_ROLE, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { parseOrInvalid } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { listNotifications, notificationQuerySchema } from "@/lib/tasks/notifications";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const { actor, scope } = await guard(ANY_ROLE, req);
  const parsed = parseOrInvalid(notificationQuerySchema, Object.fromEntries(new URL(req.url).searchParams));
  return listNotifications(db(), scope, actor.userId, parsed);
});
