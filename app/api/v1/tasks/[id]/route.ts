// GET /api/v1/tasks/{id} — one task with its warnings, customer, playbook, follow-ups and history; out of scope → 404.
import { ANY_ROLE, guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { now } from "@/lib/tasks/api";
import { getTask } from "@/lib/tasks/queries";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (req, { id }) => {
  const { actor, scope } = await guard(ANY_ROLE, req);
  if (!/^\d{1,9}$/.test(id)) throw new NotFound("task");
  return getTask(db(), scope, actor, Number(id), await now());
});
