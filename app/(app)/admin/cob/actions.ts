"use server";
// "Run now" on /admin/cob: starts today's nightly portfolio run (or joins the one already running). Admins only.
import { z } from "zod";
import { audit } from "@/lib/audit";
import { db } from "@/lib/db/client";
import { action, type ActionResult } from "@/lib/http/action";
import { appQueues } from "@/lib/queue/app";
import { startCob } from "@/lib/rules/cob";
import { todayIn } from "@/lib/time";

const start = action(["admin"], z.object({}), async (_input, { actor }) => {
  const { run, created } = await startCob(db(), appQueues(), { asOf: todayIn(), trigger: "manual", requestedBy: actor.userId });
  if (created) await audit(db(), { kind: "user", userId: actor.userId }, { action: "cob.start", entity: "cob_run", entityId: run.id, after: { asOf: run.asOf, trigger: "manual" } });
  return { id: run.id, created };
});

export async function startCobAction(): Promise<ActionResult<{ id: number; created: boolean }>> {
  return start({});
}
