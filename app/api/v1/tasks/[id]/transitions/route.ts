// POST /api/v1/tasks/{id}/transitions — {action: acknowledge | start | resolve | cancel | reassign | escalate, …}.
import { apiWrite } from "@/lib/api/write";
import { NotFound } from "@/lib/errors";
import { now } from "@/lib/tasks/api";
import { transitionSchema, transitionTask } from "@/lib/tasks/service";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  return apiWrite(req, ["rm", "supervisor", "admin"], transitionSchema, async (body, { actor, scope }, tx) => {
    if (!/^\d{1,9}$/.test(id)) throw new NotFound("task");
    return transitionTask(tx, scope, actor, Number(id), body, await now());
  });
}
