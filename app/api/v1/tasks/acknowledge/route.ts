// POST /api/v1/tasks/acknowledge — {ids}: acknowledges those of the caller's tasks that are open (bulk, from the inbox).
import { z } from "zod";
import { apiWrite } from "@/lib/api/write";
import { now } from "@/lib/tasks/api";
import { acknowledgeTasks } from "@/lib/tasks/service";

export const dynamic = "force-dynamic";

const body = z.object({ ids: z.array(z.number().int().positive()).min(1).max(500) });

export function POST(req: Request) {
  return apiWrite(req, ["rm", "supervisor", "admin"], body, async (b, { actor, scope }, tx) => acknowledgeTasks(tx, scope, actor, b.ids, await now()));
}
