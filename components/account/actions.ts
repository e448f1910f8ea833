"use server";
import { z } from "zod";
import { ANY_ROLE } from "@/lib/auth/guard";
import { requestClientAddress } from "@/lib/auth/nextauth";
import { PASSWORD_MIN } from "@/lib/auth/password";
import { throttleConfig } from "@/lib/auth/throttle";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { action, type ActionResult } from "@/lib/http/action";
import { changeOwnPassword } from "@/lib/users/service";

const change = action(ANY_ROLE, z.object({ current: z.string().min(1).max(200), next: z.string().min(PASSWORD_MIN).max(200) }), async (input, { actor, sessionId }) =>
  changeOwnPassword(db(), { userId: actor.userId, sessionId, ip: await requestClientAddress() }, input.current, input.next, throttleConfig(env())),
);

export async function changePasswordAction(input: { current: string; next: string }): Promise<ActionResult<void>> {
  return change(input);
}
