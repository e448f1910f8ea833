// `npm run bench -- --keep-db cwbench_NAME dashboard [--customers 67000] [--runs 5]`: each dashboard section's own
// time, in process (no HTTP), for the whole bank and for each branch, the current month — and the NPL trend both ways:
// from the month-end snapshots and derived live (the snapshots hidden inside a rolled-back transaction). Seeds the demo
// when the database is empty (67,000 customers ≈ 100,000 loans), or reuses a kept one (e.g. the web bench's).
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import type { Scope } from "../lib/auth/scope";
import { churn, funnel, intervention, portfolio } from "../lib/dashboard/queries";
import type { Db, DbOrTx } from "../lib/db/client";
import { seedDemo } from "../lib/seed/load";
import { todayIn } from "../lib/time";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(runs: number, f: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  return Math.round(median(ms) * 10) / 10;
}

export async function benchDashboard(args: string[], db: Db): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args, options: { customers: { type: "string", default: "67000" }, runs: { type: "string", default: "5" } } });
  const runs = Number(values.runs);
  const today = todayIn();
  const [{ n = 0 } = {}] = await db.execute<{ n: number }>(sql`select count(*)::int as n from loans`);
  if (n === 0) await seedDemo(db, { customers: Number(values.customers), seed: 42, asOf: today });
  const [{ loans = 0, snaps = 0 } = {}] = await db.execute<{ loans: number; snaps: number }>(sql`
    select (select count(*)::int from loans) as loans, (select count(*)::int from month_end_snapshots) as snaps`);
  const period = { from: `${today.slice(0, 7)}-01`, to: today };
  const now = new Date();
  const branches = await db.execute<{ id: number }>(sql`select id from branches order by id`);
  const scopes: [string, Scope][] = [["bank", { kind: "all", contact: true }], ...branches.map((b) => [`branch ${b.id}`, { kind: "branch", branchId: b.id, contact: true }] as [string, Scope])];
  const out: Record<string, Record<string, number>> = {};
  for (const [name, scope] of scopes) {
    const row: Record<string, number> = {
      intervention: await time(runs, () => intervention(db, scope, period, now)),
      portfolio_snapshots: await time(runs, () => portfolio(db, scope, period, today)),
      funnel: await time(runs, () => funnel(db, scope, period)),
      churn: await time(runs, () => churn(db, scope, period)),
    };
    // The same portfolio section with no snapshot: every month-end derived from the history and repayments.
    row.portfolio_live = await db
      .transaction(async (tx) => {
        await tx.execute(sql`delete from month_end_snapshots`);
        const ms = await time(1, () => portfolio(tx as unknown as DbOrTx, scope, period, today));
        throw Object.assign(new Error("rollback"), { ms });
      })
      .catch((e: { ms?: number }) => {
        if (e.ms === undefined) throw e;
        return Math.round(e.ms * 10) / 10;
      });
    row.all_four_concurrently = await time(runs, () =>
      Promise.all([intervention(db, scope, period, now), portfolio(db, scope, period, today), funnel(db, scope, period), churn(db, scope, period)]),
    );
    out[name] = row;
    console.log(`${name.padEnd(10)} ${Object.entries(row).map(([k, v]) => `${k} ${v} ms`).join(", ")}`);
  }
  return { loans, month_end_snapshots: snaps, runs, period, median_ms: out };
}
