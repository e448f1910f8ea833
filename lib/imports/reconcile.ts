// The reconciler for lost import jobs: an upload is recorded (the `imports` row) before its job is queued, and
// Redis can lose the job (a flush, a failover, a producer that was down). Imports still queued a while after their
// creation whose job Redis no longer has are queued again; the job id is deterministic, so this never runs one twice.
import { and, asc, eq, lt } from "drizzle-orm";
import type { Db } from "../db/client";
import { imports } from "../db/schema";
import { queueOf, type Queues } from "../pipeline/queues";
import { enqueueImport, importJobId } from "./job";

export async function reconcileImports(db: Db, queues: Queues, opts: { olderThanMs?: number; limit?: number } = {}): Promise<{ checked: number; requeued: number[] }> {
  const olderThan = new Date(Date.now() - (opts.olderThanMs ?? 60_000));
  const rows = await db
    .select({ id: imports.id })
    .from(imports)
    .where(and(eq(imports.status, "queued"), lt(imports.createdAt, olderThan)))
    .orderBy(asc(imports.id))
    .limit(opts.limit ?? 500);
  const queue = queueOf(queues, "imports.run");
  const requeued: number[] = [];
  for (const { id } of rows) {
    // Waiting, delayed, active or failed: the job is there, and its own retries (or their end) decide.
    if (await queue.getJob(importJobId(id))) continue;
    await enqueueImport(queues, id);
    requeued.push(id);
  }
  return { checked: rows.length, requeued };
}
