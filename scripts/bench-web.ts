// `npm run bench -- web --tasks 100000 --users 50 --seconds 30 [--rate 1]`: latency of the RM inbox API, the task
// page API and the dashboard API (supervisors' branches, and an admin's whole bank) against `next start` with that
// many open tasks. A demo portfolio of --tasks customers is loaded, the rules
// are evaluated and tasks opened (every customer without a warning gets a synthetic one, so every customer has
// exactly one open task); --users RMs get API tokens. Each endpoint is then driven twice: by the users at --rate
// requests/s each (open loop, Poisson arrivals: the figures the target is about), and closed loop with no think time
// (the server's capacity). The health check, closed loop, shows the framework's own ceiling on the machine.
// `--loans N` replaces the demo with a bank of N loans and 18 months of history (scripts/bench-history.ts), for the
// telemetry endpoints (insights*); `--only a,b` drives only the endpoints named.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { createApiToken } from "../lib/auth/tokens";
import type { Db } from "../lib/db/client";
import { ROOT, buildIfNeeded } from "../lib/runtime/build";
import { seedDemo } from "../lib/seed/load";
import { evaluateFirstDay } from "../lib/seed/work";
import { ACTIVE, openTasksForWarnings } from "../lib/tasks/open";
import { addDays } from "../lib/tasks/calendar";
import { todayIn } from "../lib/time";
import { refreshOutcomes } from "../lib/insights/outcomes";
import { synthesizeDashboardData, synthesizeHistory } from "./bench-history";

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

type User = { token: string; taskIds: number[] };

function summarise(times: number[], seconds: number, errors: number, non2xx: number): Endpoint {
  times.sort((a, b) => a - b);
  return {
    p50_ms: Number(pct(times, 50).toFixed(1)),
    p95_ms: Number(pct(times, 95).toFixed(1)),
    p99_ms: Number(pct(times, 99).toFixed(1)),
    rps: Math.round(times.length / seconds),
    requests: times.length,
    errors,
    non2xx,
  };
}

/**
 * Closed loop (autocannon): one connection per user, each sending its next request the moment the answer arrives
 * — no think time at all. What it measures is the server's capacity (requests/s at saturation), and the latency
 * is mostly queueing: connections / capacity.
 */
async function saturate(url: string, users: User[], seconds: number, path: (u: User) => string): Promise<Endpoint> {
  const times: number[] = [];
  const opts: autocannon.Options = {
    url,
    connections: users.length,
    duration: seconds,
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
  return summarise(times, seconds, r.errors, r.non2xx);
}

/**
 * Open loop: every user sends requests as a Poisson process of `rate` per second, whether or not earlier answers
 * have arrived (a slow server gets no rest, so no coordinated omission), over keep-alive connections. Latency is
 * taken from the moment a request was due, so a lagging load generator counts against the server, not for it.
 * autocannon's `connectionRate` fires every connection on the same tick, which turns 50 users into bursts of 50.
 */
async function paced(url: string, users: User[], seconds: number, path: (u: User) => string, rate: number): Promise<Endpoint> {
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: users.length * 2 });
  const times: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const inflight = new Set<Promise<void>>();
  const send = (u: User, due: number) =>
    new Promise<void>((resolve) => {
      const req = http.request({ agent, hostname, port, path: path(u), headers: { authorization: `Bearer ${u.token}`, "accept-language": "zh-CN" } }, (res) => {
        res.resume();
        res.on("end", () => {
          times.push(performance.now() - due);
          if ((res.statusCode ?? 0) >= 300) non2xx++;
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const gap = () => (-Math.log(1 - Math.random()) / rate) * 1000;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    users.map(async (u) => {
      for (let due = performance.now() + gap(); due < end; due += gap()) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const p = send(u, due);
        inflight.add(p);
        void p.then(() => inflight.delete(p));
      }
    }),
  );
  await Promise.all(inflight);
  agent.destroy();
  return summarise(times, seconds, errors, non2xx);
}

const line = (name: string, e: Endpoint) =>
  `${name}: p50 ${e.p50_ms} ms, p95 ${e.p95_ms} ms, p99 ${e.p99_ms} ms, ${e.rps} req/s (${e.requests} requests, ${e.non2xx} non-2xx, ${e.errors} errors)`;

/** A demo portfolio of `customers` customers in which every customer has exactly one open task. */
async function prepare(db: Db, customers: number, asOf: string): Promise<void> {
  await seedDemo(db, { customers, seed: 42, asOf });
  const work = await evaluateFirstDay(db, asOf);
  // Customers the rules did not flag get a synthetic customer-level warning (an existing customer rule's active
  // version), then a task through the same code path as the worker: medium or above, the default open threshold.
  const [rule] = await db.execute<{ rule_id: number; id: number }>(sql`
    select v.rule_id, v.id from rule_versions v where v.status = 'active' and v.subject = 'customer' order by v.rule_id limit 1`);
  const synthetic = await db.execute<{ id: number }>(sql`
    insert into warnings (rule_id, rule_version_id, subject_key, customer_id, status, severity, stage, will, reason_family, opened_on, last_seen_on, evidence)
    select ${rule!.rule_id}, ${rule!.id}, 'customer:' || c.id, c.id, 'open', (enum_range(null::severity))[2 + c.id % 3],
           'post_loan', 'voluntary', (enum_range(null::reason_family))[1 + c.id % 4],
           ${asOf}::date, ${asOf}::date, jsonb_build_object('asOf', ${asOf}::text, 'features', '{}'::jsonb)
    from customers c
    where not exists (select 1 from tasks t where t.customer_id = c.id and t.status in ${ACTIVE})
    on conflict do nothing
    returning id::int as id`);
  const ids = synthetic.map((w) => w.id);
  for (let i = 0; i < ids.length; i += 5_000) await openTasksForWarnings(db, ids.slice(i, i + 5_000), new Date());
  await db.$client.unsafe("analyze tasks, task_warnings, task_events, warnings, notifications, customers, users");
  console.log(`${work.warnings} rule warnings + ${ids.length} synthetic`);
}

export async function benchWeb(args: string[], db: Db, dbUrl: string): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: {
      tasks: { type: "string", default: "100000" },
      users: { type: "string", default: "50" },
      seconds: { type: "string", default: "30" },
      rate: { type: "string", default: "1" },
      // A bank of this many loans with 18 months of synthetic history (scripts/bench-history.ts) instead of the demo.
      loans: { type: "string" },
      // Only these endpoints (comma-separated names as printed), e.g. "insights,insights_bank".
      only: { type: "string" },
    },
  });
  const target = Number(values.tasks);
  const nUsers = Number(values.users);
  const seconds = Number(values.seconds);
  const asOf = todayIn();

  const t0 = performance.now();
  const [{ n: already = 0 } = {}] = await db.execute<{ n: number }>(sql`select count(*)::int as n from tasks`);
  if (already === 0) await (values.loans ? synthesizeHistory(db, { loans: Number(values.loans), asOf, log: (m) => console.log(m) }) : prepare(db, target, asOf));
  else console.log(`reusing the kept database (${already} tasks)`);
  // The dashboard's reads (loan states, class history, applications, month-end snapshots); skipped where present.
  if (values.loans) await synthesizeDashboardData(db, { asOf, log: (m) => console.log(m) });
  // The telemetry's outcome rows of whatever changed since (all of them on a database kept from before migration
  // 0021), so the first insights request does not pay for it.
  const refreshed = await refreshOutcomes(db);
  if (refreshed) console.log(`insight outcome rows: ${refreshed} customers derived`);
  const [{ open = 0 } = {}] = await db.execute<{ open: number }>(sql`select count(*)::int as open from tasks where status in ${ACTIVE}`);
  const prepS = (performance.now() - t0) / 1000;
  console.log(`portfolio: ${values.loans ? `${values.loans} loans, 18 months of history` : `${target} customers`}; ${open} open tasks (prepared in ${prepS.toFixed(0)} s)`);

  // The users: the RMs with the most open tasks (the heaviest inboxes), one API token each.
  const rms = await db.execute<{ id: number; username: string; n: number }>(sql`
    select u.id, u.username, count(*)::int as n from tasks t join users u on u.id = t.assignee_id
    where t.status in ${ACTIVE} group by u.id, u.username order by n desc, u.id limit ${nUsers}`);
  const users = [];
  for (const rm of rms) {
    const { token } = await createApiToken(db, { kind: "system", name: "bench" }, rm.username, "bench");
    const taskIds = (await db.execute<{ id: number }>(sql`select id from tasks where assignee_id = ${rm.id} and status in ${ACTIVE}`)).map((r) => r.id);
    users.push({ token, taskIds });
  }
  console.log(`users: ${users.length} RMs with ${rms.at(-1)?.n}–${rms[0]?.n} open tasks each`);
  // The dashboard's readers: every branch's supervisors (--users of them taking turns with their tokens, whatever the
  // number of RMs with open tasks — the synthetic bank of --loans has few), and one admin reading the whole bank.
  const sups = await db.execute<{ username: string }>(sql`select username from users where role = 'supervisor' and active order by id`);
  const supTokens: string[] = [];
  for (const s of sups) supTokens.push((await createApiToken(db, { kind: "system", name: "bench" }, s.username, "bench")).token);
  const supervisors: User[] = Array.from({ length: nUsers }, (_, i) => ({ token: supTokens[i % supTokens.length]!, taskIds: [] }));
  const [adminUser] = await db.execute<{ username: string }>(sql`select username from users where role = 'admin' and active order by id limit 1`);
  const admins: User[] = [{ token: (await createApiToken(db, { kind: "system", name: "bench" }, adminUser!.username, "bench")).token, taskIds: [] }];

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
    // The closed loop sends each token's requests back to back to find the server's capacity: the per-token limit
    // (12,000 a minute by default) would measure itself instead.
    API_RATE_PER_MINUTE: process.env.API_RATE_PER_MINUTE ?? "100000000",
  };
  await buildIfNeeded(env, (m) => console.log(m));
  const server: ChildProcess = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/serve.ts", "-p", String(port), "-H", "127.0.0.1"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"], detached: true });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      const ok = await fetch(`${url}/api/v1/tasks?pageSize=1`, { headers: { authorization: `Bearer ${users[0]!.token}` } }).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 240) throw new Error("next start did not answer within 2 minutes");
      await new Promise((r) => setTimeout(r, 500));
    }
    const rate = Number(values.rate);
    const inboxPath = () => `/api/v1/tasks?status=active&sort=urgency&page=1&pageSize=20`;
    const taskPath = (u: User) => `/api/v1/tasks/${u.taskIds[Math.floor(Math.random() * u.taskIds.length)]}`;
    const dashboardPath = () => `/api/v1/dashboard`;
    // The telemetry, as its page reads it: both endpoints per view, this month (the page's default) and a year.
    const year = `from=${addDays(asOf, -364)}&to=${asOf}`;
    const insightsPath = (q: string) => {
      let n = 0;
      return () => `/api/v1/insights/${n++ % 2 ? "staff" : "rules"}${q}`;
    };
    const endpoints = [
      ["inbox", "GET /api/v1/tasks", inboxPath, users],
      ["task", "GET /api/v1/tasks/{id}", taskPath, users],
      ["dashboard", "GET /api/v1/dashboard (supervisors: their branch, this month)", dashboardPath, supervisors],
      ["dashboard_bank", "GET /api/v1/dashboard (an admin: the whole bank)", dashboardPath, admins],
      ["insights", "GET /api/v1/insights/rules and /staff, alternately (supervisors: their branch, this month)", insightsPath(""), supervisors],
      ["insights_bank", "GET /api/v1/insights/rules and /staff, alternately (an admin: the whole bank, this month)", insightsPath(""), admins],
      ["insights_year", "GET /api/v1/insights/rules and /staff, alternately (supervisors: their branch, the last 12 months)", insightsPath(`?${year}`), supervisors],
      ["insights_bank_year", "GET /api/v1/insights/rules and /staff, alternately (an admin: the whole bank, the last 12 months)", insightsPath(`?${year}`), admins],
    ] as const;
    const only = values.only?.split(",");
    const chosen = endpoints.filter(([name]) => !only || only.includes(name));
    // Warm-up: the first requests compile routes, open the pool's connections and fill caches. Every distinct reader
    // is answered once first (a running server has each branch's kept answer; at 1M the first computation of a branch
    // takes seconds, and a 5-s warm-up left most of them inside the measured window), then 5 s of closed loop.
    for (const [name, , p, who] of chosen) {
      const t0 = performance.now();
      const distinct = [...new Map(who.map((u) => [u.token, u])).values()];
      // Twice each: an endpoint that alternates (the telemetry's rules / staff) gets both halves.
      for (const u of distinct)
        for (let k = 0; k < 2; k++) {
          const r = await fetch(`${url}${p(u)}`, { headers: { authorization: `Bearer ${u.token}`, "accept-language": "zh-CN" }, signal: AbortSignal.timeout(300_000) });
          await r.arrayBuffer();
          if (!r.ok) throw new Error(`warm-up: ${name} answered ${r.status}`);
        }
      console.log(`warm-up: ${name}, ${distinct.length} distinct readers answered once each in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      await saturate(url, who, 5, p);
    }
    const result: Record<string, Endpoint & { saturation: Endpoint }> = {};
    for (const [name, label, p, who] of chosen) {
      const load = await paced(url, who, seconds, p, rate);
      console.log(line(`${name.padEnd(6)} ${label}, ${who.length} users × ${rate}/s`, load));
      const sat = await saturate(url, who, Math.min(seconds, 15), p);
      console.log(line(`${name.padEnd(6)} ${label}, closed loop, ${who.length} connections`, sat));
      result[name] = { ...load, saturation: sat };
    }
    // The framework's own ceiling on this machine: the health check (one trivial query), closed loop.
    const floor = await saturate(url, users, Math.min(seconds, 10), () => "/api/health");
    console.log(line(`health GET /api/health, closed loop, ${users.length} connections`, floor));
    return { tasks: open, users: users.length, seconds, rate_per_user: rate, ...result, health_saturation: floor };
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
