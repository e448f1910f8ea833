// `kill -9` of a worker process in the middle of a COB run: a real worker process (workers/main.ts) is killed with
// its process group while it holds a partition; a fresh worker picks the stalled job up, the reconciler does the
// rest, and every loan ends evaluated exactly once with no duplicate warnings.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, redisUrl, testPrefix, type TestDb } from "../../test/int-db";
import { startWorkers, type WorkerSet } from "../pipeline/worker";
import { cobPartitions } from "../db/schema";
import { redisConnection, type Queues } from "../pipeline/queues";
import { openQueues } from "../registry";
import { seedDemo } from "../seed/load";
import { getCobRun, reconcileCob, startCob } from "./cob";
import { evaluateRules } from "./evaluate";

const ROOT = path.resolve(import.meta.dirname, "../..");
const ASOF = "2026-06-30";
// Short locks so the killed worker's job counts as stalled within a second or two (BullMQ's default is 30 s).
const LOCK_MS = 1_000;
const STALLED_MS = 500;

let t: TestDb;
let queues: Queues;
let child: ChildProcess | null = null;
let workers: WorkerSet | null = null;
const prefix = testPrefix();
const conn = redisConnection(redisUrl(), "worker");
const dataDir = mkdtempSync(path.join(tmpdir(), "cw-kill-"));

function killGroup(p: ChildProcess | null, signal: NodeJS.Signals): void {
  if (!p?.pid || p.exitCode !== null || p.signalCode !== null) return;
  try {
    process.kill(-p.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Starts `npm run worker` as its own process group and resolves once it logged "worker ready". */
function startWorkerProcess(): Promise<ChildProcess> {
  const p = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["--conditions=react-server", "workers/main.ts"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: t.url,
      REDIS_URL: redisUrl(),
      QUEUE_PREFIX: prefix,
      AUTH_SECRET: "kill-test-secret-kill-test-secret-0123",
      WORKER_CONCURRENCY: "1",
      WORKER_LOCK_MS: String(LOCK_MS),
      WORKER_STALLED_INTERVAL_MS: String(STALLED_MS),
      LOG_LEVEL: "info",
      CHURNWATCH_DATA_DIR: dataDir,
    },
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${out}`)), 30_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes("worker ready")) {
        clearTimeout(timer);
        resolve(p);
      }
    };
    p.stdout!.on("data", onData);
    p.stderr!.on("data", onData);
    p.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${out}`));
    });
  });
}

beforeAll(async () => {
  t = await freshDb();
  // ≈ 3,000 loans with their schedules, repayments, state and the built-in rules.
  await seedDemo(t.db, { customers: 2_000, seed: 7, asOf: ASOF });
  queues = openQueues(redisConnection(redisUrl(), "producer"), prefix);
}, 120_000);

afterAll(async () => {
  killGroup(child, "SIGKILL");
  await workers?.close();
  // The worker process also registered job schedulers under the prefix: remove every key of it.
  await queues.close();
  for (let cursor = "0"; ; ) {
    const [next, keys] = await conn.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    if (keys.length) await conn.del(...keys);
    cursor = next;
    if (cursor === "0") break;
  }
  await Promise.all([conn.quit(), queues.connection.quit()]);
  await t.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("COB survives kill -9 of a worker", () => {
  it("ends with every loan evaluated once and no duplicate warnings", async () => {
    child = await startWorkerProcess();
    const exited = new Promise((r) => child!.on("exit", r));
    const { run } = await startCob(t.db, queues, { asOf: ASOF, trigger: "test", partitionSize: 100 });
    expect(run.partitionsTotal).toBeGreaterThan(20);

    // Mid-run: some partitions done, one held by the worker (concurrency 1), most still to go.
    await expect.poll(async () => (await getCobRun(t.db, run.id))!.partitionsDone, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(3);
    killGroup(child, "SIGKILL");
    await exited;
    const atKill = (await getCobRun(t.db, run.id))!;
    expect(atKill.status).toBe("running");
    expect(atKill.partitionsDone).toBeLessThan(run.partitionsTotal);
    const held = await t.db.select().from(cobPartitions).where(eq(cobPartitions.status, "running"));
    expect(held.length).toBeLessThanOrEqual(1);

    // A fresh worker finds the killed job stalled once its lock expires and runs it again; the reconciler does the rest.
    workers = startWorkers({ connection: conn, prefix, db: t.db, log: pino({ level: "silent" }), concurrency: 2, queues, lockDurationMs: LOCK_MS, stalledIntervalMs: STALLED_MS });
    await expect
      .poll(
        async () => {
          await reconcileCob(t.db, queues, { olderThanMs: 0 });
          return (await getCobRun(t.db, run.id))!.status;
        },
        { timeout: 90_000, interval: 500 },
      )
      .toBe("succeeded");

    const [{ loans } = { loans: -1 }] = await t.db.execute<{ loans: number }>(sql`select count(*)::int as loans from loans`);
    const parts = await t.db.select().from(cobPartitions).where(eq(cobPartitions.runId, run.id));
    expect(parts.every((p) => p.status === "succeeded")).toBe(true);
    // The partition the killed worker held ran again (a second claim), and still counted once.
    for (const h of held) expect(parts.find((p) => p.partitionNo === h.partitionNo)!.attempts).toBe(2);
    expect(parts.reduce((s, p) => s + p.loans, 0)).toBe(loans);
    const done = (await getCobRun(t.db, run.id))!;
    expect(done.loansEvaluated).toBe(loans);
    expect(done.partitionsDone).toBe(run.partitionsTotal);
    const [dup] = await t.db.execute<{ n: number }>(sql`
      select count(*)::int as n from (select rule_id, subject_key from warnings where status = 'open' group by 1, 2 having count(*) > 1) d`);
    expect(dup!.n).toBe(0);
    // Nothing was missed: evaluating the whole portfolio again changes nothing.
    expect(await evaluateRules(t.db, { kind: "all" }, ASOF)).toMatchObject({ opened: 0, reopened: 0, closed: 0 });
  });
});
