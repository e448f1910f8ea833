// Tasks on top of the scope fixture: rules of each severity and a way to raise a warning on a customer's loan the
// way the rules engine would (an open warning row), so task tests do not depend on the feature catalogue.
import { sql } from "drizzle-orm";
import type { Db } from "../lib/db/client";
import type { ReasonFamily as Family, Severity } from "../lib/vocabulary";
import { appDb, type TestDb } from "./int-db";
import { buildScopeFixture, type ScopeFixture } from "./scope-fixture";

export type TaskFixture = ScopeFixture & {
  /** Opens a warning (a new rule each time, so never the same (rule, subject)) on the customer's first loan. */
  raise: (customerNo: string, severity: Severity, family?: Family) => Promise<number>;
  customerId: (customerNo: string) => Promise<number>;
};

export async function buildTaskFixture(db: Db): Promise<TaskFixture> {
  const base = await buildScopeFixture(db);
  let n = 0;
  const customerId = async (no: string) => {
    const [c] = await db.execute<{ id: number }>(sql`select id from customers where customer_no = ${no}`);
    return c!.id;
  };
  const raise = async (customerNo: string, severity: Severity, family: Family = "credit_risk") => {
    n++;
    const [r] = await db.execute<{ id: number }>(sql`insert into rules (code) values (${`T${n}`}) returning id`);
    const [v] = await db.execute<{ id: number }>(sql`
      insert into rule_versions (rule_id, version, name_zh, name_en, subject, condition, severity, stage, will, reason_family, cooldown_days, enabled, status)
      values (${r!.id}, 1, ${`规则${n}`}, ${`Rule ${n}`}, 'loan', '{"feature":"dpd","op":"ge","value":1}'::jsonb, ${severity}::severity, 'post_loan',
              'involuntary', ${family}::reason_family, 30, true, 'active') returning id`);
    const [w] = await db.execute<{ id: number }>(sql`
      insert into warnings (rule_id, rule_version_id, subject_key, customer_id, loan_id, status, severity, stage, will, reason_family, opened_on, last_seen_on, evidence)
      select ${r!.id}, ${v!.id}, 'loan:' || l.id, l.customer_id, l.id, 'open', ${severity}::severity, 'post_loan', 'involuntary', ${family}::reason_family,
             '2026-11-30', '2026-11-30', jsonb_build_object('asOf', '2026-11-30', 'features', jsonb_build_object('dpd', 3))
      from loans l join customers c on c.id = l.customer_id where c.customer_no = ${customerNo} order by l.id limit 1
      returning id::int as id`);
    return w!.id;
  };
  return { ...base, raise, customerId };
}

/**
 * For tests that load the app's modules (routes, server actions): a fresh database with the task fixture, the
 * environment those modules read, and one task on C1 (high) and one on C3 (critical); `close` undoes it all.
 */
export async function taskAppEnv(): Promise<{ t: TestDb; fx: TaskFixture; ids: Record<string, number>; close: () => Promise<void> }> {
  const t = await appDb();
  const fx = await buildTaskFixture(t.db);
  const { openTasksForWarnings } = await import("../lib/tasks/open");
  await openTasksForWarnings(t.db, [await fx.raise("C1", "high"), await fx.raise("C3", "critical")], new Date());
  const ids: Record<string, number> = {};
  for (const row of await t.db.execute<{ no: string; id: number }>(sql`select c.customer_no as no, t.id from tasks t join customers c on c.id = t.customer_id`)) ids[row.no] = row.id;
  const close = async () => {
    const { appQueues } = await import("../lib/http/queues");
    const q = appQueues();
    // A producer connection does not queue commands: wait until it is up (these writes may never have nudged).
    if (q.connection.status !== "ready") await new Promise((r) => q.connection.once("ready", r));
    const keys = await q.connection.keys(`${process.env.QUEUE_PREFIX}:*`);
    if (keys.length) await q.connection.del(...keys);
    await q.close();
    await q.connection.quit();
    await t.drop();
  };
  return { t, fx, ids, close };
}
