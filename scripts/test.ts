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

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: ROOT, env, stdio: "inherit" });
    p.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
const bin = (name: string) => path.join(ROOT, "node_modules/.bin", name);

function countVitest(file: string) {
  if (!existsSync(file)) return;
  const r = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  tally.passed += r.numPassedTests;
  tally.failed += r.numFailedTests;
  tally.skipped += r.numPendingTests + r.numTodoTests;
}
function countPlaywright(file: string) {
  if (!existsSync(file)) return;
  const r = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  tally.passed += r.stats.expected + r.stats.flaky;
  tally.failed += r.stats.unexpected;
  tally.skipped += r.stats.skipped;
}

type Services = { adminUrl: string; redisUrl: string; pg: EmbeddedPg | null; redis: PrivateRedis | null };

async function provision(): Promise<Services> {
  let adminUrl = process.env.DATABASE_URL;
  let pg: EmbeddedPg | null = null;
  if (!adminUrl) {
    if (await tcpAnswers("127.0.0.1", 5432)) adminUrl = "postgres://postgres@127.0.0.1:5432/postgres";
    else {
      say("no PostgreSQL on 127.0.0.1:5432: starting an embedded one");
      pg = await startEmbeddedPostgres(path.join(DATA_DIR, "test-postgres"), (m) => console.log(m));
      adminUrl = pg.url("postgres");
    }
  }
  let redisUrl = process.env.REDIS_URL;
  let redis: PrivateRedis | null = null;
  if (!redisUrl) {
    if (await tcpAnswers("127.0.0.1", 6379)) redisUrl = "redis://127.0.0.1:6379";
    else {
      say("no Redis on 127.0.0.1:6379: starting a private redis-server");
      redis = await startPrivateRedis(path.join(DATA_DIR, "test-redis"), { appendonly: false });
      redisUrl = redis.url;
    }
  }
  return { adminUrl, redisUrl, pg, redis };
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
