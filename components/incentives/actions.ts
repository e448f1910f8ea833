"use server";
// HR's incentive writes from the screens: adjustments (propose keyed, approve, reject), period lock, scheme versions.
// The same domain functions as /api/v1/incentives, inside the guard's scope; maker-checker and locks live there.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { decisionNoteSchema } from "@/lib/auth/makerChecker";
import { keyedAction, writeAction, type ActionResult, type Keyed } from "@/lib/http/action";
import { adjustmentSchema, periodSchema } from "@/lib/incentives/scheme";
import { approveAdjustment, INCENTIVE_EDITORS, lockPeriod, proposeAdjustment, rejectAdjustment } from "@/lib/incentives/service";
import { approveScheme, proposeScheme, rejectScheme } from "@/lib/incentives/versions";

const id = z.number().int().positive();
const note = decisionNoteSchema;
const refresh = () => {
  revalidatePath("/hr");
  revalidatePath("/incentives", "layout");
};

const propose = keyedAction("incentives.proposeAdjustment", INCENTIVE_EDITORS, adjustmentSchema, async (input, { actor }, tx) => {
  const r = await proposeAdjustment(tx, actor, input);
  refresh();
  return r;
});
const approve = writeAction(INCENTIVE_EDITORS, z.object({ id }), async (input, { actor }, tx) => {
  const r = await approveAdjustment(tx, actor, input.id);
  refresh();
  return r;
});
const reject = writeAction(INCENTIVE_EDITORS, z.object({ id, note }), async (input, { actor }, tx) => {
  const r = await rejectAdjustment(tx, actor, input.id, input.note);
  refresh();
  return r;
});
const lock = writeAction(INCENTIVE_EDITORS, z.object({ period: periodSchema }), async (input, { actor }, tx) => {
  const r = await lockPeriod(tx, actor, input.period);
  refresh();
  return r;
});
const proposeVersion = keyedAction("incentives.proposeScheme", INCENTIVE_EDITORS, z.object({ effectiveFrom: z.string(), body: z.unknown(), note: z.string().max(500).optional() }), async (input, { actor }, tx) => {
  const r = await proposeScheme(tx, actor, input);
  refresh();
  return r;
});
const approveVersion = writeAction(INCENTIVE_EDITORS, z.object({ versionId: id }), async ({ versionId }, { actor }, tx) => {
  await approveScheme(tx, actor, versionId);
  refresh();
});
const rejectVersion = writeAction(INCENTIVE_EDITORS, z.object({ versionId: id, note }), async ({ versionId, note: n }, { actor }, tx) => {
  await rejectScheme(tx, actor, versionId, n);
  refresh();
});

export async function proposeAdjustmentAction(req: Keyed<{ period: string; rm: string; points: number; reason: string }>): Promise<ActionResult<{ id: number; status: string }>> {
  return propose(req);
}
export async function approveAdjustmentAction(input: { id: number }): Promise<ActionResult<{ id: number; status: string; entryPeriod: string }>> {
  return approve(input);
}
export async function rejectAdjustmentAction(input: { id: number; note: string }): Promise<ActionResult<{ id: number; status: string }>> {
  return reject(input);
}
export async function lockPeriodAction(input: { period: string }): Promise<ActionResult<{ period: string; status: string }>> {
  return lock(input);
}
export async function proposeSchemeAction(req: Keyed<{ effectiveFrom: string; body: unknown; note?: string }>): Promise<ActionResult<{ id: number; version: number }>> {
  return proposeVersion(req);
}
export async function approveSchemeAction(input: { versionId: number }): Promise<ActionResult<void>> {
  return approveVersion(input);
}
export async function rejectSchemeAction(input: { versionId: number; note: string }): Promise<ActionResult<void>> {
  return rejectVersion(input);
}
