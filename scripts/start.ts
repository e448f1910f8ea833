// `npm start`: everything a newcomer needs on one machine. Uses DATABASE_URL / REDIS_URL when set, otherwise an
// embedded PostgreSQL and a private redis-server under .data/; applies migrations, loads the demo portfolio into
// an empty database, builds when the build is missing or stale, then runs the web server (scripts/serve.ts) and one worker.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { closeDb, createDb } from "../lib/db/client";
import { runMigrations } from "../lib/db/migrate";
import { ensureBuiltinRules, ensureReferenceRates } from "../lib/rules/library";
import { ensureBuiltinLexicon } from "../lib/signals/versions";
import { ensureCalendar } from "../lib/tasks/settings";
import { demoDataWanted, parseEnv, EnvError, refuseTestHooksInProduction, type Env } from "../lib/env";
import { buildIfNeeded, ROOT } from "../lib/runtime/build";
import { DATA_DIR, RUNTIME_FILE } from "../lib/runtime/localEnv";
import { ensureDatabase, startEmbeddedPostgres, startPrivateRedis, REDIS_INSTALL_HINT, type EmbeddedPg, type PrivateRedis } from "../lib/runtime/services";
import { todayIn } from "../lib/time";

const say = (m: string) => console.log(`[churnwatch] ${m}`);

const children: { name: string; proc: ChildProcess }[] = [];
let pg: EmbeddedPg | null = null;
let redis: PrivateRedis | null = null;
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (stopping) return new Promise<never>(() => {});
  stopping = true;
  say("stopping …");
  // Next and the worker first (the worker finishes its active jobs), then the services they use.
  await Promise.all(children.map(({ proc }) => stopGroup(proc, 35_000)));
  if (redis) await redis.stop().catch(() => {});
  if (pg) await pg.stop().catch(() => {});
  if (existsSync(RUNTIME_FILE)) rmSync(RUNTIME_FILE);
  say("stopped");
  process.exit(code);
}

function stopGroup(proc: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null || !proc.pid) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-proc.pid!, "SIGKILL");
      } catch {}
    }, graceMs);
    proc.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      // Children run in their own process group: signal the group so next-server and tsx's child go too.
      process.kill(-proc.pid, "SIGTERM");
    } catch {
      resolve();
    }
  });
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

function authSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.join(DATA_DIR, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

function launch(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const proc = spawn(cmd, args, { cwd: ROOT, env, stdio: "inherit", detached: true });
  children.push({ name, proc });
  proc.on("exit", (code, signal) => {
    if (stopping) return;
    say(`${name} exited (${signal ?? code}); shutting down`);
    void stopAll(1);
  });
  return proc;
}

async function main() {
  // The test-only hooks (the clock control) never run in an install started the production way.
  try {
    refuseTestHooksInProduction({ ...process.env, NODE_ENV: "production" });
  } catch (e) {
    console.error(`\n${(e as Error).message}\n`);
    return stopAll(2);
  }
  mkdirSync(DATA_DIR, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };
  env.PORT ||= "3000";
  env.QUEUE_PREFIX ||= "churnwatch";
  env.AUTH_SECRET = authSecret();

  if (!env.DATABASE_URL) {
    pg = await startEmbeddedPostgres(path.join(DATA_DIR, "postgres"), say);
    await ensureDatabase(pg.url("postgres"), "churnwatch");
    env.DATABASE_URL = pg.url("churnwatch");
    say(`embedded PostgreSQL on ${new URL(env.DATABASE_URL).host}`);
  }
  if (!env.REDIS_URL) {
    try {
      redis = await startPrivateRedis(path.join(DATA_DIR, "redis"), { appendonly: true });
    } catch (e) {
      console.error(`\n${(e as Error).message === REDIS_INSTALL_HINT ? REDIS_INSTALL_HINT : (e as Error).message}\n`);
      return stopAll(1);
    }
    env.REDIS_URL = redis.url;
    say(`private redis-server on ${new URL(env.REDIS_URL).host} (data in .data/redis, AOF on)`);
  }
  let parsed: Env;
  try {
    parsed = parseEnv(env);
  } catch (e) {
    if (e instanceof EnvError) console.error(e.message);
    return stopAll(1);
  }
  if (pg || redis) {
    const rt = { DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL, QUEUE_PREFIX: env.QUEUE_PREFIX, AUTH_SECRET: env.AUTH_SECRET, PORT: env.PORT };
    writeFileSync(RUNTIME_FILE, JSON.stringify(rt, null, 2), { mode: 0o600 });
  }

  const db = createDb(env.DATABASE_URL, 2);
  let demo = false;
  try {
    await runMigrations(db);
    // Reference data and the built-in warning rules, on first start (idempotent afterwards).
    await ensureReferenceRates(db);
    const library = await ensureBuiltinRules(db);
    await ensureCalendar(db);
    const lexicon = await ensureBuiltinLexicon(db);
    say("migrations applied");
    if (lexicon === "proposed") say("this release's built-in signal lexicon awaits approval in /admin/signals");
    if (library.proposed) say(`${library.proposed} built-in rule update(s) from this release await approval in /admin/rules`);
    const [row] = await db.execute<{ n: number }>(sql`select (select count(*) from customers)::int + (select count(*) from users)::int as n`);
    const wanted = demoDataWanted(parsed, pg !== null);
    if (row?.n === 0 && !wanted && !pg && parsed.CHURNWATCH_DEMO === undefined) {
      say("empty database at DATABASE_URL: no demo data loaded (it may be a real one); CHURNWATCH_DEMO=1 loads the demo portfolio into it");
    }
    if (row?.n === 0 && wanted) {
      const { seedDemo } = await import("../lib/seed/load");
      const customers = parsed.CHURNWATCH_DEMO_CUSTOMERS;
      say(`empty database: loading the demo portfolio (${customers} customers) …`);
      const t0 = Date.now();
      const asOf = todayIn(env.TZ_BUSINESS);
      const { demoLoadUrl, startDemoWork } = await import("../lib/seed/work");
      const loadDb = createDb(demoLoadUrl(env.DATABASE_URL), 2);
      try {
        await seedDemo(loadDb, { customers, seed: 42, asOf });
        say(`portfolio loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s; replaying its 18 months of history …`);
        // Every tenth weekly run of the history, and the last.
        const work = await startDemoWork(loadDb, asOf, {
          onStep: (s) => {
            if (s.step % 10 === 0 || s.step === s.steps) say(`history ${s.step}/${s.steps} (${s.day}): ${s.openTasks} open tasks of ${s.activeCustomers} active customers`);
          },
        });
        say(`demo portfolio loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${work.warnings} warnings and ${work.tasks} intervention tasks over the history, ${work.openTasks} open today`);
      } finally {
        await closeDb(loadDb);
      }
    }
    const [d] = await db.execute<{ n: number }>(sql`select count(*)::int as n from settings where key = 'demo.asOf'`);
    demo = (d?.n ?? 0) > 0;
  } finally {
    await closeDb(db);
  }

  await buildIfNeeded(env, say);

  launch("worker", path.join(ROOT, "node_modules/.bin/tsx"), ["--conditions=react-server", "workers/main.ts"], env);
  // scripts/serve.ts is `next start` plus the socket address the sign-in throttle needs.
  launch("web", path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/serve.ts", "-p", env.PORT], env);

  const url = `http://localhost:${env.PORT}`;
  await waitFor(`${url}/api/health`, 60_000);
  const lines = [
    "",
    `churnwatch is running at ${url}`,
    "",
    demo
      ? "Demo logins (password for all: demo-pass-2026):\n  admin, admin2 (administrators) · hr1, hr2 (HR) · sup1, sup2, … (one supervisor per branch) · rm1, rm2, … (relationship managers)"
      : "No demo data here. Create the first administrator with:  npm run cli -- user create --username <name> --role admin",
    "",
    "More workers: npm run worker   ·   Stop: Ctrl-C",
    "",
  ];
  console.log(lines.join("\n"));
}

async function waitFor(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      if (r.status < 500 || r.status === 503) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  say(`warning: ${url} did not answer within ${ms / 1000} s`);
}

main().catch((e) => {
  console.error(e);
  void stopAll(1);
});
