// `npm run bench -- <name> [options]`: benchmarks. Each prints its figures; the last line is one JSON object.
// They run against a scratch database on DATABASE_URL's server (or 127.0.0.1:5432), dropped afterwards.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { closeDb, createDb, type Db } from "../lib/db/client";
import { runMigrations } from "../lib/db/migrate";
import { runImport, type ImportPhase } from "../lib/imports/engine";
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
  // Repayments file import: seeds loans, streams a CSV of --rows repayments to a temp file, imports it.
  async import(args, db) {
    const { values } = parseArgs({ args, options: { rows: { type: "string", default: "1000000" }, customers: { type: "string", default: "5000" } } });
    const rows = Number(values.rows);
    const asOf = "2026-06-30";
    await seedDemo(db, { customers: Number(values.customers), seed: 42, asOf });
    const loans = await db.$client<{ contract_no: string; disbursed: number }[]>`
      select contract_no, (disbursed_on - date '2020-01-01')::int as disbursed from loans where disbursed_on < ${asOf}::date order by id`;
    const asOfDay = Math.round((Date.parse(asOf) - Date.parse("2020-01-01")) / 86_400_000);

    const dir = await mkdtemp(path.join(tmpdir(), "cw-bench-import-"));
    const file = path.join(dir, "repayments.csv");
    try {
      const out = createWriteStream(file);
      out.write("合同编号,还款日期,还款金额,流水号\n");
      let buf = "";
      for (let i = 0; i < rows; i++) {
        const loan = loans[i % loans.length] as { contract_no: string; disbursed: number };
        const day = loan.disbursed + ((i * 7919) % Math.max(1, asOfDay - loan.disbursed));
        const paid = new Date(Date.UTC(2020, 0, 1 + day)).toISOString().slice(0, 10);
        const fen = 10_000 + ((i * 104_729) % 50_000_000);
        // Thousands separators need quotes in CSV; every tenth row leaves the transaction id out (content hash).
        buf += `${loan.contract_no},${paid},"${String(Math.floor(fen / 100)).replace(/\B(?=(\d{3})+$)/g, ",")}.${String(fen % 100).padStart(2, "0")}",${i % 10 ? `BX${i}` : ""}\n`;
        if (buf.length >= 1 << 16) {
          if (!out.write(buf)) await once(out, "drain");
          buf = "";
        }
      }
      out.end(buf);
      await once(out, "finish");
      const bytes = (await stat(file)).size;

      // Peak RSS counts from the import's start: seeding and writing the file are not part of it.
      const startRss = process.memoryUsage().rss;
      peakRss = startRss;
      const phases: Partial<Record<ImportPhase, number>> = {};
      const t0 = performance.now();
      const r = await runImport(db, { kind: "repayments", filePath: file, fileName: "repayments.csv", encoding: "auto", dryRun: false, asOf, actor: { kind: "system", name: "bench" } }, (p) => {
        phases[p.phase] ??= performance.now();
      });
      const s = (performance.now() - t0) / 1000;
      if (r.status !== "succeeded") throw new Error(`import rejected: ${r.errorCount} errors, first ${JSON.stringify(r.errors[0])}`);
      const at = (p: ImportPhase) => (((phases[p] ?? t0) - t0) / 1000).toFixed(1);
      console.log(`file ${rows} rows, ${(bytes / 2 ** 20).toFixed(0)} MB; loans ${loans.length}`);
      console.log(`import ${s.toFixed(1)} s (validating from ${at("validating")} s, writing from ${at("writing")} s): ${Math.round(rows / s)} rows/s`);
      console.log(`new ${r.rowsNew}, changed ${r.rowsChanged}, unchanged ${r.rowsUnchanged}, loans queued ${r.loansQueued}`);
      console.log(`RSS at import start ${Math.round(startRss / 2 ** 20)} MB, peak during import ${Math.round(peakRss / 2 ** 20)} MB`);
      return { rows, import_s: Number(s.toFixed(2)), rows_per_s: Math.round(rows / s), file_mb: Math.round(bytes / 2 ** 20), start_rss_mb: Math.round(startRss / 2 ** 20) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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
