// The demo's past and its first day of work: 18 months of operations replayed up to the as-of date (./history.ts):
// warnings opened the days their rules fired, tasks opened and worked by simulated RMs, churn detected week by week.
// The tasks still open on the as-of day are live: the worker's timers and sweeps take them from there.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { writeMonthEnds } from "../dashboard/snapshots";
import { backfillIncentives } from "../incentives/backfill";
import { draftDemoReports } from "../reports/service";
import { tagPendingFollowUps } from "../signals/store";
import { evaluateRules } from "../rules/evaluate";
import { openTasksForWarnings } from "../tasks/open";
import { simulateHistory, type HistoryStep, type HistorySummary } from "./history";

/**
 * The database URL for loading the demo: the same database, with commits that do not wait for the disk
 * (synchronous_commit off, a startup parameter of these connections only). The history is thousands of small
 * transactions, each an RM's click; a crash mid-load leaves a demo to drop and reload anyway.
 */
export function demoLoadUrl(url: string): string {
  const u = new URL(url);
  u.searchParams.set("synchronous_commit", "off");
  return u.toString();
}

export async function startDemoWork(
  db: Db,
  asOf: string,
  opts: { now?: Date; onStep?: (s: HistoryStep) => void } = {},
): Promise<HistorySummary & { reports: number }> {
  // The seed the portfolio was loaded with (settings demo.asOf, written by seedDemo): the RMs' plans draw from it too.
  const [demo] = await db.execute<{ seed: number | null }>(sql`select (value ->> 'seed')::bigint as seed from settings where key = 'demo.asOf'`);
  const history = await simulateHistory(db, { asOf, seed: Number(demo?.seed ?? 42), now: opts.now }, opts.onStep);
  // What the history leaves behind for the other screens, so each shows real figures on first start: every note
  // tagged with the active lexicon (the routine contacts were written without the services that tag), the past 13
  // month-ends' snapshots (the NPL trend), the incentive ledger, and the churn reports of last month and the year.
  await tagPendingFollowUps(db);
  await writeMonthEnds(db, asOf, { months: 13 });
  await backfillIncentives(db, asOf);
  const reports = await draftDemoReports(db, asOf);
  return { ...history, reports };
}

/**
 * A portfolio's first day without a past: the rules evaluated as of `asOf` and a task opened for every customer with
 * an open warning at or above the open threshold. For benches and tests that build their own past (or need none) on
 * a loaded portfolio; the demo itself replays its history with startDemoWork.
 */
export async function evaluateFirstDay(db: Db, asOf: string, now = new Date()): Promise<{ warnings: number; tasks: number }> {
  const r = await evaluateRules(db, { kind: "all" }, asOf);
  const ids = (await db.execute<{ id: number }>(sql`select id::int as id from warnings where status = 'open' order by id`)).map((w) => w.id);
  let tasks = 0;
  for (let i = 0; i < ids.length; i += 5_000) tasks += (await openTasksForWarnings(db, ids.slice(i, i + 5_000), now)).opened;
  return { warnings: r.opened + r.reopened, tasks };
}
