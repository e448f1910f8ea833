// GET /api/v1/tasks/board — active tasks by assignee × state with overdue and escalated counts (supervisors: their
// branch; admins: all, or ?branchId=).
import { guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { now } from "@/lib/tasks/api";
import { taskBoard } from "@/lib/tasks/queries";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const { scope } = await guard(["supervisor", "admin"], req);
  const b = new URL(req.url).searchParams.get("branchId");
  return { rows: await taskBoard(db(), scope, await now(), b && /^\d{1,9}$/.test(b) ? Number(b) : undefined) };
});
