// Backtest preview: how many subjects a (draft) rule would flag as of each date, computed by the same SQL the
// evaluation uses (buildRuleQuery), kept to the caller's scope: a supervisor's backtest sees only their branch's
// customers, as every other read does. One set-based query per date; beyond 30 days the series samples every 7th
// day (always including as-of) to keep the preview interactive on large portfolios. The whole run is one read-only
// transaction with a statement timeout: one click must not load the database for minutes.
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { AppError } from "../errors";
import { buildRuleQuery, type RuleLike } from "./compile";

export const BACKTEST_SAMPLE_SIZE = 20;
export const BACKTEST_WEEKLY_AFTER_DAYS = 30;

export type BacktestSample = {
  subjectKey: string;
  customerId: number | null;
  customerNo: string | null;
  customerName: string | null;
  contractNo: string | null;
};
export type BacktestResult = { today: number; step: number; series: { date: string; count: number }[]; sample: BacktestSample[] };

/** `YYYY-MM-DD` minus n days (calendar arithmetic in UTC, no time zone involved). */
export function minusDays(isoDate: string, n: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

/** The dates of the series, oldest first, ending at asOf. */
export function backtestDates(asOf: string, days: number): { dates: string[]; step: number } {
  const step = days > BACKTEST_WEEKLY_AFTER_DAYS ? 7 : 1;
  const dates: string[] = [];
  for (let i = 0; i < days; i += step) dates.push(minusDays(asOf, i));
  return { dates: dates.reverse(), step };
}

/** The backtest ran past its statement timeout (503, worded by the issue backtest.timeout). */
export class BacktestTimeout extends AppError {
  constructor(ms: number) {
    super("unavailable", {}, [{ field: "condition", code: "backtest.timeout", params: { seconds: Math.max(1, Math.round(ms / 1000)) } }]);
  }
}

/** Postgres cancelled the statement (statement_timeout), possibly wrapped by the driver or drizzle. */
function isQueryCanceled(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 3; cur = (cur as { cause?: unknown }).cause, depth++) {
    if ((cur as { code?: unknown }).code === "57014") return true;
  }
  return false;
}

export type BacktestOptions = { scope: Scope; timeoutMs: number };

export async function backtest(db: DbOrTx, rule: RuleLike, asOf: string, days: number, { scope, timeoutMs }: BacktestOptions): Promise<BacktestResult> {
  try {
    return await db.transaction(async (tx) => {
      // SET cannot take a bind parameter; the value is an integer from the environment, never user input.
      await tx.execute(sql.raw(`set local statement_timeout = ${Math.trunc(timeoutMs)}`));
      await tx.execute(sql`set transaction read only`);
      return await run(tx, rule, asOf, days, scope);
    });
  } catch (e) {
    if (isQueryCanceled(e)) throw new BacktestTimeout(timeoutMs);
    throw e;
  }
}

/** The rule's matches as of `date`, inside the scope (every subject has a customer: its branch and RM decide). */
function scopedMatches(rule: RuleLike, scope: Scope, date: string): SQL {
  return sql`select m.* from (${buildRuleQuery(rule, { kind: "all" }, date)}) m
    join customers c on c.id = m.customer_id
    where ${scopeWhere(scope, SHAPES.customerAs("c"))}`;
}

async function run(db: DbOrTx, rule: RuleLike, asOf: string, days: number, scope: Scope): Promise<BacktestResult> {
  const { dates, step } = backtestDates(asOf, Math.max(1, Math.min(days, 366)));
  const series: { date: string; count: number }[] = [];
  for (const date of dates) {
    const rows = (await db.execute(sql`select count(*)::int as n from (${scopedMatches(rule, scope, date)}) s`)) as unknown as { n: number }[];
    series.push({ date, count: rows[0]?.n ?? 0 });
  }
  const sample = (await db.execute(sql`
    select m.subject_key, m.customer_id, c.customer_no, c.name as customer_name, l.contract_no
    from (${scopedMatches(rule, scope, asOf)}) m
    left join customers c on c.id = m.customer_id
    left join loans l on l.id = m.loan_id
    order by m.subject_key
    limit ${BACKTEST_SAMPLE_SIZE}`)) as unknown as {
    subject_key: string;
    customer_id: number | null;
    customer_no: string | null;
    customer_name: string | null;
    contract_no: string | null;
  }[];
  return {
    today: series[series.length - 1]?.count ?? 0,
    step,
    series,
    sample: sample.map((r) => ({
      subjectKey: String(r.subject_key),
      customerId: r.customer_id === null ? null : Number(r.customer_id),
      customerNo: r.customer_no,
      customerName: r.customer_name,
      contractNo: r.contract_no,
    })),
  };
}
