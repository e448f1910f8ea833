// `npm run bench -- <name> [options]`: benchmarks. Each prints its figures; the last line is one JSON object.
// They run against a scratch database on DATABASE_URL's server (or 127.0.0.1:5432), dropped afterwards.
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createReadStream, createWriteStream, readdirSync, readFileSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import { Queue, Worker } from "bullmq";
import postgres from "postgres";
import pino from "pino";
import { sql } from "drizzle-orm";
import { withIdempotency } from "../lib/api/idempotency";
import { closeDb, createDb, type Db } from "../lib/db/client";
import { runMigrations } from "../lib/db/migrate";
import { errorBody } from "../lib/http/messages";
import { postRepayments } from "../lib/intake/service";
import { nudgeOutbox } from "../lib/pipeline/dispatch";
import { redisConnection } from "../lib/pipeline/queues";
import { openQueues } from "../lib/registry";
import { detectChurn } from "../lib/churn/detect";
import { COB_PARTITION_SIZE, startCob, waitForCob } from "../lib/rules/cob";
import { ruleFeatureKeys } from "../lib/rules/compile";
import { evaluateRules, FEATURE_PASS_SETTINGS } from "../lib/rules/evaluate";
import { featureSql } from "../lib/rules/features";
import { seedDemo } from "../lib/seed/load";
import { benchDashboard } from "./bench-dashboard";
import { startDemoWork } from "../lib/seed/work";
import { alertVolume, volumeBreaches, VOLUME_LIMITS } from "../lib/warnings/volume";
import { todayIn } from "../lib/time";
import { startWarmWorkers } from "../lib/pipeline/worker";
import { SUBJECTS, type Subject } from "../lib/vocabulary";
import { tagNotes } from "../lib/signals/batch";
import { compileLexicon } from "../lib/signals/engine";
import { loadLabelledNotes, score } from "../lib/signals/labelled";
import { loadLexicon } from "../lib/signals/lexicon";
import { SIGNAL_IDS } from "../lib/signals/types";
import { benchIncentives } from "./bench-incentives";
import { benchWeb } from "./bench-web";
import { scoreLoans } from "../lib/model/scoring";
import { activateModel, requestTraining, runTraining } from "../lib/model/versions";

type Bench = (args: string[], db: Db, url: string) => Promise<Record<string, unknown>>;

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
sampler.unref();


const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const round = (x: number, d = 2) => Number(x.toFixed(d));
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");

/** BullMQ in-process workers (the full registry) on a key prefix unique to this run; `stop` removes the prefix. */
async function benchWorkers(url: string, opts: { concurrency: number; queueConcurrency?: Partial<Record<"evaluation" | "loans" | "system", number>>; pool: number; only?: QueueSel[] }) {
  const prefix = `cwbench:${randomBytes(4).toString("hex")}`;
  const wdb = createDb(url, opts.pool, { idleTimeout: 0 });
  const conn = redisConnection(REDIS_URL, "worker");
  const queues = openQueues(redisConnection(REDIS_URL, "worker"), prefix);
  const set = await startWarmWorkers({ connection: conn, prefix, db: wdb, log: pino({ level: "warn" }), concurrency: opts.concurrency, queueConcurrency: opts.queueConcurrency, queues, only: opts.only });
  await Promise.all(set.workers.map((w) => w.waitUntilReady()));
  return {
    prefix,
    queues,
    db: wdb,
    stop: async () => {
      await set.close();
      await queues.close();
      await dropPrefix(conn, prefix);
      await Promise.all([conn.quit(), queues.connection.quit()]);
      await closeDb(wdb);
    },
  };
}

/** A COB run's follow-ups (month-end snapshots, the telemetry's outcome rows) run on the system queue once it has
 * finished: waited for and timed apart, so they do not land inside the next timed run or floor. */
async function cobFollowUps(queues: Awaited<ReturnType<typeof benchWorkers>>["queues"]): Promise<void> {
  const t0 = performance.now();
  const system = queues.get("system");
  for (;;) {
    const c = await system.getJobCounts("active", "waiting", "prioritized");
    if (!c.active && !c.waiting && !c.prioritized) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log(`  its follow-ups (month-end snapshots, outcome rows): ${((performance.now() - t0) / 1000).toFixed(2)} s; load ${load()}`);
}

async function dropPrefix(conn: import("ioredis").Redis, prefix: string): Promise<void> {
  for (let cursor = "0"; ; ) {
    const [next, keys] = await conn.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    if (keys.length) await conn.del(...keys);
    cursor = next;
    if (cursor === "0") return;
  }
}

type QueueSel = "system" | "loans" | "evaluation" | "imports" | "tasks" | "reports";

/**
 * The same workers in a child process (its own process group), as production runs them beside the API: the
 * benchmark's own event loop (posting, polling) then does not compete with the workers'.
 */
async function childWorkers(url: string, opts: { concurrency: number; only: QueueSel[] }) {
  const prefix = `cwbench:${randomBytes(4).toString("hex")}`;
  const child = spawn(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/bench.ts", "__worker", url, prefix, String(opts.concurrency), opts.only.join(",")], {
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (b: Buffer) => b.toString().includes("ready") && resolve());
    child.on("exit", (code) => reject(new Error(`worker process exited (${code})`)));
  });
  const conn = redisConnection(REDIS_URL, "worker");
  const queues = openQueues(redisConnection(REDIS_URL, "worker"), prefix);
  return {
    prefix,
    queues,
    pid: child.pid!,
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(-child.pid!, "SIGTERM");
        const force = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 15_000);
        await exited;
        clearTimeout(force);
      }
      await queues.close();
      await dropPrefix(conn, prefix);
      await Promise.all([conn.quit(), queues.connection.quit()]);
    },
  };
}

/** `bench.ts __worker <url> <prefix> <concurrency> <queues>`: the child side of childWorkers. */
async function workerChild([url, prefix, concurrency, only]: string[]) {
  const db = createDb(url!, Number(concurrency) * 3 + 2, { idleTimeout: 0 });
  const conn = redisConnection(REDIS_URL, "worker");
  const queues = openQueues(redisConnection(REDIS_URL, "worker"), prefix!);
  // As workers/main.ts starts them: warmed up first.
  const set = await startWarmWorkers({ connection: conn, prefix: prefix!, db, log: pino({ level: "warn" }), concurrency: Number(concurrency), queues, only: only!.split(",") as QueueSel[] });
  await Promise.all(set.workers.map((w) => w.waitUntilReady()));
  process.on("SIGTERM", () => {
    void (async () => {
      // While closing, BullMQ's last in-flight commands may reject with "Connection is closed": expected.
      process.on("unhandledRejection", () => {});
      await set.close().catch(() => {});
      await queues.close().catch(() => {});
      await Promise.all([conn.quit(), queues.connection.quit()]).catch(() => {});
      await closeDb(db).catch(() => {});
      process.exit(0);
    })();
  });
  console.log("ready");
}

/** The features the active rules of a subject read (what one evaluation pass computes). */
async function activeKeys(db: Db, subject: Subject): Promise<string[]> {
  const rows = await db.execute<{ condition: unknown }>(sql`select condition from rule_versions where status = 'active' and enabled and subject::text = ${subject}`);
  return [...new Set(rows.flatMap((r) => ruleFeatureKeys({ subject, condition: r.condition })))].sort();
}

/**
 * The floor: one bare set-based pass computing the same features as the COB over the same data, per subject
 * (every column is consumed, so no join can be planned away), with the evaluation's settings (FEATURE_PASS_SETTINGS).
 */
async function floorPass(db: Db, asOf: string): Promise<{ s: number; rows: number }> {
  const t0 = performance.now();
  let rows = 0;
  for (const subject of SUBJECTS) {
    const keys = await activeKeys(db, subject);
    if (!keys.length) continue;
    const counts = sql.join(
      keys.map((k) => sql`count(f.${sql.identifier(k)})`),
      sql` + `,
    );
    const [r] = await db.transaction(async (tx) => {
      await tx.execute(sql`select ${FEATURE_PASS_SETTINGS}`);
      return tx.execute<{ n: number; c: number }>(sql`select count(*)::int as n, (${counts})::int as c from (${featureSql(subject, { kind: "all" }, asOf, keys)}) f`);
    });
    rows += r?.n ?? 0;
  }
  return { s: (performance.now() - t0) / 1000, rows };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Jobs/s of a no-op BullMQ worker on the same Redis: `n` jobs added in bulk, then drained at `concurrency`. */
async function noopThroughput(n: number, concurrency: number): Promise<number> {
  const prefix = `cwbench:${randomBytes(4).toString("hex")}`;
  const conn = redisConnection(REDIS_URL, "worker");
  const q = new Queue("noop", { connection: conn, prefix });
  q.on("error", () => {});
  try {
    for (let i = 0; i < n; i += 1_000) {
      await q.addBulk(Array.from({ length: Math.min(1_000, n - i) }, (_, k) => ({ name: "noop", data: { i: i + k }, opts: { removeOnComplete: true } })));
    }
    let done = 0;
    let t0 = 0;
    let worker: Worker | null = null;
    const ms = await new Promise<number>((resolve) => {
      worker = new Worker(
        "noop",
        async () => {
          if (t0 === 0) t0 = performance.now();
          if (++done === n) resolve(performance.now() - t0);
        },
        { connection: conn, prefix, concurrency },
      );
      worker.on("error", () => {});
    });
    await (worker as Worker | null)?.close();
    return Math.round(n / (ms / 1000));
  } finally {
    await q.close();
    // Completions still in flight when the last job ran can land after a first sweep: sweep again.
    await dropPrefix(conn, prefix);
    await new Promise((r) => setTimeout(r, 500));
    await dropPrefix(conn, prefix);
    await conn.quit();
  }
}

/**
 * Text signals on the labelled notes: precision and recall per signal (all, tuning part, held-out part) and notes
 * per second through the batch tagger. Needs no database.
 */
async function benchText(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args, options: { seconds: { type: "string", default: "5" } } });
  const t0 = performance.now();
  const engine = compileLexicon(loadLexicon());
  const compileMs = performance.now() - t0;
  const notes = loadLabelledNotes();
  const parts = { all: notes, tuning: notes.filter((n) => !n.heldOut), held_out: notes.filter((n) => n.heldOut) };
  const table: Record<string, Record<string, { precision: number; recall: number; support: number }>> = {};
  for (const [name, set] of Object.entries(parts)) {
    const s = score(engine, set);
    console.log(`${name}: ${set.length} notes (${set.filter((n) => n.lang === "zh").length} zh, ${set.filter((n) => n.lang === "en").length} en)`);
    console.log(`  ${"signal".padEnd(24)} precision  recall  support  (fp, fn)`);
    table[name] = {};
    for (const id of SIGNAL_IDS) {
      const v = s.perSignal[id];
      table[name][id] = { precision: round(v.precision, 3), recall: round(v.recall, 3), support: v.support };
      console.log(`  ${id.padEnd(24)} ${v.precision.toFixed(3).padStart(9)}  ${v.recall.toFixed(3).padStart(6)}  ${String(v.support).padStart(7)}  (${v.fp}, ${v.fn})`);
    }
  }
  console.log("(each held-out batch was measured clean once, then its misses fed the next lexicon version: docs/signals.md keeps the clean figures)");
  // Throughput: the batch tagger over the notes, repeated for --seconds after a warm-up pass.
  const batch = notes.map((n, i) => ({ id: i, text: n.text }));
  tagNotes(batch, engine);
  const chars = notes.reduce((n, x) => n + x.text.length, 0) / notes.length;
  let tagged = 0;
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  while (performance.now() - t1 < Number(values.seconds) * 1000) {
    tagNotes(batch, engine);
    tagged += batch.length;
  }
  const perS = tagged / ((performance.now() - t1) / 1000);
  // On a shared machine wall time counts other processes' turns too; per CPU second is the engine's own cost.
  const cpu = process.cpuUsage(cpu0);
  const perCpuS = tagged / ((cpu.user + cpu.system) / 1e6);
  // The loop is synchronous: the RSS sampler could not run during it.
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(`throughput: ${Math.round(perS)} notes/s wall, ${Math.round(perCpuS)} notes per CPU second (${tagged} notes of ${chars.toFixed(0)} characters on average, one thread); lexicon compiled in ${compileMs.toFixed(0)} ms; load ${load()}`);
  const worst = (name: string, k: "precision" | "recall") => Math.min(...Object.values(table[name]!).map((v) => v[k]));
  return {
    lexicon: engine.version,
    notes: notes.length,
    held_out_notes: parts.held_out.length,
    min_precision: worst("all", "precision"),
    min_recall: worst("all", "recall"),
    held_out_min_precision: worst("held_out", "precision"),
    held_out_min_recall: worst("held_out", "recall"),
    notes_per_s: Math.round(perS),
    notes_per_cpu_s: Math.round(perCpuS),
    compile_ms: Math.round(compileMs),
    load_avg: load(),
    per_signal: table.all,
    held_out: table.held_out,
  };
}

/** Benches that need no scratch database. */
const DATABASE_FREE = new Set(["text"]);

const benches: Record<string, Bench> = {
  // The incentive ledger's month close and HR's period review at scale (scripts/bench-incentives.ts).
  incentives: (args, db) => benchIncentives(args, db),
  // Alert volume on the demo (issue 16): per built-in rule the share of live loans with an open warning, open tasks per
  // active customer, and how many of the seed's churners (churn_truth, signal shown, not yet lost) are warned and have
  // a task. `--customers 20000` is the demo the issue measured; `--as-of` any date (the seed is a function of it).
  async alerts(args, db) {
    const { values } = parseArgs({ args, options: { customers: { type: "string", default: "20000" }, seed: { type: "string", default: "42" }, "as-of": { type: "string" } } });
    const asOf = values["as-of"] ?? todayIn();
    const t0 = performance.now();
    const [seeded] = await db.execute<{ n: number }>(sql`select count(*)::int as n from (select 1 from customers limit 1) c`);
    if (seeded!.n === 0) {
      await seedDemo(db, { customers: Number(values.customers), seed: Number(values.seed), asOf });
      await startDemoWork(db, asOf);
    }
    const v = await alertVolume(db, asOf);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.log(`as of ${asOf} (seed and first evaluation ${((performance.now() - t0) / 1000).toFixed(0)} s): ${v.liveLoans} live loans, ${v.activeCustomers} active customers`);
    console.log(`open tasks: ${v.openTasks} = ${pct(v.openTaskShare)} of active customers (limit ${pct(VOLUME_LIMITS.openTaskShare)})`);
    for (const r of v.rules) console.log(`  ${r.code.padEnd(34)} ${r.subject.padEnd(12)} ${r.severity.padEnd(9)} ${String(r.open).padStart(6)} open  ${pct(r.share).padStart(6)} of live loans`);
    console.log(`churners at risk: ${v.churnersAtRisk}; warned ${pct(v.recallWarned)}, with a task ${pct(v.recallTasked)}; tasks on customers who stay: ${v.tasksOnStayers} of ${v.openTasks}`);
    for (const [b, r] of Object.entries(v.recallByBehaviour)) console.log(`  ${b.padEnd(24)} ${String(r.n).padStart(5)}  warned ${String(r.warned).padStart(5)}  task ${String(r.tasked).padStart(5)}`);
    const breaches = volumeBreaches(v);
    console.log(breaches.length ? `OVER THE LIMITS: ${breaches.join("; ")}` : "within the limits");
    return {
      as_of: asOf,
      live_loans: v.liveLoans,
      active_customers: v.activeCustomers,
      open_tasks: v.openTasks,
      open_task_share: v.openTaskShare,
      max_rule_share: Math.max(0, ...v.rules.map((r) => r.share)),
      rule_share: Object.fromEntries(v.rules.map((r) => [r.code, r.share])),
      churners_at_risk: v.churnersAtRisk,
      recall_warned: v.recallWarned,
      recall_tasked: v.recallTasked,
      tasks_on_stayers: v.tasksOnStayers,
      within_limits: breaches.length === 0,
    };
  },
  // Text signals on the labelled follow-up notes: precision/recall per signal and notes per second (no database).
  text: (args) => benchText(args),
  // RM inbox and task page API latency against `next start` with --tasks open tasks (scripts/bench-web.ts).
  web: benchWeb,
  // Each dashboard section in process, bank and branches; the NPL trend from snapshots and live.
  dashboard: (args, db) => benchDashboard(args, db),
  // The nightly run (COB) through the real path (startCob → BullMQ flow → in-process workers) against the floor.
  // A first run opens the portfolio's warnings; the figure that matters is a nightly run, where they exist: the
  // runs on the following days (one per --partition size) are timed against the floor for the same date.
  async cob(args, db, url) {
    const { values } = parseArgs({
      args,
      options: {
        loans: { type: "string", default: "1000000" },
        partition: { type: "string", default: String(COB_PARTITION_SIZE) },
        concurrency: { type: "string", default: "2" },
        single: { type: "string", default: "50" },
        "detect-alone": { type: "boolean", default: false },
      },
    });
    const asOf = "2026-06-30";
    const day = (n: number) => new Date(Date.parse(`${asOf}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const customers = Math.round(Number(values.loans) / 1.5);
    const sizes = values.partition.split(",").map(Number);
    const concurrency = Number(values.concurrency);
    const t0 = performance.now();
    // A kept database (--keep-db) is seeded once; its warnings from earlier runs are cleared so the first run opens them again.
    const [seeded] = await db.execute<{ n: number }>(sql`select count(*)::int as n from (select 1 from loans limit 1) l`);
    if (seeded!.n === 0) await seedDemo(db, { customers, seed: 42, asOf });
    // The seed's recompute leaves a loans.changed outbox row per 2,000 loans: the workers below would evaluate the whole
    // portfolio again as event batches, on the same queue and backends as the timed runs (it made the nightly run twice
    // the first). A kept database loses its earlier runs' warnings too. Not tasks: truncating them cascaded to the
    // follow-ups (the seed's routine contacts) and the churn events, and a kept 100k database then opened 39,815
    // warnings instead of a fresh one's 15,556.
    await db.execute(sql`truncate warning_events, task_warnings, warnings, outbox, cob_partitions, cob_runs`);
    const seedS = (performance.now() - t0) / 1000;
    await db.execute(sql`vacuum analyze`);
    const [c] = await db.execute<{ loans: number; live: number; installments: number }>(sql`
      select count(*)::int as loans, (count(*) filter (where disbursed_on <= ${asOf}::date and (closed_on is null or closed_on > ${asOf}::date)))::int as live,
             (select count(*) from installments)::int as installments from loans`);
    const loans = c!.loans;
    console.log(`seeded ${customers} customers, ${loans} loans (${c!.live} live on ${asOf}), ${c!.installments} installments in ${seedS.toFixed(0)} s; load ${load()}`);

    const w = await benchWorkers(url, { concurrency: 1, queueConcurrency: { evaluation: concurrency }, pool: concurrency + 3, only: ["system", "evaluation"] });
    const cob = async (date: string, size: number) => {
      const t1 = performance.now();
      const started = await startCob(db, w.queues, { asOf: date, trigger: "bench", partitionSize: size });
      const run = await waitForCob(db, started.run.id, () => {}, { pollMs: 100 });
      const secs = (performance.now() - t1) / 1000;
      if (run.status !== "succeeded") throw new Error(`COB run ended ${run.status}`);
      console.log(`COB as of ${date}: ${secs.toFixed(2)} s, ${run.partitionsTotal} partitions of ${size}, evaluation concurrency ${concurrency}; ${run.loansEvaluated} loans, ${run.warningsOpened} warnings opened, ${run.warningsClosed} closed; load ${load()}`);
      await cobFollowUps(w.queues);
      return secs;
    };
    const nightly: { size: number; s: number }[] = [];
    let first: number;
    let f1: { s: number; rows: number };
    let f2: { s: number; rows: number };
    let churnS = 0;
    try {
      first = await cob(asOf, sizes[0]!);
      // Autovacuum is off on this machine; in production it analyzes what the first run wrote long before the next
      // night (the planner would otherwise plan the nightly run for empty warnings and churn_events tables).
      await db.execute(sql`analyze warnings, warning_events, outbox, churn_events, churn_event_changes, customers`);
      // The floor for the next day, before and after the nightly runs (cache warm for both): the faster counts.
      f1 = await floorPass(db, day(1));
      console.log(`floor as of ${day(1)} (1st): ${f1.s.toFixed(2)} s over ${f1.rows} subjects; load ${load()}`);
      for (const [i, size] of sizes.entries()) nightly.push({ size, s: await cob(day(1 + i), size) });
      f2 = await floorPass(db, day(1));
      console.log(`floor as of ${day(1)} (2nd): ${f2.s.toFixed(2)} s; load ${load()}`);
      // Churn detection is part of each COB partition above; alone, over the whole portfolio (a rerun: nothing new),
      // on request: one statement over every loan, which took more than 6 minutes at 1M.
      if (values["detect-alone"]) {
        const t3 = performance.now();
        const churn = await detectChurn(db, { kind: "all" }, day(1));
        churnS = (performance.now() - t3) / 1000;
        console.log(`churn detection alone, whole portfolio (rerun): ${churnS.toFixed(2)} s, ${JSON.stringify(churn)}; events ${(await db.execute<{ n: number }>(sql`select count(*)::int as n from churn_events`))[0]!.n}; load ${load()}`);
      }
    } finally {
      await w.stop();
    }
    const floorS = Math.min(f1.s, f2.s);
    const best = nightly.reduce((a, b) => (b.s < a.s ? b : a));

    // One loan at a time (an event batch of one, as evaluateRules is called for it), extrapolated.
    const n = Number(values.single);
    const ids = (await db.execute<{ id: number }>(sql`select id from loans order by id`)).map((r) => r.id);
    const sample = Array.from({ length: Math.min(n, ids.length) }, (_, i) => ids[Math.floor((i * ids.length) / n)]!);
    const t2 = performance.now();
    for (const id of sample) await evaluateRules(db, { kind: "loans", ids: [id] }, day(1));
    const singleS = (performance.now() - t2) / 1000;
    const oneAtATime = sample.length / singleS;
    const loansPerS = loans / best.s;
    console.log(`one at a time: ${sample.length} loans in ${singleS.toFixed(2)} s = ${oneAtATime.toFixed(1)} loans/s (whole portfolio ≈ ${(loans / oneAtATime / 3600).toFixed(1)} h)`);
    console.log(`nightly cob ${best.s.toFixed(2)} s (partitions of ${best.size}) / floor ${floorS.toFixed(2)} s = ratio ${(best.s / floorS).toFixed(2)}; first run ${first.toFixed(2)} s (ratio ${(first / floorS).toFixed(2)}); ${loansPerS.toFixed(0)} loans/s; ${(loansPerS / oneAtATime).toFixed(0)}× one at a time`);
    return {
      loans,
      customers,
      partition_size: best.size,
      concurrency,
      seed_s: round(seedS, 1),
      cob_s: round(best.s),
      ...Object.fromEntries(nightly.map((r) => [`cob_s_p${r.size}`, round(r.s)])),
      cob_first_s: round(first),
      floor_s: round(floorS),
      floor_first_s: round(f1.s),
      floor_second_s: round(f2.s),
      ratio: round(best.s / floorS),
      ratio_first_run: round(first / floorS),
      churn_detect_s: round(churnS),
      loans_per_s: Math.round(loansPerS),
      one_at_a_time_loans_per_s: round(oneAtATime, 1),
      speedup: Math.round(loansPerS / oneAtATime),
      load_avg: load(),
    };
  },
  // Churn model training (lib/model/versions.ts runTraining) on --months monthly snapshots of a seeded portfolio of
  // about --loans loans: the time of each step and the process's peak RSS (sampled every 100 ms).
  async train(args, db) {
    const { values } = parseArgs({ args, options: { loans: { type: "string", default: "100000" }, months: { type: "string", default: "12" }, "max-rows": { type: "string" } } });
    const asOf = "2026-12-07";
    const t0 = performance.now();
    const [seeded] = await db.execute<{ n: number }>(sql`select count(*)::int as n from (select 1 from loans limit 1) l`);
    if (seeded!.n === 0) await seedDemo(db, { customers: Math.round(Number(values.loans) / 1.5), seed: 42, asOf });
    // The demo's churn events come from its 18-month history replay (lib/seed/history.ts, about 11 min per 20,000
    // customers on a quiet machine), which this bench does not run: without events there is nothing to learn, so the
    // seed's planned churns (churn_truth) are recorded as events on their day. Training reads them like detected ones.
    await db.execute(sql`insert into churn_events (subject_key, customer_id, stage, kind, will, reason_family, reason_inferred, effective_on, detected_on, source)
      select 'customer:' || t.customer_id, t.customer_id, t.stage, 'other', t.will, t.reason_family, false, t.churn_on, t.churn_on, 'recorded'
      from churn_truth t where t.churns and t.churn_on is not null and t.stage is not null and t.will is not null and not exists (select 1 from churn_events)`);
    await db.execute(sql`vacuum analyze`);
    const [c] = await db.execute<{ loans: number; events: number }>(sql`select (select count(*) from loans)::int as loans, (select count(*) from churn_events)::int as events`);
    console.log(`seeded ${c!.loans} loans, ${c!.events} churn events in ${((performance.now() - t0) / 1000).toFixed(0)} s; load ${load()}`);
    const [admin] = await db.execute<{ id: number }>(sql`select id from users where role = 'admin' order by id limit 1`);
    await db.execute(sql`delete from model_scores; delete from model_versions`);
    const { id } = await requestTraining(db, { userId: admin!.id, role: "admin" }, { months: Number(values.months) });
    peakRss = 0;
    const rssBefore = process.memoryUsage().rss;
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    let lastStage = "";
    const poll = setInterval(async () => {
      const [v] = await db.execute<{ stage: string; progress: number }>(sql`select stage, progress from model_versions where id = ${id}`);
      if (v && v.stage !== lastStage) console.log(`  ${((performance.now() - t1) / 1000).toFixed(1)} s: ${v.stage} (${v.progress}%), rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`);
      lastStage = v?.stage ?? lastStage;
    }, 500);
    try {
      await runTraining(db, id, { today: asOf, ...(values["max-rows"] ? { maxRows: Number(values["max-rows"]) } : {}) });
    } finally {
      clearInterval(poll);
    }
    const trainS = (performance.now() - t1) / 1000;
    // This process's CPU time: on a shared machine the wall clock mostly measures the others' load.
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const [v] = await db.execute<{ metrics: { auc: number; ks: number; snapshotRows: number; trainRows: number; validateRows: number; trainEvents: number; validateEvents: number }; features: number }>(sql`
      select metrics, jsonb_array_length(scorecard->'features') as features from model_versions where id = ${id}`);
    const m = v!.metrics;
    console.log(`trained in ${trainS.toFixed(1)} s (this process ${cpuS.toFixed(1)} s CPU) on ${m.snapshotRows} snapshot rows (${m.trainRows} train / ${m.validateRows} validate kept, ${m.trainEvents + m.validateEvents} events); ${v!.features} features; AUC ${m.auc.toFixed(3)}, KS ${m.ks.toFixed(3)}; peak RSS ${Math.round(peakRss / 2 ** 20)} MB (${Math.round(rssBefore / 2 ** 20)} MB before); load ${load()}`);
    return { loans: c!.loans, months: Number(values.months), snapshot_rows: m.snapshotRows, train_rows: m.trainRows, validate_rows: m.validateRows, train_s: round(trainS, 1), train_cpu_s: round(cpuS, 1), auc: round(m.auc, 3), ks: round(m.ks, 3), features: v!.features, train_peak_rss_mb: Math.round(peakRss / 2 ** 20) };
  },
  // What scoring adds to the nightly run: COB runs on consecutive days without, with, and again without an active
  // model (the same path as `bench -- cob`), and scoring alone over the whole portfolio.
  async score(args, db, url) {
    const { values } = parseArgs({ args, options: { loans: { type: "string", default: "100000" }, concurrency: { type: "string", default: "2" }, months: { type: "string", default: "6" } } });
    const asOf = "2026-06-30";
    const day = (n: number) => new Date(Date.parse(`${asOf}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const concurrency = Number(values.concurrency);
    const t0 = performance.now();
    const [seeded] = await db.execute<{ n: number }>(sql`select count(*)::int as n from (select 1 from loans limit 1) l`);
    // The same seed as `bench -- cob` (a database kept by either serves both, never re-seeded). What runs write is
    // cleared as the cob bench clears it (not tasks: their cascade takes the seed's follow-ups and churn events), and
    // the seed's outbox backlog, which the workers would otherwise evaluate as event batches during the timed runs.
    if (seeded!.n === 0) await seedDemo(db, { customers: Math.round(Number(values.loans) / 1.5), seed: 42, asOf });
    await db.execute(sql`truncate warning_events, task_warnings, warnings, outbox, cob_partitions, cob_runs, model_scores`);
    await db.execute(sql`update model_versions set active = false where active`);
    // The training labels: the churn events up to the seed's date (a database a cob bench ran on has them already).
    const [events] = await db.execute<{ n: number }>(sql`select count(*)::int as n from (select 1 from churn_events limit 1) e`);
    if (events!.n === 0) await detectChurn(db, { kind: "all" }, asOf);
    await db.execute(sql`vacuum analyze`);
    const [c] = await db.execute<{ loans: number }>(sql`select count(*)::int as loans from loans`);
    console.log(`seeded ${c!.loans} loans in ${((performance.now() - t0) / 1000).toFixed(0)} s; load ${load()}`);
    // A model to score with, trained on this portfolio (a maker and a checker); a kept database reuses the one an
    // earlier run trained with the same options (training is deterministic for them).
    const admins = await db.execute<{ id: number }>(sql`select id from users where role = 'admin' order by id limit 2`);
    const t1 = performance.now();
    const months = Number(values.months);
    const [trained] = await db.execute<{ id: number }>(sql`
      select id from model_versions where status = 'succeeded' and months = ${months} and data_to < ${asOf}::date and seed = 1 and label = 'any'
      order by id desc limit 1`);
    let id = trained?.id;
    if (id === undefined) {
      await db.execute(sql`delete from model_versions where status in ('queued', 'running')`);
      id = (await requestTraining(db, { userId: admins[0]!.id, role: "admin" }, { months })).id;
      await runTraining(db, id, { today: asOf, maxRows: 100_000 });
      console.log(`model trained in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    } else console.log(`model version ${id} (trained by an earlier run) reused`);
    const w = await benchWorkers(url, { concurrency: 1, queueConcurrency: { evaluation: concurrency }, pool: concurrency + 3, only: ["system", "evaluation"] });
    const cob = async (date: string, label: string) => {
      const t2 = performance.now();
      const started = await startCob(db, w.queues, { asOf: date, trigger: "bench" });
      const run = await waitForCob(db, started.run.id, () => {}, { pollMs: 100 });
      const secs = (performance.now() - t2) / 1000;
      if (run.status !== "succeeded") throw new Error(`COB run ended ${run.status}`);
      const [n] = await db.execute<{ n: number }>(sql`select count(*)::int as n from model_scores where as_of = ${date}::date`);
      console.log(`COB as of ${date} ${label}: ${secs.toFixed(2)} s, ${run.loansEvaluated} loans, ${n!.n} scored; load ${load()}`);
      await cobFollowUps(w.queues);
      return secs;
    };
    let runs: { without1: number; withModel: number; without2: number; withModel2: number };
    try {
      await cob(asOf, "(first run, opens warnings; no model)");
      const without1 = await cob(day(1), "without a model");
      await activateModel(db, { userId: admins[1]!.id, role: "admin" }, id);
      const withModel = await cob(day(2), "with the active model");
      await db.execute(sql`update model_versions set active = false`);
      const without2 = await cob(day(3), "without a model");
      await db.execute(sql`update model_versions set active = true where id = ${id}`);
      const withModel2 = await cob(day(4), "with the active model");
      runs = { without1, withModel, without2, withModel2 };
    } finally {
      await w.stop();
    }
    const t3 = performance.now();
    const alone = await scoreLoans(db, { kind: "all" }, day(4));
    const aloneS = (performance.now() - t3) / 1000;
    // A kept database goes back without an active model: a later `bench -- cob` on it times the run without scoring.
    await db.execute(sql`update model_versions set active = false where active`);
    const without = (runs.without1 + runs.without2) / 2;
    const withM = (runs.withModel + runs.withModel2) / 2;
    const overhead = withM / without - 1;
    console.log(`scoring alone, whole portfolio: ${aloneS.toFixed(2)} s for ${alone.scored} loans (${Math.round(alone.scored / aloneS)} loans/s)`);
    console.log(`COB without a model ${without.toFixed(2)} s, with ${withM.toFixed(2)} s: scoring adds ${(overhead * 100).toFixed(1)}% (limit 20%)`);
    return { loans: c!.loans, cob_without_s: round(without), cob_with_s: round(withM), overhead: round(overhead, 3), score_alone_s: round(aloneS), scored: alone.scored, ...Object.fromEntries(Object.entries(runs).map(([k, v]) => [`cob_${k}_s`, round(v)])), load_avg: load() };
  },
  // Repayment accepted (committed, as POST /api/v1/repayments does it) → warning stored → task in the RM's inbox, at a
  // steady rate, through the full worker registry: outbox dispatch → loans.recompute (following through its
  // loans.changed rows with evaluation.batch) → warning.opened → tasks.fromWarnings.
  async events(args, db, url) {
    const { values } = parseArgs({
      args,
      options: {
        rate: { type: "string", default: "200" },
        seconds: { type: "string", default: "30" },
        customers: { type: "string", default: "0" },
        concurrency: { type: "string", default: "4" },
        workers: { type: "string", default: "inline" },
        warmup: { type: "string", default: "5" },
      },
    });
    const rate = Number(values.rate);
    const warmupS = Number(values.warmup);
    const seconds = Number(values.seconds);
    const events = Math.round(rate * seconds);
    const asOf = todayIn();
    const customers = Number(values.customers) || 5_000;
    const t0 = performance.now();
    await seedDemo(db, { customers, seed: 42, asOf });
    await db.execute(sql`vacuum analyze`);
    console.log(`seeded ${customers} customers in ${((performance.now() - t0) / 1000).toFixed(0)} s; as of ${asOf}; load ${load()}`);
    const [rule] = await db.execute<{ id: number }>(sql`select id from rules where code = 'large_prepayment_90d'`);
    // Repayments that change a warning: on current, active loans with ≥ 75% outstanding and no open warning of the
    // rule "large prepayment, 90 days" (prepaid share ≥ 0.3), a first repayment of 45% of the principal is (after what
    // is due) booked as prepayment and OPENS a warning; when a loan comes round again, 3% more moves the evidence and
    // CONFIRMS it (a new warning_events row). Latency = the repayment committed (as the API commits it) → that
    // warning_events row visible to a reader (polled every 10 ms; the time is taken when the answer arrives).
    const [admin] = await db.execute<{ id: number; username: string; display_name: string }>(sql`select id, username, display_name from users where role = 'admin' order by id limit 1`);
    const actor = { userId: admin!.id, username: admin!.username, displayName: admin!.display_name, role: "admin" as const, branchId: null };

    const concurrency = Number(values.concurrency);
    const noop = await noopThroughput(20_000, concurrency);
    console.log(`no-op BullMQ worker: ${noop} jobs/s (concurrency ${concurrency})`);

    // The repayment → task path: outbox dispatch (system), loans.recompute (loans; evaluation followed through),
    // evaluation.batch for swept rows (evaluation), tasks.fromWarnings (tasks).
    const only: QueueSel[] = ["system", "loans", "evaluation", "tasks"];
    const w = values.workers === "process" ? await childWorkers(url, { concurrency, only }) : await benchWorkers(url, { concurrency, pool: concurrency * 3 + 2, only });
    // The seed's recompute left loans.changed rows for the whole portfolio: they are evaluated first (as the nightly
    // run would have), so the measurement starts from a steady state instead of sharing the CPU with that backlog.
    // Waits until the path is idle: no loans.recompute / loans.changed row waiting for a sweep, no job of the loans
    // or evaluation queues waiting or running.
    const drain = async (what: string, timeoutMs: number) => {
      let told = performance.now();
      for (const until = performance.now() + timeoutMs; ; ) {
        const [o] = await db.execute<{ n: number }>(sql`select count(*)::int as n from outbox where dispatched_at is null and topic in ('loans.changed', 'loans.recompute', 'warning.opened', 'warning.reopened')`);
        // The tasks queue's delayed jobs are SLA timers due days ahead, not backlog.
        const counts = await Promise.all(
          (["loans", "evaluation", "tasks"] as const).map((q) => w.queues.get(q).getJobCounts("active", "waiting", "prioritized", ...(q === "tasks" ? [] : ["delayed" as const]))),
        );
        if (o!.n === 0 && counts.every((c) => Object.values(c).every((n) => n === 0))) return;
        const state = () => `outbox rows waiting ${o!.n}; jobs loans/evaluation/tasks ${counts.map((c) => Object.values(c).reduce((a, b) => a + b, 0)).join("/")}; load ${load()}`;
        if (performance.now() > until) throw new Error(`${what} did not drain within ${timeoutMs / 1000} s (${state()})`);
        // Long waits show where they are.
        if (performance.now() - told > 15_000) {
          console.log(`  ${what}: ${state()}`);
          told = performance.now();
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const drainStart = performance.now();
    await nudgeOutbox(w.queues);
    await drain("the seed's evaluation backlog", 300_000);
    console.log(`seed backlog evaluated in ${((performance.now() - drainStart) / 1000).toFixed(1)} s`);
    // The backlog opened thousands of warnings in tables analysed empty: statistics as autovacuum would have left
    // them (it is off on the CI machine), or the planner keeps choosing plans made for empty tables.
    await db.execute(sql`analyze`);
    const loans = await db.execute<{ id: number; contract_no: string; principal: number }>(sql`
      select l.id, l.contract_no, l.principal_fen::float8 as principal
      from loans l join loan_state s on s.loan_id = l.id
      where l.status = 'active' and l.disbursed_on < ${asOf}::date - 1 and s.dpd = 0 and s.outstanding_principal_fen >= l.principal_fen * 0.75
        and l.maturity_on > ${asOf}::date + 90
        and not exists (select 1 from warnings w where w.loan_id = l.id and w.rule_id = ${rule!.id} and w.status = 'open')
      order by l.id`);
    // A loan comes round again only after ≥ 5 s, long after its previous event was seen.
    if (loans.length < Math.min(events, rate * 5)) throw new Error(`only ${loans.length} eligible loans for ${rate}/s: pass --customers`);
    console.log(`eligible loans ${loans.length}`);
    const pending = new Map<number, { at: number; first: boolean }>();
    const lastEvent = new Map<number, number>();
    const seen: [number, number][] = []; // (when the repayment was committed, latency)
    const opened: number[] = [];
    // Opened warnings waiting for their task (warning id → when the repayment was committed), and the latencies.
    const taskPending = new Map<number, number>();
    const taskSeen: number[] = [];
    // Per opened warning: when its repayment was committed, its warning seen and its task seen (the task stage's split).
    const openedAt = new Map<number, { at: number; seen: number; task?: number }>();
    let overlaps = 0;
    let stopPolling = false;
    // Polls only the events written since the last poll (by id, with a margin: ids are taken at insert, rows become
    // visible at commit, so a slower transaction can show a smaller id later), instead of re-reading every pending
    // loan's warnings: the measurement should not take CPU from what it measures.
    // The poller's own connection plans its statement once (generic plan): planning every poll, 100 a second, took
    // database time from what is measured.
    const poll = postgres(url, { max: 1, onnotice: () => {}, connection: { plan_cache_mode: "force_generic_plan" } });
    const seenEvents = new Set<number>();
    const loanOfWarning = new Map<number, number | null>();
    let lastId = 0;
    const poller = (async () => {
      let idleSince = 0;
      for (;;) {
        if (pending.size) {
          // Only the events' ids; the loan of a warning not seen before is looked up once (joining warnings here was
          // planned as a scan of all warnings on every poll: database CPU taken from what is measured).
          // Of the margin only the ids not seen yet are asked for (few: gaps, or events still uncommitted), and the
          // statement is prepared: re-reading the whole margin every poll cost CPU the measured path needs.
          const gaps: number[] = [];
          for (let id = Math.max(1, lastId - 500); id <= lastId; id++) if (!seenEvents.has(id)) gaps.push(id);
          const events = await poll<{ e: number; w: number }[]>`
            select e.id::int as e, e.warning_id::int as w from warning_events e
            where e.id > ${lastId} or e.id = any(${gaps}::bigint[]) order by e.id`;
          const now = performance.now();
          const unknown = [...new Set(events.filter((r) => !seenEvents.has(r.e) && !loanOfWarning.has(r.w)).map((r) => r.w))];
          if (unknown.length) {
            for (const id of unknown) loanOfWarning.set(id, null);
            const ws = await db.execute<{ id: number; loan_id: number }>(sql`
              select id::int as id, loan_id from warnings where id = any(${`{${unknown.join(",")}}`}::bigint[]) and rule_id = ${rule!.id}`);
            for (const w of ws) loanOfWarning.set(w.id, w.loan_id);
          }
          for (const ev of events) {
            lastId = Math.max(lastId, ev.e);
            if (seenEvents.has(ev.e)) continue;
            seenEvents.add(ev.e);
            const loanId = loanOfWarning.get(ev.w);
            if (loanId == null) continue;
            const r = { loan_id: loanId, e: ev.e };
            const p = pending.get(r.loan_id);
            if (p && r.e > (lastEvent.get(r.loan_id) ?? 0)) {
              seen.push([p.at, now - p.at]);
              if (p.first) {
                opened.push(now - p.at);
                taskPending.set(ev.w, p.at);
                openedAt.set(ev.w, { at: p.at, seen: now });
              }
              lastEvent.set(r.loan_id, r.e);
              pending.delete(r.loan_id);
            }
          }
        }
        if (taskPending.size) {
          // The user-visible moment: the warning is on a task in the RM's inbox (opened for it, or attached to one).
          const onTask = await poll<{ w: number }[]>`select warning_id::int as w from task_warnings where warning_id = any(${[...taskPending.keys()]}::bigint[])`;
          const now = performance.now();
          for (const { w: id } of onTask) {
            const at = taskPending.get(id);
            if (at === undefined) continue;
            taskSeen.push(now - at);
            taskPending.delete(id);
            const o = openedAt.get(id);
            if (o) o.task = now;
          }
        }
        if (stopPolling && ((pending.size === 0 && taskPending.size === 0) || (idleSince ||= performance.now()) < performance.now() - 30_000)) break;
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    // The API's own pool (DB_POOL_MAX defaults to 10): posting does not queue behind the poller.
    const api = createDb(url, 10);
    // The API's path for one repayment, as the route runs it (idempotency, posting, commit, then the nudge).
    const post = async (key: string, contractNo: string, amount: number) => {
      const item = { external_id: key, contract_no: contractNo, paid_on: asOf, amount };
      const rawBody = JSON.stringify({ items: [item] });
      const r = await withIdempotency(api, actor.userId, { method: "POST", path: "/api/v1/repayments", key, rawBody }, async (tx) => ({
        status: 201,
        body: await postRepayments(tx, actor, { kind: "all", contact: true }, [item], asOf),
      }), async (e) => errorBody(e, "en"));
      if (r.status !== 201) throw new Error(`repayment refused: ${JSON.stringify(r.body)}`);
    };
    // Warm-up, not measured: the same rate on OTHER loans (small payments) for a few seconds, so that the processes
    // just started have their connections open, statements prepared and code compiled, as a running server has; the
    // measured loans stay untouched. Then the path is left to drain.
    if (warmupS > 0) {
      const eligible = new Set(loans.map((l) => l.id));
      const others = (await db.execute<{ id: number; contract_no: string; principal: number }>(sql`
        select l.id, l.contract_no, l.principal_fen::float8 as principal from loans l
        where l.status = 'active' and l.disbursed_on < ${asOf}::date - 1 order by l.id`)).filter((l) => !eligible.has(l.id));
      const n = Math.round(rate * warmupS);
      const t = performance.now();
      const sent: Promise<void>[] = [];
      for (let i = 0; i < n && others.length; i++) {
        const wait = t + (i * 1000) / rate - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const loan = others[i % others.length]!;
        sent.push(post(`bench-warmup-${i}`, loan.contract_no, Math.round(loan.principal * 0.01)).then(() => nudgeOutbox(w.queues)));
      }
      await Promise.all(sent);
      await drain("the warm-up", 60_000);
      console.log(`warm-up: ${n} repayments on ${Math.min(n, others.length)} other loans in ${warmupS} s, drained after ${((performance.now() - t) / 1000).toFixed(1)} s (not measured)`);
    }
    // Events written before the measurement (seed backlog, warm-up) are not read again.
    const [top] = await db.execute<{ id: number }>(sql`select coalesce(max(id), 0)::int as id from warning_events`);
    lastId = top!.id;
    // …nor those just below (the margin the poller re-asks for): an old event of an eligible loan is no response.
    for (let id = Math.max(1, lastId - 500); id <= lastId; id++) seenEvents.add(id);
    const inflight: Promise<void>[] = [];
    const start = performance.now();
    // CPU seconds per 5 s window: the worker process (process mode), this process (API + poller), the whole machine.
    const cpu = cpuWindows("pid" in w ? (w as { pid: number }).pid : undefined, start);
    try {
      for (let i = 0; i < events; i++) {
        // Open loop: the i-th repayment is sent at start + i/rate, whether or not earlier ones are done.
        const wait = start + (i * 1000) / rate - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const loan = loans[i % loans.length]!;
        const first = i < loans.length;
        inflight.push(
          (async () => {
            await post(`bench-${i}`, loan.contract_no, Math.round(loan.principal * (first ? 0.45 : 0.03)));
            if (pending.has(loan.id)) overlaps++;
            pending.set(loan.id, { at: performance.now(), first });
            // As the API does after its commit.
            await nudgeOutbox(w.queues);
          })(),
        );
      }
      await Promise.all(inflight);
      const postS = (performance.now() - start) / 1000;
      stopPolling = true;
      await poller;
      const lost = pending.size;
      const latency = seen.map(([, ms]) => ms);
      const sorted = [...latency].sort((a, b) => a - b);
      const p = (q: number) => round(percentile(sorted, q), 1);
      const o = [...opened].sort((a, b) => a - b);
      const eventsPerS = events / postS;
      console.log(`${events} repayments in ${postS.toFixed(1)} s (${eventsPerS.toFixed(1)}/s); warning rows seen for ${latency.length} (${opened.length} opened), missing ${lost}, overlapping ${overlaps}`);
      // Per 5-second window: where in the run the slow ones are (the first pass over the loans opens warnings).
      const windows = new Map<number, number[]>();
      for (const [at, ms] of seen) {
        const k = Math.floor((at - start) / 5_000);
        windows.set(k, [...(windows.get(k) ?? []), ms]);
      }
      console.log(
        `p50/p95 per 5 s: ${[...windows].sort((a, b) => a[0] - b[0]).map(([k, v]) => { const sv = v.sort((a, b) => a - b); return `${k * 5}s ${Math.round(percentile(sv, 50))}/${Math.round(percentile(sv, 95))}`; }).join(", ")}`,
      );
      const cpuSplit = cpu.stop();
      const stages = await jobStages(w.queues);
      const taskSplit = await taskStages(db, w.queues, openedAt, start);
      const tk = [...taskSeen].sort((a, b) => a - b);
      const tp = (q: number) => round(percentile(tk, q), 1);
      console.log(`repayment → warning stored/updated: p50 ${p(50)} ms, p95 ${p(95)} ms, p99 ${p(99)} ms, max ${p(100)} ms (opened only: p50 ${round(percentile(o, 50), 1)}, p95 ${round(percentile(o, 95), 1)} ms); load ${load()}`);
      console.log(`repayment → task in the RM's inbox (${tk.length} of ${opened.length} opened warnings, ${taskPending.size} never seen): p50 ${tp(50)} ms, p95 ${tp(95)} ms, p99 ${tp(99)} ms, max ${tp(100)} ms`);
      return {
        events,
        rate,
        p50_ms: p(50),
        p95_ms: p(95),
        p99_ms: p(99),
        max_ms: p(100),
        events_per_s: round(eventsPerS, 1),
        warnings_seen: latency.length,
        opened_p95_ms: round(percentile(o, 95), 1),
        task_p50_ms: tp(50),
        task_p95_ms: tp(95),
        task_p99_ms: tp(99),
        tasks_seen: tk.length,
        tasks_missing: taskPending.size,
        overlapping: overlaps,
        missing: lost,
        task_split: taskSplit,
        cpu_s: cpuSplit,
        noop_jobs_per_s: noop,
        concurrency,
        workers: String(values.workers),
        load_avg: load(),
        stages,
      };
    } finally {
      stopPolling = true;
      await w.stop();
      await closeDb(api);
      await poll.end({ timeout: 5 });
    }
  },
  // Demo-portfolio load: the bulk-load path later benchmarks build their data with.
  // The churn report (issue 13): generation of a bank-wide and a branch report on a seeded portfolio, and their PDFs,
  // by the reports worker running in its own process as production runs it; its peak RSS is read from /proc (VmHWM).
  async report(args, db, url) {
    const { values } = parseArgs({ args, options: { loans: { type: "string", default: "1000000" }, period: { type: "string", default: "2026" } } });
    const asOf = "2026-06-30";
    const customers = Math.round(Number(values.loans) / 1.5);
    const t0 = performance.now();
    const [seeded] = await db.execute<{ n: number }>(sql`select count(*)::int as n from (select 1 from loans limit 1) l`);
    if (seeded!.n === 0) await seedDemo(db, { customers, seed: 42, asOf });
    const seedS = (performance.now() - t0) / 1000;
    // The month-end snapshots the nightly run writes (lib/dashboard/jobs.ts): the run of the day after the seed's as-of
    // day writes the 13 month-ends up to it. Asset quality starts from them (lib/reports/generate.ts nplAt). Timed on
    // its own; a kept database that has them already skips them.
    const tm = performance.now();
    const { writeMonthEnds } = await import("../lib/dashboard/snapshots");
    const me = await writeMonthEnds(db, "2026-07-01", { months: 13 });
    const monthEndsS = (performance.now() - tm) / 1000;
    console.log(`month-end snapshots: ${me.written.length} written in ${monthEndsS.toFixed(1)} s, ${me.kept.length} already there; load ${load()}`);
    await db.execute(sql`truncate report_files, report_sections, reports cascade`);
    await db.execute(sql`vacuum analyze`);
    const [c] = await db.execute<{ loans: number; events: number; allocations: number }>(sql`
      select (select count(*) from loans)::int as loans, (select count(*) from churn_events where status <> 'dismissed')::int as events,
             (select count(*) from repayment_allocations)::int as allocations`);
    console.log(`seeded ${c!.loans} loans, ${c!.events} churn events, ${c!.allocations} repayment allocations in ${seedS.toFixed(0)} s; load ${load()}`);
    const w = await childWorkers(url, { concurrency: 1, only: ["system", "reports"] });
    const { requestReport } = await import("../lib/reports/service");
    // The worker's process tree: tsx's launcher, the node process running the jobs, and Chromium while it renders.
    const tree = () => {
      const kids = new Map<number, number[]>();
      for (const d of readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
        try {
          const ppid = Number(readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
          kids.set(ppid, [...(kids.get(ppid) ?? []), Number(d)]);
        } catch {
          /* gone */
        }
      }
      const all: number[] = [];
      const walk = (p: number) => (kids.get(p) ?? []).forEach((k) => (all.push(k), walk(k)));
      walk(w.pid);
      return [w.pid, ...all];
    };
    const field = (pid: number, key: string) => {
      try {
        const st = readFileSync(`/proc/${pid}/status`, "utf8");
        return Number(new RegExp(`${key}:\\s+(\\d+)`).exec(st)?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    };
    const isChromium = (pid: number) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("chromium");
      } catch {
        return false;
      }
    };
    let workerPeak = 0;
    let chromiumPeak = 0;
    const rssSampler = setInterval(() => {
      const pids = tree();
      workerPeak = Math.max(workerPeak, ...pids.filter((p) => !isChromium(p)).map((p) => field(p, "VmHWM")));
      chromiumPeak = Math.max(chromiumPeak, pids.filter(isChromium).reduce((a, p) => a + field(p, "VmRSS"), 0));
    }, 100);
    const out: Record<string, unknown> = { loans: c!.loans, churn_events: c!.events, month_ends_written: me.written.length, month_ends_s: round(monthEndsS) };
    try {
      const [b] = await db.execute<{ code: string }>(sql`select code from branches order by id limit 1`);
      for (const [label, branch] of [["bank", null], ["branch", b!.code]] as const) {
        const { id } = await db.transaction((tx) => requestReport(tx, { kind: "all", contact: true }, { kind: "system", name: "bench" }, { branch, period: values.period }));
        const t1 = performance.now();
        await nudgeOutbox(w.queues);
        let r: { status: string; gen_s: number | null; events: number | null } | undefined;
        for (;;) {
          [r] = await db.execute<{ status: string; gen_s: number | null; events: number | null }>(sql`
            select status::text as status, extract(epoch from generated_at - started_at)::float8 as gen_s,
                   (select jsonb_array_length(body -> 'rows') from report_sections where report_id = ${id} and section = 1 and version = 1) as events
            from reports where id = ${id}`);
          if (r!.status === "ready" || r!.status === "failed") break;
          await new Promise((res) => setTimeout(res, 200));
        }
        if (r!.status !== "ready") throw new Error(`report ${id} failed`);
        const genWall = (performance.now() - t1) / 1000;
        // A render that fails (no Chromium at CHROMIUM_PATH, /usr/bin/chromium by default) is retried and then left
        // failed in the queue: stop waiting after 10 minutes instead of forever.
        for (const until = performance.now() + 600_000; ; ) {
          const [f] = await db.execute<{ n: number }>(sql`select count(*)::int as n from report_files where report_id = ${id}`);
          if (f!.n >= 2) break;
          if (performance.now() > until) throw new Error(`report ${id}: no PDFs after 10 minutes (is Chromium at ${process.env.CHROMIUM_PATH || "/usr/bin/chromium"}? see the reports queue's failed jobs)`);
          await new Promise((res) => setTimeout(res, 200));
        }
        // From the snapshot stored to each PDF stored: the zh one includes the dispatch and Chromium's start.
        const [f] = await db.execute<{ zh_s: number; en_s: number; zh: number; en: number }>(sql`
          select extract(epoch from max(f.created_at) filter (where f.format = 'pdf:zh-CN') - r.generated_at)::float8 as zh_s,
                 extract(epoch from max(f.created_at) filter (where f.format = 'pdf:en') - max(f.created_at) filter (where f.format = 'pdf:zh-CN'))::float8 as en_s,
                 max(length(f.bytes)) filter (where f.format = 'pdf:zh-CN')::int as zh, max(length(f.bytes)) filter (where f.format = 'pdf:en')::int as en
          from report_files f join reports r on r.id = f.report_id where f.report_id = ${id} group by r.generated_at`);
        console.log(`${label} report ${values.period}: ${r!.events} events; generation ${r!.gen_s!.toFixed(2)} s (request → ready ${genWall.toFixed(2)} s); PDF zh ${f!.zh_s.toFixed(2)} s (${Math.round(f!.zh / 1024)} KB), en ${f!.en_s.toFixed(2)} s (${Math.round(f!.en / 1024)} KB); load ${load()}`);
        out[`${label}_events`] = r!.events;
        out[`${label}_generation_s`] = round(r!.gen_s!);
        out[`${label}_pdf_zh_s`] = round(f!.zh_s);
        out[`${label}_pdf_en_s`] = round(f!.en_s);
      }
      out.worker_peak_rss_mb = Math.round(workerPeak);
      out.chromium_peak_rss_mb = Math.round(chromiumPeak);
      console.log(`reports worker peak RSS ${out.worker_peak_rss_mb} MB (its node process, VmHWM); Chromium's processes together at most ${out.chromium_peak_rss_mb} MB while rendering`);
    } finally {
      clearInterval(rssSampler);
      await w.stop();
    }
    return out;
  },
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
  async import(args, db, url) {
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

      // The import runs in a process of its own that loads only the import path (scripts/bench-import.ts): its
      // memory is the import's, not the seed's left over in this one.
      const child = spawn(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/bench-import.ts", url, file, asOf], { stdio: ["ignore", "pipe", "inherit"] });
      let report = "";
      child.stdout!.on("data", (b: Buffer) => (report += b.toString()));
      const [code] = (await once(child, "exit")) as [number | null];
      if (code !== 0) throw new Error(`import process exited (${code})`);
      const r = JSON.parse(report.trim().split("\n").at(-1)!) as { import_s: number; validating_from_s: number; writing_from_s: number; rows_new: number; rows_changed: number; rows_unchanged: number; loans_queued: number; start_rss_mb: number; peak_rss_mb: number };
      // The floor: a bare COPY of the same file into an unindexed table of text columns, in the same run. The ratio
      // says how much the import's checks, allocation and writes cost over it, whatever the machine's speed today.
      const tc = performance.now();
      await db.$client.unsafe("create unlogged table bench_bare_copy (contract_no text, paid_on text, amount text, txn_id text)");
      const sink = await db.$client.unsafe("copy bench_bare_copy from stdin (format csv, header true)").writable();
      await pipeline(createReadStream(file), sink);
      const copyS = (performance.now() - tc) / 1000;
      await db.$client.unsafe("drop table bench_bare_copy");
      const rowsPerS = Math.round(rows / r.import_s);
      console.log(`file ${rows} rows, ${(bytes / 2 ** 20).toFixed(0)} MB; loans ${loans.length}`);
      console.log(`import ${r.import_s.toFixed(1)} s (validating from ${r.validating_from_s} s, writing from ${r.writing_from_s} s): ${rowsPerS} rows/s`);
      console.log(`new ${r.rows_new}, changed ${r.rows_changed}, unchanged ${r.rows_unchanged}, loans queued ${r.loans_queued}`);
      console.log(`import process RSS at start ${r.start_rss_mb} MB, peak ${r.peak_rss_mb} MB`);
      console.log(`bare COPY of the same file ${copyS.toFixed(1)} s (${Math.round(rows / copyS)} rows/s): import = ${(r.import_s / copyS).toFixed(2)}× COPY; load ${load()}`);
      return {
        rows,
        import_s: r.import_s,
        rows_per_s: rowsPerS,
        file_mb: Math.round(bytes / 2 ** 20),
        start_rss_mb: r.start_rss_mb,
        peak_rss_mb: r.peak_rss_mb,
        bench_process_peak_rss_mb: Math.round(peakRss / 2 ** 20),
        bare_copy_s: round(copyS),
        copy_ratio: round(r.import_s / copyS),
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/**
 * Where the time of the path goes, from the completed jobs BullMQ keeps (the last 1,000 per queue): per job name,
 * how many, mean and p95 of the wait (added or due → started) and of the run, and the mean number of loans a job
 * carried.
 */
async function jobStages(queues: import("../lib/pipeline/queues").Queues) {
  const out: Record<string, { jobs: number; wait_ms: number; wait_p95_ms: number; run_ms: number; run_p95_ms: number; loans: number }> = {};
  const byName = new Map<string, { wait: number[]; run: number[]; loans: number[] }>();
  for (const q of ["system", "loans", "evaluation", "tasks"] as const) {
    for (const j of await queues.get(q).getJobs(["completed"], 0, 1_000)) {
      if (!j?.processedOn || !j.finishedOn) continue;
      const e = byName.get(j.name) ?? { wait: [], run: [], loans: [] };
      e.wait.push(Math.max(0, j.processedOn - j.timestamp - (j.opts.delay ?? 0)));
      e.run.push(j.finishedOn - j.processedOn);
      const ids = (j.data as { loanIds?: unknown[] }).loanIds;
      if (Array.isArray(ids)) e.loans.push(ids.length);
      byName.set(j.name, e);
    }
  }
  const mean = (xs: number[]) => (xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length, 1) : 0);
  for (const [name, e] of byName) {
    const p95 = (xs: number[]) => round(percentile([...xs].sort((a, b) => a - b), 95), 1);
    out[name] = { jobs: e.run.length, wait_ms: mean(e.wait), wait_p95_ms: p95(e.wait), run_ms: mean(e.run), run_p95_ms: p95(e.run), loans: mean(e.loans) };
    console.log(`  ${name.padEnd(18)} ${String(e.run.length).padStart(5)} jobs  wait ${out[name].wait_ms} ms (p95 ${out[name].wait_p95_ms})  run ${out[name].run_ms} ms (p95 ${out[name].run_p95_ms})  loans/job ${out[name].loans}`);
  }
  return out;
}

/** CPU seconds used per 5 s window from `start`: a process (/proc/<pid>/stat), this process, and the machine. */
function cpuWindows(pid: number | undefined, start: number) {
  const tick = 100; // USER_HZ
  // A process and its descendants (tsx runs the script in a child node process).
  const procCpu = (p: number | "self"): number => {
    try {
      const f = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ");
      const kids = p === "self" ? [] : readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(" ").filter(Boolean).map(Number);
      return (Number(f[11]) + Number(f[12])) / tick + kids.reduce((a, k) => a + procCpu(k), 0);
    } catch {
      return NaN;
    }
  };
  const machine = () => {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    return (f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!) / tick; // user nice system irq softirq steal
  };
  const read = () => ({ worker: pid ? procCpu(pid) : NaN, bench: procCpu("self"), machine: machine() });
  let last = read();
  const out: Record<string, { worker: number; bench: number; machine: number }> = {};
  const timer = setInterval(() => {
    const now = read();
    const k = `${Math.floor((performance.now() - start - 1) / 5_000) * 5}s`;
    const acc = (out[k] ??= { worker: 0, bench: 0, machine: 0 });
    for (const x of ["worker", "bench", "machine"] as const) acc[x] = round(acc[x] + now[x] - last[x], 2);
    last = now;
  }, 5_000);
  return {
    stop: () => {
      clearInterval(timer);
      console.log(`CPU s per 5 s window (worker process / this process / machine of 10): ${Object.entries(out).map(([k, v]) => `${k} ${v.worker}/${v.bench}/${v.machine}`).join(", ")}`);
      return out;
    },
  };
}

/**
 * The task stage of each opened warning, split along the path and reported per 5-second window of the run (by when
 * its repayment was committed), p50/p95 of each part: repayment → warning seen (`warn`), warning seen → its
 * warning.opened row dispatched by a sweep (`sweep`: nudge window, nudge job pickup, claim), dispatched → the
 * tasks.fromWarnings job added (`add`) → started (`wait`) → task seen (`open`: the job's transaction, committed, and
 * the poll), and the job's whole run (`run`: after its commit, the SLA timers and the outbox confirmation).
 * Clocks: the bench's performance.now() on the epoch, PostgreSQL's and BullMQ's timestamps: one machine.
 */
async function taskStages(db: Db, queues: import("../lib/pipeline/queues").Queues, openedAt: Map<number, { at: number; seen: number; task?: number }>, start: number) {
  const epoch = (t: number) => performance.timeOrigin + t;
  const ids = [...openedAt.keys()];
  if (!ids.length) return {};
  const rows = await db.execute<{ w: number; d: number | null }>(sql`
    select (payload->>'warningId')::int as w, extract(epoch from dispatched_at) * 1000 as d from outbox
    where topic in ('warning.opened', 'warning.reopened') and (payload->>'warningId')::bigint = any(${`{${ids.join(",")}}`}::bigint[])`);
  const dispatched = new Map(rows.map((r) => [r.w, r.d == null ? null : Number(r.d)]));
  const job = new Map<number, { added: number; started: number; finished: number; n: number }>();
  for (const j of await queues.get("tasks").getJobs(["completed"], 0, 1_000)) {
    if (j?.name !== "tasks.fromWarnings" || !j.processedOn || !j.finishedOn) continue;
    const ws = (j.data as { warningIds: number[] }).warningIds;
    for (const id of ws) job.set(id, { added: j.timestamp, started: j.processedOn, finished: j.finishedOn, n: ws.length });
  }
  const parts = ["warn", "sweep", "add", "wait", "open", "run", "total", "batch"] as const;
  const windows = new Map<number, Record<(typeof parts)[number], number[]>>();
  for (const [id, o] of openedAt) {
    const d = dispatched.get(id);
    const j = job.get(id);
    if (o.task === undefined || d == null || !j) continue;
    const k = Math.floor((o.at - start) / 5_000) * 5;
    const win = windows.get(k) ?? (Object.fromEntries(parts.map((p) => [p, []])) as unknown as Record<(typeof parts)[number], number[]>);
    windows.set(k, win);
    win.warn.push(o.seen - o.at);
    win.sweep.push(d - epoch(o.seen));
    win.add.push(j.added - d);
    win.wait.push(j.started - j.added);
    win.open.push(epoch(o.task) - j.started);
    win.run.push(j.finished - j.started);
    win.total.push(o.task - o.at);
    win.batch.push(j.n);
  }
  const out: Record<string, Record<string, [number, number]>> = {};
  console.log(`task stage per 5 s window (p50/p95 ms; batch = warnings per tasks.fromWarnings job):`);
  for (const [k, win] of [...windows].sort((a, b) => a[0] - b[0])) {
    const row: Record<string, [number, number]> = {};
    for (const p of parts) {
      const v = [...win[p]].sort((a, b) => a - b);
      row[p] = [Math.round(percentile(v, 50)), Math.round(percentile(v, 95))];
    }
    out[`${k}s`] = row;
    console.log(`  ${String(k).padStart(2)}s n=${String(win.total.length).padStart(4)} ${parts.map((p) => `${p} ${row[p]![0]}/${row[p]![1]}`).join("  ")}`);
  }
  return out;
}

async function main() {
  const [name, ...rest] = process.argv.slice(2);
  if (name === "__worker") return workerChild(rest);
  const bench = name ? benches[name] : undefined;
  if (!bench) {
    console.error(`usage: npm run bench -- <${Object.keys(benches).join("|")}> [options]`);
    process.exit(2);
  }
  if (DATABASE_FREE.has(name!)) {
    const result = await bench(rest, undefined as never, "");
    console.log(JSON.stringify({ bench: name, ...result, peak_rss_mb: Math.round(peakRss / 2 ** 20) }));
    return;
  }
  // `--keep-db NAME` (a first option): use / create that database and keep it, so a slow preparation (the web bench's
  // 100k tasks) is paid once while tuning; the bench skips what is already there.
  const keepAt = rest.indexOf("--keep-db");
  const keep = keepAt >= 0 ? rest.splice(keepAt, 2)[1] : undefined;
  if (keep !== undefined && !/^cwbench_[a-z0-9_]+$/.test(keep)) throw new Error("--keep-db takes a name starting with cwbench_");
  const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const dbName = keep ?? `cwbench_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const [exists] = await admin`select 1 from pg_database where datname = ${dbName}`;
  if (!exists) await admin.unsafe(`create database "${dbName}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const db = createDb(u.toString(), 4);
  try {
    await runMigrations(db);
    const result = await bench(rest, db, u.toString());
    // A bench that measures another process reports that process's peak itself.
    console.log(JSON.stringify({ bench: name, peak_rss_mb: Math.round(peakRss / 2 ** 20), ...result }));
  } finally {
    await closeDb(db);
    if (!keep) await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
}

await main();
