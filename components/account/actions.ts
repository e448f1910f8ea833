"use server";
import { z } from "zod";
import { ANY_ROLE } from "@/lib/auth/guard";
import { PASSWORD_MIN } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { action, type ActionResult } from "@/lib/http/action";
import { changeOwnPassword } from "@/lib/users/service";

const change = action(ANY_ROLE, z.object({ current: z.string().min(1).max(200), next: z.string().min(PASSWORD_MIN).max(200) }), (input, { actor }) =>
  changeOwnPassword(db(), actor.userId, input.current, input.next),
);

export async function changePasswordAction(input: { current: string; next: string }): Promise<ActionResult<void>> {
  return change(input);
}
