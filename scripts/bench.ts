// `npm run bench -- <name> [options]`: benchmarks. Each prints its figures; the last line is one JSON object.
// They run against a scratch database on DATABASE_URL's server (or 127.0.0.1:5432), dropped afterwards.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { closeDb, createDb, type Db } from "../lib/db/client";
import { runMigrations } from "../lib/db/migrate";
import { seedDemo } from "../lib/seed/load";

type Bench = (args: string[], db: Db) => Promise<Record<string, number | string>>;

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
sampler.unref();

const benches: Record<string, Bench> = {
  // Demo-portfolio load: the bulk-load path later benchmarks build their data with.
  async seed(args, db) {
    const { values } = parseArgs({ args, options: { customers: { type: "string", default: "10000" }, seed: { type: "string", default: "42" } } });
    const customers = Number(values.customers);
    const t0 = performance.now();
    await seedDemo(db, { customers, seed: Number(values.seed), asOf: "2026-06-30" });
    const s = (performance.now() - t0) / 1000;
    const [c] = await db.execute<{ loans: number; installments: number; repayments: number }>(
      sql`select (select count(*) from loans)::int as loans, (select count(*) from installments)::int as installments, (select count(*) from repayments)::int as repayments`,
    );
    const rows = (c?.loans ?? 0) + (c?.installments ?? 0) + (c?.repayments ?? 0) + customers;
    console.log(`customers ${customers}, loans ${c?.loans}, installments ${c?.installments}, repayments ${c?.repayments}`);
    console.log(`load ${s.toFixed(1)} s, ${Math.round(rows / s)} rows/s, peak RSS ${Math.round(peakRss / 2 ** 20)} MB`);
    return { customers, loans: c?.loans ?? 0, installments: c?.installments ?? 0, seed_s: Number(s.toFixed(2)), rows_per_s: Math.round(rows / s) };
  },
};

async function main() {
  const [name, ...rest] = process.argv.slice(2);
  const bench = name ? benches[name] : undefined;
  if (!bench) {
    console.error(`usage: npm run bench -- <${Object.keys(benches).join("|")}> [options]`);
    process.exit(2);
  }
  const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const dbName = `cwbench_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const db = createDb(u.toString(), 4);
  try {
    await runMigrations(db);
    const result = await bench(rest, db);
    console.log(JSON.stringify({ bench: name, ...result, peak_rss_mb: Math.round(peakRss / 2 ** 20) }));
  } finally {
    await closeDb(db);
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
}

await main();
