"use server";
// /admin/model: train a new version (queued as a BullMQ job) and activate a trained one (another admin: maker-checker).
import { z } from "zod";
import { db } from "@/lib/db/client";
import { action, type ActionResult } from "@/lib/http/action";
import { appQueues } from "@/lib/http/queues";
import { activateAndScore, MODEL_EDITORS, startTraining, type TrainRequest } from "@/lib/model/versions";
import { todayIn } from "@/lib/time";

const train = action(MODEL_EDITORS, z.unknown(), async (input, { actor }) => startTraining(db(), appQueues(), actor, input ?? {}));

export async function trainModelAction(input: TrainRequest): Promise<ActionResult<{ id: number; version: number }>> {
  return train(input);
}

const activate = action(MODEL_EDITORS, z.object({ id: z.number().int().positive() }), async ({ id }, { actor }) => {
  return { id, ...(await activateAndScore(db(), appQueues(), actor, id, todayIn())) };
});

export async function activateModelAction(id: number): Promise<ActionResult<{ id: number; scoring: boolean }>> {
  return activate({ id });
}

