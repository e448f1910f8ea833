// `npm test`: typecheck, lint, unit, integration (real Postgres + Redis) and Playwright end-to-end tests.
// Uses DATABASE_URL / REDIS_URL when given, else the local servers on 5432/6379 when they answer, else embedded
// ones. Each run gets its own databases and Redis key prefix and removes them afterwards.
// `npm test -- --only unit,int` runs a subset (static, unit, int, e2e).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import postgres from "postgres";
import { closeDb, createDb } from "../lib/db/client";
import { runMigrations } from "../lib/db/migrate";
import { buildIfNeeded, ROOT } from "../lib/runtime/build";
import { DATA_DIR } from "../lib/runtime/localEnv";
import { freePort, startEmbeddedPostgres, startPrivateRedis, tcpAnswers, type EmbeddedPg, type PrivateRedis } from "../lib/runtime/services";

const STAGES = ["static", "unit", "int", "e2e"] as const;
type Stage = (typeof STAGES)[number];
const say = (m: string) => console.log(`\n[test] ${m}`);

// Positionals filter the files: `npm run test:e2e -- e2e/tasks.spec.ts` runs one spec (Playwright takes the
// `.spec.ts` ones), `npm run test:int -- lib/imports` the integration files whose path contains it (vitest the rest).
const { values, positionals } = parseArgs({ options: { only: { type: "string" } }, allowPositionals: true });
const specs = positionals.filter((p) => p.endsWith(".spec.ts"));
const filters = positionals.filter((p) => !p.endsWith(".spec.ts"));
const only = new Set((values.only?.split(",") ?? STAGES) as Stage[]);

const runId = randomBytes(4).toString("hex");
const RESULTS = path.join(ROOT, "test-results", `run-${runId}`);
mkdirSync(RESULTS, { recursive: true });
const tally = { passed: 0, failed: 0, skipped: 0 };
// The failing tests by name, repeated at the very end: a CI log is often read from its tail only.
const failedNames: { flaky: boolean; text: string }[] = [];
const firstLine = (m: string | undefined) => (m ?? "").replace(/\u001b\[[0-9;]*m/g, "").split("\n").find((l) => l.trim())?.trim().slice(0, 300) ?? "";

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: ROOT, env, stdio: "inherit" });
    p.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
const bin = (name: string) => path.join(ROOT, "node_modules/.bin", name);

function countVitest(file: string) {
  if (!existsSync(file)) return;
  const r = JSON.parse(readFileSync(file, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults?: { name: string; message?: string; assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[] }[];
  };
  for (const f of r.testResults ?? []) {
    const rel = path.relative(process.cwd(), f.name);
    const failed = (f.assertionResults ?? []).filter((a) => a.status === "failed");
    for (const a of failed) failedNames.push({ flaky: false, text: `${rel} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}` });
    for (const a of f.assertionResults ?? [])
      if (a.status === "passed" && a.failureMessages?.length) failedNames.push({ flaky: true, text: `${rel} › ${a.fullName}: ${firstLine(a.failureMessages[0])}` });
    // A file that failed outside any test (setup, import) has no failed assertion but a message.
    if (!failed.length && f.message) failedNames.push({ flaky: false, text: `${rel}: ${firstLine(f.message)}` });
  }
  tally.passed += r.numPassedTests;
  tally.failed += r.numFailedTests;
  tally.skipped += r.numPendingTests + r.numTodoTests;
}
function countPlaywright(file: string) {
  if (!existsSync(file)) return;
  type Spec = { title: string; file: string; line: number; tests: { status: string; results: { error?: { message?: string } }[] }[] };
  type Suite = { specs?: Spec[]; suites?: Suite[] };
  const r = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number }; suites?: Suite[] };
  const walk = (s: Suite) => {
    for (const sp of s.specs ?? [])
      for (const t of sp.tests)
        if (t.status === "unexpected" || t.status === "flaky")
          failedNames.push({ flaky: t.status === "flaky", text: `e2e/${sp.file}:${sp.line} › ${sp.title}: ${firstLine(t.results.find((x) => x.error)?.error?.message)}` });
    for (const c of s.suites ?? []) walk(c);
  };
  for (const s of r.suites ?? []) walk(s);
  tally.passed += r.stats.expected + r.stats.flaky;
  tally.failed += r.stats.unexpected;
  tally.skipped += r.stats.skipped;
}

type Services = { adminUrl: string; redisUrl: string; pg: EmbeddedPg | null; redis: PrivateRedis | null };

// A service for the run: the URL the environment names, else the one already listening on its usual port, else a
// private one this run starts (and stops).
async function service<S>(envUrl: string | undefined, port: number, usual: string, start: () => Promise<{ url: string; own: S }>): Promise<{ url: string; own: S | null }> {
  if (envUrl) return { url: envUrl, own: null };
  if (await tcpAnswers("127.0.0.1", port)) return { url: usual, own: null };
  return start();
}

async function provision(): Promise<Services> {
  const pg = await service(process.env.DATABASE_URL, 5432, "postgres://postgres@127.0.0.1:5432/postgres", async () => {
    say("no PostgreSQL on 127.0.0.1:5432: starting an embedded one");
    const own = await startEmbeddedPostgres(path.join(DATA_DIR, "test-postgres"), (m) => console.log(m));
    return { url: own.url("postgres"), own };
  });
  const redis = await service(process.env.REDIS_URL, 6379, "redis://127.0.0.1:6379", async () => {
    say("no Redis on 127.0.0.1:6379: starting a private redis-server");
    const own = await startPrivateRedis(path.join(DATA_DIR, "test-redis"), { appendonly: false });
    return { url: own.url, own };
  });
  return { adminUrl: pg.url, redisUrl: redis.url, pg: pg.own, redis: redis.own };
}

function dbUrl(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function cleanup(s: Services, prefix: string) {
  const sql = postgres(s.adminUrl, { max: 1, onnotice: () => {} });
  try {
    const dbs = await sql<{ datname: string }[]>`select datname from pg_database where datname like ${`cw%${runId}%`}`;
    for (const { datname } of dbs) await sql.unsafe(`drop database if exists "${datname}" with (force)`);
  } finally {
    await sql.end();
  }
  const r = new Redis(s.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== "0");
  } finally {
    r.disconnect();
  }
  if (s.redis) await s.redis.stop();
  if (s.pg) await s.pg.stop();
}

function chromiumPath(): string | null {
  const p = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  return existsSync(p) ? p : null;
}

async function main(): Promise<number> {
  const failures: string[] = [];
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" };

  if (only.has("static")) {
    say("typecheck (tsc --noEmit)");
    if ((await run(bin("tsc"), ["--noEmit"], baseEnv)) !== 0) failures.push("typecheck");
    say("lint (eslint)");
    if ((await run(bin("eslint"), ["--max-warnings=0", "."], baseEnv)) !== 0) failures.push("lint");
    say("dependency audit (npm audit --omit=dev against audit-allowlist.json)");
    if ((await run(bin("tsx"), ["scripts/audit.ts"], baseEnv)) !== 0) failures.push("audit");
  }
  if (only.has("unit")) {
    say("unit tests (vitest)");
    const out = path.join(RESULTS, "unit.json");
    if ((await run(bin("vitest"), ["run", "--project", "unit", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...filters], baseEnv)) !== 0) failures.push("unit");
    countVitest(out);
  }

  if (only.has("int") || only.has("e2e")) {
    const services = await provision();
    const prefix = `cwtest-${runId}`;
    const template = `cwt_${runId}`;
    try {
      const admin = postgres(services.adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${template}"`);
      await admin.end();
      const tdb = createDb(dbUrl(services.adminUrl, template), 1);
      await runMigrations(tdb);
      await closeDb(tdb);
      const env = {
        ...baseEnv,
        CW_TEST_PG_ADMIN_URL: services.adminUrl,
        CW_TEST_TEMPLATE_DB: template,
        CW_TEST_REDIS_PREFIX: prefix,
        REDIS_URL: services.redisUrl,
      };
      if (only.has("int")) {
        say(`integration tests (vitest; Postgres ${new URL(services.adminUrl).host}, Redis ${new URL(services.redisUrl).host})`);
        const out = path.join(RESULTS, "int.json");
        if ((await run(bin("vitest"), ["run", "--project", "int", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...filters], env)) !== 0) failures.push("integration");
        countVitest(out);
      }
      if (only.has("e2e")) {
        const chromium = chromiumPath();
        if (!chromium) {
          console.error("\n[test] Chromium was not found at /usr/bin/chromium. Install it with:\n  apt-get install -y chromium fonts-noto-cjk\n(or set CHROMIUM_PATH to a Chromium binary)");
          failures.push("e2e (no chromium)");
        } else {
          const e2eDb = `cwe_${runId}`;
          const admin2 = postgres(services.adminUrl, { max: 1, onnotice: () => {} });
          await admin2.unsafe(`create database "${e2eDb}" template "${template}"`);
          await admin2.end();
          const e2eEnv: NodeJS.ProcessEnv = {
            ...env,
            DATABASE_URL: dbUrl(services.adminUrl, e2eDb),
            QUEUE_PREFIX: `${prefix}-e2e`,
            AUTH_SECRET: randomBytes(32).toString("base64url"),
            CHROMIUM_PATH: chromium,
            E2E_PORT: String(await freePort(3210)),
            CHURNWATCH_TEST_HOOKS: "1",
            // A test run says so: Next would otherwise set NODE_ENV=production in the web process, where the test
            // hooks are refused (the build itself still runs as production, lib/runtime/build.ts).
            NODE_ENV: "test",
          };
          say("seeding the end-to-end database");
          if ((await run(bin("tsx"), ["--conditions=react-server", "scripts/seed.ts", "--customers", "320", "--seed", "7"], e2eEnv)) !== 0) {
            failures.push("e2e seed");
          } else {
            await buildIfNeeded(e2eEnv, say);
            say("end-to-end tests (Playwright, chromium)");
            const out = path.join(RESULTS, "e2e.json");
            if ((await run(bin("playwright"), ["test", ...specs], { ...e2eEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: out })) !== 0) failures.push("e2e");
            countPlaywright(out);
          }
        }
      }
    } finally {
      await cleanup(services, prefix).catch((e) => console.error("[test] cleanup failed:", e));
    }
  }

  rmSync(RESULTS, { recursive: true, force: true });
  console.log(`\n[test] ${failures.length ? `FAILED: ${failures.join(", ")}` : "all stages green"}`);
  for (const n of failedNames) console.log(`  ${n.flaky ? "⚠ (flaky, passed on retry)" : "✗"} ${n.text}`);
  console.log(`total: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
