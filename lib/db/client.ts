// One postgres-js pool per process; drizzle on top. Scripts and tests create their own with createDb().
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "../env";
import * as schema from "./schema";

export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

/**
 * `idleTimeout` (seconds, 0 = never): a worker keeps its few connections open, since a reopened connection pays its
 * first calls 2–8× (docs/benchmarks.md, cold start) and the worker warmed them at start for that reason.
 */
export function createDb(url: string, max = 10, opts: { idleTimeout?: number } = {}): Db {
  const client = postgres(url, { max, onnotice: () => {}, idle_timeout: opts.idleTimeout ?? 30, connect_timeout: 10 });
  return drizzle(client, { schema }) as Db;
}

const globalForDb = globalThis as unknown as { churnwatchDb?: Db };

export function db(): Db {
  globalForDb.churnwatchDb ??= createDb(env().DATABASE_URL, env().DB_POOL_MAX);
  return globalForDb.churnwatchDb;
}

export async function closeDb(d: Db): Promise<void> {
  await d.$client.end({ timeout: 5 });
}

const dialect = new PgDialect();

/**
 * Runs a drizzle `sql` fragment on a postgres-js client (the pool or a transaction), as a prepared statement unless
 * told otherwise. Drizzle's own execute() never prepares: each call pays a describe round trip and a fresh plan, which
 * counts for statements that run many times a second. Only for constant texts: postgres-js keeps every prepared text
 * per connection.
 */
export function executeSql<T>(client: postgres.Sql | postgres.TransactionSql, query: SQL, prepare = true): Promise<T[]> {
  const q = dialect.sqlToQuery(query);
  return client.unsafe(q.sql, q.params as never[], { prepare }) as unknown as Promise<T[]>;
}
