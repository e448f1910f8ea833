// POST /api/v1/tasks/{id}/checklist — {itemKey, checked}: ticks (or unticks) a playbook item.
import { apiWrite } from "@/lib/api/write";
import { NotFound } from "@/lib/errors";
import { now } from "@/lib/tasks/api";
import { checklistSchema, setChecklistItem } from "@/lib/tasks/service";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  return apiWrite(req, ["rm", "supervisor", "admin"], checklistSchema, async (b, { actor, scope }, tx) => {
    if (!/^\d{1,9}$/.test(id)) throw new NotFound("task");
    return setChecklistItem(tx, scope, actor, Number(id), b.itemKey, b.checked, await now());
  });
}
