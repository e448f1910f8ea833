// Every state change writes one audit row in the same transaction as the change.
import type { DbOrTx } from "./db/client";
import { auditLog } from "./db/schema";

export type AuditActor = { kind: "user"; userId: number } | { kind: "system"; name: string };

export async function audit(
  tx: DbOrTx,
  actor: AuditActor,
  entry: { action: string; entity: string; entityId: string | number; before?: unknown; after?: unknown },
): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: actor.kind === "user" ? actor.userId : null,
    actorKind: actor.kind === "user" ? "user" : `system:${actor.name}`,
    action: entry.action,
    entity: entry.entity,
    entityId: String(entry.entityId),
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}
