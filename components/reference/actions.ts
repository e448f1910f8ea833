"use server";
// LPR reference rates and the industry watch list: admins only. action() guards and maps errors; lib/reference
// validates (with stable issue codes the forms render in the user's language) and audits.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { action, type ActionResult } from "@/lib/http/action";
import { addRate, deleteRate, updateRate, type RateInput, type RateRow } from "@/lib/reference/rates";
import { addWatch, deleteWatch, updateWatch, type WatchInput } from "@/lib/reference/watchlist";

const id = z.number().int().positive();
const me = (userId: number) => ({ kind: "user", userId }) as const;
const done = () => revalidatePath("/admin/reference");

const addRateA = action(["admin"], z.object({ input: z.unknown() }), async ({ input }, { actor }) => {
  const r = await addRate(db(), me(actor.userId), input);
  done();
  return r;
});
const updateRateA = action(["admin"], z.object({ id, input: z.unknown() }), async ({ id: rateId, input }, { actor }) => {
  const r = await updateRate(db(), me(actor.userId), rateId, input);
  done();
  return r;
});
const deleteRateA = action(["admin"], z.object({ id }), async ({ id: rateId }, { actor }) => {
  await deleteRate(db(), me(actor.userId), rateId);
  done();
});
const addWatchA = action(["admin"], z.object({ input: z.unknown() }), async ({ input }, { actor }) => {
  const r = await addWatch(db(), me(actor.userId), input);
  done();
  return r;
});
const updateWatchA = action(
  ["admin"],
  z.object({ id, patch: z.object({ reason: z.string().optional(), active: z.boolean().optional() }) }),
  async ({ id: watchId, patch }, { actor }) => {
    await updateWatch(db(), me(actor.userId), watchId, patch);
    done();
  },
);
const deleteWatchA = action(["admin"], z.object({ id }), async ({ id: watchId }, { actor }) => {
  await deleteWatch(db(), me(actor.userId), watchId);
  done();
});

export async function addRateAction(input: RateInput): Promise<ActionResult<RateRow>> {
  return addRateA({ input });
}
export async function updateRateAction(rateId: number, input: RateInput): Promise<ActionResult<RateRow>> {
  return updateRateA({ id: rateId, input });
}
export async function deleteRateAction(rateId: number): Promise<ActionResult<void>> {
  return deleteRateA({ id: rateId });
}
export async function addWatchAction(input: WatchInput): Promise<ActionResult<{ id: number }>> {
  return addWatchA({ input });
}
export async function updateWatchAction(watchId: number, patch: { reason?: string; active?: boolean }): Promise<ActionResult<void>> {
  return updateWatchA({ id: watchId, patch });
}
export async function deleteWatchAction(watchId: number): Promise<ActionResult<void>> {
  return deleteWatchA({ id: watchId });
}
