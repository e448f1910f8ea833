// `npm run bench -- web --tasks 100000 --users 50 --seconds 30`: latency of the RM inbox API and the task page API
// against `next start` with that many open tasks. A demo portfolio of --tasks customers is loaded, the rules are
// evaluated and tasks opened (every customer without a warning gets a synthetic one, so every customer has exactly
// one open task); --users RMs get API tokens; autocannon then drives each endpoint for --seconds with one
// connection per user, each request as a random one of those users (and, for the task page, one of their tasks).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { createApiToken } from "../lib/auth/tokens";
import type { Db } from "../lib/db/client";
import { ROOT, buildIfNeeded } from "../lib/runtime/build";
import { seedDemo } from "../lib/seed/load";
import { startDemoWork } from "../lib/seed/work";
import { openTasksForWarnings } from "../lib/tasks/open";
import { todayIn } from "../lib/time";

type Endpoint = { p50_ms: number; p95_ms: number; p99_ms: number; rps: number; requests: number; errors: number; non2xx: number };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function drive(url: string, users: { token: string; taskIds: number[] }[], seconds: number, path: (u: { token: string; taskIds: number[] }) => string, rate?: number): Promise<Endpoint> {
  const times: number[] = [];
  const opts: autocannon.Options = {
    url,
    connections: users.length,
    duration: seconds,
    ...(rate ? { connectionRate: rate } : {}),
    requests: [
      {
        setupRequest: (req) => {
          const u = users[Math.floor(Math.random() * users.length)]!;
          return { ...req, method: "GET", path: path(u), headers: { authorization: `Bearer ${u.token}`, "accept-language": "zh-CN" } };
        },
      },
    ],
  };
  // autocannon reports p97.5, not p95: every response time is kept to compute the percentiles asked for.
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    instance.on("response", (_client, _status, _bytes, ms) => times.push(ms));
  });
  times.sort((a, b) => a - b);
  return {
    p50_ms: Number(pct(times, 50).toFixed(1)),
    p95_ms: Number(pct(times, 95).toFixed(1)),
    p99_ms: Number(pct(times, 99).toFixed(1)),
    rps: Math.round(r.requests.total / seconds),
    requests: r.requests.total,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

export async function benchWeb(args: string[], db: Db, dbUrl: string): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args, options: { tasks: { type: "string", default: "100000" }, users: { type: "string", default: "50" }, seconds: { type: "string", default: "30" }, rate: { type: "string" } } });
  const target = Number(values.tasks);
  const nUsers = Number(values.users);
  const seconds = Number(values.seconds);
  const asOf = todayIn("Asia/Shanghai");

  let t0 = performance.now();
  await seedDemo(db, { customers: target, seed: 42, asOf });
  const work = await startDemoWork(db, asOf);
  // Customers the rules did not flag get a synthetic customer-level warning (an existing customer rule's active
  // version), then a task through the same code path as the worker.
  const [rule] = await db.execute<{ rule_id: number; id: number }>(sql`
    select v.rule_id, v.id from rule_versions v where v.status = 'active' and v.subject = 'customer' order by v.rule_id limit 1`);
  const synthetic = await db.execute<{ id: number }>(sql`
    insert into warnings (rule_id, rule_version_id, subject_key, customer_id, status, severity, stage, will, reason_family, opened_on, last_seen_on, evidence)
    select ${rule!.rule_id}, ${rule!.id}, 'customer:' || c.id, c.id, 'open', (array['low','medium','high','critical'])[1 + c.id % 4]::severity,
           'post_loan', 'voluntary', (array['market_demand','funding_chain','credit_risk','service_competition'])[1 + c.id % 4]::reason_family,
           ${asOf}::date, ${asOf}::date, jsonb_build_object('asOf', ${asOf}::text, 'features', '{}'::jsonb)
    from customers c
    where not exists (select 1 from tasks t where t.customer_id = c.id and t.status in ('open', 'acknowledged', 'in_progress'))
    on conflict do nothing
    returning id::int as id`);
  const ids = synthetic.map((w) => w.id);
  for (let i = 0; i < ids.length; i += 5_000) await openTasksForWarnings(db, ids.slice(i, i + 5_000), new Date());
  await db.$client.unsafe("analyze tasks, task_warnings, task_events, warnings, notifications, customers, users");
  const [{ open = 0 } = {}] = await db.execute<{ open: number }>(sql`select count(*)::int as open from tasks where status in ('open', 'acknowledged', 'in_progress')`);
  const prepS = (performance.now() - t0) / 1000;
  console.log(`portfolio: ${target} customers, ${work.warnings} rule warnings + ${ids.length} synthetic; ${open} open tasks (prepared in ${prepS.toFixed(0)} s)`);

  // The users: the RMs with the most open tasks (the heaviest inboxes), one API token each.
  const rms = await db.execute<{ id: number; username: string; n: number }>(sql`
    select u.id, u.username, count(*)::int as n from tasks t join users u on u.id = t.assignee_id
    where t.status in ('open', 'acknowledged', 'in_progress') group by u.id, u.username order by n desc, u.id limit ${nUsers}`);
  const users = [];
  for (const rm of rms) {
    const { token } = await createApiToken(db, { kind: "system", name: "bench" }, rm.username, "bench");
    const taskIds = (await db.execute<{ id: number }>(sql`select id from tasks where assignee_id = ${rm.id} and status in ('open', 'acknowledged', 'in_progress')`)).map((r) => r.id);
    users.push({ token, taskIds });
  }
  console.log(`users: ${users.length} RMs with ${rms.at(-1)?.n}–${rms[0]?.n} open tasks each`);

  const port = await freePort();
  const prefix = `cwbench-web-${randomBytes(3).toString("hex")}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: dbUrl,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    QUEUE_PREFIX: prefix,
    AUTH_SECRET: randomBytes(32).toString("hex"),
    LOG_LEVEL: "warn",
    DB_POOL_MAX: process.env.DB_POOL_MAX ?? "20",
  };
  await buildIfNeeded(env, (m) => console.log(m));
  const server: ChildProcess = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"], detached: true });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      const ok = await fetch(`${url}/api/v1/tasks?pageSize=1`, { headers: { authorization: `Bearer ${users[0]!.token}` } }).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 240) throw new Error("next start did not answer within 2 minutes");
      await new Promise((r) => setTimeout(r, 500));
    }
    const rate = values.rate ? Number(values.rate) : undefined;
    const inboxPath = () => `/api/v1/tasks?status=active&sort=urgency&page=1&pageSize=20`;
    const taskPath = (u: { taskIds: number[] }) => `/api/v1/tasks/${u.taskIds[Math.floor(Math.random() * u.taskIds.length)]}`;
    // Warm-up: the first requests compile routes and fill caches.
    await drive(url, users, 5, inboxPath, rate);
    await drive(url, users, 5, taskPath, rate);
    t0 = performance.now();
    const inbox = await drive(url, users, seconds, inboxPath, rate);
    console.log(`inbox   GET /api/v1/tasks: p50 ${inbox.p50_ms} ms, p95 ${inbox.p95_ms} ms, p99 ${inbox.p99_ms} ms, ${inbox.rps} req/s (${inbox.requests} requests, ${inbox.non2xx} non-2xx, ${inbox.errors} errors)`);
    const task = await drive(url, users, seconds, taskPath, rate);
    console.log(`task    GET /api/v1/tasks/{id}: p50 ${task.p50_ms} ms, p95 ${task.p95_ms} ms, p99 ${task.p99_ms} ms, ${task.rps} req/s (${task.requests} requests, ${task.non2xx} non-2xx, ${task.errors} errors)`);
    return { tasks: open, users: users.length, seconds, ...(rate ? { rate_per_user: rate } : {}), inbox, task };
  } finally {
    if (server.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    const { Redis } = await import("ioredis");
    const r = new Redis(env.REDIS_URL!);
    const keys = await r.keys(`${prefix}:*`);
    if (keys.length) await r.del(...keys);
    await r.quit();
  }
}
