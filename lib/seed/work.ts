// The demo's first day of work: the warning rules evaluated over the loaded portfolio and a task opened for every
// customer with an open warning at or above the open threshold (lower ones wait: lib/tasks/open.ts), so a fresh
// install shows warnings, inboxes and a supervisor board at once (the nightly COB would otherwise only produce them
// at 02:00). The outbox rows the evaluation writes are replayed by
// the worker at start and open nothing twice.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { evaluateRules } from "../rules/evaluate";
import { openTasksForWarnings } from "../tasks/open";

export async function startDemoWork(db: Db, asOf: string, now = new Date()): Promise<{ warnings: number; tasks: number }> {
  const r = await evaluateRules(db, { kind: "all" }, asOf);
  const ids = (await db.execute<{ id: number }>(sql`select id::int as id from warnings where status = 'open' order by id`)).map((w) => w.id);
  let tasks = 0;
  for (let i = 0; i < ids.length; i += 5_000) tasks += (await openTasksForWarnings(db, ids.slice(i, i + 5_000), now)).opened;
  return { warnings: r.opened + r.reopened, tasks };
}
