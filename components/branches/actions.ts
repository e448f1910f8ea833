"use server";
// Admin branch management: guarded and validated by action(), audited by lib/users/service.
import type { z } from "zod";
import { db } from "@/lib/db/client";
import { action, type ActionResult } from "@/lib/http/action";
import { createBranch, createBranchSchema } from "@/lib/users/service";

const create = action(["admin"], createBranchSchema, (input, { actor }) => createBranch(db(), { kind: "user", userId: actor.userId }, input));

export async function createBranchAction(input: z.input<typeof createBranchSchema>): Promise<ActionResult<{ id: number }>> {
  return create(input);
}
