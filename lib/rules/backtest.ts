// Backtest preview: how many subjects a (draft) rule would flag as of each date, computed by the same SQL the
// evaluation uses (buildRuleQuery over the whole portfolio). One set-based query per date; beyond 30 days the
// series samples every 7th day (always including as-of) to keep the preview interactive on large portfolios.
import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
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

export async function backtest(db: DbOrTx, rule: RuleLike, asOf: string, days = 90): Promise<BacktestResult> {
  const { dates, step } = backtestDates(asOf, Math.max(1, Math.min(days, 366)));
  const series: { date: string; count: number }[] = [];
  for (const date of dates) {
    const rows = (await db.execute(sql`select count(*)::int as n from (${buildRuleQuery(rule, { kind: "all" }, date)}) m`)) as unknown as { n: number }[];
    series.push({ date, count: rows[0]?.n ?? 0 });
  }
  const sample = (await db.execute(sql`
    select m.subject_key, m.customer_id, c.customer_no, c.name as customer_name, l.contract_no
    from (${buildRuleQuery(rule, { kind: "all" }, asOf)}) m
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
