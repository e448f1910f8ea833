// The demo's ledger: at seed time every entry the loaded history (tasks, follow-ups, churn events) justifies as of
// the demo date, and the periods before last month locked as HR would have locked them, so every incentive screen
// shows real figures on first start. Idempotent: a second run appends and locks nothing more.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { deriveLedger, LEDGER_LOCK, type DeriveResult } from "./engine";
import { ensureBuiltinScheme } from "./versions";

/** Months before this many months ago (the demo's last month stays open for HR to review and lock). */
const OPEN_MONTHS = 2;

export async function backfillIncentives(db: DbOrTx, asOf: string): Promise<DeriveResult & { locked: number }> {
  await ensureBuiltinScheme(db);
  const result = await deriveLedger(db, asOf);
  // Every month from the first entry's to the demo date's is a period, empty or not: HR's list has no gaps.
  await db.execute(sql`insert into incentive_periods (period)
    select to_char(m, 'YYYY-MM') from generate_series(
      date_trunc('month', coalesce((select min(event_on) from incentive_ledger), ${asOf}::date)), ${asOf}::date, interval '1 month') as m
    on conflict do nothing`);
  const locked = await db.transaction(async (tx) => {
    await tx.execute(LEDGER_LOCK);
    const rows = await tx.execute<{ period: string }>(sql`
      update incentive_periods set status = 'locked', locked_at = now()
      where status = 'open' and period < to_char(${asOf}::date - make_interval(months => ${OPEN_MONTHS - 1}), 'YYYY-MM')
      returning period`);
    if (rows.length)
      await tx.execute(sql`insert into audit_log (actor_kind, action, entity, entity_id, after)
        values ('system:seed', 'incentives.period.lock', 'incentive_period', ${rows.map((r) => r.period).sort().join(",")}, ${JSON.stringify({ asOf })}::jsonb)`);
    return rows.length;
  });
  return { ...result, locked };
}
