// `npm run seed -- [--customers N] [--seed S] [--as-of YYYY-MM-DD]`: migrates, then loads the demo portfolio into an
// empty database. Exit 0 loaded, 1 refused or failed, 2 usage error.
import { parseArgs } from "node:util";
import { closeDb, createDb } from "../lib/db/client";
import { runMigrations } from "../lib/db/migrate";
import { EnvError, refuseTestHooksInProduction } from "../lib/env";
import { applyLocalRuntime } from "../lib/runtime/localEnv";
import { DEMO_PASSWORD, MAX_CUSTOMERS } from "../lib/seed/generate";
import { seedDemo, SeedRefused, type SeedProgress } from "../lib/seed/load";
import type { HistoryStep } from "../lib/seed/history";
import { demoLoadUrl, startDemoWork } from "../lib/seed/work";
import { isIsoDate, todayIn } from "../lib/time";

const USAGE = "usage: npm run seed -- [--customers N (default 1000)] [--seed S (default 42)] [--as-of YYYY-MM-DD (default today in TZ_BUSINESS, Asia/Shanghai unless set)]";

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: { customers: string; seed: string; "as-of"?: string };
try {
  ({ values } = parseArgs({
    options: { customers: { type: "string", default: "1000" }, seed: { type: "string", default: "42" }, "as-of": { type: "string" } },
    strict: true,
    allowPositionals: false,
  }));
} catch (e) {
  usage(e instanceof Error ? e.message : String(e));
}

const customers = Number(values.customers);
if (!/^\d+$/.test(values.customers) || customers < 1 || customers > MAX_CUSTOMERS) {
  usage(`--customers must be a whole number from 1 to ${MAX_CUSTOMERS}, got "${values.customers}"`);
}
const seed = Number(values.seed);
if (!/^-?\d+$/.test(values.seed) || !Number.isSafeInteger(seed)) usage(`--seed must be a whole number, got "${values.seed}"`);
const asOf = values["as-of"] ?? todayIn();
if (!isIsoDate(asOf)) usage(`--as-of must be a date as YYYY-MM-DD, got "${asOf}"`);

applyLocalRuntime();
try {
  refuseTestHooksInProduction(process.env);
} catch (e) {
  if (!(e instanceof EnvError)) throw e;
  console.error(`[seed] ${e.message}`);
  process.exit(1);
}
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set. Set it, or run `npm start` (which starts the embedded database) first.");
  process.exit(2);
}

// One line per phase change and per tenth of the customers, whatever the portfolio size.
let lastPhase = "";
let lastTenth = -1;
function progress(p: SeedProgress): void {
  const tenth = p.total ? Math.floor((p.done * 10) / p.total) : 0;
  if (p.phase === lastPhase && tenth === lastTenth) return;
  [lastPhase, lastTenth] = [p.phase, tenth];
  console.log(`[seed] ${p.phase} ${p.done}/${p.total}`);
}

// One line per weekly run of the history: what it opened, and the alert volume of that day against the limits.
function historyProgress(s: HistoryStep): void {
  const share = s.activeCustomers ? ((s.openTasks / s.activeCustomers) * 100).toFixed(1) : "0.0";
  const top = s.topRule ? `, top rule ${s.topRule.code} ${(s.topRule.share * 100).toFixed(1)}% of live loans` : "";
  console.log(`[seed] history ${s.step}/${s.steps} ${s.day}: +${s.warningsOpened} warnings, +${s.tasksOpened} tasks, +${s.churnEvents} churn events; open tasks ${s.openTasks}/${s.activeCustomers} active customers (${share}%)${top}`);
}

const db = createDb(demoLoadUrl(url), 2);
const t0 = performance.now();
try {
  await runMigrations(db);
  console.log(`[seed] migrations applied; loading ${customers} customers (seed ${seed}, as of ${asOf})`);
  const s = await seedDemo(db, { customers, seed, asOf }, progress);
  const t1 = performance.now();
  const work = await startDemoWork(db, asOf, { onStep: historyProgress });
  console.log(`[seed] history in ${((performance.now() - t1) / 1000).toFixed(1)} s: ${Object.entries(work.seconds).map(([k, v]) => `${k} ${v} s`).join(", ")}`);
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `[seed] done in ${seconds} s: ${s.branches} branches, ${s.users} users, ${s.customers} customers, ${s.applications} applications, ` +
      `${s.loans} loans, ${s.installments} installments, ${s.repayments} repayments`,
  );
  console.log(
    `[seed] history ${work.from} … ${work.to} (${work.steps} weekly runs): ${work.warnings} warnings and ${work.tasks} intervention tasks opened, ` +
      `${work.followUps} follow-ups (${work.promises} promises), resolved ${Object.entries(work.resolved).map(([o, n]) => `${o} ${n}`).join(", ") || "none"}; ` +
      `${work.openTasks} tasks open on the as-of day; ${work.churnEvents} churn events; ${work.reports} churn reports drafted (last month and the year, per branch)`,
  );
  console.log(`[seed] behaviours: ${Object.entries(s.behaviours).map(([b, n]) => `${b} ${n}`).join(", ")}`);
  console.log(`[seed] users: admin, admin2, hr1, hr2, sup1…, rm1… — password ${DEMO_PASSWORD}`);
} catch (e) {
  process.exitCode = 1;
  if (e instanceof SeedRefused || e instanceof RangeError) console.error(`[seed] ${e.message}`);
  else console.error("[seed] failed:", e);
} finally {
  await closeDb(db);
}
