// Routine contact (定期与客户保持沟通): an RM logs a visit or call from the customer page, outside any task. It is a
// follow-up without a task (follow_ups.task_id null), so the contact-cadence feature (days_since_last_contact) counts
// it like any other. The person contacted and the notes are contact data: read only through contactField (HR sees
// the kind, the day and who logged it, not the content).
import { sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "../audit";
import type { Actor } from "../auth/roles";
import { contactField, scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { followUps } from "../db/schema";
import { Forbidden, Invalid, NotFound, parseOrInvalid } from "../errors";
import { tagOnWrite } from "../signals/store";
import type { FollowUpType } from "../vocabulary";

export const CONTACT_TYPES = ["visit", "phone", "meeting", "message", "email"] as const satisfies readonly FollowUpType[];

export const contactSchema = z.object({
  customerId: z.number().int().positive(),
  type: z.enum(CONTACT_TYPES),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  contactPerson: z.string().trim().max(100).optional(),
  notes: z.string().trim().min(1).max(4000),
  result: z.string().trim().max(500).optional(),
});
export type ContactInput = z.input<typeof contactSchema>;

/** Logs one routine contact with an in-scope customer. RMs (own customers), supervisors (branch), admins; not HR. */
export async function logContact(db: DbOrTx, scope: Scope, actor: Actor, body: unknown, now: Date): Promise<{ id: number }> {
  const parsed = parseOrInvalid(contactSchema, body);
  const f = parsed;
  const occurredAt = f.occurredAt ? new Date(f.occurredAt) : now;
  // A few minutes of clock skew between the browser and the server are tolerated.
  if (occurredAt.getTime() > now.getTime() + 5 * 60_000) throw new Invalid([{ field: "occurredAt", code: "in_future" }]);
  const [c] = await db.execute<{ id: number }>(sql`select c.id from customers c where c.id = ${f.customerId} and ${scopeWhere(scope, SHAPES.customerAs("c"))}`);
  if (!c) throw new NotFound("customer");
  if (actor.role === "hr") throw new Forbidden();
  const [row] = await db
    .insert(followUps)
    .values({ taskId: null, customerId: c.id, authorId: actor.userId, type: f.type, occurredAt, contactPerson: f.contactPerson || null, notes: f.notes, result: f.result || null })
    .returning({ id: followUps.id });
  // The audit row names the contact, not its content (contact data stays in follow_ups).
  await audit(db, { kind: "user", userId: actor.userId }, { action: "customer.contact", entity: "customer", entityId: c.id, after: { followUpId: row!.id, type: f.type, occurredAt: occurredAt.toISOString() } });
  await tagOnWrite(db, row!.id);
  return { id: row!.id };
}

export type ContactRow = {
  id: number;
  type: FollowUpType;
  occurredAt: string;
  authorName: string;
  taskId: number | null;
  contactPerson: string | null;
  notes: string | null;
  result: string | null;
};

/** The customer's latest contacts (routine and on tasks), newest first; contact person and notes hidden from HR. */
export async function recentContacts(db: DbOrTx, scope: Scope, customerId: number, limit = 10): Promise<ContactRow[]> {
  const rows = await db.execute<ContactRow>(sql`
    select f.id, f.type::text as type, f.occurred_at as "occurredAt", u.display_name as "authorName", f.task_id as "taskId",
      ${contactField(scope, sql`f.contact_person`)} as "contactPerson", ${contactField(scope, sql`f.notes`)} as notes,
      ${contactField(scope, sql`f.result`)} as result
    from follow_ups f join customers c on c.id = f.customer_id join users u on u.id = f.author_id
    where f.customer_id = ${customerId} and ${scopeWhere(scope, SHAPES.customerAs("c"))}
    order by f.occurred_at desc, f.id desc limit ${limit}`);
  return rows.map((r) => ({ ...r, occurredAt: new Date(r.occurredAt).toISOString() }));
}
