// The outcome rows behind the warning-quality telemetry (tables warning_outcomes, event_outcomes, task_outcomes of
// migration 0021): what each warning, churn event and task contributes to the figures, derived from the raw tables
// with the definitions of ./definitions.ts and independent of the period, `today` and H, so a period is one grouped
// read. Triggers mark the customers whose rows changed (insight_dirty); refreshOutcomes derives theirs again.
// Idempotent: a customer's rows are deleted and derived whole, so running it twice, or after a crash, is harmless.
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { businessTz } from "../time";
import { CONFIRMING } from "./definitions";
import { MAX_HORIZON_DAYS } from "./params";

/** Above this many dirty customers one full rebuild is cheaper than deriving them by id. */
const FULL_REBUILD_AT = 50_000;

/**
 * The statements that derive the rows of the customers `sel` selects (a condition on alias `c`, the customer), in
 * the order a period reads them, so a full rebuild leaves each day's rows of a branch on few pages.
 */
function derive(sel: SQL): SQL[] {
  const tz = businessTz();
  return [
    sql`insert into warning_outcomes (warning_id, customer_id, branch_id, rm_id, rule_id, rule_version_id, stage, severity, opened_on,
                                      first_event_on, first_any_event_on, confirmed, rejected)
      select w.id, w.customer_id, c.branch_id, c.rm_id, w.rule_id, w.rule_version_id, w.stage, w.severity, w.opened_on,
             (select min(e.effective_on) from churn_events e where e.customer_id = w.customer_id and e.stage = w.stage
                and e.status <> 'dismissed' and e.effective_on >= w.opened_on),
             (select min(e.effective_on) from churn_events e where e.customer_id = w.customer_id
                and e.status <> 'dismissed' and e.effective_on >= w.opened_on),
             coalesce(tv.confirmed, false), coalesce(tv.rejected, false)
      from warnings w join customers c on c.id = w.customer_id
      left join (
        select tw.warning_id, bool_or(t.outcome in ${CONFIRMING}) as confirmed, bool_or(t.outcome = 'false_alarm') as rejected
        from task_warnings tw join tasks t on t.id = tw.task_id join customers c on c.id = t.customer_id
        where ${sel} and t.status = 'resolved' group by tw.warning_id
      ) tv on tv.warning_id = w.id
      where ${sel}
      order by w.opened_on, c.branch_id`,
    sql`insert into event_outcomes (event_id, rule_version_id, rule_id, customer_id, branch_id, rm_id, stage, effective_on, warned_on)
      select e.id, 0, null, e.customer_id, c.branch_id, c.rm_id, e.stage, e.effective_on, '{}'::date[]
      from churn_events e join customers c on c.id = e.customer_id
      where ${sel} and e.status <> 'dismissed'
      union all
      select e.id, w.rule_version_id, w.rule_id, e.customer_id, c.branch_id, c.rm_id, e.stage, e.effective_on,
             array_agg(distinct w.opened_on order by w.opened_on)
      from churn_events e join customers c on c.id = e.customer_id
      join warnings w on w.customer_id = e.customer_id and w.stage = e.stage
        and w.opened_on between e.effective_on - ${MAX_HORIZON_DAYS}::int and e.effective_on
      where ${sel} and e.status <> 'dismissed'
      group by e.id, w.rule_version_id, w.rule_id, e.customer_id, c.branch_id, c.rm_id, e.stage, e.effective_on
      order by effective_on, branch_id`,
    sql`insert into task_outcomes (task_id, customer_id, branch_id, assignee_id, status, opened_at, opened_on, first_contact_at,
                                   contact_due_at, closed_at, resolve_due_at, first_any_event_on)
      select t.id, t.customer_id, c.branch_id, t.assignee_id, t.status, t.opened_at, x.opened_on, t.first_contact_at,
             t.contact_due_at, t.closed_at, t.resolve_due_at,
             (select min(e.effective_on) from churn_events e where e.customer_id = t.customer_id
                and e.status <> 'dismissed' and e.effective_on >= x.opened_on)
      from tasks t join customers c on c.id = t.customer_id
      cross join lateral (select (t.opened_at at time zone ${tz})::date as opened_on) x
      where ${sel}
      order by t.opened_at, c.branch_id`,
  ];
}

/**
 * Derives again the outcome rows of every customer marked dirty, in one transaction (serialised by an advisory
 * lock, so a reader that waited finds the marks consumed), then deletes the marks it consumed: those up to the
 * highest id it saw, so a mark written meanwhile stays for the next refresh. Returns how many customers it derived.
 */
export async function refreshOutcomes(db: DbOrTx): Promise<number> {
  const [pending] = await db.execute<{ any: boolean }>(sql`select exists (select 1 from insight_dirty) as any`);
  if (!pending?.any) return 0;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('insight_outcomes'))`);
    await tx.execute(sql`select set_config('jit', 'off', true)`);
    const [m] = await tx.execute<{ upto: string | null }>(sql`select max(id)::text as upto from insight_dirty`);
    if (m?.upto == null) return 0;
    const upto = m.upto;
    await tx.execute(sql`create temp table if not exists insight_refresh (customer_id int primary key) on commit delete rows`);
    const [{ n = 0 } = {}] = await tx.execute<{ n: number }>(sql`
      with ins as (insert into insight_refresh select distinct customer_id from insight_dirty where id <= ${upto}::bigint returning 1)
      select count(*)::int as n from ins`);
    if (n >= FULL_REBUILD_AT) await rebuild(tx);
    else {
      await tx.execute(sql`analyze insight_refresh`);
      for (const t of ["warning_outcomes", "event_outcomes", "task_outcomes"])
        await tx.execute(sql`delete from ${sql.identifier(t)} where customer_id in (select customer_id from insight_refresh)`);
      for (const q of derive(sql`c.id in (select customer_id from insight_refresh)`)) await tx.execute(q);
    }
    await tx.execute(sql`delete from insight_dirty where id <= ${upto}::bigint`);
    return n;
  });
}

/** Derives every outcome row from scratch (after a bulk load), consuming the marks written before it. */
export async function rebuildOutcomes(db: DbOrTx): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('insight_outcomes'))`);
    await tx.execute(sql`select set_config('jit', 'off', true)`);
    const [m] = await tx.execute<{ upto: string | null }>(sql`select coalesce(max(id), 0)::text as upto from insight_dirty`);
    await rebuild(tx);
    await tx.execute(sql`delete from insight_dirty where id <= ${m!.upto}::bigint`);
  });
}

async function rebuild(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`truncate warning_outcomes, event_outcomes, task_outcomes`);
  for (const q of derive(sql`true`)) await tx.execute(q);
  await tx.execute(sql`analyze warning_outcomes, event_outcomes, task_outcomes`);
}
