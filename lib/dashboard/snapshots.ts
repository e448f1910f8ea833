// Month-end snapshots: each loan's class and principal balance at a month-end, and their sums by branch and class,
// so the dashboard's NPL trend reads 12 small aggregates instead of re-deriving every loan's history (docs/telemetry.md).
// Written by the nightly run's finish step for the month-ends it has not written yet, and on demand (CLI, seed) for
// the past N month-ends (not "server-only": the seed and the CLI run it under plain Node). Idempotent: a month-end already written is left as it was, unless `force` rewrites it.
import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { monthEnds } from "./period";

/** The last `months` month-ends strictly before `asOf` (a month-end is complete once its day has passed). */
export function completedMonthEnds(asOf: string, months: number): string[] {
  const ends = monthEnds(asOf, months + 1);
  return ends.filter((d) => d < asOf).slice(-months);
}

/**
 * Writes one month-end in one transaction: the loans in the portfolio at `d` (disbursed on or before, not settled by
 * their latest state change on or before `d`), in that change's class (none: normal), at principal less the principal
 * repaid by repayments dated on or before `d`; then the branch × class sums and the month-end's row. The same
 * definition as the trend's live statement in ./queries.ts.
 */
export async function writeMonthEnd(db: Db, d: string, opts: { force?: boolean } = {}): Promise<{ written: boolean; loans: number }> {
  return db.transaction(async (tx) => {
    // One writer per month-end: a second run waits here, then finds the row and leaves.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('month-end'), (${d}::date - date '2000-01-01'))`);
    const [done] = await tx.execute<{ loans: number }>(sql`select loans from month_end_snapshots where month_end = ${d}::date`);
    if (done && !opts.force) return { written: false, loans: done.loans };
    if (done) {
      await tx.execute(sql`delete from portfolio_month_ends where month_end = ${d}::date`);
      await tx.execute(sql`delete from loan_month_ends where month_end = ${d}::date`);
      await tx.execute(sql`delete from month_end_snapshots where month_end = ${d}::date`);
    }
    await tx.execute(sql`
      insert into loan_month_ends (month_end, loan_id, customer_id, classification, balance_fen)
      select ${d}::date, l.id, l.customer_id, coalesce(h.classification, 'normal'), l.principal_fen - coalesce(p.amt, 0)
      from loans l
      left join (
        select distinct on (h.loan_id) h.loan_id, h.classification, (h.after ->> 'settled')::boolean as settled
        from loan_state_history h where h.changed_on <= ${d}::date order by h.loan_id, h.seq desc
      ) h on h.loan_id = l.id
      left join (
        select ra.loan_id, sum(ra.amount_fen) as amt from repayment_allocations ra join repayments r on r.id = ra.repayment_id
        where ra.component in ('principal', 'prepayment') and r.paid_on <= ${d}::date group by ra.loan_id
      ) p on p.loan_id = l.id
      where l.disbursed_on <= ${d}::date and not coalesce(h.settled, false)`);
    await tx.execute(sql`
      insert into portfolio_month_ends (month_end, branch_id, classification, loans, balance_fen)
      select s.month_end, c.branch_id, s.classification, count(*)::int, sum(s.balance_fen)
      from loan_month_ends s join customers c on c.id = s.customer_id where s.month_end = ${d}::date
      group by s.month_end, c.branch_id, s.classification`);
    const [row] = await tx.execute<{ loans: number }>(sql`
      insert into month_end_snapshots (month_end, loans, balance_fen)
      select ${d}::date, coalesce(sum(loans), 0)::int, coalesce(sum(balance_fen), 0) from portfolio_month_ends where month_end = ${d}::date
      returning loans`);
    return { written: true, loans: row?.loans ?? 0 };
  });
}

/** Writes the past `months` month-ends before `asOf` that are missing (or all of them with `force`), oldest first. */
export async function writeMonthEnds(db: Db, asOf: string, opts: { months?: number; force?: boolean } = {}): Promise<{ written: string[]; kept: string[] }> {
  const written: string[] = [];
  const kept: string[] = [];
  for (const d of completedMonthEnds(asOf, opts.months ?? 13)) {
    const r = await writeMonthEnd(db, d, { force: opts.force });
    (r.written ? written : kept).push(d);
  }
  return { written, kept };
}

/** Which of these month-ends have a complete snapshot. */
export async function snapshotted(db: DbOrTx, ends: string[]): Promise<Set<string>> {
  if (!ends.length) return new Set();
  const rows = await db.execute<{ d: string }>(sql`select month_end::text as d from month_end_snapshots where month_end = any(${`{${ends.join(",")}}`}::date[])`);
  return new Set(rows.map((r) => r.d));
}
