// The one way to write an outbox row: `emit(tx, topic, payload)` inside the writer's transaction, or, for set-based
// writers, `emitted(topic, select)`, a statement fragment that inserts one row per selected payload (in a CTE of the
// statement that made them). The dispatcher (./dispatch.ts) moves rows to their consumer's jobs.
//
// Emissions are tracked per unit of work (a job, an API write) through AsyncLocalStorage: whoever ran the unit nudges
// the dispatcher afterwards if anything may have been emitted, and a job that follows its own rows through (JobDef
// followThrough) gets them written already claimed, to consume them itself.
import { AsyncLocalStorage } from "node:async_hooks";
import { sql, type SQL } from "drizzle-orm";
import type postgres from "postgres";
import { executeSql, type DbOrTx } from "../db/client";
import type { OutboxRow, TopicName, TopicPayload } from "./define";

type Unit = { followThrough: ReadonlySet<string>; claimed: OutboxRow[]; emitted: boolean };
const units = new AsyncLocalStorage<Unit>();

export type Emissions = { emitted: boolean; claimed: OutboxRow[] };

/** Runs a unit of work and reports what it emitted: whether any row may have been written, and the claimed ones. */
export async function trackEmissions<T>(fn: () => Promise<T>, followThrough: readonly string[] = []): Promise<{ result: T } & Emissions> {
  const unit: Unit = { followThrough: new Set(followThrough), claimed: [], emitted: false };
  const result = await units.run(unit, fn);
  return { result, emitted: unit.emitted, claimed: unit.claimed };
}

type Executor = DbOrTx | postgres.Sql | postgres.TransactionSql;

// One constant text, prepared: the event path writes a row per batch. A claimed row is stamped with
// clock_timestamp(), not the transaction's start, so the reconciler's minute counts from about when its work begins;
// `inline` keeps it out of the dispatcher's count of sweeps in flight (it is not one).
const INSERT = (topic: string, payload: string, claimed: boolean) => sql`
  insert into outbox (topic, payload, dispatched_at, attempts)
  values (${topic}, ${payload}::text::jsonb, case when ${claimed}::boolean then clock_timestamp() end, ${claimed ? 1 : 0}::int)
  returning id::int as id`;

/** Writes one outbox row for `topic` in the caller's transaction. */
export async function emit<T extends TopicName>(ex: Executor, topic: T, payload: TopicPayload<T>): Promise<void> {
  const unit = units.getStore();
  const claimed = unit?.followThrough.has(topic) ?? false;
  const body = claimed ? { ...(payload as object), inline: true } : payload;
  const query = INSERT(topic, JSON.stringify(body), claimed);
  const rows = typeof ex === "function" ? await executeSql<{ id: number }>(ex, query) : await (ex as DbOrTx).execute<{ id: number }>(query);
  if (!unit) return;
  if (claimed) unit.claimed.push({ id: rows[0]!.id, topic, payload: payload as Record<string, unknown> });
  else unit.emitted = true;
}

/**
 * A fragment that inserts one outbox row of `topic` per row of `payloads` (a select of ONE jsonb column), for use as
 * a CTE of the statement that produces them. The payloads are validated when dispatched.
 */
export function emitted(topic: TopicName, payloads: SQL): SQL {
  const unit = units.getStore();
  if (unit) unit.emitted = true;
  return sql`insert into outbox (topic, payload) select ${topic}::text, p from (${payloads}) as emitted(p)`;
}
