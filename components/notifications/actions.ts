"use server";
// "Mark read" from the bell and the notification centre: naturally idempotent, so it needs no key.
import { ANY_ROLE } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { action, type ActionResult } from "@/lib/http/action";
import { markRead, markReadSchema } from "@/lib/tasks/notifications";

const read = action(ANY_ROLE, markReadSchema, async (input, { actor }) => ({ unread: await markRead(db(), actor.userId, "all" in input ? "all" : input.ids) }));

export async function markReadAction(input: { ids: number[] } | { all: true }): Promise<ActionResult<{ unread: number }>> {
  return read(input);
}
