// POST /api/v1/tasks/{id}/checklist — {itemKey, checked}: ticks (or unticks) a playbook item.
import { z } from "zod";
import { apiWrite } from "@/lib/api/write";
import { NotFound } from "@/lib/errors";
import { now } from "@/lib/tasks/api";
import { setChecklistItem } from "@/lib/tasks/service";

export const dynamic = "force-dynamic";

const body = z.object({ itemKey: z.string().min(1).max(60), checked: z.boolean() });

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  return apiWrite(req, ["rm", "supervisor", "admin"], body, async (b, { actor, scope }, tx) => {
    if (!/^\d{1,9}$/.test(id)) throw new NotFound("task");
    return setChecklistItem(tx, scope, actor, Number(id), b.itemKey, b.checked, await now());
  });
}
