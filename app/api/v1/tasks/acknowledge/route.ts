// POST /api/v1/tasks/acknowledge — {ids}: acknowledges those of the caller's tasks that are open (bulk, from the inbox).
import { apiWrite } from "@/lib/api/write";
import { now } from "@/lib/tasks/api";
import { acknowledgeSchema, acknowledgeTasks } from "@/lib/tasks/service";

export const dynamic = "force-dynamic";

export function POST(req: Request) {
  return apiWrite(req, ["rm", "supervisor", "admin"], acknowledgeSchema, async (b, { actor, scope }, tx) => acknowledgeTasks(tx, scope, actor, b.ids, await now()));
}
