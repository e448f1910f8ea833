"use server";
// Admin user management. The action() wrapper guards (admin only) and validates; lib/users/service audits.
import { z } from "zod";
import { PASSWORD_MIN } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { Conflict, Invalid } from "@/lib/errors";
import { action, type ActionResult } from "@/lib/http/action";
import { createUser, createUserSchema, resetPassword, setUserActive, type CreateUserInput } from "@/lib/users/service";

const userId = z.number().int().positive();

const create = action(["admin"], createUserSchema, async (input, { actor }) => {
  try {
    return await createUser(db(), { kind: "user", userId: actor.userId }, input);
  } catch (e) {
    // A taken username is the username field's problem: report it there so the form can show it inline.
    if (e instanceof Conflict && e.params.reason === "usernameTaken") {
      throw new Invalid([{ field: "username", code: "taken", key: "user.usernameTaken" }]);
    }
    throw e;
  }
});
const setActive = action(["admin"], z.object({ userId, active: z.boolean() }), (input, { actor }) =>
  setUserActive(db(), { kind: "user", userId: actor.userId }, input.userId, input.active),
);
const reset = action(["admin"], z.object({ userId, password: z.string().min(PASSWORD_MIN).max(200) }), (input, { actor }) =>
  resetPassword(db(), { kind: "user", userId: actor.userId }, input.userId, input.password),
);

export async function createUserAction(input: CreateUserInput): Promise<ActionResult<{ id: number }>> {
  return create(input);
}

export async function setUserActiveAction(input: { userId: number; active: boolean }): Promise<ActionResult<void>> {
  return setActive(input);
}

export async function resetPasswordAction(input: { userId: number; password: string }): Promise<ActionResult<void>> {
  return reset(input);
}
