"use server";
// Churn events' writes from the browser: confirm (with a reason family) or dismiss (with a reason) a detected event,
// and the admins' detection parameters. lib/churn checks the scope (out of scope: not found), validates and audits.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { decideChurnEvent, decisionSchema, type ChurnDecision } from "@/lib/churn/service";
import { saveChurnParams, type ChurnParams } from "@/lib/churn/settings";
import { db } from "@/lib/db/client";
import { action, writeAction, type ActionResult } from "@/lib/http/action";
import { now } from "@/lib/tasks/api";

const decide = writeAction(["rm", "supervisor", "admin"], z.object({ id: z.number().int().positive() }).and(decisionSchema), async ({ id, ...body }, { actor, scope }, tx) =>
  decideChurnEvent(tx, scope, actor, id, body, await now()),
);
const params = action(["admin"], z.object({ input: z.unknown() }), async ({ input }, { actor }) => {
  const saved = await saveChurnParams(db(), { kind: "user", userId: actor.userId }, input);
  revalidatePath("/admin/churn-settings");
  return saved;
});

export async function decideChurnEventAction(input: { id: number } & ChurnDecision): Promise<ActionResult<{ id: number; status: "confirmed" | "dismissed" }>> {
  return decide(input);
}
export async function saveChurnParamsAction(input: { input: ChurnParams }): Promise<ActionResult<ChurnParams>> {
  return params(input);
}
