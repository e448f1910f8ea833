// POST /api/v1/tasks/{id}/follow-ups — records a contact (and optionally a next action or a promise to pay).
import { apiWrite } from "@/lib/api/write";
import { NotFound } from "@/lib/errors";
import { now } from "@/lib/tasks/api";
import { addParsedFollowUp, followUpSchema } from "@/lib/tasks/service";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  return apiWrite(req, ["rm", "supervisor", "admin"], followUpSchema, async (body, { actor, scope }, tx) => {
    if (!/^\d{1,9}$/.test(id)) throw new NotFound("task");
    return addParsedFollowUp(tx, scope, actor, Number(id), body, await now());
  });
}
