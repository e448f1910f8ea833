// Moves outbox rows to BullMQ. Rows are claimed with SKIP LOCKED and stamped dispatched in one statement (any number
// of workers can dispatch), then turned into jobs with deterministic ids and enqueued: a crash in between leaves them
// dispatched but unconfirmed, and the reconciler re-sends the same job ids (BullMQ ignores the ones it has), so no
// work is lost or doubled.
//
// Coalescing: the rows one sweep claims are planned per topic. A topic's plan turns its rows into batches (rows
// confirmed together) and each batch into jobs: e.g. every `loans.changed` row of the sweep with the same as-of
// date becomes ONE evaluation.batch over the union of their loan ids (chunked), with the id
// `eval-<firstRowId>-<lastRowId>-<chunk>`. The sweep stamps its rows' dispatched_at with one value (the
// transaction's now()), so the reconciler regroups unconfirmed rows by (topic, dispatched_at), runs the same plan
// and finds the same job ids. Nudges are debounced into a short window (NUDGE_WINDOW_MS), so a burst of writes
// makes one sweep, not one per write.
import { sql } from "drizzle-orm";
import { executeSql, type Db } from "../db/client";
import type { Batch, JobName, OutboxRow, PlannedJob, Queues, RegistryData } from "./define";
import { enqueue, jobDef } from "./queues";

/** How long a nudge waits to gather more writes into the same sweep. */
export const NUDGE_WINDOW_MS = 20;
/** A sweep that claimed a full page goes on, up to this many pages, so a burst drains without waiting for a nudge. */
const MAX_PAGES = 10;
/** A sweep counts as in flight for a topic's maxInFlight this long at most (a lost job does not hold it for ever). */
const IN_FLIGHT_WINDOW_S = 30;

/**
 * Plans one sweep's rows, topic by topic. A row whose payload does not match its topic's schema is left out (and
 * reported): it stays unconfirmed, so the reconciler reports it again, and it cannot block the rows behind it.
 */
export function planRows(registry: RegistryData, rows: readonly OutboxRow[]): { batches: Batch[]; invalid: number[] } {
  const byTopic = new Map<string, OutboxRow[]>();
  const invalid: number[] = [];
  for (const r of rows) {
    const parsed = registry.topics[r.topic]?.schema.safeParse(r.payload);
    if (!parsed?.success) {
      invalid.push(r.id);
      continue;
    }
    let list = byTopic.get(r.topic);
    if (!list) byTopic.set(r.topic, (list = []));
    list.push({ ...r, payload: parsed.data as Record<string, unknown> });
  }
  return { batches: [...byTopic].flatMap(([topic, rs]) => registry.topics[topic]!.plan(rs)), invalid };
}

const send = (queues: Queues, j: PlannedJob) => enqueue(queues, j.name as JobName, j.data as never, { jobId: j.jobId });
const topicList = (registry: RegistryData) => sql.join(Object.keys(registry.topics).map((t) => sql`${t}`), sql`, `);

/** One or more sweeps (a full page goes on to the next) of pending rows; returns how many rows were sent. */
export async function dispatchOutbox(db: Db, queues: Queues, limit = 200): Promise<{ dispatched: number; invalid?: number[] }> {
  let dispatched = 0;
  const invalid: number[] = [];
  const { registry } = queues;
  const limited = Object.entries(registry.topics).flatMap(([topic, d]) => (d.maxInFlight ? [sql`(${topic}, ${Math.max(1, d.maxInFlight)}::int)`] : []));
  // (No limited topic: a values list needs a row; this one holds nothing back.)
  const limits = limited.length ? sql.join(limited, sql`, `) : sql`(''::text, 2147483647)`;
  for (let page = 0; page < MAX_PAGES; page++) {
    // ONE statement claims the page (a sweep runs every nudge window under load, so its round trips count): topics
    // with too many sweeps in flight are skipped, the rows are stamped with one dispatched_at (the statement's now(),
    // the reconciler's grouping key), then the jobs are sent. A crash between the two leaves rows dispatched but not
    // confirmed: the reconciler plans them again and sends the jobs Redis does not have.
    const rows = await executeSql<OutboxRow>(db.$client, sql`
      with lim(topic, n) as (values ${limits}),
      held as (
        -- Per limited topic through outbox_inflight_idx: a join over all unconfirmed rows would read every other
        -- topic's too (docs/benchmarks.md: the event path, step 1).
        select lim.topic from lim
        where (select count(distinct o.dispatched_at) from outbox o
               where o.topic = lim.topic and o.dispatched_at is not null and o.confirmed_at is null
                 and o.dispatched_at > now() - make_interval(secs => ${IN_FLIGHT_WINDOW_S})
                 and o.payload->>'inline' is null -- followed through by the job that wrote it (./emit.ts), not a sweep
              ) >= lim.n
      ), claim as (
        select id from outbox
        where dispatched_at is null and confirmed_at is null and topic in (${topicList(registry)}) and topic not in (select topic from held)
        order by id limit ${limit} for update skip locked
      )
      -- By primary key (an array, not a join: the planner hashed the whole outbox for a page of 200 ids).
      update outbox o set dispatched_at = now(), attempts = o.attempts + 1 where o.id = any(array(select id from claim))
      returning o.id::int as id, o.topic, o.payload`);
    if (rows.length === 0) break;
    try {
      const plan = planRows(registry, rows);
      invalid.push(...plan.invalid);
      for (const b of plan.batches) for (const j of b.jobs) await send(queues, j);
    } catch (e) {
      // Redis refused: give the rows back so the next sweep retries them at once, not the reconciler in a minute.
      await unclaimOutbox(db, rows.map((r) => r.id)).catch(() => {});
      throw e;
    }
    dispatched += rows.length;
    if (rows.length < limit) break;
  }
  return { dispatched, ...(invalid.length ? { invalid } : {}) };
}

/**
 * Deletes rows whose work was confirmed more than `olderThanDays` ago (the daily system sweep): the outbox takes a
 * row per repayment and per warning, and its history is in the audit log and the warnings' own events.
 */
export async function purgeOutbox(db: Db, olderThanDays = 7, now = new Date()): Promise<number> {
  const rows = await db.execute<{ n: number }>(sql`
    with d as (delete from outbox where confirmed_at < ${now.toISOString()}::timestamptz - make_interval(days => ${olderThanDays}) returning 1)
    select count(*)::int as n from d`);
  return rows[0]?.n ?? 0;
}

/** Outbox ids as one array literal parameter. */
const idArray = (ids: readonly number[]) => `{${ids.map(Number).join(",")}}`;

/** Gives claimed rows back to the next sweep (their jobs could not be sent, or their inline work failed). */
export async function unclaimOutbox(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length) await db.execute(sql`update outbox set dispatched_at = null, payload = payload - 'inline' where confirmed_at is null and id = any(${idArray(ids)}::bigint[])`);
}

/** Marks rows whose work a job completed (called by the worker for jobs that carry `outboxIds`). */
export async function confirmOutbox(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length) await executeSql(db.$client, sql`update outbox set confirmed_at = now() where confirmed_at is null and id = any(${idArray(ids)}::bigint[])`);
}

/**
 * The reconciler: sweeps sent a while ago whose rows are not confirmed are planned again (same grouping, same job
 * ids); jobs Redis no longer has (flushed, lost) are sent again; batches whose jobs all completed are confirmed and
 * not looked at again. Failed or still-running jobs are left alone.
 */
export async function reconcileOutbox(db: Db, queues: Queues, opts: { olderThanMs?: number; limit?: number } = {}): Promise<{ confirmed: number; resent: number; invalid?: number[] }> {
  const olderThanMs = opts.olderThanMs ?? 60_000;
  const rows = await db.execute<OutboxRow & { stamp: string }>(sql`
    with g as (
      select topic, dispatched_at from outbox
      where dispatched_at is not null and confirmed_at is null
        and dispatched_at < now() - make_interval(secs => ${olderThanMs / 1000})
        and topic in (${topicList(queues.registry)})
      group by topic, dispatched_at order by dispatched_at limit ${opts.limit ?? 100}
    )
    select o.id::int as id, o.topic, o.payload, o.dispatched_at::text as stamp
    from outbox o join g on g.topic = o.topic and g.dispatched_at = o.dispatched_at
    where o.confirmed_at is null
    order by o.id`);
  const sweeps = new Map<string, OutboxRow[]>();
  for (const r of rows) sweeps.set(r.stamp, [...(sweeps.get(r.stamp) ?? []), r]);
  const confirmed: number[] = [];
  const retried: number[] = [];
  const invalid: number[] = [];
  let resent = 0;
  for (const sweep of sweeps.values()) {
    const plan = planRows(queues.registry, sweep);
    invalid.push(...plan.invalid);
    for (const b of plan.batches) {
      let done = true;
      let lost = false;
      for (const j of b.jobs) {
        const found = await queues.get(jobDef(queues, j.name).queue).getJob(j.jobId);
        if (!found) {
          await send(queues, j);
          resent++;
          lost = true;
          done = false;
        } else if (!(await found.isCompleted())) {
          done = false;
        }
      }
      if (done) confirmed.push(...b.rowIds);
      if (lost) retried.push(...b.rowIds);
    }
  }
  if (confirmed.length) await confirmOutbox(db, confirmed);
  // dispatched_at stays: it is the sweep's grouping key.
  if (retried.length) await db.execute(sql`update outbox set attempts = attempts + 1 where id in (${sql.join(retried.map((id) => sql`${id}`), sql`, `)})`);
  return { confirmed: confirmed.length, resent, ...(invalid.length ? { invalid } : {}) };
}

/**
 * Asks a worker to dispatch soon rather than at the next scheduled sweep. Debounced: one nudge job per window of
 * NUDGE_WINDOW_MS (a deterministic id per window, delayed to the window's end), so a burst of writes in a window
 * is one sweep. A write committed before its nudge is always seen: either the window's job has not started yet
 * (it runs at the window's end, after this call), or this call falls in the next window and adds that one.
 */
export async function nudgeOutbox(queues: Queues, windowMs = NUDGE_WINDOW_MS): Promise<void> {
  const now = Date.now();
  const window = Math.floor(now / windowMs);
  const delay = (window + 1) * windowMs - now;
  // Within one process, the window's job is added once and later callers wait for that same add (at 200 writes/s
  // that is one Redis call per window instead of one per write). A failed add is forgotten, so the next call retries.
  const key = `${windowMs}:${window}`;
  const known = lastNudge.get(queues);
  if (known?.key === key) return known.added;
  const added = queues
    .get("system")
    .add("outbox.dispatch", {}, { jobId: `outbox-nudge-${window}`, delay, removeOnComplete: true, removeOnFail: true, attempts: 1 })
    .then(() => undefined);
  lastNudge.set(queues, { key, added });
  added.catch(() => {
    if (lastNudge.get(queues)?.added === added) lastNudge.delete(queues);
  });
  return added;
}
const lastNudge = new WeakMap<Queues, { key: string; added: Promise<void> }>();
