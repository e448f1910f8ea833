"use server";
// The customer page's write: log a routine contact (visit, call…) outside any task. Keyed: a double submit logs once.
import { contactSchema, logContact, type ContactInput } from "@/lib/customers/contact";
import { keyedAction, type ActionResult, type Keyed } from "@/lib/http/action";
import { now } from "@/lib/tasks/api";

const contact = keyedAction("customers.contact", ["rm", "supervisor", "admin"], contactSchema, async (body, { actor, scope }, tx) => logContact(tx, scope, actor, body, await now()));

export async function logContactAction(req: Keyed<ContactInput>): Promise<ActionResult<{ id: number }>> {
  return contact(req);
}
